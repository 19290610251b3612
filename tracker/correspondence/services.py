"""Sending the office's letters by e-mail, or recording them as sent by post or fax.

Rules, for every kind: the kind must fit the letter's status (drafting.check_kind); subject and
body are given; by e-mail, at least one valid recipient; by post or fax, a date not in the future
nor before the letter was received. What is kept is exactly what went: the `.eml` bytes handed
to the mail server (with the PDF inside) or the PDF printed, each with its SHA-256.

Sending a meeting request while the request is still "received" takes the workflow's "meeting
requested" step in the same transaction (dated the day it went). Everything is written and
flushed first and the message is handed to the mail server last: when the server is down or
refuses a recipient, MailError propagates, the caller rolls back and nothing is recorded, so the
editor can send again. Services only flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import select

from tracker import mail
from tracker.audit.services import record, resolve_actor
from tracker.auth.models import User
from tracker.correspondence import drafting
from tracker.correspondence.letter_pdf import LetterContent, render_letter
from tracker.correspondence.models import (
    Correspondence,
    CorrespondenceKind,
    IntakeDraft,
    SentBy,
)
from tracker.dates import today
from tracker.db import utcnow
from tracker.deferrals.models import DeferralRequest, DeferralStatus
from tracker.deferrals.queries import get_request
from tracker.deferrals.workflow import request_meeting
from tracker.errors import DomainError, NotFound
from tracker.extensions import db

MAX_SUBJECT = 200
MAX_BODY = 20_000


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def message_id_known(message_id: str) -> str | None:
    """Where the tracker already holds this Message-ID (a draft taken in, a letter's e-mail, or
    a message the office sent), as words for the refusal; None when it is new."""
    draft = db.session.scalar(select(IntakeDraft).where(IntakeDraft.message_id == message_id))
    if draft is not None:
        return f"it was taken in on {draft.taken_in_at:%Y-%m-%d} as draft #{draft.id} ({draft.status.label})"
    sent = db.session.scalar(select(Correspondence).where(Correspondence.message_id == message_id))
    if sent is not None:
        what = sent.kind.label.lower()
        return f"it is the {what} of deferral request #{sent.deferral_request_id}"
    return None


def correspondence_for(letter: DeferralRequest) -> list[Correspondence]:
    """A letter's correspondence in the order it went or came."""
    statement = (
        select(Correspondence)
        .where(Correspondence.deferral_request_id == letter.id)
        .order_by(Correspondence.sent_on, Correspondence.id)
    )
    return list(db.session.scalars(statement))


def get_correspondence(request_id: int, correspondence_id: int) -> Correspondence:
    """One piece of a letter's correspondence; NotFound when it belongs to another letter."""
    item = db.session.get(Correspondence, correspondence_id)
    if item is None or item.deferral_request_id != request_id:
        raise NotFound("There is no such correspondence on this request.")
    return item


def _check_text(subject: str | None, body: str | None) -> tuple[str, str]:
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not subject:
        raise DomainError("Give the subject.", field="subject")
    if len(subject) > MAX_SUBJECT:
        raise DomainError(f"The subject is at most {MAX_SUBJECT} characters.", field="subject")
    if not body:
        raise DomainError("Write the letter before sending it.", field="body")
    if len(body) > MAX_BODY:
        raise DomainError(f"The letter is at most {MAX_BODY:,} characters.", field="body")
    return subject, body + "\n"


def _recipient_lines(letter: DeferralRequest, to_text: str, by_email: bool) -> list[str]:
    """The address block: the letter's sender as on file, and how this copy travels."""
    lines = [letter.sender_name]
    lines += [part for part in (letter.sender_title, letter.sender_agency) if part]
    if letter.sender_address:
        lines += [line.strip() for line in letter.sender_address.splitlines() if line.strip()]
    if by_email:
        lines.append(f"By e-mail: {to_text}")
    elif to_text and to_text not in lines:
        lines += [line.strip() for line in to_text.splitlines() if line.strip()]
    return lines


