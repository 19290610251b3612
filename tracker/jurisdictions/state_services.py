"""States: their identification bureau, agreement dates, and progress on any date.

Progress counts come from the "as of" rule (tracker.status.rule), grouped by state, so a state
page and the national figures always add up to the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.services import record, snapshot
from tracker.auth.models import User
from tracker.briefings.services import briefing_reach
from tracker.dates import today
from tracker.deferrals.models import DeferralRequest, open_on
from tracker.errors import Conflict, DomainError, NotFound
from tracker.extensions import db
from tracker.jurisdictions.models import Jurisdiction, State, StateKind
from tracker.status.rule import Status, cached_status_as_of, count_by_status

STATE_FIELDS = ("sib_name", "sib_contact", "moa_signed_on", "moa_terminated_on", "receives_results")


def get_state(code: str, *, for_update_version: int | None = None) -> State:
    """The state with this postal or FIPS code; with `for_update_version`, also check that it
    has not changed since the caller's form was rendered (Conflict)."""
    code = (code or "").strip().upper()
    column = State.fips if code.isdigit() else State.postal
    state = db.session.scalar(select(State).where(column == code))
    if state is None:
        raise NotFound(f"No state has code {code!r}.", field="state")
    if for_update_version is not None and state.version_id != for_update_version:
        raise Conflict(
            f"{state.name} was changed by someone else since you opened this page. Nothing was "
            "saved; reload the page to see their change and try again."
        )
    return state


def open_letter_counts(
    as_of: dt.date, *, by: str = "state", fips: Iterable[str] | None = None
) -> dict[str, int]:
    """{state or jurisdiction FIPS: deferral letters open on `as_of`}, in one grouped query.

    A letter is open on a date when it was received on or before it and was not resolved or
    withdrawn by then (a closed letter always has its resolution date), so past dates read as
    they did that day. Every kind of request counts. `by` is "state" or "jurisdiction".
    """
    key = (Jurisdiction.state_fips if by == "state" else DeferralRequest.jurisdiction_fips).label(
        "key"
    )
    statement = (
        select(key, func.count(DeferralRequest.id))
        .join(Jurisdiction, Jurisdiction.fips == DeferralRequest.jurisdiction_fips)
        .where(open_on(as_of))
        .group_by(key)
    )
    if fips is not None:
        statement = statement.where(DeferralRequest.jurisdiction_fips.in_(list(fips)))
    return dict(db.session.execute(statement).all())


@dataclass(frozen=True)
class StateProgress:
    """One state's standing on a date: jurisdictions by status, open letters, briefed count."""

    fips: str
    postal: str
    name: str
    kind: StateKind
    total: int
    activated: int
    planned: int
    deferral_pending: int
    removed: int
    not_scheduled: int
    open_letters: int
    briefed: int

    @property
    def percent_activated(self) -> int:
        return round(100 * self.activated / self.total) if self.total else 0


def state_progress(
    as_of: dt.date | None = None, *, state: str | None = None
) -> list[StateProgress]:
    """Every state's progress on `as_of` (default today), ordered by name; or one state's.

    Statuses are the staff view of the "as of" rule (deferral pending and removed shown apart
    from planned and not scheduled). Three queries in all, whatever the number of states.
    """
    as_of = as_of or today()
    rows = cached_status_as_of(as_of)
    by_state: dict[str, list] = {}
    for row in rows:
        by_state.setdefault(row.state_fips, []).append(row)
    letters = open_letter_counts(as_of)
    briefed = briefing_reach(as_of).by_state
    statement = select(State).order_by(State.name)
    if state:
        code = state.strip().upper()
        statement = statement.where((State.fips if code.isdigit() else State.postal) == code)
    result = []
    for item in db.session.scalars(statement):
        counts = count_by_status(by_state.get(item.fips, ()))
        result.append(
            StateProgress(
                fips=item.fips,
                postal=item.postal,
                name=item.name,
                kind=item.kind,
                total=sum(counts.values()),
                activated=counts[Status.ACTIVATED],
                planned=counts[Status.PLANNED],
                deferral_pending=counts[Status.DEFERRAL_PENDING],
                removed=counts[Status.REMOVED],
                not_scheduled=counts[Status.NOT_SCHEDULED],
                open_letters=letters.get(item.fips, 0),
                briefed=briefed.get(item.fips, 0),
            )
        )
    return result


def progress_totals(progress: Iterable[StateProgress]) -> dict[str, int]:
    """Column totals of a progress table (the national figures when every state is listed)."""
    names = (
        "total",
        "activated",
        "planned",
        "deferral_pending",
        "removed",
        "not_scheduled",
        "open_letters",
        "briefed",
    )
    totals = dict.fromkeys(names, 0)
    for row in progress:
        for name in names:
            totals[name] += getattr(row, name)
    return totals


def update_state(
    code: str,
    *,
    expected_version: int,
    sib_name: str | None,
    sib_contact: str | None,
    moa_signed_on: dt.date | None,
    moa_terminated_on: dt.date | None,
    receives_results: bool,
    actor: User | None = None,
) -> State:
    """Record a state's identification bureau, agreement dates and whether it receives results.

    An MOA can only be terminated after it was signed (on or after the signing date), and
    neither date may be in the future. Refused with Conflict if the state changed since the form
    was rendered. Audited as "state.update" with before and after values.
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
    before = snapshot(state, STATE_FIELDS)
    state.sib_name = sib_name
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
