"""No silent no-ops: a decision dated before the decision in force would change nothing today,
so the web forms, a letter's resolution and the plan import all refuse it with the same words,
and offer to correct the decision in force instead."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import COUNTY, schedule
from tests.plan_import.files import csv_bytes
from tests.support.records import audit_count, read, version_of, write
from tracker.deferrals import letters, workflow
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plan import services as plan
from tracker.plan.importing.service import preview_import
from tracker.plan.models import PlanChange
from tracker.registry.models import Jurisdiction

pytestmark = pytest.mark.today("2011-03-01 12:00:00")
D = dt.date.fromisoformat

MESSAGE = (
    "The plan in force for Anderson County, TX (scheduled for 2011-06-01) was decided on "
    "2011-02-01, after 2011-01-15: a decision dated earlier would not take effect. If the "
    "decision in force is wrong, correct the decision in force (on the jurisdiction's timeline) "
    "instead."
)


def test_the_web_form_refuses_an_earlier_decision_and_offers_the_correction(app, signed_in):
    write(app, lambda: schedule(COUNTY, "2011-06-01", "2011-02-01"))
    editor = signed_in("editor")
    events = audit_count(app)
    response = editor.post(
        f"/jurisdictions/{COUNTY}/reschedule",
        data={
            "reschedule-scheduled_on": "2011-07-01",
            "reschedule-decided_on": "2011-01-15",
            "reschedule-reason": "Late paperwork",
            "reschedule-version": str(version_of(app, Jurisdiction, COUNTY)),
        },
    )
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True).replace("&#39;", "'")
    assert "Correct this entry" in response.get_data(as_text=True)
    assert audit_count(app) == events
    count = read(app, lambda: db.session.query(PlanChange).count())
    assert count == 1


def test_the_service_the_resolution_and_the_import_say_the_same(app_context):
    schedule(COUNTY, "2011-06-01", "2011-02-01")
    with pytest.raises(DomainError) as refused:
        plan.schedule(COUNTY, D("2011-07-01"), decided_on=D("2011-01-15"), reason="r", source="s")
    assert refused.value.message == MESSAGE
    letter = letters.log_request(
        jurisdiction=COUNTY,
        letter_date=D("2011-01-02"),
        received_on=D("2011-01-03"),
        channel="email",
        sender_name="Sheriff",
        addressed_to="both",
        kind="defer",
        requested_date=D("2011-07-01"),
        require_attachment=False,
    )
    workflow.request_meeting(letter, D("2011-01-05"))
    workflow.hold_meeting(letter, D("2011-01-10"))
    with pytest.raises(DomainError) as resolution:
        workflow.resolve(letter, "date_adjusted", D("2011-01-15"), adjusted_to=D("2011-07-01"))
    assert resolution.value.message == MESSAGE
    result = preview_import(
        "plan.csv", csv_bytes([("TX", "Anderson", "2011-07-01", "", "2011-01-15", "")])
    )
    assert result.error_lines() == [f"row 2: decided_on: {MESSAGE}"]
