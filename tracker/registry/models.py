"""States and jurisdictions (county equivalents): the national registry from Census data."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.corrections.models import version_model
from tracker.corrections.versions import keep_versions
from tracker.db import Base, Timestamped, Versioned, date_in_range, digits_check
from tracker.enums import enum_column_type


class StateKind(enum.StrEnum):
    STATE = "state"
    DISTRICT = "district"
    TERRITORY = "territory"


class JurisdictionKind(enum.StrEnum):
    COUNTY = "county"
    PARISH = "parish"
    BOROUGH = "borough"
    CENSUS_AREA = "census_area"
    CITY_AND_BOROUGH = "city_and_borough"
    MUNICIPALITY = "municipality"
    CITY = "city"
    MUNICIPIO = "municipio"
    DISTRICT = "district"
    ISLAND = "island"
    OTHER = "other"


class State(Versioned, Timestamped, Base):
    """A state, DC or territory, with its identification bureau and agreement dates."""

    __tablename__ = "state"
    __table_args__ = (
        digits_check("fips", 2, "fips_digits"),
        CheckConstraint("length(postal) = 2", name="postal_length"),
        CheckConstraint(
            "moa_terminated_on IS NULL OR (moa_signed_on IS NOT NULL "
            "AND moa_terminated_on >= moa_signed_on)",
            name="moa_date_order",
        ),
        date_in_range("moa_signed_on"),
        date_in_range("moa_terminated_on"),
    )

    fips: Mapped[str] = mapped_column(String(2), primary_key=True)
    postal: Mapped[str] = mapped_column(String(2), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    kind: Mapped[StateKind] = mapped_column(
        enum_column_type(StateKind, "state_kind"), nullable=False
    )
    sib_name: Mapped[str | None] = mapped_column(String(200))
    sib_contact: Mapped[str | None] = mapped_column(Text)
    sib_email: Mapped[str | None] = mapped_column(String(254))
    moa_signed_on: Mapped[dt.date | None] = mapped_column(Date)
    moa_terminated_on: Mapped[dt.date | None] = mapped_column(Date)
    receives_results: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    jurisdictions: Mapped[list[Jurisdiction]] = relationship(
        back_populates="state", order_by="Jurisdiction.name"
    )

    def __repr__(self) -> str:
        return f"<State {self.postal}>"


# A state's bureau and agreement facts: what staff keep up to date (and the audit log records).
STATE_FIELDS = (
    "sib_name",
    "sib_contact",
    "sib_email",
    "moa_signed_on",
    "moa_terminated_on",
    "receives_results",
)
# The same facts, kept at every write with when it was recorded.
STATE_VERSION_FIELDS = (*STATE_FIELDS, "version_id")
StateVersion = version_model("StateVersion", State, STATE_VERSION_FIELDS, record_key="state")
keep_versions(State, StateVersion, STATE_VERSION_FIELDS, record_key="state")


class Jurisdiction(Versioned, Timestamped, Base):
    """A county equivalent, keyed by its 5-digit Census FIPS code.

    version_id is bumped by every plan write for this jurisdiction, which is what makes two
    editors rescheduling it at once collide instead of silently overwriting each other.
    """

    __tablename__ = "jurisdiction"
    __table_args__ = (
        digits_check("fips", 5, "fips_digits"),
        CheckConstraint("substr(fips, 1, 2) = state_fips", name="fips_in_state"),
        CheckConstraint("risk_tier IS NULL OR risk_tier BETWEEN 1 AND 3", name="risk_tier_range"),
        Index("ix_jurisdiction_state_name", "state_fips", "name"),
        Index("ix_jurisdiction_name", "name"),
    )

    fips: Mapped[str] = mapped_column(String(5), primary_key=True)
    state_fips: Mapped[str] = mapped_column(ForeignKey("state.fips"), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    full_name: Mapped[str] = mapped_column(String(120), nullable=False)
    kind: Mapped[JurisdictionKind] = mapped_column(
        enum_column_type(JurisdictionKind, "jurisdiction_kind"), nullable=False
    )
    risk_tier: Mapped[int | None] = mapped_column(SmallInteger)

    state: Mapped[State] = relationship(back_populates="jurisdictions", lazy="joined")

    def __repr__(self) -> str:
        return f"<Jurisdiction {self.fips} {self.full_name}>"

    @property
    def label(self) -> str:
        """How people write it: "Travis County, TX"."""
        return f"{self.full_name}, {self.state.postal}"
