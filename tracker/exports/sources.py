"""The two public lists as tables: (columns, rows) taken from the "as of" rule.

Both read cached_status_as_of(public=True), the same call behind the map and the summary, so a
list, its exports and the map cannot disagree. Rows come in FIPS order, which groups them by
state (state FIPS codes run alphabetically by state name, territories last).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.exports.table import Column, Row
from tracker.status.rule import Status, cached_status_as_of

ACTIVATED_COLUMNS = (
    Column("state", "State"),
    Column("state_name", "State name"),
    Column("fips", "FIPS"),
    Column("jurisdiction", "Jurisdiction"),
    Column("activated_on", "Activated on", "date"),
)
PLANNED_COLUMNS = (
    Column("state", "State"),
    Column("state_name", "State name"),
    Column("fips", "FIPS"),
    Column("jurisdiction", "Jurisdiction"),
    Column("scheduled_on", "Scheduled on", "date"),
    Column("past_due", "Past due", "bool"),
)
LISTS = ("activated", "planned")
LIST_TITLES = {"activated": "Activated jurisdictions", "planned": "Planned activations"}
# Index of the date column in each list's rows (for filters, sorting and totals).
DATE_INDEX = {"activated": 4, "planned": 4}


def _in_range(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


def activated_rows(
    as_of: dt.date,
    *,
    state: str | None = None,
    activated_from: dt.date | None = None,
    activated_to: dt.date | None = None,
) -> tuple[tuple[Column, ...], list[Row]]:
    """Jurisdictions activated on or before `as_of` (public view), optionally in one state and
    activated within [activated_from, activated_to]."""
    rows = [
        (r.state_postal, r.state_name, r.fips, r.full_name, r.activated_on)
        for r in cached_status_as_of(as_of, state=state, public=True)
        if r.status is Status.ACTIVATED and _in_range(r.activated_on, activated_from, activated_to)
    ]
    return ACTIVATED_COLUMNS, rows


def planned_rows(
    as_of: dt.date,
    *,
    state: str | None = None,
    scheduled_from: dt.date | None = None,
    scheduled_to: dt.date | None = None,
) -> tuple[tuple[Column, ...], list[Row]]:
    """Jurisdictions planned (scheduled, not yet activated) on `as_of` as the public sees them,
    with the scheduled date and whether that date has passed; optionally one state and a
    scheduled-date range. Pending deferral letters are not shown to the public, so a
    jurisdiction with one is listed on its scheduled date like any other."""
    rows = [
        (r.state_postal, r.state_name, r.fips, r.full_name, r.scheduled_on, r.past_due)
        for r in cached_status_as_of(as_of, state=state, public=True)
        if r.status is Status.PLANNED and _in_range(r.scheduled_on, scheduled_from, scheduled_to)
    ]
    return PLANNED_COLUMNS, rows


def list_rows(
    list_name: str,
    as_of: dt.date,
    *,
    state: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[tuple[Column, ...], list[Row]]:
    """Either list by name, with its date filter given generically."""
    if list_name == "activated":
        return activated_rows(as_of, state=state, activated_from=date_from, activated_to=date_to)
    if list_name == "planned":
        return planned_rows(as_of, state=state, scheduled_from=date_from, scheduled_to=date_to)
    raise ValueError(f"unknown list {list_name!r}")


@dataclass(frozen=True)
class StateGroup:
    postal: str
    name: str
    rows: list[Row]

    @property
    def count(self) -> int:
        return len(self.rows)


def group_by_state(rows: Sequence[Row]) -> list[StateGroup]:
    """Consecutive rows of one state, in the order given (rows start with postal, name)."""
    groups: dict[str, StateGroup] = {}
    for row in rows:
        group = groups.get(row[0])
        if group is None:
            group = groups[row[0]] = StateGroup(row[0], row[1], [])
        group.rows.append(row)
    return list(groups.values())
