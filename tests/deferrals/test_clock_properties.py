"""Property test: for any letters, plan and date, the SQL clocks give the answers of the rules
read literally (DESIGN: "overdue when no meeting was requested within N business days of
receipt", "urgent when still open within N days of the jurisdiction's scheduled activation").

The oracle below is the only other statement of the rules in the code base, and it lives here
on purpose: business days straight from the `holidays` package, counted one day at a time, the
plan in force found by sorting, the status read step by step. The tracker itself has one
definition, the SQL in tracker.deferrals.clocks over the calendar table; this test holds it to
the literal reading on both engines, for every view that uses it (a letter's badges, the log's
filters, the counts).
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import COUNTY, OTHER_COUNTY
from tracker.deferrals.clocks import badges_for, letter_counts
from tracker.deferrals.log import OPEN, LogFilters, log_page
from tracker.deferrals.models import (
    AddressedTo,
    Channel,
    DeferralRequest,
    DeferralStatus,
    RequestKind,
    Resolution,
)
from tracker.extensions import db
from tracker.plan.models import Activation, PlanChange, PlanChangeKind

# Letters received around the 2010 holidays (Christmas and New Year observed on Fridays, MLK
# Day, Washington's Birthday); dates asked about a little before and well after.
START = dt.date(2010, 12, 15)
PLACES = (COUNTY, OTHER_COUNTY)


def day(low: int, high: int):
    return st.integers(min_value=low, max_value=high).map(lambda n: START + dt.timedelta(days=n))


# --- the rules, read literally ---------------------------------------------------------------


@functools.cache
def _closed(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.US(years=year))


def is_business_day(when: dt.date) -> bool:
    return when.weekday() < 5 and when not in _closed(when.year)


def due_date(received: dt.date, business_days: int) -> dt.date:
    """The `business_days`-th business day after receipt, counted one day at a time."""
    when, left = received, business_days
    while left:
        when += dt.timedelta(days=1)
        left -= is_business_day(when)
    return when


def happened(step: dt.date | None, as_of: dt.date) -> bool:
    return step is not None and step <= as_of


def expected(letter: dict, as_of: dt.date, plan: dict, business_days: int, urgent_days: int):
    """(status on as_of, open, overdue, urgent, meeting due by, scheduled on)."""
    if letter["received_on"] > as_of:
        status = None
    elif happened(letter["resolved_on"], as_of):
        status = letter["status"]
    elif happened(letter["meeting_held_on"], as_of):
        status = DeferralStatus.MEETING_HELD
    elif happened(letter["meeting_requested_on"], as_of):
        status = DeferralStatus.MEETING_REQUESTED
    else:
        status = DeferralStatus.RECEIVED
    is_open = letter["received_on"] <= as_of and not happened(letter["resolved_on"], as_of)
    due = due_date(letter["received_on"], business_days)
    overdue = is_open and not happened(letter["meeting_requested_on"], as_of) and as_of > due
    changes, activated_on = plan[letter["fips"]]
    decided = sorted(
        (c for c in changes if c["decided_on"] <= as_of),
        key=lambda c: (c["decided_on"], c["order"]),
    )
    scheduled = decided[-1]["scheduled_on"] if decided else None
    if happened(activated_on, as_of):
        scheduled = None
    urgent = is_open and scheduled is not None and (scheduled - as_of).days <= urgent_days
    return status, is_open, overdue, urgent, due, scheduled


# --- random histories ------------------------------------------------------------------------


@st.composite
def letters(draw):
    received = draw(day(0, 75))
    requested = draw(st.one_of(st.none(), st.integers(0, 20)))
    requested_on = None if requested is None else received + dt.timedelta(days=requested)
    held_on = None
    if requested_on is not None and draw(st.booleans()):
        held_on = requested_on + dt.timedelta(days=draw(st.integers(0, 10)))
    closed = draw(st.one_of(st.none(), st.none(), st.integers(0, 40)))  # open for longer
    latest = held_on or requested_on or received
    resolved_on = None if closed is None else latest + dt.timedelta(days=closed)
    withdrawn = draw(st.booleans())
    return {
        "fips": draw(st.sampled_from(PLACES)),
        "received_on": received,
        "meeting_requested_on": requested_on,
        "meeting_held_on": held_on,
        "resolved_on": resolved_on,
        "status": (DeferralStatus.WITHDRAWN if withdrawn else DeferralStatus.RESOLVED)
        if resolved_on
        else DeferralStatus.RECEIVED,
        "resolution": (Resolution.WITHDRAWN if withdrawn else Resolution.PROCEEDS_AS_SCHEDULED)
        if resolved_on
        else None,
    }


# Mostly decided before the letters arrive, so a schedule is in force while they are open.
plan_changes = st.lists(
    st.tuples(
        st.sampled_from(
            [PlanChangeKind.SCHEDULED, PlanChangeKind.SCHEDULED, PlanChangeKind.REMOVED]
        ),
        day(-60, 60),
        day(-20, 140),
    ),
    max_size=3,
)
places = st.fixed_dictionaries(
    {fips: st.tuples(plan_changes, st.one_of(st.none(), day(-10, 120))) for fips in PLACES}
)


def _write(history: dict, rows: list[dict]) -> tuple[dict, list[DeferralRequest]]:
    plan = {}
    for fips, (changes, activated_on) in history.items():
        written = []
        for order, (kind, decided_on, scheduled_on) in enumerate(changes):
            scheduled = scheduled_on if kind is PlanChangeKind.SCHEDULED else None
            db.session.add(
                PlanChange(
                    jurisdiction_fips=fips,
                    kind=kind,
                    scheduled_on=scheduled,
                    decided_on=decided_on,
                    reason="property test",
                    source="test",
                )
            )
            db.session.flush()  # ids follow the order recorded
            written.append({"decided_on": decided_on, "scheduled_on": scheduled, "order": order})
        if activated_on is not None:
            db.session.add(
                Activation(jurisdiction_fips=fips, activated_on=activated_on, source="t")
            )
        plan[fips] = (written, activated_on)
    saved = []
    for row in rows:
        letter = DeferralRequest(
            jurisdiction_fips=row["fips"],
            letter_date=row["received_on"],
            received_on=row["received_on"],
            channel=Channel.LETTER,
            sender_name="Sheriff",
            addressed_to=AddressedTo.BOTH,
            kind=RequestKind.NOT_ACTIVATE,
            status=row["status"],
            meeting_requested_on=row["meeting_requested_on"],
            meeting_held_on=row["meeting_held_on"],
            resolution=row["resolution"],
            resolved_on=row["resolved_on"],
        )
        db.session.add(letter)
        saved.append(letter)
    db.session.flush()
    return plan, saved


def _ids(filters: LogFilters) -> set[int]:
    return {row.request.id for row in log_page(filters, None, 100).items}


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(letters(), min_size=1, max_size=6),
    history=places,
    data=st.data(),
    business_days=st.integers(1, 12),
    urgent_days=st.integers(1, 30),
)
def test_the_sql_clocks_agree_with_the_rules_read_literally(
    app, app_context, rows, history, data, business_days, urgent_days
):
    # Mostly a date in the weeks after a letter arrived, where the clocks change.
    near_a_letter = st.sampled_from(rows).flatmap(
        lambda row: st.integers(-2, 3 * business_days).map(
            lambda n: row["received_on"] + dt.timedelta(days=n)
        )
    )
    # ...or one where a scheduled activation enters the urgent window.
    scheduled = [
        when
        for changes, _ in history.values()
        for kind, _, when in changes
        if kind is PlanChangeKind.SCHEDULED
    ]
    near_urgent = st.sampled_from(scheduled or [START]).flatmap(
        lambda when: st.integers(-1, 1).map(lambda n: when - dt.timedelta(days=urgent_days + n))
    )
    as_of = data.draw(
        st.one_of(near_a_letter, near_a_letter, near_urgent, day(-5, 130)), label="as_of"
    )
    settings_before = dict(app.config)
    app.config["TRACKER_OVERDUE_BUSINESS_DAYS"] = business_days
    app.config["TRACKER_URGENT_DAYS"] = urgent_days
    savepoint = db.session.begin_nested()
    try:
        plan, saved = _write(history, rows)
        wanted = {
            letter.id: expected(row, as_of, plan, business_days, urgent_days)
            for row, letter in zip(rows, saved, strict=True)
        }
        badges = badges_for(saved, as_of)
        got = {
            letter_id: (b.status, b.open, b.overdue, b.urgent, b.meeting_due_by, b.scheduled_on)
            for letter_id, b in badges.items()
        }
        assert got == wanted

        # The log's filters and the counts read the same definitions.
        received = {i for i, w in wanted.items() if w[0] is not None}
        assert _ids(LogFilters(as_of=as_of)) == received
        assert _ids(LogFilters(as_of=as_of, overdue=True)) == {i for i, w in wanted.items() if w[2]}
        assert _ids(LogFilters(as_of=as_of, urgent=True)) == {i for i, w in wanted.items() if w[3]}
        assert _ids(LogFilters(as_of=as_of, status=OPEN)) == {i for i, w in wanted.items() if w[1]}
        for status in DeferralStatus:
            in_status = _ids(LogFilters(as_of=as_of, status=status.value))
            assert in_status == {i for i, w in wanted.items() if w[0] is status}, status
        assert letter_counts(as_of) == {
            "open": sum(w[1] for w in wanted.values()),
            "overdue": sum(w[2] for w in wanted.values()),
            "urgent": sum(w[3] for w in wanted.values()),
        }
    finally:
        savepoint.rollback()
        app.config.update(settings_before)
