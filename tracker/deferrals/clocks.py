"""The two clocks on a deferral request: overdue and urgent, both judged on a date.

Only facts dated on or before the date asked about count, as in the "as of" rule, so the log
for 31 August 2010 shows what was overdue and urgent that day.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

import holidays
from flask import current_app
from sqlalchemy import select

from tracker.corrections.versions import newest_versions
from tracker.deferrals.models import (
    DeferralRequest,
    DeferralRequestVersion,
    DeferralStatus,
    open_on,
)
from tracker.extensions import db
from tracker.formatting import plural
from tracker.plan.services import scheduled_dates


@functools.lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[dt.date]:
    # holidays.US() without a subdivision holds the federal holidays, with their observed days.
    return frozenset(holidays.US(years=year).keys())


def is_business_day(day: dt.date) -> bool:
    """Monday to Friday and not a US federal holiday (nor the weekday one is observed on)."""
    return day.weekday() < 5 and day not in _federal_holidays(day.year)


def add_business_days(start: dt.date, count: int) -> dt.date:
    """The `count`-th business day after `start` (the start day itself is not counted)."""
    day = start
    remaining = count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day


def meeting_due_by(request: DeferralRequest) -> dt.date:
    """The last day a meeting may be requested on time: TRACKER_OVERDUE_BUSINESS_DAYS business
    days after the day the letter was received."""
    return add_business_days(
        request.received_on, int(current_app.config["TRACKER_OVERDUE_BUSINESS_DAYS"])
    )


def status_on(request: DeferralRequest, as_of: dt.date) -> DeferralStatus | None:
    """Where the request stood in the workflow on `as_of`, from its step dates (None: not yet
    received)."""
    if request.received_on > as_of:
        return None
    if request.resolved_on is not None and request.resolved_on <= as_of:
        return request.status
    if request.meeting_held_on is not None and request.meeting_held_on <= as_of:
        return DeferralStatus.MEETING_HELD
    if request.meeting_requested_on is not None and request.meeting_requested_on <= as_of:
        return DeferralStatus.MEETING_REQUESTED
    return DeferralStatus.RECEIVED


def is_open(request: DeferralRequest, as_of: dt.date) -> bool:
    """Received on or before `as_of` and not resolved or withdrawn by then."""
    return request.received_on <= as_of and (
        request.resolved_on is None or request.resolved_on > as_of
    )


def overdue(request: DeferralRequest, as_of: dt.date) -> bool:
    """Open on `as_of`, no meeting requested by then, and the meeting's due date has passed.

    The due date is TRACKER_OVERDUE_BUSINESS_DAYS business days (weekends and US federal
    holidays excluded) after receipt; a request is overdue from the day after it.
    """
    if not is_open(request, as_of):
        return False
    if request.meeting_requested_on is not None and request.meeting_requested_on <= as_of:
        return False
    return as_of > meeting_due_by(request)


def urgent_for(request: DeferralRequest, as_of: dt.date, scheduled_on: dt.date | None) -> bool:
    """Open on `as_of` while the jurisdiction's scheduled activation is at most
    TRACKER_URGENT_DAYS away (or already past without an activation)."""
    if not is_open(request, as_of) or scheduled_on is None:
        return False
    return (scheduled_on - as_of).days <= int(current_app.config["TRACKER_URGENT_DAYS"])


@dataclass(frozen=True)
class Badges:
    """What the log shows beside a request on a date."""

    status: DeferralStatus | None
    open: bool
    overdue: bool
    urgent: bool
    meeting_due_by: dt.date
    scheduled_on: dt.date | None
    days_to_activation: int | None


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


def badges_for(
    requests: Iterable[DeferralRequest], as_of: dt.date, known_at: dt.datetime | None = None
) -> dict[int, Badges]:
    """{request id: Badges} for many requests (letters, or their versions as known at
    `known_at`), with one plan query, as known then, for all their jurisdictions (never one per
    row). Used by the log, the dashboard and the jurisdiction page."""
    requests = list(requests)
    scheduled = scheduled_dates(
        (r.jurisdiction_fips for r in requests if is_open(r, as_of)), as_of, known_at
    )
    result: dict[int, Badges] = {}
    for request in requests:
        scheduled_on = scheduled.get(request.jurisdiction_fips)
        result[request.id] = Badges(
            status=status_on(request, as_of),
            open=is_open(request, as_of),
            overdue=overdue(request, as_of),
            urgent=urgent_for(request, as_of, scheduled_on),
            meeting_due_by=meeting_due_by(request),
            scheduled_on=scheduled_on,
            days_to_activation=(scheduled_on - as_of).days if scheduled_on else None,
        )
    return result


def open_requests(
    as_of: dt.date, known_at: dt.datetime | None = None
) -> list[DeferralRequest | DeferralRequestVersion]:
    """Requests received on or before `as_of` and not resolved or withdrawn by then; with
    `known_at`, as the records stood at that moment (each letter's kept version then)."""
    if known_at is None:
        statement = select(DeferralRequest).where(open_on(as_of))
    else:
        version = DeferralRequestVersion
        newest = newest_versions(version, version.deferral_request_id, known_at)
        statement = select(version).where(
            version.version_no.in_(newest), open_on(as_of, version.__table__)
        )
    return list(db.session.scalars(statement))


def open_request_counts(as_of: dt.date, known_at: dt.datetime | None = None) -> dict[str, int]:
    """{"open", "overdue", "urgent"}: how many requests were open on `as_of` (as known at
    `known_at`), and how many of those were overdue and urgent then. Two queries in all,
    whatever the number of requests."""
    requests = open_requests(as_of, known_at)
    badges = badges_for(requests, as_of, known_at)
    return {
        "open": len(requests),
        "overdue": sum(1 for b in badges.values() if b.overdue),
        "urgent": sum(1 for b in badges.values() if b.urgent),
    }
