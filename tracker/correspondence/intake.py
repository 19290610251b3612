"""Letters in by e-mail: messages taken in as drafts, then confirmed as letters or discarded.

Rules:
- a message is taken in whole or not at all (parsing.parse_message says why not);
- a Message-ID is taken in once: a second copy of a draft (waiting, confirmed or discarded), of
  a confirmed letter's e-mail or of a message the office sent is refused (DuplicateMessage);
- the received date is the office's calendar day (TRACKER_TIMEZONE) of the message's Date;
- a draft is not a letter: it changes no status and starts no clock until confirmed;
- confirming logs the letter through deferrals.letters.log_request, exactly as the new-letter
  form does (so its clocks start from the received date), with the original `.eml` as its first
  attachment and the message's attachments after it, and records the e-mail on its
  correspondence;
- discarding needs a reason; the draft stays, with who discarded it, when and why.
Every step is audited. Services only flush; the caller commits.
"""

from __future__ import annotations

from sqlalchemy import select

from tracker.audit.services import record, resolve_actor, snapshot
from tracker.auth.models import User
from tracker.correspondence.drafting import reference_for
from tracker.correspondence.guessing import guess
from tracker.correspondence.models import (
    Correspondence,
    CorrespondenceKind,
    DraftStatus,
    IntakeDraft,
    SentBy,
)
from tracker.correspondence.parsing import MessageRefused, ParsedMessage, parse_message
from tracker.correspondence.services import message_id_known
from tracker.dates import DOMAIN_RANGE_TEXT, in_domain_range, office_date
from tracker.db import utcnow
from tracker.deferrals.attachments import Upload
from tracker.deferrals.letters import log_request
from tracker.deferrals.models import DeferralRequest
from tracker.errors import Conflict, DomainError, NotFound
from tracker.extensions import db
from tracker.plan.importing.resolver import Resolver
from tracker.text import required_text

DRAFT_FIELDS = (
    "message_id",
    "status",
    "source",
    "subject",
    "from_address",
    "received_on",
    "guessed_fips",
    "guessed_kind",
    "guessed_date",
    "eml_sha256",
    "discard_reason",
    "deferral_request_id",
)


class DuplicateMessage(DomainError):
    """The same Message-ID was taken in (or sent) before."""

    status_code = 409


def take_in(
    data: bytes,
    source: str,
    *,
    resolver: Resolver | None = None,
    actor: User | None = None,
) -> IntakeDraft:
    """One e-mail -> one waiting draft, pre-filled with what could be read and guessed.

    Raises MessageRefused (malformed, unknown charset, refused attachment) or DuplicateMessage;
    nothing is written then. Pass one `resolver` when taking in many messages at once.
    """
    parsed = parse_message(data, source)
    seen = message_id_known(parsed.message_id)
    if seen:
        raise DuplicateMessage(
            f"{source}: this message ({parsed.message_id}) was already taken in: {seen}. "
            "Nothing was taken in.",
            field="messages",
        )
    received_on = office_date(parsed.sent_at)
    if not in_domain_range(received_on):  # a sender's clock at 1970, say
        raise MessageRefused(
            f"{source}: it is dated {received_on.isoformat()}, outside the dates the tracker "
            f"keeps ({DOMAIN_RANGE_TEXT}). Nothing was taken in.",
            field="messages",
        )
    guessed = guess(parsed.subject, parsed.text, received_on, resolver or Resolver.from_database())
    actor = resolve_actor(actor)
    draft = IntakeDraft(
        message_id=parsed.message_id,
        status=DraftStatus.WAITING,
        source=source[:255],
        subject=parsed.subject[:998],
        from_name=(parsed.from_name or "")[:200] or None,
        from_address=parsed.from_address[:254],
        to_addresses=parsed.to,
        sent_at=parsed.sent_at,
        received_on=received_on,
        body_text=parsed.text,
        attachment_count=len(parsed.attachments),
        guessed_fips=guessed.fips,
        guessed_kind=guessed.kind.value if guessed.kind else None,
        guessed_date=guessed.requested_date,
        guess_note=" ".join(guessed.notes) or None,
        eml=parsed.original.data,
        eml_sha256=parsed.original.sha256,
        eml_size=parsed.original.size_bytes,
        taken_in_by_id=actor.id if actor else None,
    )
    db.session.add(draft)
    db.session.flush()
    record("intake.take_in", "intake_draft", draft.id, after=snapshot(draft, DRAFT_FIELDS),
           actor=actor)  # fmt: skip
    return draft


def waiting_drafts() -> list[IntakeDraft]:
    """Drafts no editor has decided on yet, oldest message first."""
    statement = (
        select(IntakeDraft)
        .where(IntakeDraft.status == DraftStatus.WAITING)
        .order_by(IntakeDraft.received_on, IntakeDraft.id)
    )
    return list(db.session.scalars(statement))


