"""The deferral log: its filters, orders and pages, and each letter's clocks on the log's date.

The page, the CSV/XLSX download and the staff API all read the log through LogFilterForm and
`log_page` / `log_records`, so they agree on what a filter means. Everything is judged in SQL
on `as_of`: the plain filters, the search (tracker.deferrals.search), the workflow status, and
the overdue and urgent clocks (tracker.deferrals.clocks). Each order is served by an index and
ends with the id, so the log pages by key (tracker.pagination.seek) however long it grows.

With `known_at` the same filters, orders and clocks read the letters as the records stood at
that moment (deferrals.models.letters_known_at: each letter's newest kept version recorded by
then): a letter logged later is absent, one moved or corrected later reads as it was, a step
undone later still counts, and only the attachments uploaded by then are listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql import FromClause
from sqlalchemy.sql.elements import ColumnElement

from tracker.corrections.versions import newest_versions
from tracker.dates import today
from tracker.deferrals.clocks import (
    Badges,
    ClockDay,
    clock_columns,
    clock_day,
    in_status,
    overdue,
    standing,
    urgent,
)
from tracker.deferrals.models import (
    Attachment,
    Channel,
    DeferralRequest,
    DeferralRequestVersion,
    DeferralStatus,
    RequestKind,
    letters_known_at,
    open_on,
)
from tracker.deferrals.queries import attachments_known_at
from tracker.deferrals.search import matching
from tracker.enums import enum_choices
from tracker.extensions import db
from tracker.pagination import Cursor, SeekPage, SortKey, ordering, seek
from tracker.params import (
    ChoiceParam,
    DateParam,
    FlagParam,
    NotAfter,
    SeekFilterForm,
    TextParam,
    known_at_param,
)
from tracker.registry.forms import StateParam
from tracker.registry.lookup import get_state
from tracker.registry.models import Jurisdiction, State

_C = DeferralRequest.__table__.c


def _keys(*columns: ColumnElement, descending: bool = False) -> tuple[SortKey, ...]:
    return tuple(SortKey(column, descending) for column in columns)


# Each order is one index of deferral_request (see its model), read forwards or backwards.
SORTS = {
    "received_desc": ("Received, newest first", _keys(_C.received_on, _C.id, descending=True)),
    "received_asc": ("Received, oldest first", _keys(_C.received_on, _C.id)),
    "letter_desc": ("Letter date, newest first", _keys(_C.letter_date, _C.id, descending=True)),
    "jurisdiction": (
        "Jurisdiction (by state and county code), oldest first",
        _keys(_C.jurisdiction_fips, _C.received_on, _C.id),
    ),
    "sender": ("Sender", _keys(_C.sender_sort, _C.id)),
    "status": ("Status, oldest first", _keys(_C.status, _C.received_on, _C.id)),
}
OPEN = "open"


def sort_keys(sort: str, letters: FromClause) -> tuple[SortKey, ...]:
    """The keys of the order `sort` over `letters` (the letter table, or the letters as they
    stood at a moment: a selectable with the same columns)."""
    return tuple(SortKey(letters.c[key.expression.name], key.descending) for key in SORTS[sort][1])


@dataclass(frozen=True)
class LogFilters:
    """What the log is asked to show. Status, overdue and urgent are judged on `as_of`, from
    the records as they stood at `known_at` (None: now)."""

    as_of: dt.date
    known_at: dt.datetime | None = None
    status: str | None = None
    state: str | None = None
    channel: str | None = None
    kind: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    overdue: bool = False
    urgent: bool = False
    q: str | None = None
    sort: str = "received_desc"


class LogFilterForm(SeekFilterForm):
    """The log's query parameters, for /deferrals, its downloads and /api/v1/deferrals."""

    q = TextParam("Search sender, summary or jurisdiction")
    status = ChoiceParam("Status", choices=[(OPEN, "Open"), *enum_choices(DeferralStatus)])
    state = StateParam()
    channel = ChoiceParam("Channel", choices=enum_choices(Channel))
    kind = ChoiceParam("Request", choices=enum_choices(RequestKind))
    received_from = DateParam("Received from", validators=[NotAfter("received_to")])
    received_to = DateParam("Received to")
    as_of = DateParam("As of", default=today)
    known_at = known_at_param()
    sort = ChoiceParam(
        "Sort",
        choices=[(key, label) for key, (label, _keys) in SORTS.items()],
        default="received_desc",
        any_label=None,
    )
    overdue = FlagParam("Overdue only")
    urgent = FlagParam("Urgent only")

    def log_filters(self) -> LogFilters:
        return LogFilters(**{name: self[name].data for name in LogFilters.__dataclass_fields__})


