"""Changing the plan: schedule, remove, record an activation. Every write is audited.

Plan changes are append-only; "rescheduling" is a new plan change decided on a later date. Each
write bumps the jurisdiction's version, so a form rendered before someone else's change is
refused instead of silently overwriting it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, exists, func, literal, null, select
from sqlalchemy.sql import Subquery
from sqlalchemy.sql.elements import ColumnElement

from tracker.audit.services import current_actor, record, snapshot
from tracker.auth.models import User
from tracker.dates import today
from tracker.db import utcnow
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plan.models import Activation, PlanChange, PlanChangeKind
from tracker.registry.lookup import get_jurisdiction
from tracker.registry.models import Jurisdiction
from tracker.text import required_text

PLAN_CHANGE_FIELDS = (
    "jurisdiction_fips",
    "kind",
    "scheduled_on",
    "decided_on",
    "reason",
    "source",
    "deferral_request_id",
    "is_demo",
)
ACTIVATION_FIELDS = ("jurisdiction_fips", "activated_on", "source", "is_demo")


def _actor_id(actor: User | None) -> int | None:
    actor = actor or current_actor()
    return actor.id if actor is not None else None


def bump_version(jurisdiction: Jurisdiction) -> None:
    # Dirtying the row makes SQLAlchemy issue UPDATE ... WHERE version_id = <read version>,
    # which fails (StaleDataError) if a concurrent transaction got there first.
    jurisdiction.updated_at = utcnow()


def plan_in_force(as_of: dt.date | None = None, known_at: dt.datetime | None = None) -> Subquery:
    """Each jurisdiction's plan change in force on `as_of` (every change so far when None) as
    the records stood at `known_at` (now when None): among the changes recorded by then and not
    yet corrected, the latest decided on or before `as_of`, ties broken by the order they were
    recorded.

    A subquery of (fips, kind, scheduled_on, decided_on), one row per jurisdiction with a plan.
    The one definition the status rule, the letter clocks and the plan import all read.
    """
    ranked = select(
        PlanChange.jurisdiction_fips.label("fips"),
        PlanChange.kind.label("kind"),
        PlanChange.scheduled_on.label("scheduled_on"),
        PlanChange.decided_on.label("decided_on"),
        func.row_number()
        .over(
            partition_by=PlanChange.jurisdiction_fips,
            order_by=(PlanChange.decided_on.desc(), PlanChange.id.desc()),
        )
        .label("rank"),
    ).where(PlanChange.in_force(known_at))
    if as_of is not None:
        ranked = ranked.where(PlanChange.decided_on <= as_of)
    ranked = ranked.subquery("ranked_plan")
    return (
        select(ranked.c.fips, ranked.c.kind, ranked.c.scheduled_on, ranked.c.decided_on)
        .where(ranked.c.rank == literal(1))
        .subquery("plan_in_force")
    )


def activated_by(as_of: dt.date, known_at: dt.datetime | None = None):
    """The join condition for "the jurisdiction's activation in force at `known_at`, made on or
    before `as_of`" (there is at most one)."""
    return and_(Activation.activated_on <= as_of, Activation.in_force(known_at))