def recent_decisions(limit: int = 20) -> list[IntakeDraft]:
    """The drafts most recently confirmed or discarded (the trail on the drafts page)."""
    statement = (
        select(IntakeDraft)
        .where(IntakeDraft.status != DraftStatus.WAITING)
        .order_by(IntakeDraft.decided_at.desc(), IntakeDraft.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def decision(draft: IntakeDraft) -> str | None:
    """What became of a draft, in words ("confirmed by … on … as deferral request #12"); None
    while it waits."""
    if draft.status is DraftStatus.WAITING:
        return None
    by = draft.decided_by.email if draft.decided_by else "the tracker"
    text = f"{draft.status.label} by {by} on {draft.decided_at:%Y-%m-%d %H:%M} UTC"
    if draft.deferral_request_id:
        return f"{text} as deferral request #{draft.deferral_request_id}"
    return f"{text}: {draft.discard_reason}"


def get_draft(draft_id: int, *, waiting: bool = False) -> IntakeDraft:
    """The draft with this id; with `waiting`, Conflict when someone already decided on it."""
    draft = db.session.get(IntakeDraft, draft_id)
    if draft is None:
        raise NotFound(f"There is no draft #{draft_id}.")
    if waiting and draft.status is not DraftStatus.WAITING:
        by = draft.decided_by.email if draft.decided_by else "someone"
        raise Conflict(
            f"Draft #{draft.id} was already {draft.status.label} by {by} on "
            f"{draft.decided_at:%Y-%m-%d %H:%M} UTC. Nothing was changed."
        )
    return draft


def reread(draft: IntakeDraft) -> ParsedMessage:
    """The kept `.eml` parsed again (its attachments are not stored twice)."""
    return parse_message(draft.eml, draft.source)


def draft_uploads(parsed: ParsedMessage, source: str) -> list[Upload]:
    """The original message first, then its attachments: the letter's files in that order."""
    name = source if source.lower().endswith(".eml") else f"{source}.eml"
    return [Upload(name, parsed.original.data)] + [
        Upload(item.filename, item.data) for item in parsed.attachments
    ]


def confirm_draft(
    draft: IntakeDraft, *, actor: User | None = None, **letter_fields
) -> DeferralRequest:
    """Log the draft as a letter, with the fields the editor checked (log_request's rules and
    messages apply, InvalidRequest listing every problem), received by e-mail."""
    draft = get_draft(draft.id, waiting=True)
    actor = resolve_actor(actor)
    parsed = reread(draft)
    before = snapshot(draft, DRAFT_FIELDS)
    letter = log_request(
        channel="email",
        uploads=draft_uploads(parsed, draft.source),
        actor=actor,
        **letter_fields,
    )
    db.session.add(
        Correspondence(
            deferral_request_id=letter.id,
            kind=CorrespondenceKind.INCOMING_EMAIL,
            sent_by=SentBy.EMAIL,
            reference=reference_for(letter),
            sender=f"{draft.from_name} <{draft.from_address}>"
            if draft.from_name
            else draft.from_address,
            to_addresses=draft.to_addresses or "",
            subject=draft.subject,
            body=draft.body_text,
            message_id=draft.message_id,
            sent_on=draft.received_on,
            recorded_by_id=actor.id if actor else None,
        )
    )
    draft.status = DraftStatus.CONFIRMED
    draft.deferral_request_id = letter.id
    draft.decided_at = utcnow()
    draft.decided_by_id = actor.id if actor else None
    db.session.flush()
    record("intake.confirm", "intake_draft", draft.id, before=before,
           after=snapshot(draft, DRAFT_FIELDS), actor=actor)  # fmt: skip
    return letter


def discard_draft(draft: IntakeDraft, reason: str | None, *, actor: User | None = None) -> None:
    """Set a draft aside as not a letter (spam, a duplicate sent by post too, …), with a reason.
    The message stays on file, so it cannot be taken in again by mistake."""
    draft = get_draft(draft.id, waiting=True)
    reason = required_text(
        reason,
        "reason",
        missing="Say why the message is discarded.",
        limit=1000,
        too_long="The reason is at most 1,000 characters.",
    )
    actor = resolve_actor(actor)
    before = snapshot(draft, DRAFT_FIELDS)
    draft.status = DraftStatus.DISCARDED
    draft.discard_reason = reason
    draft.decided_at = utcnow()
    draft.decided_by_id = actor.id if actor else None
    db.session.flush()
    record("intake.discard", "intake_draft", draft.id, before=before,
           after=snapshot(draft, DRAFT_FIELDS), actor=actor)  # fmt: skip
