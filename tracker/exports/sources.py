"""Every download as a table: (columns, rows), for the writers to turn into files.

The two public lists read cached_status_as_of(public=True), the same call behind the map and the
summary, so a list, its exports and the map cannot disagree. Rows come in FIPS order, which
groups them by state (state FIPS codes run alphabetically by state name, territories last).
The letter log (staff only) is the log as filtered on its page, as it stood on its date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from tracker.corrections.models import Correction
from tracker.dates import as_utc
from tracker.deferrals.clocks import Badges
from tracker.deferrals.log import LogFilters, log_records
from tracker.deferrals.models import (
    AddressedTo,
    Channel,
    DeferralStatus,
    RequestKind,
    Resolution,
)
from tracker.exports.table import Column, Row
from tracker.formatting import long_date, noun, plural
from tracker.status.rule import Status, cached_status_as_of

_PLACE = (
    Column("state", "State"),
    Column("state_name", "State name"),
    Column("fips", "FIPS"),
    Column("jurisdiction", "Jurisdiction"),
)
ACTIVATED_COLUMNS = (*_PLACE, Column("activated_on", "Activated on", "date"))
PLANNED_COLUMNS = (
    *_PLACE,
    Column("scheduled_on", "Scheduled on", "date"),
    Column("past_due", "Past due", "bool"),
)
LETTER_LOG_COLUMNS = (
    Column("id", "Letter", width=8),
    Column("jurisdiction_fips", "FIPS", width=6),
    Column("jurisdiction", "Jurisdiction", width=28),
    Column("state", "State", width=5),
    Column("letter_date", "Letter date", "date"),
    Column("received_on", "Received on", "date"),
    Column("channel", "Received by", width=11),
    Column("sender_name", "Sender", width=24),
    Column("sender_title", "Sender title", width=24),
    Column("sender_agency", "Sender agency", width=34),
    Column("addressed_to", "Addressed to", width=28),
    Column("request", "Request", width=34),
    Column("requested_date", "Requested date", "date"),
    Column("status", "Status", width=17),
    Column("meeting_requested_on", "Meeting requested on", "date"),
    Column("meeting_held_on", "Meeting held on", "date"),
    Column("resolution", "Resolution", width=22),
    Column("resolved_on", "Resolved on", "date"),
    Column("adjusted_to", "Adjusted to", "date"),
    Column("overdue", "Overdue", "bool"),
    Column("urgent", "Urgent", "bool"),
    Column("attachments", "Attachments"),
)
CORRECTION_COLUMNS = (
    Column("id", "Correction"),
    Column("recorded_at", "Recorded at (UTC)"),
    Column("recorded_by", "Who"),
    Column("kind", "What was corrected"),
    Column("fact_id", "Record"),
    Column("action", "Correction"),
    Column("summary", "Summary"),
    Column("jurisdiction_fips", "FIPS"),
    Column("reason", "Reason"),
)
LETTER_LOG = "deferral-letters"
CORRECTIONS = "corrections"
LIST_TITLES = {
    "activated": "Activated jurisdictions",
    "planned": "Planned activations",
    LETTER_LOG: "Deferral letters",
    CORRECTIONS: "Corrections",
}
# How each public list's date reads in filters and headings.
DATE_WORDS = {"activated": "Activated", "planned": "Scheduled"}
# How a public list may be sorted within each state.
SORTS = {
    "fips": "FIPS code",
    "name": "Jurisdiction name",
    "date": "Date, earliest first",
    "-date": "Date, latest first",
}
_DATE = 4  # the date column of both public lists


def _in_range(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


def activated_rows(
    as_of: dt.date,
    *,
    known_at: dt.datetime | None = None,
    state: str | None = None,
    activated_from: dt.date | None = None,
    activated_to: dt.date | None = None,
) -> tuple[tuple[Column, ...], list[Row]]:
    """Jurisdictions activated on or before `as_of` (public view), as known at `known_at`,
    optionally in one state and activated within [activated_from, activated_to]."""
    rows = [
        (r.state_postal, r.state_name, r.fips, r.full_name, r.activated_on)
        for r in cached_status_as_of(as_of, known_at, state=state, public=True)
        if r.status is Status.ACTIVATED and _in_range(r.activated_on, activated_from, activated_to)
    ]
    return ACTIVATED_COLUMNS, rows


def planned_rows(
    as_of: dt.date,
    *,
    known_at: dt.datetime | None = None,
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
        for r in cached_status_as_of(as_of, known_at, state=state, public=True)
        if r.status is Status.PLANNED and _in_range(r.scheduled_on, scheduled_from, scheduled_to)
    ]
    return PLANNED_COLUMNS, rows


def list_rows(
    list_name: str,
    as_of: dt.date,
    *,
    known_at: dt.datetime | None = None,
    state: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[tuple[Column, ...], list[Row]]:
    """Either list by name, as known at `known_at`, with its date filter given generically."""
    if list_name == "activated":
        return activated_rows(
            as_of, known_at=known_at, state=state, activated_from=date_from, activated_to=date_to
        )
    if list_name == "planned":
        return planned_rows(
            as_of, known_at=known_at, state=state, scheduled_from=date_from, scheduled_to=date_to
        )
    raise ValueError(f"unknown list {list_name!r}")


@dataclass(frozen=True)
class StateGroup:
    postal: str
    name: str
    rows: list[Row]

    @property
    def count(self) -> int:
        return len(self.rows)


def list_summary(list_name: str, rows: Sequence[Row], as_of: dt.date, state: str | None) -> str:
    """What follows the count in a list's lead: "jurisdictions activated in 3 states and
    territories as of 30 September 2010 (filtered to AZ)."."""
    what = "activated" if list_name == "activated" else "planned for activation"
    places = plural(len({row[0] for row in rows}), "state or territory", "states and territories")
    filtered = f" (filtered to {state})" if state else ""
    return (
        f"{noun(len(rows), 'jurisdiction')} {what} in {places} as of {long_date(as_of)}{filtered}."
    )


