"""Issue 16's "done when", in one piece: an editor takes a letter in from an .eml, confirms it,
sends the acknowledgement and the meeting request by e-mail, resolves it and sends the
resolution letter, all through the tracker's pages. Each message arrives at a real SMTP server
with its PDF, and the letter's page holds the exact bytes of all of them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.correspondence.support import JAN_20, MESSAGES, on_jan_20, pdf_text
from tests.support.html import form_fields

SIB = "crime.records@dps.texas.example"


def _version(app, letter_id: int) -> str:
    from tracker.deferrals.models import DeferralRequest
    from tracker.extensions import db

    with app.app_context():
        version = db.session.get(DeferralRequest, letter_id).version_id
        db.session.remove()
    return str(version)


def _send(editor, letter_id: int, kind: str):
    page = editor.get(f"/deferrals/{letter_id}/correspondence/{kind}").get_data(as_text=True)
    fields = form_fields(page, f"/deferrals/{letter_id}/correspondence")
    response = editor.post(f"/deferrals/{letter_id}/correspondence", data={**fields, "send": "1"})
    assert response.status_code == 303, response.get_data(as_text=True)


pytestmark = pytest.mark.today(JAN_20)


def test_an_emailed_letter_from_intake_to_resolution_letter(app, signed_in, smtp):
    from tracker.extensions import db
    from tracker.registry.models import State

    with on_jan_20():
        editor = signed_in("editor")
        with app.app_context():
            version = db.session.scalar(select(State.version_id).where(State.postal == "TX"))
        state = editor.post("/states/TX/edit", data={
            "sib_name": "Texas DPS Crime Records", "sib_email": SIB, "version": str(version),
            "receives_results": "y",
        })  # fmt: skip
        assert state.status_code == 303

        # 1. The e-mail comes in and waits as a draft.
        original = MESSAGES.joinpath("multipart_alternative.eml").read_bytes()
        upload = (MESSAGES.joinpath("multipart_alternative.eml").open("rb"), "anderson.eml")
        taken = editor.post(
            "/deferrals/intake", data={"messages": [upload]}, content_type="multipart/form-data"
        )
        assert taken.status_code == 200
        draft_id = int(re.search(r"draft #(\d+)", taken.get_data(as_text=True)).group(1))

        # 2. Confirmed as a letter, the guesses checked.
        page = editor.get(f"/deferrals/drafts/{draft_id}").get_data(as_text=True)
        fields = form_fields(page, f"/deferrals/drafts/{draft_id}/confirm")
        assert fields["jurisdiction"] == "Anderson County, TX (48001)" and fields["kind"] == "defer"
        fields.update(sender_title="Sheriff", sender_address="703 N Mallard St\nPalestine, TX 75801",
                      addressed_to="both")  # fmt: skip
        confirmed = editor.post(f"/deferrals/drafts/{draft_id}/confirm", data=fields)
        assert confirmed.status_code == 303
        letter_id = int(confirmed.headers["Location"].rsplit("/", 1)[1])

        # 3. Acknowledgement and meeting request by e-mail.
        _send(editor, letter_id, "acknowledgement")
        _send(editor, letter_id, "meeting_request")

        # 4. The meeting is held and the request resolved.
        held = editor.post(
            f"/deferrals/{letter_id}/hold_meeting",
            data={
                "hold_meeting-on": "2011-01-20",
                "hold_meeting-version": _version(app, letter_id),
            },
        )
        assert held.status_code == 303
        resolved = editor.post(f"/deferrals/{letter_id}/resolve", data={
            "resolve-on": "2011-01-20", "resolve-resolution": "date_adjusted",
            "resolve-adjusted_to": "2011-04-01", "resolve-version": _version(app, letter_id),
        })  # fmt: skip
        assert resolved.status_code == 303

        # 5. The page offers the resolution letter, and it goes.
        assert "Prepare the resolution letter" in editor.get(f"/deferrals/{letter_id}").get_data(
            as_text=True
        )
        _send(editor, letter_id, "resolution")
        page = editor.get(f"/deferrals/{letter_id}").get_data(as_text=True)

    # Three messages reached the server, each with its PDF, each answering the e-mail.
    assert len(smtp.received) == 3
    subjects = [m.message["Subject"] for m in smtp.received]
    assert [s.split(" ")[0] for s in subjects] == ["Acknowledgement", "Meeting", "Resolution"]
    for received, words in zip(
        smtp.received,
        [
            "received on 10 January 2011",
            "We propose the following dates",
            "now scheduled for 1 April 2011",
        ],
        strict=True,
    ):
        message = received.message
        assert message["In-Reply-To"] == "<20110110151402.4F2A1@andersoncounty.example>"
        assert "sheriff@andersoncounty.example" in received.rcpt_tos and SIB in received.rcpt_tos
        (pdf,) = [p.get_content() for p in message.iter_attachments()]
        assert words in pdf_text(pdf) and "Page 1 of 1" in pdf_text(pdf)

    # The letter's page tells each piece and serves exactly the bytes that went.
    assert "E-mail received from" in page
    for kind in ("Acknowledgement", "Meeting request", "Resolution letter"):
        assert f"{kind} sent by e-mail to Sheriff Greg Taylor" in page
    eml_links = re.findall(rf'href="(/deferrals/{letter_id}/correspondence/\d+\.eml)"', page)
    pdf_links = re.findall(rf'href="(/deferrals/{letter_id}/correspondence/\d+\.pdf)"', page)
    assert len(eml_links) == len(pdf_links) == 3
    for link, received in zip(eml_links, smtp.received, strict=True):
        assert editor.get(link).data == received.data
    for link, received in zip(pdf_links, smtp.received, strict=True):
        (pdf,) = [p.get_content() for p in received.message.iter_attachments()]
        assert editor.get(link).data == pdf
    # And the e-mail that started it all is the letter's first attachment, byte for byte.
    first = re.search(
        rf'href="(/deferrals/{letter_id}/attachments/\d+)">anderson.eml<', page
    ).group(1)
    assert editor.get(first).data == original
