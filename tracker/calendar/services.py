"""Filling and reading the business-day calendar.

A business day is Monday to Friday and not a US federal holiday, nor the weekday a federal
holiday is observed on (the `holidays` package's US calendar, which follows 5 U.S.C. 6103). That
definition is applied once, when rows are written; every clock then reads the table in SQL.

Dates after the calendar's last day are refused, never guessed: the message names the command
that extends it. Dates before its first day (2000-01-01) precede every letter the tracker can
hold (a letter's received date must lie inside the calendar), so no clock runs on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import holidays
from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.sql.elements import ColumnClause

from tracker.audit.services import record
from tracker.calendar.models import CalendarDay
from tracker.errors import DomainError
from tracker.extensions import db

# The span the migration fills: generous on both sides of the 2008–2013 rollout.
FIRST_DAY = dt.date(2000, 1, 1)
MIGRATION_LAST_DAY = dt.date(2050, 12, 31)


def _federal_holidays(first_year: int, last_year: int) -> dict[int, frozenset[dt.date]]:
    # Without a subdivision, holidays.US() holds the federal holidays with their observed days.
    # Each date is judged against its own year's list, as the clocks always have.
    return {
        year: frozenset(holidays.US(years=year).keys()) for year in range(first_year, last_year + 1)
    }


def calendar_rows(first: dt.date, last: dt.date, numbered_before: int) -> Iterator[dict]:
    """Rows for every date from `first` to `last` inclusive, their business-day numbers
    continuing from `numbered_before` (the number of the day before `first`)."""
    closed = _federal_holidays(first.year, last.year)
    number = numbered_before
    day = first
    while day <= last:
        business = day.weekday() < 5 and day not in closed[day.year]
        number += business
        yield {"day": day, "is_business_day": business, "business_day_number": number}
        day += dt.timedelta(days=1)


@dataclass(frozen=True)
class CalendarSpan:
    first: dt.date
    last: dt.date


def span_columns() -> tuple[ColumnElement, ColumnElement]:
    """SQL for the calendar's first and last dates: one index read each (min and max in one
    aggregate would read the whole table)."""
    return (
        select(func.min(CalendarDay.day)).scalar_subquery(),
        select(func.max(CalendarDay.day)).scalar_subquery(),
    )


def calendar_span() -> CalendarSpan | None:
    """The first and last dates in the calendar (None when it is empty)."""
    first, last = db.session.execute(select(*span_columns())).one()
    return CalendarSpan(first, last) if first is not None else None


def beyond_calendar(day: dt.date, last: dt.date | None, field: str) -> DomainError:
    """The refusal for a date the calendar does not reach yet, naming the command that fixes it."""
    if last is None:
        return DomainError(
            "The business-day calendar is empty; an administrator fills it with "
            f"`tracker calendar extend --through {day.year}`.",
            field=field,
        )
    return DomainError(
        f"{day.isoformat()} is after the last day of the business-day calendar the letter "
        f"clocks count on ({last.isoformat()}); an administrator extends it with "
        f"`tracker calendar extend --through {day.year}`.",
        field=field,
    )


def require_in_calendar(day: dt.date, field: str) -> None:
    """Refuse a date outside the calendar (see beyond_calendar); before its first day too."""
    span = calendar_span()
    if span is None or day > span.last:
        raise beyond_calendar(day, span.last if span else None, field)
    if day < span.first:
        raise DomainError(
            f"{day.isoformat()} is before the first day of the business-day calendar "
            f"({span.first.isoformat()}).",
            field=field,
        )


def extend_calendar(through_year: int) -> int:
    """Append every date after the calendar's last day through 31 December `through_year`,
    numbering on from the last row; returns how many dates were added (0 when it already
    reaches that far). Existing rows never change, so no clock already shown moves. Audited."""
    last_wanted = dt.date(through_year, 12, 31)
    span = calendar_span()
    if span is None:
        first, numbered_before = FIRST_DAY, 0
    else:
        if span.last >= last_wanted:
            return 0
        first = span.last + dt.timedelta(days=1)
        numbered_before = db.session.scalar(
            select(CalendarDay.business_day_number).where(CalendarDay.day == span.last)
        )
    rows = list(calendar_rows(first, last_wanted, numbered_before))
    db.session.execute(insert(CalendarDay), rows)
    record(
        "calendar.extend",
        "calendar",
        last_wanted.isoformat(),
        before={"last_day": span.last.isoformat() if span else None},
        after={
            "first_added": first.isoformat(),
            "last_day": last_wanted.isoformat(),
            "added": len(rows),
        },
    )
    db.session.flush()
    return len(rows)


def nth_business_day_after(day: ColumnClause | ColumnElement, count: int) -> ColumnElement:
    """SQL for the `count`-th business day after the date in `day` (the day itself not
    counted): the first date numbered `count` more than `day`. NULL past the calendar's end.
    `day` may be a column of the enclosing query (one lookup per row on each index)."""
    start = CalendarDay.__table__.alias("start_day")
    later = CalendarDay.__table__.alias("later_day")
    return (
        select(func.min(later.c.day))
        .select_from(
            start.join(later, later.c.business_day_number == start.c.business_day_number + count)
        )
        .where(start.c.day == day)
        .scalar_subquery()
    )


def business_days_after(day: dt.date, count: int) -> dt.date:
    """The `count`-th business day after `day`, read from the calendar (refused beyond it)."""
    found = db.session.scalar(select(nth_business_day_after(day, count)))
    if found is None:
        span = calendar_span()
        raise beyond_calendar(day, span.last if span else None, "day")
    return found
