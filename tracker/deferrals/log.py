"""The deferral log: its filters, orders and pages, and each letter's clocks on the log's date.

The page, the CSV/XLSX download and the staff API all read the log through LogFilterForm and
`log_page` / `log_records`, so they agree on what a filter means. Everything is judged in SQL
on `as_of`: the plain filters, the search (tracker.deferrals.search), the workflow status, and
the overdue and urgent clocks (tracker.deferrals.clocks). Each order is served by an index and
ends with the id, so the log pages by key (tracker.pagination.seek) however long it grows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

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
    DeferralStatus,
    RequestKind,
    open_on,
)
from tracker.deferrals.search import matching
from tracker.enums import enum_choices
from tracker.extensions import db
from tracker.pagination import Cursor, SeekPage, SortKey, ordering, seek
from tracker.params import ChoiceParam, DateParam, FlagParam, NotAfter, SeekFilterForm, TextParam
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


@dataclass(frozen=True)
class LogFilters:
    """What the log is asked to show. Status, overdue and urgent are judged on `as_of`."""

    as_of: dt.date
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
    letters, the daily digest's letters running late."""

    request: DeferralRequest
    badges: Badges

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


def _filtered(statement: Select, filters: LogFilters, clock: ClockDay) -> Select:
    """`statement` (selecting from deferral_request) narrowed to the letters received by
    `as_of` that the filters select."""
    statement = statement.where(_C.received_on <= filters.as_of)
    if filters.state:
        # A state's counties are the FIPS codes that begin with its code: a range on the index.
        code = get_state(filters.state).fips
        statement = statement.where(_C.jurisdiction_fips.between(f"{code}000", f"{code}999"))
    if filters.channel:
        statement = statement.where(_C.channel == Channel(filters.channel))
    if filters.kind:
        statement = statement.where(_C.kind == RequestKind(filters.kind))
    if filters.received_from:
        statement = statement.where(_C.received_on >= filters.received_from)
    if filters.received_to:
        statement = statement.where(_C.received_on <= filters.received_to)
    if filters.q:
        statement = statement.where(matching(filters.q))
    if filters.status == OPEN:
        statement = statement.where(open_on(filters.as_of))
    elif filters.status:
        statement = statement.where(in_status(DeferralStatus(filters.status), filters.as_of))
    if filters.overdue:
        statement = statement.where(overdue(clock))
    if filters.urgent:
        statement = statement.where(urgent(clock))
    return statement


def log_page(filters: LogFilters, after: Cursor | None, per_page: int) -> SeekPage:
    """One page of the log (LogRow items) starting after `after`, each letter with its badges
    on `as_of`. A fixed number of queries, whatever the size of the log: the page's ids in the
    asked order (an index walk, nothing computed per row), then those letters with their
    clocks, attachments and places."""
    clock = clock_day(filters.as_of)
    found = seek(
        _filtered(select(DeferralRequest.id), filters, clock),
        SORTS[filters.sort][1],
        after,
        per_page,
    )
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
        LogRow(loaded[i][0], Badges.from_row(loaded[i][1:], filters.as_of)) for i in found.items
    ]
    return replace(found, items=rows)


def recent_letters(as_of: dt.date, count: int) -> list[LogRow]:
    """The `count` letters received most recently by `as_of` (for the dashboard)."""
    return log_page(LogFilters(as_of=as_of), None, count).items


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
    return [LogRow(row[0], Badges.from_row(row[1:], as_of)) for row in db.session.execute(statement)]


def log_records(filters: LogFilters) -> Iterator[Row]:
    """Every letter of the log in its order, for a download: the letter's columns, its
    jurisdiction's name and state, its number of attachments and its clocks on `as_of`
    (Badges.from_row reads the last six).

    The date is checked at once, so a refusal comes before any byte is sent; the letters are
    read when the rows are iterated, in the session current then (a streamed download reads
    them after its view has returned), from a server-side cursor a batch at a time: the first
    row comes at once and memory stays flat however many letters match.
    """
    clock = clock_day(filters.as_of)
    attachments = (
        select(func.count(Attachment.id))
        .where(Attachment.deferral_request_id == _C.id)
        .scalar_subquery()
    )
    statement = select(
        DeferralRequest.__table__,
        Jurisdiction.full_name.label("jurisdiction_name"),
        State.postal.label("state_postal"),
        attachments.label("attachment_count"),
        *clock_columns(clock),
    ).select_from(
        DeferralRequest.__table__.join(
            Jurisdiction, Jurisdiction.fips == _C.jurisdiction_fips
        ).join(State, State.fips == Jurisdiction.state_fips)
    )
    statement = _filtered(statement, filters, clock).order_by(*ordering(SORTS[filters.sort][1]))

    def rows() -> Iterator[Row]:
        # A server-side cursor whose batches grow from a few rows to a thousand: the first row
        # leaves at once, the rest in few round trips.
        # Core rows straight from the connection: the ORM would read them all first.
        options = {"stream_results": True, "max_row_buffer": 1000}
        yield from db.session.connection().execute(statement.execution_options(**options))

    return rows()