@dataclass(frozen=True)
class LogRow:
    """A letter with its clocks on the log's date: a row of the log, the dashboard's recent
    letters, the daily digest's letters running late. When the log reads the records at a
    moment, the letter is its kept version then (which reads like it) and `attachments` those
    uploaded by then (the digest's rows leave them out)."""

    request: DeferralRequest | DeferralRequestVersion
    badges: Badges
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def standing(self) -> str:
        return standing(self.request, self.badges)

    @property
    def flags(self) -> str:
        """The clocks running out, as the digest's plain text names them: "OVERDUE (meeting due
        by 2011-01-14), URGENT (activation 2011-01-25, in 5 days)"."""
        words = []
        if self.badges.overdue:
            words.append(f"OVERDUE (meeting due by {self.badges.meeting_due_by.isoformat()})")
        if self.badges.urgent:
            words.append(
                f"URGENT (activation {self.badges.scheduled_on.isoformat()}, "
                f"in {self.badges.days_to_activation} days)"
            )
        return ", ".join(words)


def _filtered(
    statement: Select, filters: LogFilters, clock: ClockDay, letters: FromClause
) -> Select:
    """`statement` (selecting from `letters`: the letter table, or the letters as known at
    `known_at`) narrowed to the letters received by `as_of` that the filters select."""
    c = letters.c
    statement = statement.where(c.received_on <= filters.as_of)
    if filters.state:
        # A state's counties are the FIPS codes that begin with its code: a range on the index.
        code = get_state(filters.state).fips
        statement = statement.where(c.jurisdiction_fips.between(f"{code}000", f"{code}999"))
    if filters.channel:
        statement = statement.where(c.channel == Channel(filters.channel))
    if filters.kind:
        statement = statement.where(c.kind == RequestKind(filters.kind))
    if filters.received_from:
        statement = statement.where(c.received_on >= filters.received_from)
    if filters.received_to:
        statement = statement.where(c.received_on <= filters.received_to)
    if filters.q:
        statement = statement.where(matching(filters.q, letters))
    if filters.status == OPEN:
        statement = statement.where(open_on(filters.as_of, letters))
    elif filters.status:
        status = DeferralStatus(filters.status)
        statement = statement.where(in_status(status, filters.as_of, letters))
    if filters.overdue:
        statement = statement.where(overdue(clock, letters))
    if filters.urgent:
        statement = statement.where(urgent(clock, letters))
    return statement


def log_page(filters: LogFilters, after: Cursor | None, per_page: int) -> SeekPage:
    """One page of the log (LogRow items) starting after `after`, each letter with its badges
    on `as_of`, as the records stood at `known_at`. A fixed number of queries, whatever the size
    of the log: the page's ids in the asked order (an index walk when known_at is not given,
    nothing computed per row), then those letters with their clocks, attachments and places."""
    clock = clock_day(filters.as_of, filters.known_at)
    letters = letters_known_at(filters.known_at)
    found = seek(
        _filtered(select(letters.c.id), filters, clock, letters),
        sort_keys(filters.sort, letters),
        after,
        per_page,
    )
    if filters.known_at is not None:
        return replace(found, items=_rows_known(found.items, clock))
    statement = (
        select(DeferralRequest, *clock_columns(clock))
        .where(DeferralRequest.id.in_(found.items))
        .options(
            selectinload(DeferralRequest.attachments),
            selectinload(DeferralRequest.jurisdiction).selectinload(Jurisdiction.state),
        )
    )
    loaded = {row[0].id: row for row in db.session.execute(statement)} if found.items else {}
    rows = [
        LogRow(
            loaded[i][0], Badges.from_row(loaded[i][1:], filters.as_of), loaded[i][0].attachments
        )
        for i in found.items
    ]
    return replace(found, items=rows)


