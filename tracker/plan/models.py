"""The deployment plan's history (append-only plan changes) and activations."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship
from sqlalchemy.types import Boolean, Date, DateTime, Integer, String, Text

from tracker.corrections.models import Supersedable
from tracker.db import Base, date_in_range, partial_index, utcnow
from tracker.enums import enum_column_type


class PlanChangeKind(enum.StrEnum):
    SCHEDULED = "scheduled"
    REMOVED = "removed"


class Recorded(Supersedable):
    """Where a plan fact came from, whether it is demo data, and who recorded it when (never
    edited), and the correction that superseded it, if any (see Supersedable)."""

    # "demo", an import file name, "deferral request #12", a citation of a published document...
    source: Mapped[str] = mapped_column(String(300), nullable=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    @declared_attr
    def recorded_by(cls):
        return relationship("User")


class PlanChange(Recorded, Base):
    """One decision about a jurisdiction's place in the plan. Never updated, never deleted.

    The plan on a date D is the latest change decided on or before D (ties broken by id, i.e.
    the order they were recorded).
    """

    __tablename__ = "plan_change"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'scheduled' AND scheduled_on IS NOT NULL) "
            "OR (kind = 'removed' AND scheduled_on IS NULL)",
            name="date_matches_kind",
        ),
        date_in_range("scheduled_on"),
        date_in_range("decided_on"),
        Index("ix_plan_change_jurisdiction_decided", "jurisdiction_fips", "decided_on", "id"),
        Index("ix_plan_change_decided_on", "decided_on"),
        Index("ix_plan_change_scheduled_on", "scheduled_on"),
        Index("ix_plan_change_recorded_at", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jurisdiction_fips: Mapped[str] = mapped_column(ForeignKey("jurisdiction.fips"), nullable=False)
    kind: Mapped[PlanChangeKind] = mapped_column(
        enum_column_type(PlanChangeKind, "plan_change_kind"), nullable=False
    )
    scheduled_on: Mapped[dt.date | None] = mapped_column(Date)
    decided_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    deferral_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("deferral_request.id"), index=True
    )

    jurisdiction = relationship("Jurisdiction")
    deferral_request = relationship("DeferralRequest", foreign_keys=[deferral_request_id])


class Activation(Recorded, Base):
    """The day a jurisdiction activated. At most one in force per jurisdiction at any moment:
    a corrected activation stays, superseded, beside the one that replaced it (the partial
    unique index holds the rule for the activation in force now; plan.corrections holds it for
    earlier moments)."""

    __tablename__ = "activation"
    __table_args__ = (
        Index("ix_activation_activated_on", "activated_on"),
        Index("ix_activation_jurisdiction_fips", "jurisdiction_fips"),
        partial_index(
            "uq_activation_in_force",
            "jurisdiction_fips",
            where="superseded_at IS NULL",
            unique=True,
        ),
        date_in_range("activated_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jurisdiction_fips: Mapped[str] = mapped_column(ForeignKey("jurisdiction.fips"), nullable=False)
    activated_on: Mapped[dt.date] = mapped_column(Date, nullable=False)

    jurisdiction = relationship("Jurisdiction")
