"""The "as of" rule, checked the day before, on and after every event."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import COUNTY, OTHER_COUNTY, D, activate, deferral_request, remove, schedule
from tracker.deferrals.models import RequestKind, Resolution
from tracker.status.rule import Status, decide_status, status_as_of


def status_on(day: str, fips: str = COUNTY, public: bool = False):
    (row,) = status_as_of(D(day), fips=[fips], public=public)
    return row


def _days(start: str, end: str):
    day = D(start)
    while day <= D(end):
        yield day.isoformat()
        day += dt.timedelta(days=1)


@pytest.fixture()
def traced_county(app_context):
    """A county scheduled for 2011-03-15 sends a letter received 2011-02-22, resolved 2011-03-04
    with the date adjusted to 2011-04-12, and activates on that day."""
    with time_machine.travel(dt.datetime(2011, 6, 1, 12), tick=False):
        schedule(COUNTY, "2011-03-15", decided_on="2010-12-01")
        letter = deferral_request(
            COUNTY,
            "2011-02-22",
            letter_date="2011-02-18",
            requested_date="2011-04-12",
            resolved_on="2011-03-04",
            resolution=Resolution.DATE_ADJUSTED,
        )
        schedule(COUNTY, "2011-04-12", decided_on="2011-03-04", reason="Deferral meeting outcome")
        activate(COUNTY, "2011-04-12")
    return letter


def test_each_day_of_the_traced_case(traced_county):
    expected = {}
    for day in _days("2010-11-25", "2010-11-30"):
        expected[day] = (Status.NOT_SCHEDULED, None)
    for day in _days("2010-12-01", "2011-02-21"):
        expected[day] = (Status.PLANNED, D("2011-03-15"))
    for day in _days("2011-02-22", "2011-03-03"):
        expected[day] = (Status.DEFERRAL_PENDING, D("2011-03-15"))
    for day in _days("2011-03-04", "2011-04-11"):
        expected[day] = (Status.PLANNED, D("2011-04-12"))
    for day in _days("2011-04-12", "2011-04-20"):
        expected[day] = (Status.ACTIVATED, None)
    for day, (status, scheduled_on) in expected.items():
        row = status_on(day)
        assert row.status is status, day
        if scheduled_on:
            assert row.scheduled_on == scheduled_on, day
        assert row.activated_on == (D("2011-04-12") if status is Status.ACTIVATED else None), day


def test_public_sees_pending_deferral_as_planned(traced_county):
    assert status_on("2011-02-22", public=True).status is Status.PLANNED
    assert status_on("2011-02-22", public=True).scheduled_on == D("2011-03-15")


def test_past_due_when_the_planned_date_passes_without_activation(app_context):
    with time_machine.travel(dt.datetime(2012, 1, 1, 12), tick=False):
        schedule(COUNTY, "2011-05-10", decided_on="2011-01-10")
    assert status_on("2011-05-10").past_due is False
    assert status_on("2011-05-11").past_due is True
    assert status_on("2011-05-11").status is Status.PLANNED


def test_removal_and_return_to_the_plan(app_context):
    with time_machine.travel(dt.datetime(2012, 1, 1, 12), tick=False):
        schedule(COUNTY, "2011-05-10", decided_on="2011-01-10")
        remove(COUNTY, "2011-02-01")
        schedule(COUNTY, "2011-09-06", decided_on="2011-07-01", reason="Returned to the plan")
    assert status_on("2011-01-31").status is Status.PLANNED
    removed = status_on("2011-02-01")
    assert removed.status is Status.REMOVED and removed.scheduled_on is None
    public = status_on("2011-02-01", public=True)
    assert public.status is Status.NOT_SCHEDULED and public.scheduled_on is None
    assert status_on("2011-06-30").status is Status.REMOVED
    assert status_on("2011-07-01").status is Status.PLANNED
    assert status_on("2011-07-01").scheduled_on == D("2011-09-06")


def test_two_changes_decided_the_same_day_the_later_recorded_wins(app_context):
    with time_machine.travel(dt.datetime(2012, 1, 1, 12), tick=False):
        schedule(COUNTY, "2011-05-10", decided_on="2011-01-10")
        schedule(COUNTY, "2011-06-14", decided_on="2011-01-10", reason="Corrected the same day")
    assert status_on("2011-01-10").scheduled_on == D("2011-06-14")


def test_a_request_not_to_receive_results_does_not_hold_up_activation(app_context):
    with time_machine.travel(dt.datetime(2012, 1, 1, 12), tick=False):
        schedule(COUNTY, "2011-05-10", decided_on="2011-01-10")
        deferral_request(COUNTY, "2011-03-01", kind=RequestKind.NOT_RECEIVE_RESULTS)
    assert status_on("2011-03-02").status is Status.PLANNED


def test_withdrawn_request_stops_being_pending_on_its_date(app_context):
    with time_machine.travel(dt.datetime(2012, 1, 1, 12), tick=False):
        schedule(COUNTY, "2011-05-10", decided_on="2011-01-10")
        deferral_request(
            COUNTY, "2011-03-01", resolved_on="2011-03-09", resolution=Resolution.WITHDRAWN
        )
    assert status_on("2011-03-08").status is Status.DEFERRAL_PENDING
    assert status_on("2011-03-09").status is Status.PLANNED


def test_later_edits_do_not_change_the_past(app_context):
    with time_machine.travel(dt.datetime(2012, 1, 1, 12), tick=False):
        schedule(COUNTY, "2011-05-10", decided_on="2011-01-10")
    before = status_on("2011-02-01")
    with time_machine.travel(dt.datetime(2012, 1, 1, 12), tick=False):
        schedule(COUNTY, "2011-11-01", decided_on="2011-08-01", reason="Pushed back")
    assert status_on("2011-02-01") == before


def test_one_query_for_every_jurisdiction(app_context):
    from sqlalchemy import event

    from tracker.extensions import db

    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        rows = status_as_of(D("2011-01-01"))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(rows) >= 3200
    # The test harness wraps each test in savepoints; only the data queries count.
    queries = [sql for sql in statements if not sql.upper().startswith(("SAVEPOINT", "RELEASE"))]
    assert len(queries) == 1


def test_state_filter_accepts_postal_code_or_fips(app_context):
    by_postal = status_as_of(D("2011-01-01"), state="tx")
    by_fips = status_as_of(D("2011-01-01"), state="48")
    assert len(by_postal) == len(by_fips) == 254
    assert {row.state_postal for row in by_postal} == {"TX"}
    assert status_as_of(D("2011-01-01"), fips=[OTHER_COUNTY])[0].full_name == "Andrews County"


@pytest.mark.parametrize(
    "activated, kind, scheduled, pending, expected",
    [
        ("2011-01-01", "removed", None, True, Status.ACTIVATED),
        (None, "removed", None, True, Status.REMOVED),
        (None, "scheduled", "2011-02-01", True, Status.DEFERRAL_PENDING),
        (None, "scheduled", "2011-02-01", False, Status.PLANNED),
        (None, None, None, True, Status.DEFERRAL_PENDING),
        (None, None, None, False, Status.NOT_SCHEDULED),
    ],
)
def test_rule_order(activated, kind, scheduled, pending, expected):
    status, _ = decide_status(
        D("2011-01-15"),
        D(activated) if activated else None,
        kind,
        D(scheduled) if scheduled else None,
        pending,
    )
    assert status is expected


def test_cached_status_follows_every_committed_change(app_context):
    from tracker.extensions import db
    from tracker.status.rule import cached_status_as_of

    def status_of_county():
        rows = cached_status_as_of(D("2011-03-01"), state="TX")
        return next(row for row in rows if row.fips == COUNTY).status

    assert status_of_county() is Status.NOT_SCHEDULED
    assert cached_status_as_of(D("2011-03-01"), state="TX") is cached_status_as_of(
        D("2011-03-01"), state="tx"
    )
    schedule(COUNTY, "2011-05-10", decided_on="2011-01-10")
    # Uncommitted writes are seen by their own transaction but never cached for others.
    assert status_of_county() is Status.PLANNED
    db.session.commit()
    assert status_of_county() is Status.PLANNED