def _rows_known(ids: list[int], clock: ClockDay) -> list[LogRow]:
    """The letters `ids` as the records stood at clock.known_at, in that order, with their
    clocks and the attachments uploaded by then (three queries and the places, whatever the
    number of letters)."""
    if not ids:
        return []
    version = DeferralRequestVersion
    newest = newest_versions(version, version.deferral_request_id, clock.known_at)
    # The version table has the letter's columns, so the clocks read it directly.
    statement = (
        select(version, *clock_columns(clock, version.__table__))
        .where(version.version_no.in_(newest), version.deferral_request_id.in_(ids))
        .options(selectinload(version.jurisdiction).selectinload(Jurisdiction.state))
    )
    loaded = {row[0].id: row for row in db.session.execute(statement)}
    attachments = attachments_known_at(ids, clock.known_at)
    return [
        LogRow(loaded[i][0], Badges.from_row(loaded[i][1:], clock.as_of), attachments[i])
        for i in ids
    ]


def recent_letters(as_of: dt.date, count: int, known_at: dt.datetime | None = None) -> list[LogRow]:
    """The `count` letters received most recently by `as_of`, as the records stood at
    `known_at` (for the dashboard)."""
    return log_page(LogFilters(as_of=as_of, known_at=known_at), None, count).items


def running_late(as_of: dt.date) -> list[LogRow]:
    """Every letter overdue or urgent on `as_of`, oldest received first, with its badges: one
    query over the open letters (the daily digest's list)."""
    clock = clock_day(as_of)
    statement = (
        select(DeferralRequest, *clock_columns(clock))
        .where(or_(overdue(clock), urgent(clock)))
        .order_by(DeferralRequest.received_on, DeferralRequest.id)
        .options(selectinload(DeferralRequest.jurisdiction).selectinload(Jurisdiction.state))
    )
    return [
        LogRow(row[0], Badges.from_row(row[1:], as_of)) for row in db.session.execute(statement)
    ]


def log_records(filters: LogFilters) -> Iterator[Row]:
    """Every letter of the log in its order, for a download: the letter's columns, its
    jurisdiction's name and state, its number of attachments and its clocks on `as_of`
    (Badges.from_row reads the last six), as the records stood at `known_at` (the letter as
    it was then, the attachments uploaded by then).

    The date is checked at once, so a refusal comes before any byte is sent; the letters are
    read when the rows are iterated, in the session current then (a streamed download reads
    them after its view has returned), from a server-side cursor a batch at a time: the first
    row comes at once and memory stays flat however many letters match.
    """
    clock = clock_day(filters.as_of, filters.known_at)
    letters = letters_known_at(filters.known_at)
    attachments = select(func.count(Attachment.id)).where(
        Attachment.deferral_request_id == letters.c.id
    )
    if filters.known_at is not None:
        attachments = attachments.where(Attachment.uploaded_at <= filters.known_at)
    statement = select(
        letters,
        Jurisdiction.full_name.label("jurisdiction_name"),
        State.postal.label("state_postal"),
        attachments.scalar_subquery().label("attachment_count"),
        *clock_columns(clock, letters),
    ).select_from(
        letters.join(Jurisdiction, Jurisdiction.fips == letters.c.jurisdiction_fips).join(
            State, State.fips == Jurisdiction.state_fips
        )
    )
    statement = _filtered(statement, filters, clock, letters)
    statement = statement.order_by(*ordering(sort_keys(filters.sort, letters)))

    def rows() -> Iterator[Row]:
        # A server-side cursor whose batches grow from a few rows to a thousand: the first row
        # leaves at once, the rest in few round trips.
        # Core rows straight from the connection: the ORM would read them all first.
        options = {"stream_results": True, "max_row_buffer": 1000}
        yield from db.session.connection().execute(statement.execution_options(**options))

    return rows()
