"""A letter's workflow, an explicit state machine (DESIGN §2). Every step is audited.

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

from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.services import record, resolve_actor, snapshot
from tracker.auth.models import User
from tracker.dates import today
from tracker.deferrals.models import REQUEST_FIELDS, DeferralRequest, DeferralStatus, Resolution
from tracker.deferrals.queries import get_request
from tracker.errors import Conflict, DomainError
from tracker.extensions import db
from tracker.plan import services as plan

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


def _check_step(request: DeferralRequest, step: str, expected_version: int | None) -> None:
    get_request(request.id, expected_version=expected_version)  # Conflict when it changed
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


def _move(
    request: DeferralRequest,
    step: str,
    status: DeferralStatus,
    actor: User | None,
    *,
    by: str,
    **values,
) -> DeferralRequest:
    """Put the request in `status` with `values`, `by` (a *_by_id column) naming who took the
    step, and audit it as "deferral.<step>" with the values before and after."""
    actor = resolve_actor(actor)
    before = snapshot(request, REQUEST_FIELDS)
    request.status = status
    for name, value in values.items():
        setattr(request, name, value)
    setattr(request, by, actor.id if actor else None)
    _audit_step(f"deferral.{step}", request, before, actor)
    return request


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
    return _move(
        request,
        "request_meeting",
        DeferralStatus.MEETING_REQUESTED,
        actor,
        by="meeting_requested_by_id",
        meeting_requested_on=on,
    )


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
    return _move(
        request,
        "hold_meeting",
        DeferralStatus.MEETING_HELD,
        actor,
        by="meeting_held_by_id",
        meeting_held_on=on,
    )


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
    actor = resolve_actor(actor)
    source = f"deferral request #{request.id}"
    reason = (reason or "").strip() or None
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
    return _move(
        request,
        "resolve",
        DeferralStatus.RESOLVED,
        actor,
        by="resolved_by_id",
        resolution=resolution,
        resolved_on=on,
        adjusted_to=adjusted_to,
    )


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
    return _move(
        request,
        "withdraw",
        DeferralStatus.WITHDRAWN,
        actor,
        by="resolved_by_id",
        resolution=Resolution.WITHDRAWN,
        resolved_on=on,
    )
