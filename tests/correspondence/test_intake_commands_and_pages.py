"""Taking e-mails in from the command line (files and Maildir) and from /deferrals/intake, and
deciding on them at /deferrals/drafts."""

from __future__ import annotations

import mailbox
import re

import pytest

from tests.correspondence.support import JAN_20, MESSAGES, sample
from tests.support.html import form_fields

pytestmark = pytest.mark.today(JAN_20)


def test_intake_command_reads_a_maildir_and_files_and_skips_what_it_has(cli_runner, tmp_path):
    box = mailbox.Maildir(tmp_path / "office", create=True)
    for name in ("multipart_alternative.eml", "base64_pdf.eml", "malformed.eml"):
        box.add(sample(name))
    first = cli_runner.invoke(
        args=["intake", str(tmp_path / "office"), str(MESSAGES / "reply_chain.eml")]
    )
    assert first.exit_code == 1, first.output  # the malformed message is refused
    assert "3 drafts created, 0 already taken in, 1 refused." in first.output
    assert "refused: " in first.output and "malformed" in first.output
    assert re.search(r"draft #\d+: reply_chain.eml: “RE: RE: Anderson County, TX activation”"
                     r" from sheriff@andersoncounty.example \(Anderson County, TX\)", first.output)  # fmt: skip

    again = cli_runner.invoke(
        args=["intake", str(tmp_path / "office"), str(MESSAGES / "reply_chain.eml")]
    )
    assert "0 drafts created, 3 already taken in, 1 refused." in again.output
    assert again.output.count("skipped: ") == 3


def test_a_folder_of_eml_files_is_read_in_order(cli_runner, tmp_path):
    for name in ("windows_1252.eml", "iso_8859_1.eml"):
        (tmp_path / name).write_bytes(sample(name))
    (tmp_path / "notes.txt").write_text("not a message")
    result = cli_runner.invoke(args=["intake", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("draft #")]
    assert [line.split(": ")[1] for line in lines] == ["iso_8859_1.eml", "windows_1252.eml"]


def test_editor_takes_messages_in_on_the_web_and_sees_each_verdict(signed_in):
    editor = signed_in("editor")
    page = editor.get("/deferrals/intake")
    assert page.status_code == 200
    response = editor.post(
        "/deferrals/intake",
        data={"messages": [
            (MESSAGES.joinpath("quoted_printable.eml").open("rb"), "judge.eml"),
            (MESSAGES.joinpath("unknown_charset.eml").open("rb"), "odd.eml"),
            (MESSAGES.joinpath("quoted_printable.eml").open("rb"), "judge-again.eml"),
        ]},
        content_type="multipart/form-data",
    )  # fmt: skip
    html = response.get_data(as_text=True)
    assert response.status_code == 400  # not every message went in
    assert "Taken in</strong> judge.eml: draft #" in html
    assert "odd.eml: the text is in the character set “x-klingon-8”" in html
    assert (
        "judge-again.eml: this message (&lt;qp-001.travis@traviscounty.example&gt;) was already taken in"
        in html
    )
    drafts = editor.get("/deferrals/drafts").get_data(as_text=True)
    assert "Travis County – request not to activate" in drafts and "1 waiting" in drafts


def _draft_id(client) -> int:
    html = client.get("/deferrals/drafts").get_data(as_text=True)
    return int(re.search(r'/deferrals/drafts/(\d+)"', html).group(1))


def test_confirming_a_draft_on_the_web_logs_the_letter(signed_in):
    editor = signed_in("editor")
    editor.post("/deferrals/intake", data={"messages": [(MESSAGES.joinpath("base64_pdf.eml").open("rb"), "scan.eml")]},
                content_type="multipart/form-data")  # fmt: skip
    draft_id = _draft_id(editor)
    page = editor.get(f"/deferrals/drafts/{draft_id}").get_data(as_text=True)
    fields = form_fields(page, f"/deferrals/drafts/{draft_id}/confirm")
    assert fields["jurisdiction"] == "Andrews County, TX (48003)"
    assert fields["kind"] == "defer" and fields["requested_date"] == "2011-04-15"
    assert (
        fields["received_on"] == "2011-01-12"
        and fields["sender_email"] == "records@andrewscounty.example"
    )
    fields.update(sender_name="Sheriff Ronny Westbrook")
    confirmed = editor.post(f"/deferrals/drafts/{draft_id}/confirm", data=fields)
    assert confirmed.status_code == 303
    letter = editor.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert "Andrews County letter.pdf" in letter and "scan.eml" in letter
    assert (
        "E-mail received from Andrews County Sheriff &lt;records@andrewscounty.example&gt; on 2011-01-12"
        in letter
    )
    again = editor.post(f"/deferrals/drafts/{draft_id}/confirm", data=fields)
    assert again.status_code == 409 and "already confirmed" in again.get_data(as_text=True)
    assert "0 waiting" in editor.get("/deferrals/drafts").get_data(as_text=True)


def test_confirm_errors_are_shown_beside_their_fields(signed_in):
    editor = signed_in("editor")
    editor.post("/deferrals/intake", data={"messages": [(MESSAGES.joinpath("reply_chain.eml").open("rb"), "r.eml")]},
                content_type="multipart/form-data")  # fmt: skip
    draft_id = _draft_id(editor)
    page = editor.get(f"/deferrals/drafts/{draft_id}").get_data(as_text=True)
    fields = form_fields(page, f"/deferrals/drafts/{draft_id}/confirm")
    fields.update(jurisdiction="Nowhere, ZZ", sender_email="not-an-address")
    response = editor.post(f"/deferrals/drafts/{draft_id}/confirm", data=fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="jurisdiction-error"' in html and 'id="sender_email-error"' in html
    assert "1 waiting" in editor.get("/deferrals/drafts").get_data(as_text=True)


def test_discarding_on_the_web_keeps_the_reason(signed_in):
    editor = signed_in("editor")
    editor.post("/deferrals/intake", data={"messages": [(MESSAGES.joinpath("iso_8859_1.eml").open("rb"), "a.eml")]},
                content_type="multipart/form-data")  # fmt: skip
    draft_id = _draft_id(editor)
    assert (
        editor.post(
            f"/deferrals/drafts/{draft_id}/discard", data={"discard-reason": ""}
        ).status_code
        == 400
    )
    done = editor.post(
        f"/deferrals/drafts/{draft_id}/discard", data={"discard-reason": "Newsletter, not a letter"}
    )
    assert done.status_code == 303
    drafts = editor.get("/deferrals/drafts").get_data(as_text=True)
    assert "0 waiting" in drafts and "discarded" in drafts and "Newsletter, not a letter" in drafts
    original = editor.get(f"/deferrals/drafts/{draft_id}/message.eml")
    assert original.data == sample("iso_8859_1.eml") and original.mimetype == "message/rfc822"
