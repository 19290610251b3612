"""Logging a letter: the service's rules, field by field, and the form that posts to it."""

from __future__ import annotations

import io

import pytest
import time_machine
from sqlalchemy import func, select

from tests.deferrals.samples import EXE, PDF, log_letter
from tests.factories import COUNTY, D
from tracker.audit.models import AuditEvent
from tracker.deferrals import letters
from tracker.deferrals.attachments import Upload
from tracker.deferrals.models import Attachment, DeferralRequest, DeferralStatus
from tracker.extensions import db


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_valid_letter_is_logged_with_its_attachment_and_audited(app_context):
    request = log_letter()
    assert request.status is DeferralStatus.RECEIVED
    assert request.jurisdiction_fips == COUNTY
    assert request.requested_date == D("2011-04-12")
    assert [a.filename for a in request.attachments] == ["letter.pdf"]
    assert request.attachments[0].content == PDF
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == str(request.id))
    ).all()
    assert actions == ["deferral.log", "deferral.attach"]


@pytest.mark.parametrize(
    "text",
    [
        "48001",
        "Anderson County, TX",
        "anderson county, tx",
        "Anderson, TX",
        "Anderson County, TX (48001)",
    ],
)
def test_the_jurisdiction_can_be_typed_as_fips_or_name_and_state(app_context, text):
    assert log_letter(jurisdiction=text).jurisdiction_fips == COUNTY


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"jurisdiction": ""}, "jurisdiction", "Choose the jurisdiction"),
        ({"jurisdiction": "99999"}, "jurisdiction", "No jurisdiction has FIPS code 99999"),
        ({"jurisdiction": "Nowhere County, TX"}, "jurisdiction", "No jurisdiction is called"),
        ({"jurisdiction": "Anderson County"}, "jurisdiction", "is not a jurisdiction"),
        ({"letter_date": None}, "letter_date", "date written on the letter"),
        ({"received_on": None}, "received_on", "date the letter was received"),
        ({"received_on": D("2011-02-17")}, "received_on", "cannot be before the letter date"),
        ({"channel": "carrier pigeon"}, "channel", "e-mail, letter or fax"),
        ({"addressed_to": ""}, "addressed_to", "addressed to"),
        ({"kind": "complain"}, "kind", "what the jurisdiction asks"),
        ({"requested_date": None}, "requested_date", "must give the date asked for"),
        ({"requested_date": D("2011-02-01")}, "requested_date", "after the letter date"),
        ({"sender_name": "  "}, "sender_name", "name of the person"),
        ({"uploads": []}, "attachments", "Attach the letter"),
        ({"uploads": [Upload("letter.pdf", EXE)]}, "attachments", "disguised"),
    ],
)
def test_each_invalid_field_is_refused_by_name_and_nothing_is_written(
    app_context, overrides, field, message
):
    before = (count(DeferralRequest), count(Attachment), count(AuditEvent))
    with pytest.raises(letters.InvalidRequest) as caught:
        log_letter(**overrides)
    assert field in caught.value.errors
    assert message in caught.value.errors[field]
    assert (count(DeferralRequest), count(Attachment), count(AuditEvent)) == before


def test_a_received_date_in_the_future_is_refused(app_context):
    with (
        time_machine.travel(D("2011-02-21"), tick=False),
        pytest.raises(letters.InvalidRequest) as caught,
    ):
        log_letter()
    assert "cannot be in the future" in caught.value.errors["received_on"]


def test_every_broken_rule_is_reported_at_once(app_context):
    with pytest.raises(letters.InvalidRequest) as caught:
        log_letter(jurisdiction="", sender_name="", requested_date=None, uploads=[])
    assert set(caught.value.errors) == {
        "jurisdiction",
        "sender_name",
        "requested_date",
        "attachments",
    }


def test_requests_other_than_defer_need_no_date(app_context):
    request = log_letter(kind="not_receive_results", requested_date=None)
    assert request.requested_date is None


# --- through the form ------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {
        "jurisdiction": "Anderson County, TX (48001)",
        "letter_date": "2011-02-18",
        "received_on": "2011-02-22",
        "channel": "email",
        "sender_name": "Sheriff Pat Doe",
        "sender_title": "Sheriff",
        "sender_agency": "Anderson County Sheriff's Office",
        "addressed_to": "both",
        "kind": "defer",
        "requested_date": "2011-04-12",
        "summary": "Asks for more time.",
        "attachments": [(io.BytesIO(PDF), "letter.pdf")],
    }
    data.update(overrides)
    return data


def test_an_editor_logs_a_letter_through_the_form(app, signed_in):
    client = signed_in("editor")
    response = client.post("/deferrals/new", data=form_data(), content_type="multipart/form-data")
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "Anderson County, TX" in html
    assert "letter.pdf" in html
    assert "Received" in html


def test_the_form_shows_field_by_field_errors_and_saves_nothing(app, signed_in):
    client = signed_in("editor")
    with app.app_context():
        before = (count(DeferralRequest), count(Attachment))
    response = client.post(
        "/deferrals/new",
        data=form_data(
            received_on="2011-02-10",
            jurisdiction="Atlantis, ZZ",
            attachments=[(io.BytesIO(PDF), "ok.pdf"), (io.BytesIO(b""), "empty.pdf")],
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "cannot be before the letter date" in html
    assert "No jurisdiction is called" in html
    assert "empty.pdf" in html and "is empty" in html
    assert 'href="#received_on"' in html  # the error summary links to the field
    with app.app_context():
        assert (count(DeferralRequest), count(Attachment)) == before


def test_missing_required_fields_are_named(app, signed_in):
    client = signed_in("editor")
    response = client.post(
        "/deferrals/new",
        data=form_data(letter_date="", channel="", sender_name=""),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Give the date written on the letter." in html
    assert "e-mail, letter or fax" in html
    assert "name of the person" in html


def test_jurisdiction_options_match_by_name_or_fips(app, signed_in):
    client = signed_in("viewer")
    by_name = client.get("/deferrals/jurisdiction-options?q=anderson").get_json()
    assert {
        "fips": COUNTY,
        "label": "Anderson County, TX",
        "value": "Anderson County, TX (48001)",
    } in by_name
    by_fips = client.get("/deferrals/jurisdiction-options?q=4800").get_json()
    assert all(option["fips"].startswith("4800") for option in by_fips) and by_fips
    assert client.get("/deferrals/jurisdiction-options?q=a").get_json() == []


def test_the_form_lists_its_own_and_the_rules_problems_together(app, signed_in):
    client = signed_in("editor")
    response = client.post(
        "/deferrals/new",
        data=form_data(sender_name="", received_on="2099-01-01", attachments=[]),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "name of the person" in html  # the form's own check
    assert "cannot be in the future" in html  # the service's rule
    assert "Attach the letter" in html
    assert "At most 20 MB each." in html