def scheduled_on_in_force(
    fips: ColumnElement, as_of: dt.date, known_at: dt.datetime | None = None
) -> ColumnElement:
    """SQL for the activation date that the plan in force on `as_of`, as the records stood at
    `known_at` (now when None), schedules for the jurisdiction whose code is in `fips` (a
    column of the outer query): the date of its latest change in force decided on or before
    `as_of`, ties broken by the order they were recorded, as in plan_in_force. NULL when that
    change removed it (a removal has no date), when it has no change yet, or when it had
    activated by then.

    The per-row form of plan_in_force, for lists of letters: one seek on
    ix_plan_change_jurisdiction_decided per row instead of ranking every jurisdiction's plan.
    """
    latest = (
        select(PlanChange.scheduled_on)
        .where(
            PlanChange.jurisdiction_fips == fips,
            PlanChange.decided_on <= as_of,
            PlanChange.in_force(known_at),
        )
        .order_by(PlanChange.decided_on.desc(), PlanChange.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    activated = exists().where(
        Activation.jurisdiction_fips == fips, activated_by(as_of, known_at)
    )
    return case((activated, null()), else_=latest)


def activation_of(fips: str) -> Activation | None:
    """The jurisdiction's activation in force now, if it has one."""
    return db.session.scalar(
        select(Activation).where(Activation.jurisdiction_fips == fips, Activation.in_force())
    )


def check_recorded_at(recorded_at: dt.datetime | None) -> dt.datetime | None:
    """A legacy record's original recording time: in the past (now when None)."""
    if recorded_at is not None and recorded_at > utcnow():
        raise DomainError("A recording time cannot be in the future.", field="recorded_at")
    return recorded_at


def _check_decided_on(decided_on: dt.date) -> None:
    if decided_on > today():
        raise DomainError("The decision date cannot be in the future.", field="decided_on")


def _require_reason(reason: str | None) -> str:
    return required_text(reason, "reason", missing="Give the reason for this change.")


def refuse_if_activated(jurisdiction: Jurisdiction, decided_on: dt.date) -> None:
    """No plan decision dated on or after the jurisdiction's activation (its plan is done)."""
    activation = activation_of(jurisdiction.fips)
    if activation is not None and activation.activated_on <= decided_on:
        raise DomainError(
            f"{jurisdiction.label} activated on {activation.activated_on.isoformat()}; "
            "its plan can no longer change.",
            field="fips",
        )


def earlier_decision_message(
    label: str, in_force_decided_on: dt.date, in_force_text: str, decided_on: dt.date
) -> str:
    """The one refusal of a plan change decided before the decision in force: it would change
    nothing today, so the office corrects the decision in force instead. The web forms, the
    resolution of a letter and the plan import all word it this way."""
    return (
        f"The plan in force for {label} ({in_force_text}) was decided on "
        f"{in_force_decided_on.isoformat()}, after {decided_on.isoformat()}: a decision dated "
        "earlier would not take effect. If the decision in force is wrong, correct the decision "
        "in force (on the jurisdiction's timeline) instead."
    )


def plan_text(kind: PlanChangeKind | str, scheduled_on: dt.date | None) -> str:
    """ "scheduled for 2010-06-08" or "removed from the plan"."""
    if PlanChangeKind(kind) is PlanChangeKind.REMOVED:
        return "removed from the plan"
    return f"scheduled for {scheduled_on.isoformat()}"


def decision_in_force(fips: str) -> PlanChange | None:
    """The jurisdiction's plan change in force now: the latest decided, then recorded, among
    those not corrected."""
    return db.session.scalar(
        select(PlanChange)
        .where(PlanChange.jurisdiction_fips == fips, PlanChange.in_force())
        .order_by(PlanChange.decided_on.desc(), PlanChange.id.desc())
        .limit(1)
    )


def _refuse_if_earlier(jurisdiction: Jurisdiction, decided_on: dt.date) -> None:
    current = decision_in_force(jurisdiction.fips)
    if current is not None and decided_on < current.decided_on:
        raise DomainError(
            earlier_decision_message(
                jurisdiction.label,
                current.decided_on,
                plan_text(current.kind, current.scheduled_on),
                decided_on,
            ),
            field="decided_on",
        )


def decide(
    fips: str,
    kind: PlanChangeKind,
    scheduled_on: dt.date | None,
    *,
    reason: str,
    source: str,
    decided_on: dt.date | None = None,
    expected_version: int | None = None,
    deferral_request_id: int | None = None,
    is_demo: bool = False,
    recorded_at: dt.datetime | None = None,
    actor: User | None = None,
) -> PlanChange:
    """Append a plan change: `scheduled_on` (or removal, with None), decided on `decided_on`
    (default today; never in the future), for a reason (required) from a source. It is
    recorded now, or at `recorded_at` for a legacy record loaded by an administrator
    (check_recorded_at).

    Refused once the jurisdiction has activated, when decided before the decision in force (it
    would change nothing: correct that decision instead), and with Conflict when it changed
    since a form rendered at `expected_version`. The change may come from a deferral request
    (linked).
    """
    jurisdiction = get_jurisdiction(fips, for_update_version=expected_version)
    decided_on = decided_on or today()
    _check_decided_on(decided_on)
    reason = _require_reason(reason)
    refuse_if_activated(jurisdiction, decided_on)
    _refuse_if_earlier(jurisdiction, decided_on)
    change = PlanChange(
        jurisdiction_fips=jurisdiction.fips,
        kind=kind,
        scheduled_on=scheduled_on,
        decided_on=decided_on,
        reason=reason,
        source=source,
        deferral_request_id=deferral_request_id,
        is_demo=is_demo,
        recorded_by_id=_actor_id(actor),
        recorded_at=check_recorded_at(recorded_at),
    )
    action = "plan.schedule" if kind is PlanChangeKind.SCHEDULED else "plan.remove"
    return _write(jurisdiction, change, action, PLAN_CHANGE_FIELDS, actor)


def _write(jurisdiction: Jurisdiction, row, action: str, fields: tuple[str, ...], actor):
    """Add `row`, bump the jurisdiction's version, flush, and audit it; returns `row`."""
    db.session.add(row)
    bump_version(jurisdiction)
    db.session.flush()
    record(action, "jurisdiction", jurisdiction.fips, after=snapshot(row, fields), actor=actor)
    return row


def schedule(fips: str, scheduled_on: dt.date, **options) -> PlanChange:
    """Schedule (or reschedule) a jurisdiction's activation for `scheduled_on`: a plan change
    under decide()'s rules (`options` are its keyword arguments)."""
    return decide(fips, PlanChangeKind.SCHEDULED, scheduled_on, **options)


def remove_from_plan(fips: str, **options) -> PlanChange:
    """Take a jurisdiction out of the deployment plan (it can be scheduled again later): a plan
    change under decide()'s rules (`options` are its keyword arguments)."""
    return decide(fips, PlanChangeKind.REMOVED, None, **options)


def record_activation(
    fips: str,
    activated_on: dt.date,
    *,
    source: str,
    expected_version: int | None = None,
    is_demo: bool = False,
    recorded_at: dt.datetime | None = None,
    actor: User | None = None,
) -> Activation:
    """Record the day a jurisdiction activated. Once only (at most one activation in force at
    any moment), and never a day in the future. Recorded now, or at `recorded_at` for a legacy
    record (check_recorded_at), which must not fall while a corrected activation was in force."""
    jurisdiction = get_jurisdiction(fips, for_update_version=expected_version)
    if activated_on > today():
        raise DomainError("An activation date cannot be in the future.", field="activated_on")
    existing = activation_of(fips)
    if existing is not None:
        raise DomainError(
            f"{jurisdiction.label} already activated on {existing.activated_on.isoformat()}.",
            field="activated_on",
        )
    recorded_at = check_recorded_at(recorded_at)
    if recorded_at is not None:
        overlapping = db.session.scalar(
            select(Activation.superseded_at)
            .where(Activation.jurisdiction_fips == fips, Activation.superseded_at > recorded_at)
            .order_by(Activation.superseded_at.desc())
            .limit(1)
        )
        if overlapping is not None:
            raise DomainError(
                f"{jurisdiction.label} had another activation in force until "
                f"{overlapping.isoformat()}: a legacy activation cannot be recorded as known "
                "before then.",
                field="recorded_at",
            )
    activation = Activation(
        jurisdiction_fips=fips,
        activated_on=activated_on,
        source=source,
        is_demo=is_demo,
        recorded_by_id=_actor_id(actor),
        recorded_at=recorded_at,
    )
    return _write(jurisdiction, activation, "plan.activate", ACTIVATION_FIELDS, actor)
