"""Logging deferral letters and moving them through the workflow. Every write is audited.

The workflow is an explicit state machine (DESIGN §2):

    received -> meeting requested -> meeting held -> resolved
    received | meeting requested | meeting held -> withdrawn

Each step checks the current state and raises DomainError on an illegal move, records its date
(never in the future, never before the previous step) and who took it, and bumps the request's
version, so a form rendered before someone else's step is refused (Conflict). Resolving with
"date adjusted" or "removed from plan" writes the linked plan change in the same transaction.
Services only flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.services import current_actor, record, snapshot
from tracker.auth.models import User
from tracker.dates import today
from tracker.deferrals.attachments import CheckedUpload, Upload, check_upload

# The public surface other features call (dashboard, jurisdiction page, API) is re-exported here.
from tracker.deferrals.clocks import badges_for, open_request_counts  # noqa: F401
from tracker.deferrals.models import (
    AddressedTo,
    Attachment,
    Channel,
    DeferralNote,
    DeferralRequest,
    DeferralStatus,
    RequestKind,
    Resolution,
)
from tracker.deferrals.queries import (  # noqa: F401
    get_request,
    history,
    linked_plan_changes,
    requests_for_jurisdiction,
    timeline_steps,
)
from tracker.errors import Conflict, DomainError, NotFound
from tracker.extensions import db
from tracker.plan import services as plan
from tracker.registry.lookup import find_jurisdiction
from tracker.registry.models import Jurisdiction

REQUEST_FIELDS = (
    "jurisdiction_fips",
    "letter_date",
    "received_on",
    "channel",
    "sender_name",
    "sender_title",
    "sender_agency",
    "addressed_to",
    "kind",
    "requested_date",
    "summary",
    "status",
    "meeting_requested_on",
    "meeting_held_on",
    "resolution",
    "resolved_on",
    "adjusted_to",
    "is_demo",
)
ATTACHMENT_FIELDS = ("deferral_request_id", "filename", "media_type", "size_bytes", "sha256")

# The legal moves: from each status, the steps that may be taken next.
TRANSITIONS: dict[DeferralStatus, tuple[str, ...]] = {
    DeferralStatus.RECEIVED: ("request_meeting", "withdraw"),
    DeferralStatus.MEETING_REQUESTED: ("hold_meeting", "withdraw"),
    DeferralStatus.MEETING_HELD: ("resolve", "withdraw"),
    DeferralStatus.RESOLVED: (),
    DeferralStatus.WITHDRAWN: (),
}
STEP_LABELS = {
    "request_meeting": "request a meeting",
    "hold_meeting": "record the meeting as held",
    "resolve": "record a resolution",
    "withdraw": "record the request as withdrawn",
}


def allowed_steps(request: DeferralRequest) -> tuple[str, ...]:
    """The workflow steps that are legal from the request's current status."""
    return TRANSITIONS[request.status]


