"""Overdue (business days, weekends and federal holidays excluded) and urgent (near activation)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.deferrals.samples import log_letter
from tests.factories import COUNTY, OTHER_COUNTY, D, activate, schedule
from tracker import dates
from tracker.calendar.models import CalendarDay
from tracker.calendar.services import business_days_after
from tracker.deferrals import clocks, workflow
from tracker.extensions import db


def overdue(request, as_of) -> bool:
    return clocks.badges_for([request], as_of)[request.id].overdue


def test_business_days_skip_weekends_and_federal_holidays(app_context):
    # Thursday 2011-02-17; Monday 2011-02-21 is Washington's Birthday.
    assert business_days_after(D("2011-02-17"), 1) == D("2011-02-18")
    assert business_days_after(D("2011-02-17"), 2) == D("2011-02-22")
    assert business_days_after(D("2011-02-17"), 5) == D("2011-02-25")
    # An observed holiday: Christmas 2011 fell on a Sunday, observed Monday the 26th.
    assert db.session.get(CalendarDay, D("2011-12-26")).is_business_day is False
    assert db.session.get(CalendarDay, D("2011-12-27")).is_business_day is True
    assert business_days_after(D("2011-12-23"), 1) == D("2011-12-27")
    # A Saturday receipt counts from the weekend: due the fifth business day after it.
    assert business_days_after(D("2011-02-19"), 5) == D("2011-02-28")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2011-02-17", False),  # the day it arrived
        ("2011-02-21", False),  # holiday
        ("2011-02-25", False),  # the fifth business day: still on time
        ("2011-02-26", True),  # Saturday after the deadline
        ("2011-02-28", True),
    ],
)
def test_overdue_across_a_weekend_and_a_federal_holiday(app_context, today, expected):
    request = log_letter(letter_date=D("2011-02-16"), received_on=D("2011-02-17"))
    with time_machine.travel(D(today), tick=False):
        as_of = dates.today()
        assert overdue(request, as_of) is expected
        assert clocks.letter_counts(as_of)["overdue"] == int(expected)


def test_a_meeting_requested_in_time_or_late_stops_the_clock(app_context):
    request = log_letter(letter_date=D("2011-02-16"), received_on=D("2011-02-17"))
    workflow.request_meeting(request, D("2011-03-01"))
    assert overdue(request, D("2011-02-28")) is True  # as it stood that day
    assert overdue(request, D("2011-03-01")) is False
    assert clocks.badges_for([request], D("2011-02-18"))[request.id].meeting_due_by == D(
        "2011-02-25"
    )


def test_a_closed_request_is_never_overdue(app_context):
    request = log_letter(letter_date=D("2011-02-16"), received_on=D("2011-02-17"))
    workflow.withdraw(request, D("2011-02-18"))
    assert overdue(request, D("2011-03-31")) is False
    assert overdue(request, D("2011-02-17")) is False  # on time on the day it arrived


def test_the_business_day_count_is_a_setting(app, app_context):
    request = log_letter(letter_date=D("2011-02-16"), received_on=D("2011-02-17"))
    app.config["TRACKER_OVERDUE_BUSINESS_DAYS"] = 1
    try:
        assert overdue(request, D("2011-02-19")) is True
    finally:
        app.config["TRACKER_OVERDUE_BUSINESS_DAYS"] = 5


def urgent(request, as_of) -> bool:
    return clocks.badges_for([request], as_of)[request.id].urgent


def test_urgent_within_fourteen_days_of_the_scheduled_activation(app_context):
    schedule(COUNTY, "2011-03-15", "2010-12-01")
    request = log_letter()  # received 2011-02-22
    assert urgent(request, D("2011-02-28")) is False  # 15 days out
    assert urgent(request, D("2011-03-01")) is True  # 14 days out
    assert urgent(request, D("2011-03-16")) is True  # past due and still open
    workflow.request_meeting(request, D("2011-02-24"))
    workflow.hold_meeting(request, D("2011-03-03"))
    workflow.resolve(request, "date_adjusted", D("2011-03-04"), adjusted_to=D("2011-04-12"))
    assert urgent(request, D("2011-03-03")) is True
    assert urgent(request, D("2011-03-04")) is False  # resolved


def test_not_urgent_without_a_schedule_or_once_activated(app_context):
    request = log_letter()
    assert urgent(request, D("2011-03-01")) is False  # not scheduled
    schedule(OTHER_COUNTY, "2011-03-01", "2010-12-01")
    activate(OTHER_COUNTY, "2011-03-01")
    other = log_letter(jurisdiction=OTHER_COUNTY, received_on=D("2011-02-22"))
    assert urgent(other, D("2011-03-02")) is False


def test_counts_and_badges_for_many_requests(app_context):
    schedule(COUNTY, "2011-03-15", "2010-12-01")
    urgent_one = log_letter(received_on=D("2011-03-01"), letter_date=D("2011-02-28"))
    overdue_one = log_letter(
        jurisdiction=OTHER_COUNTY, received_on=D("2011-02-01"), letter_date=D("2011-01-31")
    )
    closed = log_letter(received_on=D("2011-02-01"), letter_date=D("2011-01-31"))
    workflow.withdraw(closed, D("2011-02-02"))
    db.session.flush()
    as_of = D("2011-03-02")
    assert clocks.letter_counts(as_of) == {"open": 2, "overdue": 1, "urgent": 1}
    badges = clocks.badges_for([urgent_one, overdue_one, closed], as_of)
    assert (badges[urgent_one.id].urgent, badges[urgent_one.id].overdue) == (True, False)
    assert badges[urgent_one.id].days_to_activation == 13
    assert (badges[overdue_one.id].urgent, badges[overdue_one.id].overdue) == (False, True)
    assert badges[closed.id].open is False
    assert clocks.badges_for([closed], D("2011-02-01"))[closed.id].status.value == "received"
    assert badges[closed.id].status.value == "withdrawn"
    assert clocks.badges_for([closed], D("2011-01-01"))[closed.id].status is None
    # before anything was received
    assert clocks.letter_counts(D("2011-01-01")) == {"open": 0, "overdue": 0, "urgent": 0}


def test_the_log_shows_overdue_badges_as_of_today(app, signed_in):
    with app.app_context():
        log_letter(letter_date=D("2011-02-16"), received_on=D("2011-02-17"))
        db.session.commit()
    with time_machine.travel(dt.datetime(2011, 2, 28, 12), tick=False):
        client = signed_in("viewer")
        html = client.get("/deferrals").get_data(as_text=True)
    assert ">OVERDUE<" in html
    assert 'id="count-overdue">1<' in html
