"""Correcting a letter from its page: what was logged (moving it to the right county moves its
effect on both counties) and the latest workflow step (undoing a resolution voids the plan
change it wrote). Each needs a reason, checks the version, is audited and kept as a version."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import COUNTY, OTHER_COUNTY, schedule
from tests.support.records import audit_count, read, version_of, write
from tracker.deferrals import letters, workflow
from tracker.deferrals.models import DeferralRequest, DeferralStatus
from tracker.extensions import db
from tracker.plan.models import PlanChange
from tracker.status.rule import Status, status_as_of

pytestmark = pytest.mark.today("2011-03-01 12:00:00")
D = dt.date.fromisoformat


def _letter(app, *, steps: tuple[str, ...] = ()) -> int:
    def log() -> int:
        schedule(COUNTY, "2011-04-01", "2011-01-03")
        schedule(OTHER_COUNTY, "2011-05-01", "2011-01-03")
        letter = letters.log_request(
            jurisdiction=COUNTY,
            letter_date=D("2011-02-01"),
            received_on=D("2011-02-02"),
            channel="email",
            sender_name="Sheriff Pat Doe",
            addressed_to="both",
            kind="defer",
            requested_date=D("2011-07-01"),
            require_attachment=False,
        )
        if "meeting" in steps:
            workflow.request_meeting(letter, D("2011-02-03"))
            workflow.hold_meeting(letter, D("2011-02-10"))
        if "adjusted" in steps:
            workflow.resolve(letter, "date_adjusted", D("2011-02-11"), adjusted_to=D("2011-07-01"))
        return letter.id

    return write(app, log)


def _statuses(app, known_at=None) -> dict[str, Status]:
    rows = read(app, lambda: status_as_of(D("2011-03-01"), known_at, fips=[COUNTY, OTHER_COUNTY]))
    return {row.fips: row.status for row in rows}


def _edit(client, letter_id: int, version: int, **changes):
    data = {
        "jurisdiction": COUNTY,
        "letter_date": "2011-02-01",
        "received_on": "2011-02-02",
        "channel": "email",
        "sender_name": "Sheriff Pat Doe",
        "addressed_to": "both",
        "kind": "defer",
        "requested_date": "2011-07-01",
        "version": str(version),
        **changes,
    }
    return client.post(f"/deferrals/{letter_id}/edit", data=data)


def test_moving_a_letter_moves_its_effect_on_both_counties(app, signed_in):
    letter_id = _letter(app)
    editor = signed_in("editor")
    assert _statuses(app) == {COUNTY: Status.DEFERRAL_PENDING, OTHER_COUNTY: Status.PLANNED}
    form = editor.get(f"/deferrals/{letter_id}/edit").get_data(as_text=True)
    assert "Anderson County, TX (48001)" in form and "Reason for the correction" in form
    before = dt.datetime.now(dt.UTC)
    version = version_of(app, DeferralRequest, letter_id)
    with time_machine.travel("2011-03-01 13:00:00", tick=False):
        response = _edit(
            editor,
            letter_id,
            version,
            jurisdiction=OTHER_COUNTY,
            sender_name="Sheriff Pat Dough",
            reason="Logged against the neighbouring county; the letterhead is Andrews County",
        )
        assert response.status_code == 303, response.get_data(as_text=True)
        assert _statuses(app) == {COUNTY: Status.PLANNED, OTHER_COUNTY: Status.DEFERRAL_PENDING}
        # As the records stood before the correction, the letter still held up the first county.
        assert _statuses(app, before) == {
            COUNTY: Status.DEFERRAL_PENDING,
            OTHER_COUNTY: Status.PLANNED,
        }
        page = editor.get(f"/deferrals/{letter_id}").get_data(as_text=True)
        timelines = [
            editor.get(f"/jurisdictions/{fips}").get_data(as_text=True)
            for fips in (COUNTY, OTHER_COUNTY)
        ]
    assert "sender Sheriff Pat Doe → Sheriff Pat Dough" in page
    assert "jurisdiction Anderson County, TX → Andrews County, TX" in page
    # Both counties' timelines tell it.
    for timeline in timelines:
        assert "Logged against the neighbouring county" in timeline


def test_an_edit_needs_a_reason_and_the_current_version(app, signed_in):
    letter_id = _letter(app)
    editor = signed_in("editor")
    version = version_of(app, DeferralRequest, letter_id)
    events = audit_count(app)
    no_reason = _edit(editor, letter_id, version, sender_name="Sheriff Pat Dough")
    assert no_reason.status_code == 400
    assert "Give the reason for this correction." in no_reason.get_data(as_text=True)
    nothing = _edit(editor, letter_id, version, reason="No change at all")
    assert nothing.status_code == 400 and "changes nothing" in nothing.get_data(as_text=True)
    assert _edit(editor, letter_id, version, sender_name="A", reason="typo").status_code == 303
    stale = _edit(editor, letter_id, version, sender_name="B", reason="typo")
    assert stale.status_code == 409
    assert audit_count(app) == events + 1
    assert read(app, lambda: db.session.get(DeferralRequest, letter_id).sender_name) == "A"


def test_undoing_a_mistaken_step_and_a_resolution_with_its_plan_change(app, signed_in):
    letter_id = _letter(app, steps=("meeting", "adjusted"))
    editor = signed_in("editor")
    assert _statuses(app)[COUNTY] is Status.PLANNED  # rescheduled to 2011-07-01 by the letter
    page = editor.get(f"/deferrals/{letter_id}").get_data(as_text=True)
    assert "undo “resolved on 2011-02-11”" in page
    assert "the plan change its resolution wrote is marked as entered in error" in page
    version = version_of(app, DeferralRequest, letter_id)
    undone = editor.post(
        f"/deferrals/{letter_id}/undo",
        data={"undo-reason": "Resolution clicked on the wrong letter", "undo-version": version},
    )
    assert undone.status_code == 303, undone.get_data(as_text=True)
    letter = read(app, lambda: db.session.get(DeferralRequest, letter_id))
    assert letter.status is DeferralStatus.MEETING_HELD and letter.resolved_on is None
    voided = read(
        app,
        lambda: db.session.scalars(
            db.select(PlanChange).where(PlanChange.deferral_request_id == letter_id)
        ).all(),
    )
    assert [change.superseded_at is not None for change in voided] == [True]
    # The letter is open again: the county is held up by it, on its original schedule.
    rows = read(app, lambda: status_as_of(D("2011-03-01"), fips=[COUNTY]))
    assert (rows[0].status, rows[0].scheduled_on) == (Status.DEFERRAL_PENDING, D("2011-04-01"))
    # Undo again: the meeting held; then the meeting request; then nothing is left to undo.
    for expected in (DeferralStatus.MEETING_REQUESTED, DeferralStatus.RECEIVED):
        version = version_of(app, DeferralRequest, letter_id)
        response = editor.post(
            f"/deferrals/{letter_id}/undo",
            data={"undo-reason": "Step clicked by mistake", "undo-version": version},
        )
        assert response.status_code == 303
        assert read(app, lambda: db.session.get(DeferralRequest, letter_id).status) is expected
    version = version_of(app, DeferralRequest, letter_id)
    refused = editor.post(
        f"/deferrals/{letter_id}/undo", data={"undo-reason": "again", "undo-version": version}
    )
    assert refused.status_code == 400 and "no step to undo" in refused.get_data(as_text=True)
    listed = editor.get("/corrections?kind=deferral_request").get_data(as_text=True)
    assert listed.count("Step undone") == 3


def test_a_letter_whose_resolution_changed_the_plan_keeps_its_county(app, signed_in):
    letter_id = _letter(app, steps=("meeting", "adjusted"))
    editor = signed_in("editor")
    version = version_of(app, DeferralRequest, letter_id)
    response = _edit(editor, letter_id, version, jurisdiction=OTHER_COUNTY, reason="Wrong county")
    assert response.status_code == 400
    assert "undo the resolution before moving the letter" in response.get_data(as_text=True)
