"""E-mails in: real-world message shapes become drafts with the right facts and guesses; bad
messages are refused whole with a reason; the same Message-ID is never taken in twice; a draft
is not a letter until confirmed, and confirming logs it exactly as the new-letter form does."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select

from tests.correspondence.support import on_jan_20, sample
from tests.factories import D

SHAPES = [
    # file, FIPS guessed, kind guessed, date asked for, sender, words of the text
    ("multipart_alternative.eml", "48001", "defer", "2011-03-01",
     "sheriff@andersoncounty.example", "booking system upgrade can be completed"),
    ("quoted_printable.eml", "48453", "not_activate", None,
     "judge@traviscounty.example", "María José Álvarez"),
    ("base64_pdf.eml", "48003", "defer", "2011-04-15",
     "records@andrewscounty.example", "signed letter asking to postpone"),
    ("iso_8859_1.eml", "22001", "not_receive_results", None,
     "sheriff@acadia.example", "Jérôme Thériot, shérif"),
    ("windows_1252.eml", "48003", "defer", "2011-06-01",
     "pat.oneil@andrewscounty.example", "our “booking” system isn’t ready"),
    ("forwarded.eml", "48001", "defer", "2011-05-02",
     "liaison@dps.texas.example", "The Commissioners of Anderson County, Texas ask"),
    ("reply_chain.eml", "48001", "defer", "2011-08-01",
     "sheriff@andersoncounty.example", "we ask to defer until August 1, 2011"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "fips", "kind", "asked", "sender", "words"), SHAPES)
def test_each_real_world_shape_becomes_a_waiting_draft(
    app_context, name, fips, kind, asked, sender, words
):
    from tracker.correspondence.intake import take_in
    from tracker.correspondence.models import DraftStatus

    data = sample(name)
    with on_jan_20():
        draft = take_in(data, name)
    assert draft.status is DraftStatus.WAITING
    assert draft.from_address == sender
    assert words in draft.body_text
    assert draft.guessed_fips == fips, draft.guess_note
    assert draft.guessed_kind == kind
    assert draft.guessed_date == (D(asked) if asked else None)
    assert draft.eml == data and draft.eml_sha256 == hashlib.sha256(data).hexdigest()
    assert dt.date(2011, 1, 10) <= draft.received_on <= dt.date(2011, 1, 18)


def test_html_alternative_is_not_preferred_and_headers_decode(app_context):
    from tracker.correspondence.intake import take_in

    with on_jan_20():
        plain = take_in(sample("multipart_alternative.eml"), "a.eml")
        judge = take_in(sample("quoted_printable.eml"), "b.eml")
        latin = take_in(sample("iso_8859_1.eml"), "c.eml")
    assert "<p>" not in plain.body_text and "color" not in plain.body_text
    assert plain.from_name == "Sheriff Greg Taylor"
    assert judge.from_name == "María José Álvarez"
    assert judge.subject == "Travis County – request not to activate"
    assert latin.subject == "Résultats - Acadia Parish"
    # Date: Mon, 10 Jan 2011 09:14:02 -0600 is 10:14 in Washington (TRACKER_TIMEZONE).
    assert plain.received_on == dt.date(2011, 1, 10)
    assert plain.sent_at == dt.datetime(2011, 1, 10, 15, 14, 2, tzinfo=dt.UTC)


def test_received_date_is_the_office_day(app_context, app, monkeypatch):
    from tracker.correspondence.intake import take_in

    late = sample("multipart_alternative.eml").replace(
        b"Date: Mon, 10 Jan 2011 09:14:02 -0600", b"Date: Tue, 11 Jan 2011 02:30:00 +0000"
    )
    with on_jan_20():
        assert take_in(late, "late.eml").received_on == dt.date(2011, 1, 10)  # 21:30 in DC
        monkeypatch.setitem(app.config, "TRACKER_TIMEZONE", "UTC")
        other = late.replace(b"<20110110151402", b"<utc")
        assert take_in(other, "utc.eml").received_on == dt.date(2011, 1, 11)


REFUSALS = [
    ("malformed.eml", "malformed"),
    ("unknown_charset.eml", "“x-klingon-8”, which the tracker cannot read"),
    ("disguised_attachment.eml", "“letter.pdf” is disguised: its name says PDF but its content is a Windows program"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "reason"), REFUSALS)
def test_bad_messages_are_refused_whole_with_a_reason(app_context, name, reason):
    from tracker.correspondence.intake import take_in
    from tracker.correspondence.models import IntakeDraft
    from tracker.errors import DomainError
    from tracker.extensions import db

    with on_jan_20(), pytest.raises(DomainError) as refused:
        take_in(sample(name), name)
    assert reason in refused.value.message
    assert refused.value.message.startswith(f"{name}: ")
    assert refused.value.message.endswith("Nothing was taken in.")
    assert db.session.scalar(select(func.count(IntakeDraft.id))) == 0


def test_oversized_attachment_is_refused(app_context, monkeypatch):
    from tracker.correspondence.intake import take_in
    from tracker.deferrals import attachments
    from tracker.errors import DomainError

    monkeypatch.setattr(attachments, "max_upload_bytes", lambda: 2048)
    with on_jan_20(), pytest.raises(DomainError) as refused:
        take_in(sample("oversized_attachment.eml"), "big.eml")
    assert "“scan.pdf” is 3.0 KB, larger than the limit of 2.0 KB per file" in refused.value.message


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not an e-mail message"),
        (b"%PDF-1.4\n%%EOF\n", "not an e-mail message"),
        (b"Just some words.\nNo headers at all.\n", "not an e-mail message"),
        (b"From: a@b.example\r\nTo: c@d.example\r\nDate: Tue, 18 Jan 2011 10:00:00 -0600\r\n\r\nhi\r\n",
         "no Message-ID"),
        (b"Message-ID: <x@y>\r\nTo: c@d.example\r\nDate: Tue, 18 Jan 2011 10:00:00 -0600\r\n\r\nhi\r\n",
         "no sender address"),
        (b"Message-ID: <x@y>\r\nFrom: a@b.example\r\nDate: sometime soon\r\n\r\nhi\r\n",
         "no readable Date"),
    ],
)  # fmt: skip
def test_messages_missing_what_the_intake_needs_are_refused(app_context, data, reason):
    from tracker.correspondence.intake import take_in
    from tracker.errors import DomainError

    with on_jan_20(), pytest.raises(DomainError) as refused:
        take_in(data, "odd.eml")
    assert reason in refused.value.message


def test_the_same_message_id_is_refused_whatever_became_of_it(app_context, make_user):
    from tracker.correspondence.intake import DuplicateMessage, discard_draft, take_in
    from tracker.extensions import db

    data = sample("reply_chain.eml")
    with on_jan_20():
        draft = take_in(data, "first.eml")
        with pytest.raises(DuplicateMessage, match="already taken in"):
            take_in(data, "again.eml")
        discard_draft(draft, "Sent by post as well")
        db.session.flush()
        # A byte-different copy with the same Message-ID (another mail client's export).
        resaved = data.replace(b"Greg\r\n", b"Greg Taylor\r\n")
        with pytest.raises(DuplicateMessage, match=r"draft #\d+ \(discarded\)"):
            take_in(resaved, "resaved.eml")


def _confirm_fields(**changes):
    fields = {
        "jurisdiction": "48001",
        "letter_date": D("2011-01-10"),
        "received_on": D("2011-01-10"),
        "sender_name": "Sheriff Greg Taylor",
        "sender_title": "Sheriff",
        "sender_agency": "Anderson County Sheriff's Office",
        "sender_email": "sheriff@andersoncounty.example",
        "sender_address": "703 N Mallard St\nPalestine, TX 75801",
        "addressed_to": "office",
        "kind": "defer",
        "requested_date": D("2011-03-01"),
        "summary": "Defer until the booking system upgrade.",
    }
    fields.update(changes)
    return fields


def test_a_draft_changes_no_status_until_confirmed(app_context):
    from tests.factories import schedule
    from tracker.correspondence.intake import confirm_draft, take_in
    from tracker.correspondence.models import Correspondence, CorrespondenceKind, DraftStatus
    from tracker.deferrals.clocks import badges_for, letter_counts
    from tracker.deferrals.models import Channel
    from tracker.extensions import db
    from tracker.status.rule import Status, status_as_of

    with on_jan_20():
        schedule("48001", "2011-02-01", "2010-12-01")
        data = sample("multipart_alternative.eml")
        draft = take_in(data, "anderson.eml")
        db.session.flush()
        (row,) = status_as_of(D("2011-01-20"), fips=["48001"])
        assert row.status is Status.PLANNED
        assert letter_counts(D("2011-01-20"))["open"] == 0

        letter = confirm_draft(draft, **_confirm_fields())
        db.session.flush()
    assert draft.status is DraftStatus.CONFIRMED and draft.deferral_request_id == letter.id
    assert letter.channel is Channel.EMAIL and letter.received_on == D("2011-01-10")
    assert letter.sender_email == "sheriff@andersoncounty.example"
    (row,) = status_as_of(D("2011-01-20"), fips=["48001"])
    assert row.status is Status.DEFERRAL_PENDING
    # Its clock started on the received date: 5 business days after 10 January (MLK Day
    # excluded) is 18 January, so by the 20th it is overdue.
    badges = badges_for([letter], D("2011-01-20"))[letter.id]
    assert badges.meeting_due_by == D("2011-01-18") and badges.overdue
    names = [a.filename for a in letter.attachments]
    assert names == ["anderson.eml"]
    assert letter.attachments[0].content == data
    incoming = db.session.scalars(select(Correspondence)).one()
    assert incoming.kind is CorrespondenceKind.INCOMING_EMAIL
    assert incoming.message_id == "<20110110151402.4F2A1@andersoncounty.example>"


def test_confirming_keeps_the_message_then_its_attachments(app_context):
    from tracker.correspondence.intake import confirm_draft, take_in

    with on_jan_20():
        draft = take_in(sample("base64_pdf.eml"), "scan.eml")
        letter = confirm_draft(draft, **_confirm_fields(jurisdiction="48003"))
    assert [(a.filename, a.media_type) for a in letter.attachments] == [
        ("scan.eml", "message/rfc822"),
        ("Andrews County letter.pdf", "application/pdf"),
    ]
    assert letter.attachments[1].content.startswith(b"%PDF-1.4")


def test_confirming_applies_the_letter_rules_and_writes_nothing_on_error(app_context):
    from tracker.correspondence.intake import confirm_draft, take_in
    from tracker.correspondence.models import DraftStatus
    from tracker.deferrals.letters import InvalidRequest

    with on_jan_20():
        draft = take_in(sample("reply_chain.eml"), "r.eml")
        with pytest.raises(InvalidRequest) as problems:
            confirm_draft(
                draft,
                **_confirm_fields(jurisdiction="Nowhere, ZZ", sender_email="not an address",
                                  received_on=D("2011-02-01")),
            )  # fmt: skip
    assert set(problems.value.errors) == {"jurisdiction", "sender_email", "received_on"}
    assert draft.status is DraftStatus.WAITING


def test_discarding_needs_a_reason_and_keeps_the_trail(app_context):
    from tracker.audit.models import AuditEvent
    from tracker.correspondence.intake import confirm_draft, discard_draft, take_in
    from tracker.errors import Conflict, DomainError
    from tracker.extensions import db

    with on_jan_20():
        draft = take_in(sample("windows_1252.eml"), "w.eml")
        with pytest.raises(DomainError, match="Say why"):
            discard_draft(draft, "  ")
        discard_draft(draft, "Duplicate of the faxed letter #12")
        with pytest.raises(Conflict, match="already discarded"):
            confirm_draft(draft, **_confirm_fields())
    db.session.flush()
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.entity_type == "intake_draft")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["intake.take_in", "intake.discard"]
    assert draft.discard_reason == "Duplicate of the faxed letter #12" and draft.decided_at
