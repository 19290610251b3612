"""Correcting the plan's append-only facts: an activation or a plan change amended (new values)
or marked entered in error (void). Nothing is overwritten: an amendment appends the corrected
fact, and the old one stays, superseded by the correction, in the history.

Each correction has a required reason, is refused with Conflict when the jurisdiction changed
since the form was rendered (`expected_version`), bumps the jurisdiction's version, and is
audited with the values before and after (tracker.corrections.services.record_correction).
Services flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt

from tracker.audit.services import Actor, snapshot
from tracker.corrections.models import Correction, CorrectionAction, FactKind
from tracker.corrections.services import record_correction, require_reason, supersede
from tracker.dates import today
from tracker.errors import DomainError, NotFound
from tracker.extensions import db
from tracker.plan.models import Activation, PlanChange, PlanChangeKind
from tracker.plan.services import (
    ACTIVATION_FIELDS,
    PLAN_CHANGE_FIELDS,
    activation_of,
    bump_version,
    plan_text,
    refuse_if_activated,
)
from tracker.registry.lookup import get_jurisdiction
from tracker.registry.models import Jurisdiction

IN_ERROR = "entered in error"


def activation_line(label: str, before: dt.date, after: dt.date | str | None) -> str:
    """ "Activation 2010-06-08 → 2010-06-09 for San Francisco County, CA" (or "→ entered in
    error"): how a correction of an activation reads before and after it is made."""
    after_text = after.isoformat() if isinstance(after, dt.date) else (after or IN_ERROR)
    return f"Activation {before.isoformat()} → {after_text} for {label}"


def plan_change_line(label: str, change: PlanChange, after: str | None = None) -> str:
    """ "Plan change decided 2010-05-01 (scheduled for 2010-06-08) → decided 2010-05-01
    (scheduled for 2010-06-09) for San Francisco County, CA" (or "→ entered in error")."""
    before = (
        f"decided {change.decided_on.isoformat()} ({plan_text(change.kind, change.scheduled_on)})"
    )
    return f"Plan change {before} → {after or IN_ERROR} for {label}"


def decision_text(kind: PlanChangeKind, scheduled_on: dt.date | None, decided_on: dt.date) -> str:
    return f"decided {decided_on.isoformat()} ({plan_text(kind, scheduled_on)})"


def _activation_to_correct(jurisdiction: Jurisdiction) -> Activation:
    current = activation_of(jurisdiction.fips)
    if current is None:
        raise DomainError(
            f"{jurisdiction.label} has no activation recorded: there is nothing to correct.",
            field="activated_on",
        )
    return current


def _check_day(day: dt.date | None, what: str, field: str) -> dt.date:
    if day is None:
        raise DomainError(f"Give the {what}.", field=field)
    if day > today():
        raise DomainError(f"The {what} cannot be in the future.", field=field)
    return day


# What a correction records of each of the plan's append-only facts.
_FACTS = {
    Activation: (FactKind.ACTIVATION, ACTIVATION_FIELDS),
    PlanChange: (FactKind.PLAN_CHANGE, PLAN_CHANGE_FIELDS),
}


def _correct(
    jurisdiction: Jurisdiction,
    old: PlanChange | Activation,
    *,
    reason: str | None,
    summary: str,
    replacement: PlanChange | Activation | None = None,
    actor: Actor | None,
) -> Correction:
    """Record the correction of `old`, one of the jurisdiction's append-only facts: amended
    when a `replacement` is given (audited with both facts' values), else entered in error.
    `old` is superseded by it, and `replacement` appended, recorded by the correction's author
    at its moment."""
    kind, fields = _FACTS[type(old)]
    correction = record_correction(
        kind,
        old.id,
        CorrectionAction.AMEND if replacement is not None else CorrectionAction.VOID,
        reason=reason,
        summary=summary,
        jurisdiction_fips=jurisdiction.fips,
        before=snapshot(old, fields),
        after=snapshot(replacement, fields) if replacement is not None else None,
        actor=actor,
    )
    supersede(old, correction)
    bump_version(jurisdiction)
    db.session.flush()  # the old fact leaves "in force" before its replacement enters it
    if replacement is not None:
        replacement.recorded_at = correction.recorded_at
        replacement.recorded_by_id = correction.recorded_by_id
        db.session.add(replacement)
        db.session.flush()
        correction.replacement_id = replacement.id
        db.session.flush()
    return correction


def _amend(
    jurisdiction: Jurisdiction, old: PlanChange | Activation, changes: dict, **correction
) -> PlanChange | Activation:
    """Append the fact as corrected, `old`'s values with `changes`, and supersede `old`
    (_correct, given the correction's reason, summary and actor); returns the new fact."""
    _kind, fields = _FACTS[type(old)]
    replacement = type(old)(**{**{name: getattr(old, name) for name in fields}, **changes})
    _correct(jurisdiction, old, replacement=replacement, **correction)
    return replacement


def correct_activation(
    fips: str,
    activated_on: dt.date | None,
    *,
    reason: str | None,
    expected_version: int | None,
    actor: Actor | None = None,
) -> Activation:
    """Amend the date of the jurisdiction's activation: the corrected activation is appended
    and the old one superseded (it stays in the history). The date is required, not in the
    future, and differs from the one recorded; the reason is required."""
    jurisdiction = get_jurisdiction(fips, for_update_version=expected_version)
    current = _activation_to_correct(jurisdiction)
    activated_on = _check_day(activated_on, "activation date", "activated_on")
    reason = require_reason(reason)
    if activated_on == current.activated_on:
        raise DomainError(
            f"{jurisdiction.label} is already recorded as activated on "
            f"{activated_on.isoformat()}: give the corrected date.",
            field="activated_on",
        )
    return _amend(
        jurisdiction,
        current,
        {"activated_on": activated_on},
        reason=reason,
        summary=activation_line(jurisdiction.label, current.activated_on, activated_on),
        actor=actor,
    )


def void_activation(
    fips: str, *, reason: str | None, expected_version: int | None, actor: Actor | None = None
) -> Correction:
    """Mark the jurisdiction's activation as entered in error: from now on it has none (the
    plan in force applies again), and the voided activation stays in the history."""
    jurisdiction = get_jurisdiction(fips, for_update_version=expected_version)
    current = _activation_to_correct(jurisdiction)
    return _correct(
        jurisdiction,
        current,
        reason=require_reason(reason),
        summary=activation_line(jurisdiction.label, current.activated_on, None),
        actor=actor,
    )


def plan_change_in_force(
    change_id: int, expected_version: int | None
) -> tuple[PlanChange, Jurisdiction]:
    """The plan change with this id and its jurisdiction, checked unchanged since the form was
    rendered at `expected_version` (Conflict), and not corrected already."""
    change = db.session.get(PlanChange, change_id)
    if change is None:
        raise NotFound(f"There is no plan change #{change_id}.", field="change")
    jurisdiction = get_jurisdiction(change.jurisdiction_fips, for_update_version=expected_version)
    if change.superseded_at is not None:
        raise DomainError(
            f"Plan change #{change_id} was already corrected; correct the entry in force.",
            field="change",
        )
    return change, jurisdiction


def correct_plan_change(
    change_id: int,
    *,
    scheduled_on: dt.date | None,
    decided_on: dt.date | None,
    reason: str | None,
    source: str | None = None,
    expected_version: int | None,
    actor: Actor | None = None,
) -> PlanChange:
    """Amend a plan change: its scheduled date (None: a removal from the plan), the date it was
    decided (not in the future) and, optionally, its source. The corrected change is appended,
    linked to the same letter, and the old one superseded. Refused when it says nothing new,
    or when the corrected decision falls on or after the jurisdiction's activation."""
    old, jurisdiction = plan_change_in_force(change_id, expected_version)
    decided_on = _check_day(decided_on, "decision date", "decided_on")
    reason = require_reason(reason)
    kind = PlanChangeKind.SCHEDULED if scheduled_on is not None else PlanChangeKind.REMOVED
    source = (source or "").strip() or old.source
    if (kind, scheduled_on, decided_on, source) == (
        old.kind,
        old.scheduled_on,
        old.decided_on,
        old.source,
    ):
        raise DomainError(
            "The correction gives the same values as the entry: change the date, the decision "
            "date or the source.",
            field="scheduled_on",
        )
    refuse_if_activated(jurisdiction, decided_on)
    # The corrected change keeps the old one's reason, letter and demo mark.
    return _amend(
        jurisdiction,
        old,
        {"kind": kind, "scheduled_on": scheduled_on, "decided_on": decided_on, "source": source},
        reason=reason,
        summary=plan_change_line(
            jurisdiction.label, old, decision_text(kind, scheduled_on, decided_on)
        ),
        actor=actor,
    )


def void_plan_change(
    change_id: int,
    *,
    reason: str | None,
    expected_version: int | None,
    actor: Actor | None = None,
) -> Correction:
    """Mark a plan change as entered in error: the plan falls back to the change in force
    before it; the voided change stays in the history."""
    old, jurisdiction = plan_change_in_force(change_id, expected_version)
    return _correct(
        jurisdiction,
        old,
        reason=reason,
        summary=plan_change_line(jurisdiction.label, old),
        actor=actor,
    )
