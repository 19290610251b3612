"""Logging deferral letters, with their attachments, and their notes. Every write is audited.

The rules a letter must meet, and the words that refuse it, live here: the form only checks
what it can parse, and shows these messages beside its fields. Services only flush; the caller
commits. The workflow that follows a letter's logging is tracker.deferrals.workflow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from tracker.audit.services import record, resolve_actor, snapshot
from tracker.auth.models import User
from tracker.calendar.services import require_in_calendar
from tracker.dates import in_domain_range, out_of_range_message, today
from tracker.deferrals.attachments import CheckedUpload, Upload, check_upload
from tracker.deferrals.models import (
    REQUEST_FIELDS,
    AddressedTo,
    Attachment,
    Channel,
    DeferralNote,
    DeferralRequest,
    DeferralStatus,
    RequestKind,
)
from tracker.deferrals.search import index_words
from tracker.errors import DomainError, NotFound
from tracker.extensions import db
from tracker.mail import check_address
from tracker.registry.lookup import find_jurisdiction
from tracker.registry.models import Jurisdiction
from tracker.text import required_text

ATTACHMENT_FIELDS = ("deferral_request_id", "filename", "media_type", "size_bytes", "sha256")


_Row = TypeVar("_Row", DeferralRequest, Attachment, DeferralNote)


def strip_text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


class InvalidRequest(DomainError):
    """Several fields of a submission are wrong at once; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(" ".join(errors.values()), field=next(iter(errors)))
        self.errors = errors


@dataclass(frozen=True)
class _CheckedLetter:
    errors: dict[str, str]
    jurisdiction: Jurisdiction | None = None
    channel: Channel | None = None
    addressed_to: AddressedTo | None = None
    kind: RequestKind | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    uploads: tuple[CheckedUpload, ...] = ()


def check_letter(
    *,
    jurisdiction: str | None,
    letter_date: dt.date | None,
    received_on: dt.date | None,
    channel: Channel | str | None,
    sender_name: str | None,
    addressed_to: AddressedTo | str | None,
    kind: RequestKind | str | None,
    requested_date: dt.date | None,
    uploads: Sequence[Upload],
    require_attachment: bool,
    sender_email: str | None = None,
    sender_address: str | None = None,
) -> _CheckedLetter:
    errors: dict[str, str] = {}
    found: Jurisdiction | None = None
    try:
        found = find_jurisdiction(jurisdiction)
    except DomainError as exc:
        errors["jurisdiction"] = exc.message
    # A letter dated outside the dates the tracker keeps is refused like any other bad date.
    for name, label, day in (
        ("letter_date", "Letter date", letter_date),
        ("received_on", "Received on", received_on),
        ("requested_date", "Requested date", requested_date),
    ):
        if day is not None and not in_domain_range(day):
            errors[name] = out_of_range_message(day, label)
    letter_date = None if "letter_date" in errors else letter_date
    received_on = None if "received_on" in errors else received_on
    requested_date = None if "requested_date" in errors else requested_date
    if letter_date is None:
        errors.setdefault("letter_date", "Give the date written on the letter.")
    if received_on is None:
        errors.setdefault("received_on", "Give the date the letter was received.")
    elif received_on > today():
        errors["received_on"] = "The received date cannot be in the future."
    elif letter_date is not None and received_on < letter_date:
        errors["received_on"] = "The received date cannot be before the letter date."
    else:
        try:  # the clocks count business days from it
            require_in_calendar(received_on, "received_on")
        except DomainError as exc:
            errors["received_on"] = exc.message
    parsed: dict = {}
    for name, enum_class, message in (
        ("channel", Channel, "Choose how the letter arrived: e-mail, letter or fax."),
        ("addressed_to", AddressedTo, "Choose who the letter is addressed to."),
        ("kind", RequestKind, "Choose what the jurisdiction asks for."),
    ):
        value = {"channel": channel, "addressed_to": addressed_to, "kind": kind}[name]
        try:
            parsed[name] = enum_class(value)
        except ValueError:
            errors[name] = message
    if parsed.get("kind") is RequestKind.DEFER:
        if requested_date is None:
            errors.setdefault("requested_date", "A request to defer must give the date asked for.")
        elif letter_date is not None and requested_date <= letter_date:
            errors["requested_date"] = "The date asked for must be after the letter date."
    sender_name = strip_text(sender_name)
    if sender_name is None:
        errors["sender_name"] = "Give the name of the person who signed or sent the letter."
    checked_email = None
    try:
        checked_email = check_address(sender_email, "sender_email")
    except DomainError as exc:
        errors["sender_email"] = exc.message
    if sender_address and len(sender_address) > 1000:
        errors["sender_address"] = "The postal address is at most 1,000 characters."
    checked: list[CheckedUpload] = []
    problems: list[str] = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except DomainError as exc:
            problems.append(exc.message)
    if problems:
        errors["attachments"] = " ".join(problems)
    elif require_attachment and not checked:
        errors["attachments"] = "Attach the letter or e-mail (a scan, PDF, image or .eml file)."
    return _CheckedLetter(
        errors=errors,
        jurisdiction=found,
        sender_name=sender_name,
        sender_email=checked_email,
        uploads=tuple(checked),
        **parsed,
    )


