"""A letter's workflow status on a date and its two clocks, overdue and urgent, as SQL.

Each definition is a SQL expression over `letters`: any selectable with the deferral_request
table's columns (the table itself by default, or the letters as the records stood at a moment,
deferrals.models.letters_known_at), so the log, its counts, its downloads, the dashboard and one
letter's page all read the same definitions, in the database, where indexes serve them. Only
facts dated on or before the date asked about (D) count, as in the "as of" rule; the plan they
read is the plan as the records stood at the same moment as the letters:

- **overdue on D**: open on D, no meeting requested by D, and D is after the meeting's due date,
  the TRACKER_OVERDUE_BUSINESS_DAYS-th business day after receipt (the business-day calendar,
  tracker.calendar). With business-day numbers this becomes "received on or before the last
  receipt date whose due date falls before D": a date computed once for D (ClockDay) and compared
  on the received_on index.
- **urgent on D**: open on D while the jurisdiction's activation, scheduled by the plan in force
  on D, is at most TRACKER_URGENT_DAYS days away or already past, and it had not activated by D.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import String, and_, case, false, func, literal, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FromClause

from tracker.calendar.models import CalendarDay
from tracker.calendar.services import beyond_calendar, nth_business_day_after, span_columns
from tracker.deferrals.models import (
    DeferralRequest,
    DeferralStatus,
    letters_known_at,
    not_by,
    open_on,
)
from tracker.extensions import db
from tracker.formatting import plural
from tracker.plan.services import scheduled_on_in_force

_CLOSED = (DeferralStatus.RESOLVED, DeferralStatus.WITHDRAWN)


def _columns(letters: FromClause | None):
    return (letters if letters is not None else DeferralRequest.__table__).c


@dataclass(frozen=True)
class ClockDay:
    """What the clocks need to know about the date D they are read on, worked out once for D."""

    as_of: dt.date
    # The moment whose records the clocks read (None: now).
    known_at: dt.datetime | None
    # A letter received on or before this date with no meeting requested by D is overdue on D
    # (None: no receipt date is old enough yet).
    overdue_if_received_by: dt.date | None
    # An open letter is urgent when its scheduled activation is on or before this date.
    urgent_if_scheduled_by: dt.date
    business_days: int


def clock_day(as_of: dt.date, known_at: dt.datetime | None = None) -> ClockDay:
    """The clocks' constants for `as_of` (the plan read as known at `known_at`), in one query
    on the calendar.

    A letter is overdue on D when its due date, the N-th business day after receipt, is before
    D: when the business days before D number at least N more than those through the receipt
    date. That is a bound on the receipt date's number, hence on the receipt date itself.
    Refused (DomainError on as_of) when D is after the calendar's last day.
    """
    business_days = int(current_app.config["TRACKER_OVERDUE_BUSINESS_DAYS"])
    day = CalendarDay.__table__.alias("asked")
    numbered_before = (
        select(day.c.business_day_number - case((day.c.is_business_day, 1), else_=0))
        .where(day.c.day == as_of)
        .scalar_subquery()
    )
    # The last date numbered at most that: read backwards on ix_calendar_day_number.
    received_by = (
        select(CalendarDay.day)
        .where(CalendarDay.business_day_number <= numbered_before - business_days)
        .order_by(CalendarDay.business_day_number.desc(), CalendarDay.day.desc())
        .limit(1)
        .scalar_subquery()
    )
    first, last, cutoff = db.session.execute(select(*span_columns(), received_by)).one()
    if last is None or as_of > last:
        raise beyond_calendar(as_of, last, "as_of")
    return ClockDay(
        as_of=as_of,
        known_at=known_at,
        # Before the calendar's first day no letter had been received (see tracker.calendar).
        overdue_if_received_by=cutoff if as_of >= first else None,
        urgent_if_scheduled_by=as_of
        + dt.timedelta(days=int(current_app.config["TRACKER_URGENT_DAYS"])),
        business_days=business_days,
    )


# --- the definitions ------------------------------------------------------------------------


def status_on(as_of: dt.date, letters: FromClause | None = None) -> ColumnElement:
    """SQL for where a letter stood in the workflow on `as_of`, from its step dates: a
    DeferralStatus value, or NULL before it was received."""
    c = _columns(letters)
    value = case(
        (c.received_on > as_of, None),
        (c.resolved_on <= as_of, c.status),
        (c.meeting_held_on <= as_of, literal(DeferralStatus.MEETING_HELD.value)),
        (c.meeting_requested_on <= as_of, literal(DeferralStatus.MEETING_REQUESTED.value)),
        else_=literal(DeferralStatus.RECEIVED.value),
    )
    return type_coerce(value, String())


def in_status(status: DeferralStatus, as_of: dt.date, letters: FromClause | None = None):
    """SQL for "the letter stood in `status` on `as_of`" (status_on as a filter, written so the
    date indexes can serve it)."""
    c = _columns(letters)
    if status in _CLOSED:
        return and_(c.resolved_on <= as_of, c.status == status)
    steps = {
        DeferralStatus.RECEIVED: (not_by(c.meeting_requested_on, as_of),),
        DeferralStatus.MEETING_REQUESTED: (
            c.meeting_requested_on <= as_of,
            not_by(c.meeting_held_on, as_of),
        ),
        DeferralStatus.MEETING_HELD: (c.meeting_held_on <= as_of,),
    }
    return and_(open_on(as_of, letters), *steps[status])


def overdue(clock: ClockDay, letters: FromClause | None = None) -> ColumnElement[bool]:
    """SQL for "overdue on clock.as_of" (see the module's docstring)."""
    c = _columns(letters)
    if clock.overdue_if_received_by is None:
        return false()
    return and_(
        open_on(clock.as_of, letters),
        c.received_on <= clock.overdue_if_received_by,
        not_by(c.meeting_requested_on, clock.as_of),
    )


def scheduled_on(clock: ClockDay, letters: FromClause | None = None) -> ColumnElement:
    """SQL for the activation date the plan in force on clock.as_of (as known at
    clock.known_at) gives the letter's jurisdiction (NULL when none, or once it has
    activated)."""
    return scheduled_on_in_force(_columns(letters).jurisdiction_fips, clock.as_of, clock.known_at)


def urgent(clock: ClockDay, letters: FromClause | None = None) -> ColumnElement[bool]:
    """SQL for "urgent on clock.as_of" (see the module's docstring)."""
    return and_(
        open_on(clock.as_of, letters),
        scheduled_on(clock, letters) <= clock.urgent_if_scheduled_by,
    )


def meeting_due_by(clock: ClockDay, letters: FromClause | None = None) -> ColumnElement:
    """SQL for the last day a meeting may be requested on time: the N-th business day after
    receipt (NULL past the calendar's end)."""
    return nth_business_day_after(_columns(letters).received_on, clock.business_days)


def clock_columns(clock: ClockDay, letters: FromClause | None = None) -> list[ColumnElement]:
    """Every clock of a letter on clock.as_of, as labelled columns Badges.from_row reads."""
    return [
        status_on(clock.as_of, letters).label("status_on"),
        open_on(clock.as_of, letters).label("is_open"),
        overdue(clock, letters).label("is_overdue"),
        urgent(clock, letters).label("is_urgent"),
        meeting_due_by(clock, letters).label("meeting_due_by"),
        scheduled_on(clock, letters).label("scheduled_on"),
    ]


# --- what pages show ------------------------------------------------------------------------


@dataclass(frozen=True)
class Badges:
    """What the log shows beside a letter on a date."""

    status: DeferralStatus | None
    open: bool
    overdue: bool
    urgent: bool
    meeting_due_by: dt.date | None
    scheduled_on: dt.date | None
    days_to_activation: int | None

    @classmethod
    def from_row(cls, values, as_of: dt.date) -> Badges:
        """From the six values of clock_columns(), in their order."""
        status, is_open, is_overdue, is_urgent, due, scheduled = values
        return cls(
            status=DeferralStatus(status) if status is not None else None,
            open=bool(is_open),
            overdue=bool(is_overdue),
            urgent=bool(is_urgent),
            meeting_due_by=due,
            scheduled_on=scheduled,
            days_to_activation=(scheduled - as_of).days if scheduled else None,
        )


def badges_for(
    requests: Iterable[DeferralRequest], as_of: dt.date, known_at: dt.datetime | None = None
) -> dict[int, Badges]:
    """{request id: Badges} for some letters (or their versions as known at `known_at`), as
    the records stood at `known_at` (default now), in one query (never one per row)."""
    ids = [request.id for request in requests]
    if not ids:
        return {}
    clock = clock_day(as_of, known_at)
    letters = letters_known_at(known_at)
    statement = select(letters.c.id, *clock_columns(clock, letters)).where(
        letters.c.id.in_(ids)
    )
    return {row[0]: Badges.from_row(row[1:], as_of) for row in db.session.execute(statement)}


def standing(request: DeferralRequest, badges: Badges) -> str:
    """How the request stands on the badges' date: "Meeting requested", or once closed its
    outcome, "Resolved: Date adjusted to 2011-04-12"."""
    status = badges.status or request.status
    if badges.open or request.resolution is None:
        return status.label
    text = f"{status.label}: {request.resolution.label}"
    if request.adjusted_to:
        text += f" to {request.adjusted_to.isoformat()}"
    return text


def clock_warnings(
    request: DeferralRequest, badges: Badges, as_of: dt.date
) -> list[tuple[str, str, str]]:
    """(tone, word, sentence) for each clock running out on `as_of`: OVERDUE, then URGENT."""
    warnings = []
    if badges.overdue:
        days = current_app.config["TRACKER_OVERDUE_BUSINESS_DAYS"]
        warnings.append(
            (
                "danger",
                "OVERDUE",
                f"no meeting was requested by {badges.meeting_due_by.isoformat()} "
                f"({days} business days after receipt).",
            )
        )
    if badges.urgent:
        warnings.append(
            (
                "warning",
                "URGENT",
                f"still open and {request.jurisdiction.label} is scheduled to activate on "
                f"{badges.scheduled_on.isoformat()} "
                f"({plural(badges.days_to_activation, 'day')} from {as_of.isoformat()}).",
            )
        )
    return warnings


def letter_counts(as_of: dt.date, known_at: dt.datetime | None = None) -> dict[str, int]:
    """{"open", "overdue", "urgent"}: how many letters were open on `as_of`, and how many of
    those were overdue and urgent then, as the records stood at `known_at` (default now), in
    one query over the open letters."""
    clock = clock_day(as_of, known_at)
    letters = letters_known_at(known_at)
    statement = (
        select(func.count(), _how_many(overdue(clock, letters)), _how_many(urgent(clock, letters)))
        .select_from(letters)
        .where(open_on(as_of, letters))
    )
    opened, overdue_count, urgent_count = db.session.execute(statement).one()
    return {"open": opened, "overdue": overdue_count, "urgent": urgent_count}


def _how_many(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
