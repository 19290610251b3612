"""The "as of" rule at every boundary, through the service, the API (public and staff) and the page.

One county lives through every kind of event; for each event the day before, the day itself and
the day after are checked everywhere, with today frozen. A later edit must not change any answer
about a day before it was decided.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import COUNTY, OTHER_COUNTY, D, activate, deferral_request, remove, schedule
from tests.jurisdictions.support import FROZEN_NOW, status_line
from tests.support.records import write
from tracker.deferrals.models import Resolution
from tracker.formatting import long_date
from tracker.status.rule import Status, status_as_of

pytestmark = pytest.mark.today(FROZEN_NOW)

# (day, staff status, public status, scheduled date in force for staff, activation date)
COUNTY_STORY = [
    ("2010-11-30", "not_scheduled", "not_scheduled", None, None),
    ("2010-12-01", "planned", "planned", "2011-03-15", None),  # scheduled
    ("2010-12-02", "planned", "planned", "2011-03-15", None),
    ("2011-01-09", "planned", "planned", "2011-03-15", None),
    ("2011-01-10", "removed", "not_scheduled", None, None),  # removed from the plan
    ("2011-01-11", "removed", "not_scheduled", None, None),
    ("2011-01-31", "removed", "not_scheduled", None, None),
    ("2011-02-01", "planned", "planned", "2011-03-15", None),  # back in the plan
    ("2011-02-02", "planned", "planned", "2011-03-15", None),
    ("2011-02-21", "planned", "planned", "2011-03-15", None),
    ("2011-02-22", "deferral_pending", "planned", "2011-03-15", None),  # letter received
    ("2011-02-23", "deferral_pending", "planned", "2011-03-15", None),
    ("2011-03-03", "deferral_pending", "planned", "2011-03-15", None),
    ("2011-03-04", "planned", "planned", "2011-04-12", None),  # resolved: date adjusted
    ("2011-03-05", "planned", "planned", "2011-04-12", None),
    ("2011-04-11", "planned", "planned", "2011-04-12", None),
    ("2011-04-12", "activated", "activated", "2011-04-12", "2011-04-12"),  # activated
    ("2011-04-13", "activated", "activated", "2011-04-12", "2011-04-12"),
]


@pytest.fixture()
def story(app, database):
    def _write():
        schedule(COUNTY, "2011-03-15", decided_on="2010-12-01")
        remove(COUNTY, "2011-01-10")
        schedule(COUNTY, "2011-03-15", decided_on="2011-02-01", reason="Agreement signed")
        deferral_request(
            COUNTY,
            "2011-02-22",
            requested_date="2011-04-12",
            resolved_on="2011-03-04",
            resolution=Resolution.DATE_ADJUSTED,
        )
        schedule(COUNTY, "2011-04-12", decided_on="2011-03-04", reason="Deferral meeting outcome")
        activate(COUNTY, "2011-04-12")

    write(app, _write)


def _expected_public_date(status: str, scheduled: str | None) -> str | None:
    return None if status == "not_scheduled" else scheduled


def test_service_at_every_boundary(story, app):
    with app.app_context():
        for day, staff, public, scheduled, activated in COUNTY_STORY:
            (row,) = status_as_of(D(day), fips=[COUNTY])
            assert row.status.value == staff, day
            if staff != "removed":
                assert row.scheduled_on == (D(scheduled) if scheduled else None), day
            assert row.activated_on == (D(activated) if activated else None), day
            (seen,) = status_as_of(D(day), fips=[COUNTY], public=True)
            assert seen.status.value == public, day


def test_public_api_at_every_boundary(story, client):
    for day, _staff, public, scheduled, activated in COUNTY_STORY:
        body = client.get(f"/api/v1/jurisdictions/{COUNTY}?as_of={day}").get_json()
        assert body["status"] == public, day
        assert body["scheduled_on"] == _expected_public_date(public, scheduled), day
        assert body["activated_on"] == activated, day
        assert "removed" not in {entry["kind"] for entry in body["plan_history"]}, day
        listed = client.get(f"/api/v1/jurisdictions?state=TX&as_of={day}&per_page=1&sort=fips")
        assert listed.get_json()["items"][0]["status"] == public, day


def test_staff_api_at_every_boundary(story, signed_in):
    client = signed_in("viewer")
    for day, staff, _public, scheduled, activated in COUNTY_STORY:
        body = client.get(f"/api/v1/jurisdictions/{COUNTY}?as_of={day}").get_json()
        assert body["status"] == staff, day
        if staff != "removed":
            assert body["scheduled_on"] == scheduled, day
        assert body["activated_on"] == activated, day
        decided = [entry["decided_on"] for entry in body["plan_history"]]
        assert all(d <= day for d in decided), day


def test_page_at_every_boundary(story, signed_in):
    client = signed_in("viewer")
    for day, staff, _public, scheduled, activated in COUNTY_STORY:
        html = client.get(f"/jurisdictions/{COUNTY}?as_of={day}").get_data(as_text=True)
        line = status_line(html)
        assert line.startswith(f"As of {long_date(D(day))}: "), day
        if staff == "activated":
            assert line.endswith(f"Activated on {long_date(D(activated))}"), (day, line)
        else:
            assert Status(staff).label in line, (day, line)
            if scheduled and staff != "removed":
                assert f"scheduled for {long_date(D(scheduled))}" in line, (day, line)
        rows = client.get(f"/jurisdictions?q={COUNTY}&as_of={day}&status={staff}")
        assert f'href="/jurisdictions/{COUNTY}' in rows.get_data(as_text=True), day


def test_past_due_starts_the_day_after_the_planned_date(app, database, client, signed_in):
    write(app, lambda: schedule(OTHER_COUNTY, "2011-05-10", decided_on="2011-01-15"))
    staff = signed_in("viewer")
    for day, past_due in (("2011-05-09", False), ("2011-05-10", False), ("2011-05-11", True)):
        body = client.get(f"/api/v1/jurisdictions/{OTHER_COUNTY}?as_of={day}").get_json()
        assert (body["status"], body["past_due"]) == ("planned", past_due), day
        found = staff.get(f"/jurisdictions?q={OTHER_COUNTY}&as_of={day}&status=past_due")
        assert (f'href="/jurisdictions/{OTHER_COUNTY}' in found.get_data(as_text=True)) is past_due


def test_a_later_edit_leaves_every_earlier_day_as_it_was(app, database, client):
    write(app, lambda: schedule(OTHER_COUNTY, "2011-05-10", decided_on="2011-01-15"))
    days = [D("2011-01-14") + dt.timedelta(days=n) for n in range(0, 140, 3)]

    def answers():
        return [
            client.get(f"/api/v1/jurisdictions/{OTHER_COUNTY}?as_of={day}").get_json()
            for day in days
        ]

    before = answers()
    # Decided on 20 May and recorded now: days before 20 May must read exactly as they did.
    write(
        app,
        lambda: schedule(OTHER_COUNTY, "2011-09-06", decided_on="2011-05-20", reason="Moved"),
    )
    after = answers()
    for day, old, new in zip(days, before, after, strict=True):
        if day < D("2011-05-20"):
            assert new == old, day
        else:
            assert new["scheduled_on"] == "2011-09-06", day
            assert new["past_due"] is False, day
