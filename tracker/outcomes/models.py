"""Monthly statistics (every recorded version kept), review dispositions, published quarters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.corrections.models import Supersedable
from tracker.db import Base, date_in_range, partial_index, utcnow
from tracker.enums import LabelledEnum, enum_column_type

# The counts of one month, in the order files, tables and the API give them.
COUNT_FIELDS = (
    "submissions",
    "matches",
    "level1",
    "level2",
    "level3",
    "non_criminal",
    "removed",
)
LEVEL_FIELDS = ("level1", "level2", "level3", "non_criminal")
COUNT_LABELS = {
    "submissions": "Fingerprints submitted",
    "matches": "Matches",
    "level1": "Level 1 identifications",
    "level2": "Level 2 identifications",
    "level3": "Level 3 identifications",
    "non_criminal": "Identifications with no criminal conviction",
    "removed": "Removals",
}
IN_FORCE = "superseded_at IS NULL"


class MonthlyStatistics(Supersedable, Base):
    """One jurisdiction's interoperability figures for one month, as recorded at one moment.

    `month` is the month's first day. An append-only fact: re-importing a month with other
    figures records a correction (corrections.Correction, "Monthly statistics", amended) that
    supersedes the version in force, and adds the new figures beside it, so every month keeps the
    history of what was recorded, when and by whom, on DESIGN's two time axes. At most one
    version of a (jurisdiction, month) is in force, and none is dated before the jurisdiction's
    activation (the import checks that).
    """

    __tablename__ = "monthly_statistics"
    __table_args__ = (
        *(CheckConstraint(f"{name} >= 0", name=f"{name}_not_negative") for name in COUNT_FIELDS),
        CheckConstraint("matches <= submissions", name="matches_within_submissions"),
        date_in_range("month"),
        CheckConstraint(
            "level1 + level2 + level3 + non_criminal <= matches", name="levels_within_matches"
        ),
        CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at", name="superseded_after"
        ),
        partial_index(
            "uq_monthly_statistics_in_force",
            "jurisdiction_fips",
            "month",
            where=IN_FORCE,
            unique=True,
        ),
        partial_index(
            "ix_monthly_statistics_month_in_force", "month", "jurisdiction_fips", where=IN_FORCE
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jurisdiction_fips: Mapped[str] = mapped_column(ForeignKey("jurisdiction.fips"), nullable=False)
    month: Mapped[dt.date] = mapped_column(Date, nullable=False)
    submissions: Mapped[int] = mapped_column(Integer, nullable=False)
    matches: Mapped[int] = mapped_column(Integer, nullable=False)
    level1: Mapped[int] = mapped_column(Integer, nullable=False)
    level2: Mapped[int] = mapped_column(Integer, nullable=False)
    level3: Mapped[int] = mapped_column(Integer, nullable=False)
    non_criminal: Mapped[int] = mapped_column(Integer, nullable=False)
    removed: Mapped[int] = mapped_column(Integer, nullable=False)
    # Where the figures came from: "import: <file name>" or "demo".
    source: Mapped[str] = mapped_column(String(300), nullable=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    jurisdiction = relationship("Jurisdiction")
    recorded_by = relationship("User")


class Metric(LabelledEnum):
    NON_CRIMINAL_SHARE = (
        "non_criminal_share",
        "Share of identifications with no criminal conviction",
    )
    MATCH_RATE = "match_rate", "Match rate (matches ÷ fingerprints submitted)"
    LEVEL1_SHARE = "level1_share", "Level 1 share of identifications"

    @property
    def short_label(self) -> str:
        return {
            Metric.NON_CRIMINAL_SHARE: "No-conviction share",
            Metric.MATCH_RATE: "Match rate",
            Metric.LEVEL1_SHARE: "Level 1 share",
        }[self]

    @property
    def count_field(self) -> str:
        """The count the rate is made of (its numerator)."""
        return {
            Metric.NON_CRIMINAL_SHARE: "non_criminal",
            Metric.MATCH_RATE: "matches",
            Metric.LEVEL1_SHARE: "level1",
        }[self]

    @property
    def case_fields(self) -> tuple[str, ...]:
        """The counts whose sum the rate is out of (its denominator, the metric's cases)."""
        return ("submissions",) if self is Metric.MATCH_RATE else LEVEL_FIELDS

    def phrase(self, count: int, cases: int) -> str:
        """ "593 matches out of 6,368 fingerprints submitted"."""
        if self is Metric.MATCH_RATE:
            return f"{count:,} matches out of {cases:,} fingerprints submitted"
        what = "with no criminal conviction" if self is Metric.NON_CRIMINAL_SHARE else "at Level 1"
        return f"{count:,} of {cases:,} identifications {what}"

    @property
    def cases_noun(self) -> str:
        return "fingerprints submitted" if self is Metric.MATCH_RATE else "identifications"


class Direction(LabelledEnum):
    HIGH = "high", "above the national rate"
    LOW = "low", "below the national rate"


class Disposition(LabelledEnum):
    LOCAL_FACTORS = "local_factors", "Explained by local factors"
    IN_DEPTH_ANALYSIS = "in_depth_analysis", "Referred for in-depth analysis"
    DATA_ERROR = "data_error", "Data error"
    NO_ACTION = "no_action", "No action"


class ReviewDisposition(Base):
    """An editor's decision on one flagged jurisdiction in one quarter's review of one metric.

    Append-only: revising a disposition adds a row that `revises` the one it replaces, and each
    row can be revised once, so two editors revising the same decision cannot both succeed. The
    flag is kept as it stood when the decision was made (counts, rate, z, limit), since later
    imports may move the figures.
    """

    __tablename__ = "review_disposition"
    __table_args__ = (
        CheckConstraint("length(quarter) = 7", name="quarter_format"),
        CheckConstraint("cases > 0 AND count >= 0 AND count <= cases", name="count_within_cases"),
        partial_index(
            "uq_review_disposition_first",
            "quarter",
            "metric",
            "jurisdiction_fips",
            where="revises_id IS NULL",
            unique=True,
        ),
        Index("ix_review_disposition_quarter", "quarter", "metric"),
        Index("ix_review_disposition_jurisdiction", "jurisdiction_fips", "metric", "quarter"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7), nullable=False)  # "2010-Q3"
    metric: Mapped[Metric] = mapped_column(enum_column_type(Metric, "metric"), nullable=False)
    jurisdiction_fips: Mapped[str] = mapped_column(ForeignKey("jurisdiction.fips"), nullable=False)
    direction: Mapped[Direction] = mapped_column(
        enum_column_type(Direction, "direction"), nullable=False
    )
    count: Mapped[int] = mapped_column(Integer, nullable=False)
    cases: Mapped[int] = mapped_column(Integer, nullable=False)
    rate: Mapped[float] = mapped_column(Float, nullable=False)
    z: Mapped[float] = mapped_column(Float, nullable=False)
    limit_crossed: Mapped[str] = mapped_column(String(8), nullable=False)  # "95%" or "99.8%"
    disposition: Mapped[Disposition] = mapped_column(
        enum_column_type(Disposition, "disposition"), nullable=False
    )
    note: Mapped[str] = mapped_column(Text, nullable=False)
    revises_id: Mapped[int | None] = mapped_column(ForeignKey("review_disposition.id"), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    jurisdiction = relationship("Jurisdiction")
    recorded_by = relationship("User")


class PublishedQuarter(Base):
    """A quarter's national totals as an admin published them for the public.

    The totals are frozen at publication (a later import does not move a published figure);
    withdrawing keeps the row and stamps `withdrawn_at`. At most one publication of a quarter
    is in force.
    """

    __tablename__ = "published_quarter"
    __table_args__ = (
        CheckConstraint("length(quarter) = 7", name="quarter_format"),
        partial_index(
            "uq_published_quarter_in_force", "quarter", where="withdrawn_at IS NULL", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7), nullable=False)
    # {"jurisdictions": N, "submissions": N, ...}: COUNT_FIELDS and how many reported.
    totals: Mapped[dict] = mapped_column(JSON, nullable=False)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    published_by = relationship("User", foreign_keys=[published_by_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])
