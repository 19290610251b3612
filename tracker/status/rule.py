"""The "as of" rule: the status of every jurisdiction on a date, computed from the history.

This is the single function the map, the lists, the exports, the API and the dashboard call, so
they cannot disagree. Nothing stores a status: it is always derived from plan changes,
activations and deferral requests dated on or before the day asked about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, select

from tracker.cache import cached
from tracker.deferrals.models import RequestKind, letters_known_at, open_on
from tracker.enums import LabelledEnum
from tracker.extensions import db
from tracker.plan.models import Activation, PlanChangeKind
from tracker.plan.services import activated_by, plan_in_force
from tracker.registry.lookup import get_state
from tracker.registry.models import Jurisdiction, State


class Status(LabelledEnum):
    ACTIVATED = "activated", "Activated"
    REMOVED = "removed", "Removed from plan"
    DEFERRAL_PENDING = "deferral_pending", "Deferral pending"
    PLANNED = "planned", "Planned"
    NOT_SCHEDULED = "not_scheduled", "Not scheduled"


# What the public may see. Deferral letters and removals are internal until they change the plan.
PUBLIC_STATUSES = (Status.ACTIVATED, Status.PLANNED, Status.NOT_SCHEDULED)
STAFF_STATUSES = tuple(Status)

# Requests about not *receiving* results do not hold up an activation.
_DEFERRING_KINDS = (RequestKind.DEFER, RequestKind.NOT_ACTIVATE)


@dataclass(frozen=True, slots=True)
class JurisdictionStatus:
    """One jurisdiction's standing on a date, with the dates that explain it."""

    fips: str
    state_fips: str
    state_postal: str
    state_name: str
    name: str
    full_name: str
    status: Status
    scheduled_on: dt.date | None
    activated_on: dt.date | None
    past_due: bool

    def for_public(self) -> JurisdictionStatus:
        """The same row as the public sees it: no pending letters, no removals.

        A pending deferral shows as the plan stands (planned on its date); a removal shows as
        not scheduled, without the date it used to have.
        """
        if self.status is Status.DEFERRAL_PENDING:
            status = Status.PLANNED if self.scheduled_on else Status.NOT_SCHEDULED
            return _replace(self, status=status)
        if self.status is Status.REMOVED:
            return _replace(self, status=Status.NOT_SCHEDULED, scheduled_on=None, past_due=False)
        return self


def _replace(row: JurisdictionStatus, **changes) -> JurisdictionStatus:
    values = {name: getattr(row, name) for name in JurisdictionStatus.__slots__}
    values.update(changes)
    return JurisdictionStatus(**values)


def decide_status(
    as_of: dt.date,
    activated_on: dt.date | None,
    latest_kind: PlanChangeKind | str | None,
    scheduled_on: dt.date | None,
    deferral_pending: bool,
) -> tuple[Status, bool]:
    """DESIGN's rule, in order: activated, removed, deferral pending, planned, not scheduled.

    Inputs are already limited to what was known on `as_of`. Returns the status and whether a
    planned date has passed without an activation (past due).
    """
    if activated_on is not None and activated_on <= as_of:
        return Status.ACTIVATED, False
    if latest_kind == PlanChangeKind.REMOVED:
        return Status.REMOVED, False
    past_due = scheduled_on is not None and scheduled_on < as_of
    if deferral_pending:
        return Status.DEFERRAL_PENDING, past_due
    if latest_kind == PlanChangeKind.SCHEDULED:
        return Status.PLANNED, past_due
    return Status.NOT_SCHEDULED, False


def status_as_of(
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    *,
    state: str | None = None,
    fips: Iterable[str] | None = None,
    public: bool = False,
) -> list[JurisdictionStatus]:
    """Every jurisdiction's status on `as_of` as the records stood at `known_at` (default now),
    in one query, ordered by FIPS.

    `state` limits to one state (postal code or FIPS); `fips` to chosen jurisdictions. With
    `public=True` the rows are as anonymous visitors see them (see JurisdictionStatus.for_public).
    Only facts recorded at or before `known_at` and not corrected by then count (DESIGN's two
    time axes), and of those only the ones dated on or before `as_of`: plan changes decided,
    activations made, letters received and not yet resolved or withdrawn by then.
    """
    in_force = plan_in_force(as_of, known_at)
    letters = letters_known_at(known_at)
    pending = (
        select(letters.c.jurisdiction_fips.label("fips"))
        .where(
            open_on(as_of, letters),
            letters.c.kind.in_(_DEFERRING_KINDS),
        )
        .group_by(letters.c.jurisdiction_fips)
        .subquery("pending")
    )
    statement = (
        select(
            Jurisdiction.fips,
            Jurisdiction.state_fips,
            State.postal,
            State.name,
            Jurisdiction.name,
            Jurisdiction.full_name,
            Activation.activated_on,
            in_force.c.kind,
            in_force.c.scheduled_on,
            pending.c.fips.is_not(None).label("deferral_pending"),
        )
        .join(State, State.fips == Jurisdiction.state_fips)
        .outerjoin(
            Activation,
            and_(Activation.jurisdiction_fips == Jurisdiction.fips, activated_by(as_of, known_at)),
        )
        .outerjoin(in_force, in_force.c.fips == Jurisdiction.fips)
        .outerjoin(pending, pending.c.fips == Jurisdiction.fips)
        .order_by(Jurisdiction.fips)
    )
    if state:
        statement = statement.where(State.fips == get_state(state).fips)
    if fips is not None:
        statement = statement.where(Jurisdiction.fips.in_(list(fips)))

    rows: list[JurisdictionStatus] = []
    for (
        code,
        state_fips,
        postal,
        state_name,
        name,
        full_name,
        activated_on,
        latest_kind,
        scheduled_on,
        deferral_pending,
    ) in db.session.execute(statement):
        if latest_kind == PlanChangeKind.REMOVED:
            scheduled_on = None
        status, past_due = decide_status(
            as_of, activated_on, latest_kind, scheduled_on, bool(deferral_pending)
        )
        row = JurisdictionStatus(
            fips=code,
            state_fips=state_fips,
            state_postal=postal,
            state_name=state_name,
            name=name,
            full_name=full_name,
            status=status,
            scheduled_on=scheduled_on,
            activated_on=activated_on,
            past_due=past_due,
        )
        rows.append(row.for_public() if public else row)
    return rows


def count_by_status(rows: Iterable[JurisdictionStatus]) -> dict[Status, int]:
    """How many rows have each status (every status present, zero when none)."""
    counts = dict.fromkeys(Status, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def cached_status_as_of(
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    *,
    state: str | None = None,
    public: bool = False,
) -> tuple[JurisdictionStatus, ...]:
    """status_as_of() for every jurisdiction (or one state), served from the cache when the data
    has not changed since it was last computed (keyed on both the date and the moment)."""
    state = state.strip().upper() if state else None
    return cached(
        "status_as_of",
        (as_of, known_at, state, public),
        lambda: tuple(status_as_of(as_of, known_at, state=state, public=public)),
    )
