"""Reading the monthly statistics: the rows, a jurisdiction's months, and totals in SQL.

Everything here reads the versions in force (what the latest import says), or with `known_at`
the versions that were in force at that moment: recorded at or before it and not yet superseded.
The dashboard, the state page, the API and the review all total the statistics through
`totals()`, so their figures agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.outcomes.models import COUNT_FIELDS, LEVEL_FIELDS, MonthlyStatistics
from tracker.outcomes.quarters import Quarter, month_start, next_month
from tracker.plan.models import Activation

M = MonthlyStatistics


def state_range(state_fips: str) -> ColumnElement[bool]:
    """The jurisdictions of one state, as a range of FIPS codes (the index serves it)."""
    return M.jurisdiction_fips.between(f"{state_fips}000", f"{state_fips}999")


@dataclass(frozen=True)
class Totals:
    """Counts summed over some jurisdictions and months, and how many jurisdictions reported."""

    jurisdictions: int = 0
    submissions: int = 0
    matches: int = 0
    level1: int = 0
    level2: int = 0
    level3: int = 0
    non_criminal: int = 0
    removed: int = 0

    @property
    def identifications(self) -> int:
        return sum(getattr(self, name) for name in LEVEL_FIELDS)

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _sums():
    return [func.coalesce(func.sum(getattr(M, name)), 0) for name in COUNT_FIELDS]


def totals(
    first_month: dt.date | None = None,
    last_month: dt.date | None = None,
    *,
    state_fips: str | None = None,
    fips: str | None = None,
    known_at: dt.datetime | None = None,
) -> Totals:
    """The statistics of the months first_month..last_month (either end open when None) summed,
    nationally, for one state or for one jurisdiction, with the number of jurisdictions that
    reported any of those months."""
    statement = select(func.count(func.distinct(M.jurisdiction_fips)), *_sums()).where(
        M.in_force(known_at)
    )
    if first_month:
        statement = statement.where(M.month >= month_start(first_month))
    if last_month:
        statement = statement.where(M.month <= month_start(last_month))
    if state_fips:
        statement = statement.where(state_range(state_fips))
    if fips:
        statement = statement.where(M.jurisdiction_fips == fips)
    reporting, *sums = db.session.execute(statement).one()
    return Totals(int(reporting), *(int(value) for value in sums))


def quarter_totals(
    quarter: Quarter, *, state_fips: str | None = None, known_at: dt.datetime | None = None
) -> Totals:
    """A quarter's totals, nationally or for one state, as recorded at `known_at`."""
    return totals(quarter.first_month, quarter.last_month, state_fips=state_fips, known_at=known_at)


def totals_by_quarter(
    state_fips: str, *, until: dt.date | None = None, known_at: dt.datetime | None = None
) -> list[tuple[Quarter, Totals]]:
    """Every quarter with statistics in one state (those begun by `until`, when given), newest
    first, with its totals, as recorded at `known_at` (default now)."""
    statement = select(M.month, M.jurisdiction_fips, *[getattr(M, n) for n in COUNT_FIELDS]).where(
        M.in_force(known_at), state_range(state_fips)
    )
    if until is not None:
        statement = statement.where(M.month <= Quarter.of(until).last_month)
    reporting: dict[Quarter, set[str]] = {}
    sums: dict[Quarter, list[int]] = {}
    for month, fips, *counts in db.session.execute(statement):
        quarter = Quarter.of(month)
        reporting.setdefault(quarter, set()).add(fips)
        running = sums.setdefault(quarter, [0] * len(COUNT_FIELDS))
        for index, value in enumerate(counts):
            running[index] += value
    return [
        (quarter, Totals(len(reporting[quarter]), *sums[quarter]))
        for quarter in sorted(sums, reverse=True)
    ]


def has_demo_statistics(first_month: dt.date, last_month: dt.date) -> bool:
    """True when any figures in force for these months are demo data."""
    return bool(
        db.session.scalar(
            select(M.id)
            .where(M.in_force(), M.is_demo.is_(True), M.month.between(first_month, last_month))
            .limit(1)
        )
    )


def latest_month() -> dt.date | None:
    """The latest month with statistics in force."""
    return db.session.scalar(select(func.max(M.month)).where(M.in_force()))