def letter_errors(**fields) -> dict[str, str]:
    """{field: message} for every rule of log_request() the fields break, writing nothing.

    The form calls it when its own checks fail, so every problem is shown at once.
    """
    fields.setdefault("require_attachment", True)
    fields.setdefault("requested_date", None)
    fields.setdefault("uploads", ())
    for name in ("sender_title", "sender_agency", "summary"):
        fields.pop(name, None)
    return check_letter(**fields).errors


def log_request(
    *,
    jurisdiction: str,
    letter_date: dt.date | None,
    received_on: dt.date | None,
    channel: Channel | str,
    sender_name: str | None,
    addressed_to: AddressedTo | str,
    kind: RequestKind | str,
    requested_date: dt.date | None = None,
    sender_title: str | None = None,
    sender_agency: str | None = None,
    sender_email: str | None = None,
    sender_address: str | None = None,
    summary: str | None = None,
    uploads: Sequence[Upload] = (),
    require_attachment: bool = True,
    is_demo: bool = False,
    actor: User | None = None,
) -> DeferralRequest:
    """Log a letter received from a jurisdiction, with its attachments, all or nothing.

    Rules: the jurisdiction exists; the received date is given, not in the future, not before
    the letter date and inside the business-day calendar (the clocks count from it); a request
    to defer names the date asked for, after the letter date; a sender is named, and the
    sender's e-mail for answers, when given, is a valid address; every attachment passes
    check_upload (and at least one is given unless `require_attachment` is false). Every broken
    rule is reported at once (InvalidRequest) and nothing is written.
    """
    letter = check_letter(
        jurisdiction=jurisdiction,
        letter_date=letter_date,
        received_on=received_on,
        channel=channel,
        sender_name=sender_name,
        addressed_to=addressed_to,
        kind=kind,
        requested_date=requested_date,
        uploads=uploads,
        require_attachment=require_attachment,
        sender_email=sender_email,
        sender_address=sender_address,
    )
    if letter.errors:
        raise InvalidRequest(letter.errors)
    kind = letter.kind
    actor = resolve_actor(actor)
    request = DeferralRequest(
        jurisdiction_fips=letter.jurisdiction.fips,
        letter_date=letter_date,
        received_on=received_on,
        channel=letter.channel,
        sender_name=letter.sender_name,
        sender_title=strip_text(sender_title),
        sender_agency=strip_text(sender_agency),
        sender_email=letter.sender_email,
        sender_address=strip_text(sender_address),
        addressed_to=letter.addressed_to,
        kind=kind,
        requested_date=requested_date if kind is RequestKind.DEFER else None,
        summary=strip_text(summary),
        status=DeferralStatus.RECEIVED,
        is_demo=is_demo,
        created_by_id=actor.id if actor else None,
    )
    index_words(request, letter.jurisdiction)
    _add("deferral.log", request, lambda: snapshot(request, REQUEST_FIELDS), actor)
    for upload in letter.uploads:
        _store_attachment(request, upload, actor)
    db.session.flush()
    return request


def _add(action: str, row: _Row, after: Callable[[], dict], actor: User | None) -> _Row:
    """Add a letter, or a row of one, flush it (for its id) and audit `action` on the letter
    with `after()`."""
    db.session.add(row)
    db.session.flush()
    letter_id = row.id if isinstance(row, DeferralRequest) else row.deferral_request_id
    record(action, "deferral_request", letter_id, after=after(), actor=actor)
    return row


def _store_attachment(
    request: DeferralRequest, upload: CheckedUpload, actor: User | None
) -> Attachment:
    attachment = Attachment(
        deferral_request_id=request.id,
        filename=upload.filename,
        media_type=upload.media_type,
        size_bytes=upload.size_bytes,
        sha256=upload.sha256,
        content=upload.data,
        uploaded_by_id=actor.id if actor else None,
    )
    return _add(
        "deferral.attach",
        attachment,
        lambda: {"attachment_id": attachment.id, **snapshot(attachment, ATTACHMENT_FIELDS)},
        actor,
    )


def add_attachment(
    request: DeferralRequest, upload: Upload, *, actor: User | None = None
) -> Attachment:
    """Keep one more file on a request: type judged from its content, within the size limit,
    not empty, bytes unaltered, SHA-256 recorded. Allowed in any status (a late scan)."""
    checked = check_upload(upload)
    return _store_attachment(request, checked, resolve_actor(actor))


def get_attachment(request_id: int, attachment_id: int) -> Attachment:
    """An attachment of that request; NotFound when it belongs to another request."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.deferral_request_id != request_id:
        raise NotFound("There is no such attachment on this request.")
    return attachment


def add_note(
    request: DeferralRequest, body: str | None, *, actor: User | None = None
) -> DeferralNote:
    """Append a note. Notes are never edited or deleted; an empty note is refused."""
    body = required_text(
        body,
        "body",
        missing="Write the note before adding it.",
        limit=10_000,
        too_long="A note can be at most 10,000 characters.",
    )
    actor = resolve_actor(actor)
    note = DeferralNote(
        deferral_request_id=request.id, body=body, author_id=actor.id if actor else None
    )
    return _add("deferral.note", note, lambda: {"note_id": note.id, "body": body}, actor)
