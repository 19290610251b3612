"""Correcting a logged letter: editing what was logged (a sender's name, a date, the county it
came from) and undoing the latest workflow step. Each is a correction with a required reason,
refused with Conflict when the letter changed since the page was rendered, audited with the
values before and after, and kept as a version of the letter (the letter as it was stays
readable "as known at" any earlier moment).

Moving a letter to another jurisdiction moves its effect: it is pending for the new county and
no longer for the old one, from the moment of the correction. Undoing a resolution that changed
the plan voids that plan change in the same transaction. Services flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.services import Actor, resolve_actor, snapshot
from tracker.corrections.models import CorrectionAction, FactKind
from tracker.corrections.services import record_correction, require_reason
from tracker.corrections.versions import note_version
from tracker.deferrals.letters import InvalidRequest, check_letter, strip_text
from tracker.deferrals.models import (
    LOGGED_FIELDS,
    REQUEST_FIELDS,
    DeferralRequest,
    DeferralStatus,
    RequestKind,
)
from tracker.deferrals.queries import get_request, linked_plan_changes
from tracker.deferrals.search import index_words
from tracker.errors import Conflict, DomainError
from tracker.extensions import db
from tracker.plan import corrections as plan_corrections

# What each field is called in a correction's summary.
FIELD_NAMES = {
    "jurisdiction_fips": "jurisdiction",
    "letter_date": "letter date",
    "received_on": "received",
    "channel": "received by",
    "sender_name": "sender",
    "sender_title": "sender title",
    "sender_agency": "sender agency",
    "sender_email": "sender e-mail",
    "sender_address": "sender address",
    "addressed_to": "addressed to",
    "kind": "request",
    "requested_date": "requested date",
    "summary": "summary",
}


def _conflict(request: DeferralRequest) -> Conflict:
    return Conflict(
        f"Deferral request #{request.id} was changed by someone else at the same moment. "
        "Nothing was saved; reload the page and try again."
    )


def _flush(request: DeferralRequest) -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise _conflict(request) from exc


def _correct(
    request: DeferralRequest,
    action: CorrectionAction,
    version_action: str,
    *,
    reason: str,
    summary: str,
    before: dict,
    changes: dict,
    actor: Actor | None,
) -> None:
    """Record the correction of a letter, audited with its values `before` and with `changes`
    applied, then write `changes` to the letter and say that the version the next flush keeps
    is this correction's (`version_action`: "edit", "undo")."""
    written = snapshot(SimpleNamespace(**changes), changes)
    actor = resolve_actor(actor)
    correction = record_correction(
        FactKind.DEFERRAL_REQUEST,
        request.id,
        action,
        reason=reason,
        summary=summary,
        jurisdiction_fips=changes.get("jurisdiction_fips", request.jurisdiction_fips),
        before=before,
        after={**before, **{name: value for name, value in written.items() if name in before}},
        actor=actor,
    )
    for name, value in changes.items():
        setattr(request, name, value)
    note_version(request, version_action, correction=correction, actor=actor)