def group_by_state(rows: Sequence[Row], sort: str = "fips") -> list[StateGroup]:
    """Rows grouped by state, in the order the states first appear (rows start with postal,
    name), each group sorted by `sort` (one of SORTS; undated rows last)."""
    groups: dict[str, StateGroup] = {}
    for row in rows:
        group = groups.get(row[0])
        if group is None:
            group = groups[row[0]] = StateGroup(row[0], row[1], [])
        group.rows.append(row)
    if sort != "fips":
        for group in groups.values():
            group.rows.sort(key=_SORT_KEYS[sort], reverse=sort == "-date")
    return list(groups.values())


_SORT_KEYS = {
    "name": lambda row: (row[3].casefold(), row[2]),
    "date": lambda row: (row[_DATE] or dt.date.max, row[2]),
    "-date": lambda row: (row[_DATE] or dt.date.max, row[2]),
}


def letter_log_table(filters: LogFilters) -> tuple[tuple[Column, ...], Iterator[Row]]:
    """The letter log as filtered on its page and as it stood on its date (steps dated later
    are left out), row by row as the database returns them."""
    return LETTER_LOG_COLUMNS, _letter_rows(log_records(filters), filters.as_of)


def _letter_rows(records: Iterable, as_of: dt.date) -> Iterator[Row]:
    def upto(day: dt.date | None) -> dt.date | None:
        return day if day is not None and day <= as_of else None

    for letter in records:
        badges = Badges.from_row(letter[-6:], as_of)
        closed = not badges.open
        resolution = Resolution(letter.resolution) if letter.resolution and closed else None
        yield (
            letter.id,
            letter.jurisdiction_fips,
            letter.jurisdiction_name,
            letter.state_postal,
            letter.letter_date,
            letter.received_on,
            Channel(letter.channel).label,
            letter.sender_name,
            letter.sender_title or "",
            letter.sender_agency or "",
            AddressedTo(letter.addressed_to).label,
            RequestKind(letter.kind).label,
            letter.requested_date,
            (badges.status or DeferralStatus(letter.status)).label,
            upto(letter.meeting_requested_on),
            upto(letter.meeting_held_on),
            resolution.label if resolution else "",
            letter.resolved_on if closed else None,
            letter.adjusted_to if closed else None,
            badges.overdue,
            badges.urgent,
            letter.attachment_count,
        )


def corrections_table(corrections: Iterable[Correction]) -> tuple[tuple[Column, ...], list[Row]]:
    """The corrections as a table (staff only: reasons are never public)."""
    rows = [
        (
            c.id,
            as_utc(c.recorded_at).strftime("%Y-%m-%dT%H:%M:%SZ"),
            c.recorded_by_label,
            c.fact_kind.label,
            c.fact_id,
            c.action.label,
            c.summary,
            c.jurisdiction_fips or "",
            c.reason,
        )
        for c in corrections
    ]
    return CORRECTION_COLUMNS, rows
