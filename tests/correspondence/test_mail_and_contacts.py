"""The mail settings, the kernel mail module against a real server, and the new contacts."""

from __future__ import annotations

import datetime as dt
import io
from email.parser import BytesParser
from email.policy import default

import pytest
from sqlalchemy import select

from tests.support.smtp import smtp_server

SETTINGS = {"TRACKER_ENV": "testing", "TRACKER_SECRET_KEY": "x" * 32}


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"TRACKER_SMTP_URL": "http://mail.example"}, "TRACKER_SMTP_URL: expected smtp://"),
        ({"TRACKER_SMTP_URL": "smtp://"}, "TRACKER_SMTP_URL: the URL names no mail server host"),
        ({"TRACKER_SMTP_URL": "smtp://mail.example:port"}, "TRACKER_SMTP_URL"),
        ({"TRACKER_SMTP_URL": "smtp://mail.example"}, "TRACKER_MAIL_FROM is not set"),
        ({"TRACKER_TIMEZONE": "Mars/Olympus_Mons"}, "TRACKER_TIMEZONE: 'Mars/Olympus_Mons' is not"),
    ],
)
def test_bad_mail_settings_stop_the_app_with_the_variable_named(tmp_path, environ, message):
    from tracker.config import ConfigurationError, build_flask_config

    environ = {**SETTINGS, "TRACKER_INSTANCE_PATH": str(tmp_path), **environ}
    with pytest.raises(ConfigurationError, match=message.replace("(", r"\(")):
        build_flask_config(environ=environ)


def test_good_mail_settings_are_read(tmp_path):
    from tracker.config import build_flask_config

    config = build_flask_config(environ={
        **SETTINGS, "TRACKER_INSTANCE_PATH": str(tmp_path),
        "TRACKER_SMTP_URL": "smtp+starttls://user%40office:p%40ss@mail.example:587",
        "TRACKER_MAIL_FROM": "Office <office@example.gov>", "TRACKER_TIMEZONE": "America/Chicago",
    })  # fmt: skip
    assert config["TRACKER_SMTP_URL"].startswith("smtp+starttls://")
    assert config["TRACKER_TIMEZONE"] == "America/Chicago"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_credentials_in_the_url_sign_in_to_the_server(app, monkeypatch):
    from tracker import mail

    with smtp_server(credentials=("tracker@office", "p@ss word")) as server, app.app_context():
        monkeypatch.setitem(app.config, "TRACKER_SMTP_URL",
                            f"smtp://tracker%40office:p%40ss%20word@127.0.0.1:{server.port}")  # fmt: skip
        monkeypatch.setitem(app.config, "TRACKER_MAIL_FROM", "Office <office@example.gov>")
        outgoing = mail.build_message(
            to=["a@county.example"], subject="Hello", body="Text\n",
            sent_at=dt.datetime(2011, 1, 20, 12, tzinfo=dt.UTC),
        )  # fmt: skip
        mail.send(outgoing)
        assert server.signed_in == ["tracker@office"]
        assert server.received[0].data == outgoing.data


def test_messages_are_standard_e_mail(app, monkeypatch):
    from tracker import mail

    monkeypatch.setitem(
        app.config, "TRACKER_MAIL_FROM", "Activation Office <activation@office.example>"
    )
    monkeypatch.setitem(app.config, "TRACKER_OFFICE_EMAIL", "desk@office.example")
    with app.app_context():
        outgoing = mail.build_message(
            to=["Pat Doe <pat@county.example>"], cc=["sib@state.example", "PAT@county.example"],
            subject="Réponse – DR-00001", body="Ligne accentuée\n" + "x" * 120 + "\n",
            attachments=(mail.Attachment("a.pdf", b"%PDF-1.4\n%%EOF\n", "application", "pdf"),),
            sent_at=dt.datetime(2011, 1, 20, 12, tzinfo=dt.UTC), in_reply_to="<orig@county.example>",
        )  # fmt: skip
    assert b"\r\n" in outgoing.data and b"\n" not in outgoing.data.replace(b"\r\n", b"")
    parsed = BytesParser(policy=default).parsebytes(outgoing.data)
    assert parsed["Subject"] == "Réponse – DR-00001"
    assert parsed["Message-ID"] == outgoing.message_id and outgoing.message_id.endswith(
        "@office.example>"
    )
    assert parsed["Reply-To"] == "desk@office.example"
    assert parsed["In-Reply-To"] == "<orig@county.example>"
    assert parsed["Date"] == "Thu, 20 Jan 2011 12:00:00 +0000"
    assert outgoing.recipients == ("pat@county.example", "sib@state.example", "PAT@county.example")
    assert parsed.get_body().get_content().startswith("Ligne accentuée\r\n")
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_filename() == "a.pdf" and attachment.get_content() == b"%PDF-1.4\n%%EOF\n"


def test_address_lists_are_checked_and_quote_what_was_typed(app_context):
    from tracker.errors import DomainError
    from tracker.mail import check_address_list

    assert check_address_list('"Doe, Pat" <Pat@County.Example>, b@c.example, B@C.example', "to") == [
        '"Doe, Pat" <Pat@county.example>', "b@c.example",
    ]  # fmt: skip
    with pytest.raises(DomainError, match="“pat at county” is not an e-mail address"):
        check_address_list("a@b.example, pat at county", "to")
    with pytest.raises(DomainError, match="at least one"):
        check_address_list(" , ", "to", required=True)


def test_state_sib_email_is_validated_and_audited(app, signed_in):
    from tracker.audit.models import AuditEvent
    from tracker.extensions import db
    from tracker.registry.models import State

    editor = signed_in("editor")
    with app.app_context():
        version = db.session.scalar(select(State.version_id).where(State.postal == "TX"))
    form = {
        "sib_name": "Texas DPS",
        "sib_contact": "",
        "version": str(version),
        "receives_results": "y",
    }
    bad = editor.post("/states/TX/edit", data={**form, "sib_email": "records at dps"})
    assert bad.status_code == 400 and "“records at dps” is not an e-mail address" in bad.get_data(
        as_text=True
    )
    good = editor.post("/states/TX/edit", data={**form, "sib_email": "Records@DPS.Texas.example"})
    assert good.status_code == 303
    assert "Records@dps.texas.example" in editor.get("/states/TX").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "state.update")
        ).all()[-1]
        assert (
            event.after["sib_email"] == "Records@dps.texas.example"
            and event.before["sib_email"] is None
        )


def test_letter_contacts_are_validated_on_the_new_letter_form(signed_in):
    editor = signed_in("editor")
    fields = {
        "jurisdiction": "48001", "letter_date": "2011-01-10", "received_on": "2011-01-12",
        "channel": "letter", "sender_name": "Sheriff", "addressed_to": "both", "kind": "not_activate",
        "sender_email": "sheriff@", "sender_address": "1 Main St\nPalestine, TX",
    }  # fmt: skip
    pdf = (b"%PDF-1.4\n%%EOF\n", "letter.pdf")
    response = editor.post("/deferrals/new", data={**fields, "attachments": [(io.BytesIO(pdf[0]), pdf[1])]},
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 400 and 'id="sender_email-error"' in response.get_data(
        as_text=True
    )
    fields["sender_email"] = "sheriff@andersoncounty.example"
    created = editor.post("/deferrals/new", data={**fields, "attachments": [(io.BytesIO(pdf[0]), pdf[1])]},
                          content_type="multipart/form-data")  # fmt: skip
    assert created.status_code == 303
    page = editor.get(created.headers["Location"]).get_data(as_text=True)
    assert "sheriff@andersoncounty.example" in page and "1 Main St\nPalestine, TX" in page
