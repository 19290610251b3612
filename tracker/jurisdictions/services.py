"""Finding jurisdictions, telling each one's story, and rescheduling many at once.

Statuses always come from the "as of" rule (tracker.status.rule); this module only filters,
sorts and pages the rows it returns, and writes the plan through tracker.plan.services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker.auth.models import User
from tracker.errors import Conflict, DomainError
from tracker.plan import services as plan
from tracker.plan.models import PlanChange
from tracker.registry.lookup import get_jurisdiction
from tracker.status.rule import (
    PUBLIC_STATUSES,
    STAFF_STATUSES,
    JurisdictionStatus,
    Status,
    cached_status_as_of,
)
from tracker.text import fold, words

PAST_DUE = "past_due"
SORT_LABELS = {
    "name": "Name",
    "state": "State",
    "fips": "FIPS code",
    "scheduled": "Scheduled date",
    "activated": "Activation date",
}


def status_choices(*, public: bool = False) -> tuple[str, ...]:
    """The status filter values a caller may use: the statuses it can see, plus "past_due"."""
    statuses = PUBLIC_STATUSES if public else STAFF_STATUSES
    return (*(status.value for status in statuses), PAST_DUE)


def status_label(value: str) -> str:
    """How a status filter value reads: the status's label, or what "past due" means."""
    return "Past due (planned date passed)" if value == PAST_DUE else Status(value).label


@dataclass(frozen=True)
class JurisdictionQuery:
    """What the list asks for. Every field is optional except the as-of date."""

    as_of: dt.date
    known_at: dt.datetime | None = None
    q: str = ""
    state: str | None = None
    status: str | None = None
    scheduled_from: dt.date | None = None
    scheduled_to: dt.date | None = None
    activated_from: dt.date | None = None
    activated_to: dt.date | None = None
    sort: str = "name"
    order: str = "asc"


def _in_range(value: dt.date | None, low: dt.date | None, high: dt.date | None) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def _matches(row: JurisdictionStatus, query: JurisdictionQuery, words: list[str]) -> bool:
    if len(words) == 1 and words[0].isdigit():
        if not row.fips.startswith(words[0]):
            return False
    elif words:
        haystack = fold(f"{row.full_name} {row.state_postal} {row.state_name}")
        if not all(word in haystack for word in words):
            return False
    if query.status == PAST_DUE:
        if not row.past_due:
            return False
    elif query.status and row.status.value != query.status:
        return False
    return _in_range(row.scheduled_on, query.scheduled_from, query.scheduled_to) and _in_range(
        row.activated_on, query.activated_from, query.activated_to
    )


def _sort_key(sort: str):
    # Rows without the sorted date go last in either order; ties fall back to state and name.
    far = dt.date.max
    keys = {
        "name": lambda r: (fold(r.name), r.state_postal, r.fips),
        "state": lambda r: (r.state_name, fold(r.name), r.fips),
        "fips": lambda r: r.fips,
        "scheduled": lambda r: (r.scheduled_on or far, r.state_name, fold(r.name)),
        "activated": lambda r: (r.activated_on or far, r.state_name, fold(r.name)),
    }
    return keys[sort]


def find_jurisdictions(
    query: JurisdictionQuery, *, public: bool = False
) -> list[JurisdictionStatus]:
    """Every jurisdiction matching `query`, with its status on query.as_of, in the asked order.

    Search text is the start of a FIPS code (digits only), or words that must each appear in
    "Name County ST State", ignoring case, accents and punctuation ("dona ana nm", "Travis, TX").
    Status "past_due" means a planned date passed without activation. Date ranges are
    inclusive; a row without that date does not match a range.
    """
    rows = cached_status_as_of(query.as_of, query.known_at, state=query.state, public=public)
    wanted = words(query.q)
    matched = [row for row in rows if _matches(row, query, wanted)]
    key = _sort_key(query.sort)
    if query.order == "desc" and query.sort in ("scheduled", "activated"):
        dated = [row for row in matched if _date_of(row, query.sort) is not None]
        undated = [row for row in matched if _date_of(row, query.sort) is None]
        dated.sort(key=key, reverse=True)
        undated.sort(key=_sort_key("state"))
        return dated + undated
    matched.sort(key=key, reverse=query.order == "desc")
    return matched


def _date_of(row: JurisdictionStatus, sort: str) -> dt.date | None:
    return row.scheduled_on if sort == "scheduled" else row.activated_on


def status_of(
    fips: str, as_of: dt.date, known_at: dt.datetime | None = None, *, public: bool = False
) -> JurisdictionStatus:
    """One jurisdiction's row from the "as of" rule, as known at `known_at` (NotFound for an
    unknown code)."""
    jurisdiction = get_jurisdiction(fips)
    rows = cached_status_as_of(as_of, known_at, state=jurisdiction.state_fips, public=public)
    return next(row for row in rows if row.fips == jurisdiction.fips)


# --- bulk reschedule ------------------------------------------------------------------------


def parse_selection(values: Iterable[str]) -> list[tuple[str, int]]:
    """Checkbox values "FIPS:VERSION" -> [(fips, version)], refusing anything else."""
    selection: list[tuple[str, int]] = []
    seen: set[str] = set()
    for value in values:
        fips, _, version = value.partition(":")
        if len(fips) != 5 or not fips.isdigit() or not version.isdigit():
            raise DomainError(f"Unexpected selection {value!r}.", field="selected")
        if fips not in seen:
            seen.add(fips)
            selection.append((fips, int(version)))
    if not selection:
        raise DomainError("Select at least one jurisdiction to reschedule.", field="selected")
    return selection


def bulk_reschedule(
    selection: Sequence[tuple[str, int]],
    scheduled_on: dt.date,
    *,
    decided_on: dt.date | None,
    reason: str,
    source: str,
    actor: User | None = None,
) -> list[PlanChange]:
    """Reschedule every selected jurisdiction to `scheduled_on`, all or nothing.

    Each (fips, version) pair is checked against the version its row was shown at, so a
    jurisdiction changed since the list was rendered refuses the whole batch (Conflict). Any
    refusal raises before the caller commits; the caller rolls back, so nothing is written.
    """
    changes = []
    for fips, version in selection:
        try:
            changes.append(
                plan.schedule(
                    fips,
                    scheduled_on,
                    decided_on=decided_on,
                    reason=reason,
                    source=source,
                    expected_version=version,
                    actor=actor,
                )
            )
        except DomainError as exc:
            raise type(exc)(f"Nothing was rescheduled. {exc.message}", field=exc.field) from exc
    return changes


def stale_write_conflict() -> Conflict:
    """The refusal for a write that lost a race at the database (SQLAlchemy's StaleDataError):
    another transaction changed the same jurisdiction between our version check and our write."""
    return Conflict(
        "A jurisdiction was changed by someone else at the same moment. Nothing was saved; "
        "reload the page, review the change and try again."
    )