class InvalidRequest(DomainError):
    """Several fields of a submission are wrong at once; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field, first_message = next(iter(errors.items()))
        super().__init__(" ".join(errors.values()), field=first_field)
        self.errors = errors


# --- logging a letter ------------------------------------------------------------------------


def _actor(actor: User | None) -> User | None:
    return actor if actor is not None else current_actor()


def _strip(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@dataclass(frozen=True)
class _CheckedLetter:
    errors: dict[str, str]
    jurisdiction: Jurisdiction | None = None
    channel: Channel | None = None
    addressed_to: AddressedTo | None = None
    kind: RequestKind | None = None
    sender_name: str | None = None
    uploads: tuple[CheckedUpload, ...] = ()


def _check_letter(
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
) -> _CheckedLetter:
    errors: dict[str, str] = {}
    found: Jurisdiction | None = None
    try:
        found = find_jurisdiction(jurisdiction)
    except DomainError as exc:
        errors["jurisdiction"] = exc.message
    if letter_date is None:
        errors["letter_date"] = "Give the date written on the letter."
    if received_on is None:
        errors["received_on"] = "Give the date the letter was received."
    elif received_on > today():
        errors["received_on"] = "The received date cannot be in the future."
    elif letter_date is not None and received_on < letter_date:
        errors["received_on"] = "The received date cannot be before the letter date."
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
            errors["requested_date"] = "A request to defer must give the date asked for."
        elif letter_date is not None and requested_date <= letter_date:
            errors["requested_date"] = "The date asked for must be after the letter date."
    sender_name = _strip(sender_name)
    if sender_name is None:
        errors["sender_name"] = "Give the name of the person who signed or sent the letter."
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
    return _check_letter(**fields).errors


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
    summary: str | None = None,
    uploads: Sequence[Upload] = (),
    require_attachment: bool = True,
    is_demo: bool = False,
    actor: User | None = None,
) -> DeferralRequest:
    """Log a letter received from a jurisdiction, with its attachments, all or nothing.

    Rules: the jurisdiction exists; the received date is given, not in the future and not before
    the letter date; a request to defer names the date asked for, after the letter date; a
    sender is named; every attachment passes check_upload (and at least one is given unless
    `require_attachment` is false). Every broken rule is reported at once (InvalidRequest) and
    nothing is written.
    """
    letter = _check_letter(
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
    )
    if letter.errors:
        raise InvalidRequest(letter.errors)
    kind = letter.kind
    actor = _actor(actor)
    request = DeferralRequest(
        jurisdiction_fips=letter.jurisdiction.fips,
        letter_date=letter_date,
        received_on=received_on,
        channel=letter.channel,
        sender_name=letter.sender_name,
        sender_title=_strip(sender_title),
        sender_agency=_strip(sender_agency),
        addressed_to=letter.addressed_to,
        kind=kind,
        requested_date=requested_date if kind is RequestKind.DEFER else None,
        summary=_strip(summary),
        status=DeferralStatus.RECEIVED,
        is_demo=is_demo,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(request)
    db.session.flush()
    record(
        "deferral.log",
        "deferral_request",
        request.id,
        after=snapshot(request, REQUEST_FIELDS),
        actor=actor,
    )
    for upload in letter.uploads:
        _store_attachment(request, upload, actor)
    db.session.flush()
    return request


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
    db.session.add(attachment)
    db.session.flush()
    record(
        "deferral.attach",
        "deferral_request",
        request.id,
        after={"attachment_id": attachment.id, **snapshot(attachment, ATTACHMENT_FIELDS)},
        actor=actor,
    )
    return attachment


def add_attachment(
    request: DeferralRequest, upload: Upload, *, actor: User | None = None
) -> Attachment:
    """Keep one more file on a request: type judged from its content, within the size limit,
    not empty, bytes unaltered, SHA-256 recorded. Allowed in any status (a late scan)."""
    checked = check_upload(upload)
    return _store_attachment(request, checked, _actor(actor))


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
    body = (body or "").strip()
    if not body:
        raise DomainError("Write the note before adding it.", field="body")
    if len(body) > 10_000:
        raise DomainError("A note can be at most 10,000 characters.", field="body")
    actor = _actor(actor)
    note = DeferralNote(
        deferral_request_id=request.id, body=body, author_id=actor.id if actor else None
    )
    db.session.add(note)
    db.session.flush()
    record(
        "deferral.note",
        "deferral_request",
        request.id,
        after={"note_id": note.id, "body": body},
        actor=actor,
    )
    return note


# --- the workflow ----------------------------------------------------------------------------


def _check_step(request: DeferralRequest, step: str, expected_version: int | None) -> None:
    if expected_version is not None and request.version_id != expected_version:
        raise Conflict(
            f"Deferral request #{request.id} was changed by someone else since you opened this "
            "page (see its history). Nothing was saved; review the change and try again."
        )
    if step not in TRANSITIONS[request.status]:
        legal = ", ".join(STEP_LABELS[s] for s in TRANSITIONS[request.status]) or "none (closed)"
        raise DomainError(
            f"Cannot {STEP_LABELS[step]}: deferral request #{request.id} is "
            f"{request.status.label.lower()}. Possible next steps: {legal}.",
            field="status",
        )


def _check_date(on: dt.date | None, not_before: dt.date, what: str, field: str = "on") -> dt.date:
    if on is None:
        raise DomainError(f"Give the date {what}.", field=field)
    if on > today():
        raise DomainError(f"The date {what} cannot be in the future.", field=field)
    if on < not_before:
        raise DomainError(
            f"The date {what} cannot be before {not_before.isoformat()} (the previous step).",
            field=field,
        )
    return on


def _audit_step(action: str, request: DeferralRequest, before: dict, actor: User | None) -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:
        # Someone else's step committed between our read and our write (version check in SQL).
        raise Conflict(
            f"Deferral request #{request.id} was changed by someone else at the same moment. "
            "Nothing was saved; reload the page and try again."
        ) from exc
    record(
        action,
        "deferral_request",
        request.id,
        before=before,
        after=snapshot(request, REQUEST_FIELDS),
        actor=actor,
    )


def request_meeting(
    request: DeferralRequest,
    on: dt.date | None,
    *,
    expected_version: int | None = None,
    actor: User | None = None,
) -> DeferralRequest:
    """received -> meeting requested, on a date not before receipt and not in the future."""
    _check_step(request, "request_meeting", expected_version)
    on = _check_date(on, request.received_on, "the meeting was requested")
    actor = _actor(actor)
    before = snapshot(request, REQUEST_FIELDS)
    request.status = DeferralStatus.MEETING_REQUESTED
    request.meeting_requested_on = on
    request.meeting_requested_by_id = actor.id if actor else None
    _audit_step("deferral.request_meeting", request, before, actor)
    return request


def hold_meeting(
    request: DeferralRequest,
    on: dt.date | None,
    *,
    expected_version: int | None = None,
    actor: User | None = None,
) -> DeferralRequest:
    """meeting requested -> meeting held, on a date not before the request for it."""
    _check_step(request, "hold_meeting", expected_version)
    on = _check_date(on, request.meeting_requested_on, "the meeting was held")
    actor = _actor(actor)
    before = snapshot(request, REQUEST_FIELDS)
    request.status = DeferralStatus.MEETING_HELD
    request.meeting_held_on = on
    request.meeting_held_by_id = actor.id if actor else None
    _audit_step("deferral.hold_meeting", request, before, actor)
    return request


def resolve(
    request: DeferralRequest,
    resolution: Resolution | str,
    on: dt.date | None,
    *,
    adjusted_to: dt.date | None = None,
    reason: str | None = None,
    expected_version: int | None = None,
    actor: User | None = None,
) -> DeferralRequest:
    """meeting held -> resolved, recording the outcome of the meeting.

    "date adjusted" needs the new scheduled date (after the resolution date) and writes that
    plan change, linked to the request; "removed from plan" writes the removal; "proceeds as
    scheduled" leaves the plan as it is. Plan changes are decided on the resolution date, in
    this transaction: if the plan refuses (e.g. the jurisdiction already activated), nothing is
    written. Withdrawal has its own step, withdraw().
    """
    _check_step(request, "resolve", expected_version)
    try:
        resolution = Resolution(resolution)
    except ValueError as exc:
        raise DomainError("Choose a resolution.", field="resolution") from exc
    if resolution is Resolution.WITHDRAWN:
        raise DomainError(
            "A withdrawal is recorded with “Withdrawn”, not as a resolution.", field="resolution"
        )
    on = _check_date(on, request.meeting_held_on, "of the resolution")
    if resolution is Resolution.DATE_ADJUSTED:
        if adjusted_to is None:
            raise DomainError(
                "Give the new scheduled activation date for “date adjusted”.", field="adjusted_to"
            )
        if adjusted_to <= on:
            raise DomainError(
                "The new scheduled date must be after the date of the resolution.",
                field="adjusted_to",
            )
    elif adjusted_to is not None:
        raise DomainError(
            "A new scheduled date goes only with “date adjusted”.", field="adjusted_to"
        )
    actor = _actor(actor)
    before = snapshot(request, REQUEST_FIELDS)
    source = f"deferral request #{request.id}"
    reason = _strip(reason)
    if resolution is Resolution.DATE_ADJUSTED:
        plan.schedule(
            request.jurisdiction_fips,
            adjusted_to,
            decided_on=on,
            reason=reason or f"Deferral request #{request.id}: activation date adjusted",
            source=source,
            deferral_request_id=request.id,
            is_demo=request.is_demo,
            actor=actor,
        )
    elif resolution is Resolution.REMOVED_FROM_PLAN:
        plan.remove_from_plan(
            request.jurisdiction_fips,
            decided_on=on,
            reason=reason or f"Deferral request #{request.id}: removed from the plan",
            source=source,
            deferral_request_id=request.id,
            is_demo=request.is_demo,
            actor=actor,
        )
    request.status = DeferralStatus.RESOLVED
    request.resolution = resolution
    request.resolved_on = on
    request.resolved_by_id = actor.id if actor else None
    request.adjusted_to = adjusted_to
    _audit_step("deferral.resolve", request, before, actor)
    return request


def withdraw(
    request: DeferralRequest,
    on: dt.date | None,
    *,
    expected_version: int | None = None,
    actor: User | None = None,
) -> DeferralRequest:
    """Any open status -> withdrawn: the jurisdiction took its letter back. The plan is
    unchanged. Dated not before the latest step so far."""
    _check_step(request, "withdraw", expected_version)
    latest = request.meeting_held_on or request.meeting_requested_on or request.received_on
    on = _check_date(on, latest, "of the withdrawal")
    actor = _actor(actor)
    before = snapshot(request, REQUEST_FIELDS)
    request.status = DeferralStatus.WITHDRAWN
    request.resolution = Resolution.WITHDRAWN
    request.resolved_on = on
    request.resolved_by_id = actor.id if actor else None
    _audit_step("deferral.withdraw", request, before, actor)
    return request
