"""The correction record, and the columns every recorded fact and every kept version carries.

Two times for every fact (DESIGN §2): when it happened in the world (its own dates) and
`recorded_at`, when the tracker learned it. Nothing is overwritten: an append-only fact (a plan
change, an activation) is superseded once by a correction; a mutable record (a letter, a
briefing, a state's bureau and agreement) keeps a full version of itself at every write.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    or_,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Date, DateTime

from tracker.db import Base, date_in_range, utcnow
from tracker.enums import LabelledEnum, enum_column_type


class FactKind(LabelledEnum):
    PLAN_CHANGE = "plan_change", "Plan change"
    ACTIVATION = "activation", "Activation"
    DEFERRAL_REQUEST = "deferral_request", "Deferral letter"
    BRIEFING = "briefing", "Briefing"
    STATE = "state", "State bureau and agreement"
    MONTHLY_STATISTICS = "monthly_statistics", "Monthly statistics"


class CorrectionAction(LabelledEnum):
    AMEND = "amend", "Amended"
    VOID = "void", "Entered in error"
    UNDO = "undo", "Step undone"


class Correction(Base):
    """One correction of a recorded fact: amended (new values) or entered in error (void), or a
    letter's workflow step undone. Append-only, always with a reason, who and when.

    `before` and `after` hold the fact's values; `replacement_id` names the new row an amendment
    of an append-only fact appended; `summary` is the line people read ("Activation 2010-06-08 →
    2010-06-09 for San Francisco County, CA").
    """

    __tablename__ = "correction"
    __table_args__ = (
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
        Index("ix_correction_fact", "fact_kind", "fact_id", "recorded_at"),
        # The list's order, newest first, read backwards (it pages by key).
        Index("ix_correction_recorded_at", "recorded_at", "id"),
        Index("ix_correction_jurisdiction", "jurisdiction_fips", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # Who, as shown: an e-mail address, or the command that made the correction.
    recorded_by_label: Mapped[str] = mapped_column(String(254), nullable=False)
    fact_kind: Mapped[FactKind] = mapped_column(
        enum_column_type(FactKind, "fact_kind"), nullable=False
    )
    fact_id: Mapped[str] = mapped_column(String(60), nullable=False)
    action: Mapped[CorrectionAction] = mapped_column(
        enum_column_type(CorrectionAction, "correction_action"), nullable=False
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    summary: Mapped[str] = mapped_column(String(500), nullable=False)
    # The jurisdiction the fact concerns (after the correction, for a letter moved elsewhere).
    jurisdiction_fips: Mapped[str | None] = mapped_column(ForeignKey("jurisdiction.fips"))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    replacement_id: Mapped[int | None] = mapped_column(Integer)

    recorded_by = relationship("User")


class Supersedable:
    """An append-only fact, recorded once and superseded at most once.

    `superseded_at` and `superseded_by_id` are the tracker's own bookkeeping (transaction
    time), stamped once by the correction that amends or voids the fact; the fact's values never
    change. The fact was in force at moment K when it was recorded at or before K and not
    superseded by then.
    """

    superseded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    @declared_attr
    def superseded_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("correction.id"))

    @declared_attr
    def superseded_by(cls):
        return relationship("Correction", foreign_keys=[cls.superseded_by_id])

    @classmethod
    def in_force(cls, known_at: dt.datetime | None = None) -> ColumnElement[bool]:
        """SQL for "in force as known at `known_at`" (now when None)."""
        if known_at is None:
            return cls.superseded_at.is_(None)
        return and_(
            cls.recorded_at <= known_at,
            or_(cls.superseded_at.is_(None), cls.superseded_at > known_at),
        )


class KeptVersion:
    """The bookkeeping columns of a version table: one row per write of a mutable record,
    holding the record's fields as written, when (`version_recorded_at`), by whom, the action
    ("log", "request_meeting", "update", "edit", "undo", ...) and the correction when it was one.
    """

    version_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    version_action: Mapped[str] = mapped_column(String(40), nullable=False)

    @declared_attr
    def version_recorded_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user_account.id"))

    @declared_attr
    def version_correction_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("correction.id"))

    @declared_attr
    def version_recorded_by(cls):
        return relationship("User", foreign_keys=[cls.version_recorded_by_id])

    @declared_attr
    def version_correction(cls):
        return relationship("Correction", foreign_keys=[cls.version_correction_id])


def version_model(
    class_name: str,
    record_model: type,
    fields: tuple[str, ...],
    *,
    record_key: str,
    indexed: tuple[str, ...] = (),
    extra: dict | None = None,
) -> type:
    """A version table for `record_model`: the bookkeeping of KeptVersion, a link to the record
    (`record_key`, a relationship, with `<record_key>_<primary key>` as its column) and a copy
    of each of `fields` (same name, type and nullability as the record's own column, and a
    date's range CHECK)."""
    table = record_model.__table__
    (key_column,) = table.primary_key.columns
    link = f"{record_key}_{key_column.name}"
    name = f"{table.name}_version"
    namespace: dict = {
        "__tablename__": name,
        "__table_args__": (
            Index(f"ix_{name}_known", link, "version_recorded_at"),
            Index(f"ix_{name}_recorded_at", "version_recorded_at"),
            *(Index(f"ix_{name}_{field}", field) for field in indexed),
            # A copied date keeps its record's range.
            *(
                date_in_range(field)
                for field in fields
                if isinstance(table.columns[field].type, Date)
            ),
        ),
        "__doc__": f"A kept version of a {table.name.replace('_', ' ')}: its fields as written "
        "at one write, with when, by whom, why (KeptVersion).",
        link: Column(ForeignKey(f"{table.name}.{key_column.name}"), nullable=False),
        record_key: relationship(record_model),
        # A version reads like its record: `version.id` is the record's key.
        "id": property(lambda self: getattr(self, link)),
        "__annotations__": {},
    }
    for field in fields:
        column = table.columns[field]
        # A foreign-key column's type comes from the column it refers to, resolved later.
        references = [ForeignKey(fk.target_fullname) for fk in column.foreign_keys]
        kind = () if references else (column.type.copy(),)
        namespace[field] = Column(*kind, *references, nullable=column.nullable)
    namespace.update(extra or {})
    return type(class_name, (KeptVersion, Base), namespace)