def _shown(name: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    return getattr(value, "label", None) or (
        value.isoformat() if isinstance(value, dt.date) else str(value)
    )


def edit_line(request: DeferralRequest, before: dict, after: dict, labels: dict) -> str:
    """ "Letter #12: sender Pat Doe → Pat Dough; jurisdiction Travis County, TX → Hays County,
    TX": what an edit changes, field by field."""
    parts = [
        f"{FIELD_NAMES[name]} {labels.get((name, 0), _shown(name, before[name]))} → "
        f"{labels.get((name, 1), _shown(name, after[name]))}"
        for name in LOGGED_FIELDS
        if before[name] != after[name]
    ]
    return f"Letter #{request.id}: " + "; ".join(parts)


def edit_letter(
    request: DeferralRequest,
    *,
    reason: str | None,
    expected_version: int | None,
    actor: Actor | None = None,
    **fields,
) -> DeferralRequest:
    """Correct what was logged of a letter: every field of the logging form (`fields`, the
    keyword arguments of letters.log_request but the attachments), with the same rules, plus:
    the workflow's dates stay in order (a meeting not requested before receipt), a letter whose
    resolution changed the plan keeps its jurisdiction (undo the resolution first), and the
    edit changes something. InvalidRequest lists every broken rule at once."""
    get_request(request.id, expected_version=expected_version)
    checked = check_letter(
        uploads=(),
        require_attachment=False,
        **{
            k: v for k, v in fields.items() if k not in ("sender_title", "sender_agency", "summary")
        },
    )
    errors = dict(checked.errors)
    try:
        reason = require_reason(reason)
    except DomainError as exc:
        errors["reason"] = exc.message
    if checked.jurisdiction is not None:
        moved = checked.jurisdiction.fips != request.jurisdiction_fips
        if moved and linked_plan_changes(request, in_force=True):
            errors["jurisdiction"] = (
                "This letter's resolution changed the plan of "
                f"{request.jurisdiction.label}: undo the resolution before moving the letter."
            )
    received_on = fields.get("received_on")
    first_step = request.meeting_requested_on or request.resolved_on
    if received_on is not None and first_step is not None and received_on > first_step:
        errors["received_on"] = (
            f"The received date cannot be after the letter's next step "
            f"({first_step.isoformat()}); undo that step first."
        )
    if errors:
        raise InvalidRequest(errors)
    before = snapshot(request, REQUEST_FIELDS)
    old_label = request.jurisdiction.label
    kind = checked.kind
    new_values = {
        "jurisdiction_fips": checked.jurisdiction.fips,
        "letter_date": fields.get("letter_date"),
        "received_on": received_on,
        "channel": checked.channel,
        "sender_name": checked.sender_name,
        "sender_title": strip_text(fields.get("sender_title")),
        "sender_agency": strip_text(fields.get("sender_agency")),
        "sender_email": checked.sender_email,
        "sender_address": strip_text(fields.get("sender_address")),
        "addressed_to": checked.addressed_to,
        "kind": kind,
        "requested_date": fields.get("requested_date") if kind is RequestKind.DEFER else None,
        "summary": strip_text(fields.get("summary")),
    }
    current = {name: getattr(request, name) for name in LOGGED_FIELDS}
    if new_values == current:
        raise InvalidRequest({"reason": "The edit changes nothing: correct at least one field."})
    labels = {
        ("jurisdiction_fips", 0): old_label,
        ("jurisdiction_fips", 1): checked.jurisdiction.label,
    }
    _correct(
        request,
        CorrectionAction.AMEND,
        "edit",
        reason=reason,
        summary=edit_line(request, current, new_values, labels),
        before=before,
        changes=new_values,
        actor=actor,
    )
    index_words(request, checked.jurisdiction)
    _flush(request)
    return request


# What undoing the latest step takes back: the status before it and the fields it set.
_UNDO = {
    DeferralStatus.MEETING_REQUESTED: (
        DeferralStatus.RECEIVED,
        ("meeting_requested_on", "meeting_requested_by_id"),
    ),
    DeferralStatus.MEETING_HELD: (
        DeferralStatus.MEETING_REQUESTED,
        ("meeting_held_on", "meeting_held_by_id"),
    ),
}
_CLOSING = ("resolution", "resolved_on", "resolved_by_id", "adjusted_to")


def latest_step(request: DeferralRequest) -> str | None:
    """How the latest workflow step reads ("meeting held on 2010-06-01"), None when the letter
    was only received."""
    if request.status in (DeferralStatus.RESOLVED, DeferralStatus.WITHDRAWN):
        return f"{request.status.label.lower()} on {request.resolved_on.isoformat()}"
    if request.status is DeferralStatus.MEETING_HELD:
        return f"meeting held on {request.meeting_held_on.isoformat()}"
    if request.status is DeferralStatus.MEETING_REQUESTED:
        return f"meeting requested on {request.meeting_requested_on.isoformat()}"
    return None


def undo_voids_plan(request: DeferralRequest) -> bool:
    """Whether undoing the latest step would void a plan change (the resolution wrote one)."""
    return request.status is DeferralStatus.RESOLVED and bool(
        linked_plan_changes(request, in_force=True)
    )


def undo_line(request: DeferralRequest) -> str:
    """ "Letter #12 (Travis County, TX): undo “meeting held on 2010-06-01”"."""
    return f"Letter #{request.id} ({request.jurisdiction.label}): undo “{latest_step(request)}”"


def undo_step(
    request: DeferralRequest,
    *,
    reason: str | None,
    expected_version: int | None,
    actor: Actor | None = None,
) -> DeferralRequest:
    """Undo the letter's latest workflow step, clicked by mistake: the letter goes back to the
    status before it and the step's date and who are cleared. Undoing a resolution that wrote a
    plan change voids that plan change (entered in error, same reason) in this transaction.
    Refused when the letter has no step to undo."""
    get_request(request.id, expected_version=expected_version)
    step = latest_step(request)
    if step is None:
        raise DomainError(
            f"Deferral request #{request.id} was only received: there is no step to undo. "
            "Correct what was logged with “Edit” instead.",
            field="reason",
        )
    reason = require_reason(reason)
    actor = resolve_actor(actor)
    before = snapshot(request, REQUEST_FIELDS)
    summary = undo_line(request)
    if request.status in (DeferralStatus.RESOLVED, DeferralStatus.WITHDRAWN):
        back = (
            DeferralStatus.MEETING_HELD
            if request.meeting_held_on
            else DeferralStatus.MEETING_REQUESTED
            if request.meeting_requested_on
            else DeferralStatus.RECEIVED
        )
        cleared = _CLOSING
    else:
        back, cleared = _UNDO[request.status]
    for change in linked_plan_changes(request, in_force=True):
        plan_corrections.void_plan_change(
            change.id,
            reason=f"{reason} (resolution of letter #{request.id} undone)",
            expected_version=None,
            actor=actor,
        )
    _correct(
        request,
        CorrectionAction.UNDO,
        "undo",
        reason=reason,
        summary=summary,
        before=before,
        changes={"status": back, **dict.fromkeys(cleared)},
        actor=actor,
    )
    _flush(request)
    return request
