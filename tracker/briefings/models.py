"""Briefings: SIB meetings, local briefings, advance notices, and the places they covered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.corrections.models import version_model
from tracker.corrections.versions import keep_versions
from tracker.db import Base, Timestamped, Versioned, date_in_range, utcnow
from tracker.enums import LabelledEnum, enum_column_type


class BriefingKind(LabelledEnum):
    SIB_MEETING = "sib_meeting", "SIB pre-activation meeting"
    LOCAL_BRIEFING = "local_briefing", "Local law-enforcement briefing"
    ADVANCE_NOTICE = "advance_notice", "Advance notice to state and local governments"
    COMMUNITY_MEETING = "community_meeting", "Community or NGO meeting"
    OTHER = "other", "Other"


def _coverage_table(
    name: str, column: str, covered: str, key: str = "briefing_id", of: str = "briefing.id"
) -> Table:
    """Which `covered` rows (jurisdictions or whole states) each briefing (or each kept version
    of one) covered."""
    return Table(
        name,
        Base.metadata,
        Column(key, ForeignKey(of, ondelete="CASCADE"), primary_key=True),
        Column(column, ForeignKey(covered), primary_key=True),
        Index(f"ix_{name}_fips", column),
    )


briefing_jurisdiction = _coverage_table(
    "briefing_jurisdiction", "jurisdiction_fips", "jurisdiction.fips"
)
briefing_state = _coverage_table("briefing_state", "state_fips", "state.fips")


class Briefing(Versioned, Timestamped, Base):
    """A meeting or notice held on a date, covering jurisdictions and/or whole states."""

    __tablename__ = "briefing"
    __table_args__ = (
        Index("ix_briefing_held_on_kind", "held_on", "kind"),
        date_in_range("held_on"),
        # The log's order, newest first, read backwards.
        Index("ix_briefing_held_on_id", "held_on", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    kind: Mapped[BriefingKind] = mapped_column(
        enum_column_type(BriefingKind, "briefing_kind"), nullable=False
    )
    presenter: Mapped[str | None] = mapped_column(String(200))
    attendees: Mapped[str | None] = mapped_column(Text)
    materials_version: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # When the tracker learned of the briefing (never edited); each correction is kept with its
    # own time in briefing_version.
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    jurisdictions = relationship("Jurisdiction", secondary=briefing_jurisdiction)
    states = relationship("State", secondary=briefing_state)
    recorded_by = relationship("User")


BRIEFING_VERSION_FIELDS = (
    "held_on",
    "kind",
    "presenter",
    "attendees",
    "materials_version",
    "notes",
    "is_demo",
    "recorded_by_id",
    "recorded_at",
    "version_id",
)
briefing_version_jurisdiction = _coverage_table(
    "briefing_version_jurisdiction",
    "jurisdiction_fips",
    "jurisdiction.fips",
    key="version_no",
    of="briefing_version.version_no",
)
briefing_version_state = _coverage_table(
    "briefing_version_state",
    "state_fips",
    "state.fips",
    key="version_no",
    of="briefing_version.version_no",
)
BriefingVersion = version_model(
    "BriefingVersion",
    Briefing,
    BRIEFING_VERSION_FIELDS,
    record_key="briefing",
    extra={
        "jurisdictions": relationship("Jurisdiction", secondary=briefing_version_jurisdiction),
        "states": relationship("State", secondary=briefing_version_state),
    },
)
keep_versions(
    Briefing,
    BriefingVersion,
    BRIEFING_VERSION_FIELDS,
    record_key="briefing",
    collections=("jurisdictions", "states"),
)
