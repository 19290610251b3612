"""Keeping a state's identification bureau and agreement dates up to date. Every write is audited."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.services import Actor, record, resolve_actor, snapshot
from tracker.corrections.models import CorrectionAction, FactKind
from tracker.corrections.services import record_correction
from tracker.corrections.versions import note_version
from tracker.dates import today
from tracker.errors import Conflict, DomainError
from tracker.extensions import db
from tracker.mail import check_address
from tracker.registry.lookup import get_state
from tracker.registry.models import STATE_FIELDS, State


def update_state(
    code: str,
    *,
    expected_version: int,
    sib_name: str | None,
    sib_contact: str | None,
    moa_signed_on: dt.date | None,
    moa_terminated_on: dt.date | None,
    receives_results: bool,
    sib_email: str | None = None,
    reason: str | None = None,
    actor: Actor | None = None,
) -> State:
    """Record a state's identification bureau, agreement dates and whether it receives results.

    The SIB's e-mail, when given, must be a valid address. An MOA can only be terminated after
    it was signed (on or after the signing date), and neither date may be in the future.
    Refused with Conflict if the state changed since the form was rendered. Audited as
    "state.update" with before and after values. Every save is kept as a version of the
    state's facts; with a `reason` it is recorded as a correction of what was recorded wrongly
    (without one, as news: an agreement signed or ended, a new contact).
    """
    state = get_state(code, for_update_version=expected_version)
    sib_name = (sib_name or "").strip() or None
    sib_contact = (sib_contact or "").strip() or None
    if sib_name and len(sib_name) > 200:
        raise DomainError("The SIB name is at most 200 characters.", field="sib_name")
    for name, value in (("moa_signed_on", moa_signed_on), ("moa_terminated_on", moa_terminated_on)):
        if value is not None and value > today():
            raise DomainError("An MOA date cannot be in the future.", field=name)
    if moa_terminated_on is not None and moa_signed_on is None:
        raise DomainError(
            "An MOA cannot be terminated without having been signed: give the signing date.",
            field="moa_signed_on",
        )
    if moa_terminated_on is not None and moa_terminated_on < moa_signed_on:
        raise DomainError(
            "The MOA termination date must be on or after the date it was signed.",
            field="moa_terminated_on",
        )
    sib_email = check_address(sib_email, "sib_email")
    before = snapshot(state, STATE_FIELDS)
    new = {
        "sib_name": sib_name,
        "sib_contact": sib_contact,
        "sib_email": sib_email,
        "moa_signed_on": moa_signed_on,
        "moa_terminated_on": moa_terminated_on,
        "receives_results": bool(receives_results),
    }
    if (reason or "").strip() and new != {name: getattr(state, name) for name in STATE_FIELDS}:
        correction = record_correction(
            FactKind.STATE,
            state.postal,
            CorrectionAction.AMEND,
            reason=reason,
            summary=f"{state.name}: bureau and agreement corrected",
            before=before,
            after=snapshot(SimpleNamespace(**new), STATE_FIELDS),
            actor=actor,
            flush=False,
        )
        note_version(state, "correct", correction=correction, actor=resolve_actor(actor))
    state.sib_name = sib_name
    state.sib_email = sib_email
    state.sib_contact = sib_contact
    state.moa_signed_on = moa_signed_on
    state.moa_terminated_on = moa_terminated_on
    state.receives_results = bool(receives_results)
    try:
        db.session.flush()
    except StaleDataError as exc:  # another save landed between our check and our write
        raise Conflict(
            f"{state.name} was changed by someone else while you were saving. Nothing was "
            "saved; reload the page and try again."
        ) from exc
    after = snapshot(state, STATE_FIELDS)
    if after != before:
        record("state.update", "state", state.postal, before=before, after=after, actor=actor)
    return state
