"""Rescheduling many jurisdictions at once from the list: all or nothing, each row version-checked."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.factories import COUNTY, OTHER_COUNTY, D, activate, schedule
from tests.jurisdictions.support import FROZEN_NOW
from tests.support.records import audit_count, read, version_of, write
from tracker.extensions import db
from tracker.plan.models import PlanChange
from tracker.registry.models import Jurisdiction

pytestmark = pytest.mark.today(FROZEN_NOW)

THIRD_COUNTY = "48005"
COUNTIES = (COUNTY, OTHER_COUNTY, THIRD_COUNTY)


def selection(app, counties=COUNTIES) -> list[str]:
    return [f"{fips}:{version_of(app, Jurisdiction, fips)}" for fips in counties]


def form(chosen, **overrides) -> dict:
    data = {
        "selected": chosen,
        "scheduled_on": "2011-10-04",
        "decided_on": "2011-05-27",
        "reason": "Wave moved after the state's network upgrade",
        "source": "Program office memo",
    }
    data.update(overrides)
    return data


def scheduled(app) -> dict[str, list]:
    rows = read(
        app,
        lambda: db.session.execute(
            select(PlanChange.jurisdiction_fips, PlanChange.scheduled_on, PlanChange.reason)
            .where(PlanChange.jurisdiction_fips.in_(COUNTIES))
            .order_by(PlanChange.id)
        ).all(),
    )
    result: dict[str, list] = {}
    for fips, day, reason in rows:
        result.setdefault(fips, []).append((day, reason))
    return result


def test_editor_reschedules_every_selected_jurisdiction(app, signed_in):
    client = signed_in("editor")
    response = client.post(
        "/jurisdictions/reschedule?state=TX&status=planned", data=form(selection(app))
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/jurisdictions?state=TX&status=planned")
    expected = [(D("2011-10-04"), "Wave moved after the state's network upgrade")]
    assert scheduled(app) == dict.fromkeys(COUNTIES, expected)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Rescheduled 3 jurisdictions to 2011-10-04." in page


def test_one_stale_row_refuses_the_whole_batch(app, signed_in):
    chosen = selection(app)
    # Someone else reschedules the second county after the list was rendered.
    write(app, lambda: schedule(OTHER_COUNTY, "2011-08-02", decided_on="2011-05-01"))
    client = signed_in("editor")
    before = audit_count(app)
    response = client.post("/jurisdictions/reschedule?q=4800", data=form(chosen))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Nothing was rescheduled." in html
    assert "Andrews County, TX was changed by someone else" in html
    assert scheduled(app) == {OTHER_COUNTY: [(D("2011-08-02"), "Scheduled in the plan")]}
    assert audit_count(app) == before
    # The editor's choices and typed values are still there to try again.
    assert re.search(r'id="select-48001" value="48001:\d+" checked', html)
    assert not re.search(r'id="select-48007" value="48007:\d+" checked', html)
    assert "Program office memo" in html


def test_an_activated_jurisdiction_refuses_the_whole_batch(app, signed_in):
    write(app, lambda: activate(THIRD_COUNTY, "2011-05-03"))
    response = signed_in("editor").post("/jurisdictions/reschedule", data=form(selection(app)))
    assert response.status_code == 400
    assert "Angelina County, TX activated on 2011-05-03" in response.get_data(as_text=True)
    assert scheduled(app) == {}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": ""}, "Give the reason for this change."),
        ({"scheduled_on": ""}, "Give the new scheduled date."),
        ({"decided_on": "2011-06-02"}, "The decision date cannot be in the future."),
        ({"selected": []}, "Select at least one jurisdiction to reschedule."),
        ({"selected": ["48001:x"]}, "Unexpected selection"),
    ],
)
def test_incomplete_forms_are_refused_and_write_nothing(app, signed_in, overrides, message):
    response = signed_in("editor").post(
        "/jurisdictions/reschedule", data=form(selection(app), **overrides)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert scheduled(app) == {}


def test_viewers_cannot_reschedule(app, signed_in):
    response = signed_in("viewer").post("/jurisdictions/reschedule", data=form(selection(app)))
    assert response.status_code == 403
    assert scheduled(app) == {}


def test_anonymous_cannot_reschedule(app, client):
    response = client.post("/jurisdictions/reschedule", data=form(selection(app)))
    assert response.status_code == 302
    assert scheduled(app) == {}