def letter_pdf(
    letter: DeferralRequest,
    *,
    subject: str,
    body: str,
    to: str,
    cc: list[str] | str,
    on: dt.date,
    by_email: bool,
) -> bytes:
    """The letter as it is printed or attached: letterhead, date, addresses, reference."""
    copies = cc if isinstance(cc, list) else [c.strip() for c in (cc or "").split(",") if c.strip()]
    return render_letter(
        LetterContent(
            letterhead=drafting.letterhead_lines(),
            reference=drafting.reference_for(letter),
            dated=on,
            recipient_lines=_recipient_lines(letter, to, by_email),
            copies=copies,
            subject=subject,
            body=body,
            title=f"{subject}",
        )
    )


def preview_pdf(letter: DeferralRequest, *, kind, to, cc, subject, body, on=None) -> bytes:
    """The PDF to print and post (or fax), dated `on` (default today), without recording it."""
    drafting.check_kind(letter, kind)
    subject, body = _check_text(subject, body)
    return letter_pdf(
        letter, subject=subject, body=body, to=(to or "").strip(), cc=cc or "",
        on=on or today(), by_email=False,
    )  # fmt: skip


def _take_meeting_step(
    letter: DeferralRequest, kind: CorrespondenceKind, on: dt.date, expected_version, actor
) -> None:
    if kind is CorrespondenceKind.MEETING_REQUEST and letter.status is DeferralStatus.RECEIVED:
        request_meeting(letter, on, expected_version=expected_version, actor=actor)
    elif expected_version is not None and letter.version_id != expected_version:
        get_request(letter.id, expected_version=expected_version)


def _audit(action: str, item: Correspondence, actor: User | None) -> None:
    record(
        action,
        "deferral_request",
        item.deferral_request_id,
        after={
            "correspondence_id": item.id,
            "kind": item.kind,
            "sent_by": item.sent_by,
            "to": item.to_addresses,
            "cc": item.cc_addresses,
            "subject": item.subject,
            "sent_on": item.sent_on,
            "message_id": item.message_id,
            "eml_sha256": item.eml_sha256,
            "pdf_sha256": item.pdf_sha256,
        },
        actor=actor,
    )


