"""The office's letters go out through a real SMTP server (aiosmtpd, started per test) with their
PDF, are kept byte for byte, and a failed send changes nothing and can be sent again."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from tests.correspondence.support import JAN_20, on_jan_20, pdf_text
from tests.factories import COUNTY, D
from tests.support.html import form_fields

SENDER = "sheriff@andersoncounty.example"


pytestmark = pytest.mark.today(JAN_20)


SIB = "crime.records@dps.texas.example"


@pytest.fixture()
def letter_id(app, database):
    """An open letter from Anderson County, TX (received 12 January 2011), whose state's
    identification bureau has an e-mail address on file."""
    from tracker.audit.services import set_command_actor
    from tracker.deferrals.letters import log_request
    from tracker.extensions import db
    from tracker.registry.models import State

    with app.app_context(), on_jan_20():
        set_command_actor("test")
        texas = db.session.scalar(select(State).where(State.postal == "TX"))
        texas.sib_name = "Texas DPS Crime Records"
        texas.sib_email = SIB
        letter = log_request(
            jurisdiction=COUNTY,
            letter_date=D("2011-01-10"),
            received_on=D("2011-01-12"),
            channel="letter",
            sender_name="Sheriff Greg Taylor",
            sender_title="Sheriff",
            sender_agency="Anderson County Sheriff's Office",
            sender_email=SENDER,
            sender_address="703 N Mallard St\nPalestine, TX 75801",
            addressed_to="both",
            kind="defer",
            requested_date=D("2011-03-01"),
            require_attachment=False,
        )
        db.session.commit()
        return letter.id


def prepared(client, letter_id: int, kind: str) -> dict[str, str]:
    """The form the editor sees for `kind`, as the browser would post it back."""
    page = client.get(f"/deferrals/{letter_id}/correspondence/{kind}")
    assert page.status_code == 200, page.get_data(as_text=True)
    return form_fields(page.get_data(as_text=True), f"/deferrals/{letter_id}/correspondence")


def post(client, letter_id: int, fields: dict, button: str = "send"):
    return client.post(f"/deferrals/{letter_id}/correspondence", data={**fields, button: "1"})


def stored(app, letter_id: int):
    from tracker.correspondence.models import Correspondence
    from tracker.extensions import db

    with app.app_context():
        rows = db.session.scalars(
            select(Correspondence)
            .where(Correspondence.deferral_request_id == letter_id)
            .order_by(Correspondence.id)
        ).all()
        result = [
            {
                "kind": r.kind.value, "sent_by": r.sent_by.value, "eml": r.eml, "pdf": r.pdf,
                "eml_sha256": r.eml_sha256, "pdf_sha256": r.pdf_sha256, "id": r.id,
                "message_id": r.message_id, "to": r.to_addresses, "sent_on": r.sent_on,
            }
            for r in rows
        ]  # fmt: skip
        db.session.remove()
    return result


def letter_state(app, letter_id: int):
    from tracker.deferrals.models import DeferralRequest
    from tracker.extensions import db

    with app.app_context():
        letter = db.session.get(DeferralRequest, letter_id)
        state = (letter.status.value, letter.meeting_requested_on, letter.version_id)
        db.session.remove()
    return state


def check_arrival(received, kept: dict, *, to: set[str], words: list[str]) -> None:
    """The server got exactly the kept bytes, addressed as shown, with the kept PDF attached."""
    assert received.data == kept["eml"]
    assert hashlib.sha256(received.data).hexdigest() == kept["eml_sha256"]
    assert set(received.rcpt_tos) == to
    message = received.message
    assert message["Message-ID"] == kept["message_id"]
    assert message["From"] == "Activation Program Office <activation@office.example>"
    assert message["Reply-To"] == "activation@office.example"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    pdf = attachment.get_content()
    assert pdf == kept["pdf"] and hashlib.sha256(pdf).hexdigest() == kept["pdf_sha256"]
    text = pdf_text(pdf)
    for expected in ["Activation Program Office", "Reference: DR-", "Page 1 of 1", *words]:
        assert expected in text, expected
    body = message.get_body(preferencelist=("plain",)).get_content()
    for expected in words:
        assert expected in body.replace("\n", " ")


def test_acknowledgement_and_meeting_request_arrive_with_their_pdf(
    app, client, signed_in, smtp, letter_id
):
    editor = signed_in("editor")
    with on_jan_20():
        fields = prepared(editor, letter_id, "acknowledgement")
        assert fields["to"] == f"Sheriff Greg Taylor <{SENDER}>"
        assert fields["cc"] == f"Texas DPS Crime Records <{SIB}>, activation@office.example"
        assert fields["subject"] == (
            f"Acknowledgement of your letter of 10 January 2011 (DR-{letter_id:05d})"
        )
        response = post(editor, letter_id, fields)
        assert response.status_code == 303, response.get_data(as_text=True)
        assert letter_state(app, letter_id)[0] == "received"  # an acknowledgement takes no step

        fields = prepared(editor, letter_id, "meeting_request")
        assert fields["to"] == (f"Sheriff Greg Taylor <{SENDER}>, Texas DPS Crime Records <{SIB}>")
        # Three proposed dates, the first five business days on (Thursday 27 January).
        assert "27 January 2011 (Thursday)" in fields["body"]
        assert "31 January 2011 (Monday)" in fields["body"]
        response = post(editor, letter_id, fields)
        assert response.status_code == 303, response.get_data(as_text=True)
    status, requested_on, _ = letter_state(app, letter_id)
    assert (status, requested_on) == ("meeting_requested", D("2011-01-20"))

    ack, meeting = stored(app, letter_id)
    assert [ack["kind"], meeting["kind"]] == ["acknowledgement", "meeting_request"]
    assert len(smtp.received) == 2
    check_arrival(smtp.received[0], ack, to={SENDER, SIB, "activation@office.example"},
                  words=["received on 12 January 2011", "Anderson County"])  # fmt: skip
    check_arrival(smtp.received[1], meeting, to={SENDER, SIB, "activation@office.example"},
                  words=["We propose the following dates", "27 January 2011"])  # fmt: skip

    page = editor.get(f"/deferrals/{letter_id}").get_data(as_text=True)
    assert (
        f"Acknowledgement sent by e-mail to Sheriff Greg Taylor &lt;{SENDER}&gt; on 2011-01-20 by editor"
        in page
    )
    assert "Meeting request sent by e-mail to" in page
    assert ack["eml_sha256"] in page and meeting["pdf_sha256"] in page


def test_resolution_letter_is_offered_after_a_resolution_and_says_the_outcome(
    app, client, signed_in, smtp, letter_id
):
    from tracker.deferrals import workflow
    from tracker.deferrals.queries import get_request
    from tracker.extensions import db

    editor = signed_in("editor")
    with app.app_context(), on_jan_20():
        letter = get_request(letter_id)
        workflow.request_meeting(letter, D("2011-01-13"))
        workflow.hold_meeting(letter, D("2011-01-18"))
        db.session.commit()
    with on_jan_20():
        page = editor.get(f"/deferrals/{letter_id}").get_data(as_text=True)
        assert "resolution-letter-offer" not in page
        refused = post(editor, letter_id, {**prepared(editor, letter_id, "acknowledgement"),
                                           "kind": "resolution"})  # fmt: skip
        assert refused.status_code == 303  # back to the letter, with the reason flashed
        assert "only once the request is resolved" in editor.get(
            f"/deferrals/{letter_id}"
        ).get_data(as_text=True)
        version = letter_state(app, letter_id)[2]
        resolved = editor.post(
            f"/deferrals/{letter_id}/resolve",
            data={"resolve-on": "2011-01-19", "resolve-resolution": "date_adjusted",
                  "resolve-adjusted_to": "2011-04-01", "resolve-version": str(version)},
        )  # fmt: skip
        assert resolved.status_code == 303
        page = editor.get(f"/deferrals/{letter_id}").get_data(as_text=True)
        assert "resolution-letter-offer" in page and "Prepare the resolution letter" in page
        fields = prepared(editor, letter_id, "resolution")
        assert "activation is now scheduled for 1 April 2011" in fields["body"]
        assert post(editor, letter_id, fields).status_code == 303
        page = editor.get(f"/deferrals/{letter_id}").get_data(as_text=True)
    assert "resolution-letter-offer" not in page
    (resolution,) = stored(app, letter_id)
    check_arrival(smtp.received[0], resolution, to={SENDER, SIB, "activation@office.example"},
                  words=["now scheduled for 1 April 2011"])  # fmt: skip


def test_a_server_that_is_down_changes_nothing_and_the_form_keeps_what_was_typed(
    app, client, signed_in, smtp, letter_id
):
    editor = signed_in("editor")
    with on_jan_20():
        fields = prepared(editor, letter_id, "meeting_request")
        fields["body"] += "\nPS: a line the editor typed by hand.\n"
        before = letter_state(app, letter_id)
        smtp.stop()
        response = post(editor, letter_id, fields)
        assert response.status_code == 502
        html = response.get_data(as_text=True)
        assert "could not be reached" in html and "Not sent, nothing recorded" in html
        assert "PS: a line the editor typed by hand." in html
        assert letter_state(app, letter_id) == before and stored(app, letter_id) == []

        smtp.start()  # the server is back: the same form goes through
        retried = form_fields(html, f"/deferrals/{letter_id}/correspondence")
        assert post(editor, letter_id, retried).status_code == 303
    (kept,) = stored(app, letter_id)
    assert len(smtp.received) == 1 and smtp.received[0].data == kept["eml"]
    assert (
        "PS: a line the editor typed by hand." in smtp.received[0].message.get_body().get_content()
    )
    assert letter_state(app, letter_id)[0] == "meeting_requested"


def test_a_refused_recipient_sends_to_nobody_and_can_be_corrected(
    app, client, signed_in, smtp, letter_id
):
    editor = signed_in("editor")
    smtp.refuse.add("gone@andersoncounty.example")
    with on_jan_20():
        fields = prepared(editor, letter_id, "acknowledgement")
        fields["to"] += ", gone@andersoncounty.example"
        response = post(editor, letter_id, fields)
        assert response.status_code == 502
        html = response.get_data(as_text=True)
        assert "refused the recipient gone@andersoncounty.example" in html
        assert "550 5.1.1 No such mailbox here" in html
        assert smtp.received == [] and stored(app, letter_id) == []

        fields["to"] = f"Sheriff Greg Taylor <{SENDER}>"
        assert post(editor, letter_id, fields).status_code == 303
    assert len(smtp.received) == 1 and len(stored(app, letter_id)) == 1


def test_bad_addresses_and_empty_letters_are_refused_before_anything_goes(
    app, client, signed_in, smtp, letter_id
):
    editor = signed_in("editor")
    with on_jan_20():
        fields = prepared(editor, letter_id, "acknowledgement")
        response = post(editor, letter_id, {**fields, "to": "sheriff at county"})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "“sheriff at county” is not an e-mail address" in html
        assert post(editor, letter_id, {**fields, "to": ""}).status_code == 400
        assert post(editor, letter_id, {**fields, "body": "  "}).status_code == 400
    assert smtp.received == [] and stored(app, letter_id) == []


def test_without_a_mail_server_the_pdf_is_downloaded_and_recorded_as_posted(
    app, client, signed_in, letter_id
):
    assert not app.config["TRACKER_SMTP_URL"]
    editor = signed_in("editor")
    with on_jan_20():
        page = editor.get(f"/deferrals/{letter_id}/correspondence/meeting_request")
        assert "has no mail server" in page.get_data(as_text=True)
        fields = prepared(editor, letter_id, "meeting_request")
        fields.update(sent_on="2011-01-19", sent_by="fax", to="Sheriff's Office, fax 903-555-0100")
        refused = post(editor, letter_id, fields, "send")
        assert refused.status_code == 502 and "no mail server" in refused.get_data(as_text=True)

        download = post(editor, letter_id, fields, "pdf")
        assert download.status_code == 200 and download.mimetype == "application/pdf"
        assert "attachment" in download.headers["Content-Disposition"]
        assert stored(app, letter_id) == [] and letter_state(app, letter_id)[0] == "received"

        assert post(editor, letter_id, fields, "record").status_code == 303
    (kept,) = stored(app, letter_id)
    assert kept["sent_by"] == "fax" and kept["eml"] is None and kept["sent_on"] == D("2011-01-19")
    assert kept["pdf"] == download.data  # the PDF recorded is the one printed
    assert "Page 1 of 1" in pdf_text(kept["pdf"]) and "fax 903-555-0100" in pdf_text(kept["pdf"])
    status, requested_on, _ = letter_state(app, letter_id)
    assert (status, requested_on) == ("meeting_requested", D("2011-01-19"))
    page = editor.get(f"/deferrals/{letter_id}").get_data(as_text=True)
    assert (
        "Meeting request recorded as sent by fax to Sheriff&#39;s Office, fax 903-555-0100 on 2011-01-19"
        in page
    )


def test_recorded_dates_follow_the_rules(app, client, signed_in, letter_id):
    editor = signed_in("editor")
    with on_jan_20():
        fields = prepared(editor, letter_id, "acknowledgement")
        for sent_on, message in (("2011-01-21", "cannot be in the future"),
                                 ("2011-01-11", "cannot be before the request was received")):  # fmt: skip
            response = post(
                editor, letter_id, {**fields, "sent_on": sent_on, "sent_by": "post"}, "record"
            )
            assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert stored(app, letter_id) == []


def test_downloads_give_the_exact_bytes_to_staff_only(app, client, signed_in, smtp, letter_id):
    editor = signed_in("editor")
    with on_jan_20():
        assert (
            post(editor, letter_id, prepared(editor, letter_id, "acknowledgement")).status_code
            == 303
        )
    (kept,) = stored(app, letter_id)
    eml = editor.get(f"/deferrals/{letter_id}/correspondence/{kept['id']}.eml")
    pdf = editor.get(f"/deferrals/{letter_id}/correspondence/{kept['id']}.pdf")
    assert eml.data == kept["eml"] == smtp.received[0].data and eml.mimetype == "message/rfc822"
    assert pdf.data == kept["pdf"] and pdf.mimetype == "application/pdf"
    assert (
        editor.get(f"/deferrals/{letter_id + 1}/correspondence/{kept['id']}.pdf").status_code == 404
    )
    editor.post("/logout")
    anonymous = client.get(f"/deferrals/{letter_id}/correspondence/{kept['id']}.eml")
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["Location"]


def test_every_send_is_audited_on_the_letter(app, client, signed_in, smtp, letter_id):
    from tracker.audit.models import AuditEvent
    from tracker.extensions import db

    editor = signed_in("editor")
    with on_jan_20():
        post(editor, letter_id, prepared(editor, letter_id, "meeting_request"))
    (kept,) = stored(app, letter_id)
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == str(letter_id)).order_by(AuditEvent.id)
        ).all()
        actions = [e.action for e in events]
        send = events[-1].after
        db.session.remove()
    assert actions[-2:] == ["deferral.request_meeting", "correspondence.send"]
    assert send["eml_sha256"] == kept["eml_sha256"] and send["message_id"] == kept["message_id"]
    assert send["kind"] == "meeting_request"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) > 0
        db.session.remove()