def latest_quarter() -> Quarter | None:
    """The latest quarter with statistics, or None before any import."""
    month = latest_month()
    return Quarter.of(month) if month else None


@dataclass(frozen=True)
class MonthFigures:
    """One month of a jurisdiction's statistics (None when the month has no figures)."""

    month: dt.date
    counts: dict[str, int] | None
    revisions: int  # earlier versions kept as history
    is_demo: bool = False


def months_since_activation(
    fips: str, until: dt.date | None = None, known_at: dt.datetime | None = None
) -> list[MonthFigures]:
    """Every month from the jurisdiction's activation to its latest statistics (or `until`),
    gaps included, as recorded at `known_at` (default now); empty before activation or when
    nothing was imported."""
    activated_on = db.session.scalar(
        select(Activation.activated_on).where(
            Activation.jurisdiction_fips == fips, Activation.in_force(known_at)
        )
    )
    if activated_on is None:
        return []
    recorded = M.recorded_at <= known_at if known_at is not None else true()
    versions = db.session.execute(
        select(
            M.month,
            M.in_force(known_at).label("current"),
            M.is_demo,
            *[getattr(M, n) for n in COUNT_FIELDS],
        ).where(M.jurisdiction_fips == fips, recorded)
    ).all()
    current = {row.month: dict(zip(COUNT_FIELDS, row[3:], strict=True)) for row in versions
               if row.current}  # fmt: skip
    demo = {row.month for row in versions if row.current and row.is_demo}
    if not current:
        return []
    revisions: dict[dt.date, int] = {}
    for row in versions:
        if not row.current:
            revisions[row.month] = revisions.get(row.month, 0) + 1
    last = max(current) if until is None else min(max(current), month_start(until))
    months = []
    month = month_start(activated_on)
    while month <= last:
        months.append(
            MonthFigures(month, current.get(month), revisions.get(month, 0), month in demo)
        )
        month = next_month(month)
    return months


@dataclass(frozen=True)
class StatisticsFilters:
    fips: str | None = None
    state_fips: str | None = None
    month_from: dt.date | None = None
    month_to: dt.date | None = None
    known_at: dt.datetime | None = None


def statistics_query(filters: StatisticsFilters):
    """The rows the filters select, with their jurisdictions and states loaded, ordered by FIPS
    code and month (for the API, which pages it)."""
    statement = (
        select(M)
        .options(joinedload(M.jurisdiction))  # and its state, which it always joins
        .where(M.in_force(filters.known_at))
        .order_by(M.jurisdiction_fips, M.month)
    )
    if filters.fips:
        statement = statement.where(M.jurisdiction_fips == filters.fips)
    if filters.state_fips:
        statement = statement.where(state_range(filters.state_fips))
    if filters.month_from:
        statement = statement.where(M.month >= month_start(filters.month_from))
    if filters.month_to:
        statement = statement.where(M.month <= month_start(filters.month_to))
    return statement


def available_quarters() -> list[Quarter]:
    """Every quarter with statistics in force, newest first.

    The distinct months are found by skipping through the index from one month to the next (a
    recursive query: one index lookup per month) rather than reading every row, so the cost
    stays the same with a decade of statistics.
    """
    first = select(func.min(M.month).label("month")).where(M.in_force()).cte(recursive=True)
    later = select(func.min(M.month)).where(M.in_force(), M.month > first.c.month).scalar_subquery()
    months = first.union_all(select(later).where(first.c.month.is_not(None)))
    found = db.session.scalars(select(months.c.month).where(months.c.month.is_not(None)))
    return sorted({Quarter.of(month) for month in found}, reverse=True)


@dataclass(frozen=True)
class QuarterOutcomes:
    quarter: Quarter
    totals: Totals


def quarter_outcomes(
    as_of: dt.date, quarter: str | None = None, known_at: dt.datetime | None = None
) -> QuarterOutcomes | None:
    """The national totals of `quarter` (YYYY-Qn), or of the latest quarter with statistics
    begun by `as_of`, as recorded at `known_at`; None when there is none."""
    if quarter:
        chosen = Quarter.parse(quarter)
    else:
        chosen = next((q for q in available_quarters() if q.first_month <= as_of), None)
    if chosen is None:
        return None
    return QuarterOutcomes(chosen, quarter_totals(chosen, known_at=known_at))