def send_by_email(
    letter: DeferralRequest,
    *,
    kind: CorrespondenceKind | str,
    to: str | None,
    cc: str | None,
    subject: str | None,
    body: str | None,
    expected_version: int | None = None,
    actor: User | None = None,
) -> Correspondence:
    """E-mail a letter with its PDF attached, and keep the exact bytes handed to the server.

    The message threads under the e-mail the request came in by, when there was one.
    Raises DomainError for a broken rule and MailError when the server does not take it; in
    both cases the caller rolls back and nothing is kept.
    """
    if not mail.mail_configured():
        raise mail.MailError(
            "The tracker has no mail server (TRACKER_SMTP_URL is not set): download the PDF "
            "and record the letter as sent by post or fax."
        )
    kind = drafting.check_kind(letter, kind)
    subject, body = _check_text(subject, body)
    to_list = mail.check_address_list(to, "to", required=True)
    cc_list = mail.check_address_list(cc, "cc")
    actor = resolve_actor(actor)
    now = utcnow()
    on = today()
    _take_meeting_step(letter, kind, on, expected_version, actor)
    pdf = letter_pdf(
        letter, subject=subject, body=body, to=", ".join(to_list), cc=cc_list, on=on,
        by_email=True,
    )  # fmt: skip
    reference = drafting.reference_for(letter)
    outgoing = mail.build_message(
        to=to_list,
        cc=cc_list,
        subject=subject,
        body=body,
        attachments=(mail.Attachment(f"{reference}-{kind.value}.pdf", pdf, "application", "pdf"),),
        sent_at=now,
        in_reply_to=_incoming_message_id(letter),
    )
    item = Correspondence(
        deferral_request_id=letter.id,
        kind=kind,
        sent_by=SentBy.EMAIL,
        reference=reference,
        sender=mail.mail_from(),
        to_addresses=", ".join(to_list),
        cc_addresses=", ".join(cc_list) or None,
        subject=subject,
        body=body,
        message_id=outgoing.message_id,
        eml=outgoing.data,
        eml_sha256=sha256(outgoing.data),
        eml_size=len(outgoing.data),
        pdf=pdf,
        pdf_sha256=sha256(pdf),
        pdf_size=len(pdf),
        sent_on=on,
        recorded_at=now,
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(item)
    db.session.flush()
    _audit("correspondence.send", item, actor)
    db.session.flush()
    mail.send(outgoing)  # last: a refusal leaves nothing for the caller to commit
    return item


def record_sent(
    letter: DeferralRequest,
    *,
    kind: CorrespondenceKind | str,
    to: str | None,
    cc: str | None,
    subject: str | None,
    body: str | None,
    sent_on: dt.date | None,
    sent_by: SentBy | str,
    expected_version: int | None = None,
    actor: User | None = None,
) -> Correspondence:
    """Record a letter sent by post or fax on `sent_on`, keeping the PDF that was printed.

    `to` is whom it went to as written on the envelope or fax cover (free text); the date is
    not in the future and not before the request was received.
    """
    kind = drafting.check_kind(letter, kind)
    subject, body = _check_text(subject, body)
    try:
        sent_by = SentBy(sent_by)
    except ValueError as exc:
        raise DomainError("Choose how it was sent: post or fax.", field="sent_by") from exc
    if sent_by is SentBy.EMAIL:
        raise DomainError("Letters sent by e-mail are sent from the tracker.", field="sent_by")
    to = (to or "").strip()
    if not to:
        raise DomainError("Give whom the letter was sent to.", field="to")
    if sent_on is None:
        raise DomainError("Give the date it was sent.", field="sent_on")
    if sent_on > today():
        raise DomainError("The date it was sent cannot be in the future.", field="sent_on")
    if sent_on < letter.received_on:
        raise DomainError(
            f"The date it was sent cannot be before the request was received "
            f"({letter.received_on.isoformat()}).",
            field="sent_on",
        )
    actor = resolve_actor(actor)
    _take_meeting_step(letter, kind, sent_on, expected_version, actor)
    pdf = letter_pdf(letter, subject=subject, body=body, to=to, cc=cc or "", on=sent_on,
                     by_email=False)  # fmt: skip
    item = Correspondence(
        deferral_request_id=letter.id,
        kind=kind,
        sent_by=sent_by,
        reference=drafting.reference_for(letter),
        sender=actor.email if actor else "the office",
        to_addresses=to,
        cc_addresses=(cc or "").strip() or None,
        subject=subject,
        body=body,
        pdf=pdf,
        pdf_sha256=sha256(pdf),
        pdf_size=len(pdf),
        sent_on=sent_on,
        recorded_by_id=actor.id if actor else None,
    )
    db.session.add(item)
    db.session.flush()
    _audit("correspondence.record", item, actor)
    return item


def _incoming_message_id(letter: DeferralRequest) -> str | None:
    return db.session.scalar(
        select(Correspondence.message_id)
        .where(Correspondence.deferral_request_id == letter.id)
        .where(Correspondence.kind == CorrespondenceKind.INCOMING_EMAIL)
        .order_by(Correspondence.id)
        .limit(1)
    )


def resolution_letter_due(letter: DeferralRequest) -> bool:
    """Resolved or withdrawn, and no resolution letter sent or recorded yet."""
    if CorrespondenceKind.RESOLUTION not in drafting.allowed_kinds(letter):
        return False
    return not db.session.scalar(
        select(Correspondence.id)
        .where(Correspondence.deferral_request_id == letter.id)
        .where(Correspondence.kind == CorrespondenceKind.RESOLUTION)
        .limit(1)
    )
