"""The business-day calendar the letter clocks are computed from: what the migration fills, the
command that extends it, and a clear refusal for any date beyond it (never a silent wrong clock)."""

from __future__ import annotations

import datetime as dt

import holidays
import time_machine
from sqlalchemy import func, select

from tests.deferrals.samples import letter_fields, log_letter
from tests.factories import D
from tests.support.records import write
from tracker.audit.models import AuditEvent
from tracker.calendar.models import CalendarDay
from tracker.calendar.services import business_days_after, calendar_span
from tracker.deferrals import letters
from tracker.extensions import db


def _day(when: str) -> CalendarDay:
    return db.session.get(CalendarDay, D(when))


def test_the_migration_fills_2000_to_2050_with_numbered_business_days(app_context):
    span = calendar_span()
    assert (span.first, span.last) == (D("2000-01-01"), D("2050-12-31"))
    days = db.session.scalar(select(func.count()).select_from(CalendarDay))
    assert days == (span.last - span.first).days + 1
    business = db.session.scalar(select(func.count()).where(CalendarDay.is_business_day))
    assert _day("2050-12-31").business_day_number == business
    # Weekends, federal holidays and the weekdays they are observed on are not business days.
    assert not _day("2011-12-26").is_business_day  # Christmas 2011, a Sunday, observed Monday
    assert not _day("2021-06-18").is_business_day  # Juneteenth 2021, a Saturday, observed Friday
    assert not _day("2011-02-19").is_business_day  # a Saturday
    assert _day("2011-02-18").is_business_day
    # Each business day numbers one more than the day before; other days repeat it.
    assert _day("2011-02-22").business_day_number == _day("2011-02-18").business_day_number + 1
    assert _day("2011-02-21").business_day_number == _day("2011-02-18").business_day_number


def test_the_calendar_agrees_with_the_holidays_package_for_a_whole_year(app_context):
    closed = holidays.US(years=2013)
    for row in db.session.scalars(
        select(CalendarDay).where(CalendarDay.day.between(D("2013-01-01"), D("2013-12-31")))
    ):
        assert row.is_business_day == (row.day.weekday() < 5 and row.day not in closed), row.day


def test_extend_adds_years_numbering_on_and_is_audited(app, cli_runner):
    before = write(app, lambda: _day("2050-12-31").business_day_number)
    result = cli_runner.invoke(args=["calendar", "extend", "--through", "2052"])
    assert result.exit_code == 0, result.output
    assert "Added 731 dates" in result.output and "to 2052-12-31" in result.output

    def check():
        assert calendar_span().last == D("2052-12-31")
        # 2051-01-02 is the first business day of 2051 (New Year's Day falls on a Sunday and
        # is observed on Monday the 2nd, so the first is Tuesday the 3rd).
        assert not _day("2051-01-02").is_business_day
        assert _day("2051-01-03").business_day_number == before + 1
        assert business_days_after(D("2050-12-30"), 1) == D("2051-01-03")
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "calendar.extend")
        ).one()
        assert event.after["added"] == 731 and event.after["last_day"] == "2052-12-31"

    write(app, check)
    again = cli_runner.invoke(args=["calendar", "extend", "--through", "2051"])
    assert again.exit_code == 0 and "Added 0 dates" in again.output


def test_a_date_beyond_the_calendar_is_refused_by_name(signed_in):
    client = signed_in("viewer")
    page = client.get("/deferrals?as_of=2051-03-01")
    assert page.status_code == 400
    assert "tracker calendar extend --through 2051" in page.get_data(as_text=True)
    api = client.get("/api/v1/deferrals?as_of=2051-03-01")
    assert api.status_code == 400
    assert api.get_json()["error"]["parameter"] == "as_of"
    assert "2050-12-31" in api.get_json()["error"]["message"]
    assert client.get("/dashboard?as_of=2051-03-01").status_code == 400
    assert client.get("/deferrals/export.csv?as_of=2051-03-01").status_code == 400
    # The calendar starts on the first day of the domain's range: every date a page accepts
    # from there on has its business days.
    assert client.get("/deferrals?as_of=2000-01-01").status_code == 200
    assert client.get("/deferrals?as_of=1999-06-01").status_code == 400  # outside the range


def test_a_letter_received_beyond_the_calendar_is_refused_until_it_is_extended(app, cli_runner):
    with time_machine.travel(dt.datetime(2051, 2, 1, 12), tick=False):
        fields = letter_fields(
            letter_date=D("2051-01-14"), received_on=D("2051-01-18"), requested_date=D("2051-04-12")
        )
        with app.app_context():
            errors = letters.letter_errors(**fields)
        assert "tracker calendar extend --through 2051" in errors["received_on"]
        assert cli_runner.invoke(args=["calendar", "extend", "--through", "2051"]).exit_code == 0

        def logged():
            letter = log_letter(
                letter_date=D("2051-01-14"),
                received_on=D("2051-01-18"),
                requested_date=D("2051-04-12"),
            )
            return letter.id

        assert write(app, logged)
