"""The deferral log: its filters, sorting and paging, and each letter's clocks on the log's date.

The page, the CSV/XLSX download and the staff API all read the log through LogFilterForm and
`log_page` / `log_rows`, so they agree on what a filter means. The plain filters run in SQL; the
workflow status, overdue and urgent are still judged in Python on `as_of`, in one place:
`clock_filter`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from tracker.dates import today
from tracker.deferrals.clocks import Badges, badges_for, standing
from tracker.deferrals.models import Channel, DeferralRequest, DeferralStatus, RequestKind
from tracker.enums import enum_choices
from tracker.extensions import db
from tracker.pagination import Page, paginate
from tracker.params import ChoiceParam, DateParam, FlagParam, NotAfter, PagedFilterForm, TextParam
from tracker.registry.forms import StateParam
from tracker.registry.models import Jurisdiction, State

SORTS = {
    "received_desc": ("Received, newest first", (DeferralRequest.received_on.desc(),)),
    "received_asc": ("Received, oldest first", (DeferralRequest.received_on.asc(),)),
    "letter_desc": ("Letter date, newest first", (DeferralRequest.letter_date.desc(),)),
    "jurisdiction": ("Jurisdiction", (State.postal, Jurisdiction.name)),
    "sender": ("Sender", (func.lower(DeferralRequest.sender_name),)),
    "status": ("Status", (DeferralRequest.status, DeferralRequest.received_on.desc())),
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


class LogFilterForm(PagedFilterForm):
    """The log's query parameters, for /deferrals, its downloads and /api/v1/deferrals."""

    q = TextParam("Search sender or jurisdiction")
    status = ChoiceParam("Status", choices=[(OPEN, "Open"), *enum_choices(DeferralStatus)])
    state = StateParam()
    channel = ChoiceParam("Channel", choices=enum_choices(Channel))
    kind = ChoiceParam("Request", choices=enum_choices(RequestKind))
    received_from = DateParam("Received from", validators=[NotAfter("received_to")])
    received_to = DateParam("Received to")
    as_of = DateParam("As of", default=today)
    sort = ChoiceParam(
        "Sort",
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
        default="received_desc",
        any_label=None,
    )
    overdue = FlagParam("Overdue only")
    urgent = FlagParam("Urgent only")

    def log_filters(self) -> LogFilters:
        return LogFilters(**{name: self[name].data for name in LogFilters.__dataclass_fields__})


@dataclass(frozen=True)
class LogRow:
    request: DeferralRequest
    badges: Badges

    @property
    def standing(self) -> str:
        return standing(self.request, self.badges)


def log_statement(filters: LogFilters) -> Select:
    """The letters received by `as_of` that the plain filters select, in the asked order."""
    statement = (
        select(DeferralRequest)
        .join(Jurisdiction, Jurisdiction.fips == DeferralRequest.jurisdiction_fips)
        .join(State, State.fips == Jurisdiction.state_fips)
        .options(
            selectinload(DeferralRequest.attachments), selectinload(DeferralRequest.jurisdiction)
        )
        .where(DeferralRequest.received_on <= filters.as_of)
    )
    if filters.state:
        statement = statement.where(State.postal == filters.state)
    if filters.channel:
        statement = statement.where(DeferralRequest.channel == Channel(filters.channel))
    if filters.kind:
        statement = statement.where(DeferralRequest.kind == RequestKind(filters.kind))
    if filters.received_from:
        statement = statement.where(DeferralRequest.received_on >= filters.received_from)
    if filters.received_to:
        statement = statement.where(DeferralRequest.received_on <= filters.received_to)
    if filters.q:
        needle = f"%{filters.q.lower()}%"
        statement = statement.where(
            or_(
                func.lower(DeferralRequest.sender_name).like(needle),
                func.lower(func.coalesce(DeferralRequest.sender_agency, "")).like(needle),
                func.lower(Jurisdiction.full_name).like(needle),
                Jurisdiction.fips == filters.q,
            )
        )
    return statement.order_by(*SORTS[filters.sort][1], DeferralRequest.id.desc())


def clock_filter(filters: LogFilters) -> Callable[[list], list] | None:
    """The filters judged in Python on `as_of` from each letter's step dates: workflow status
    (or open), overdue, urgent. None when none is asked for, so the log pages in SQL."""
    if filters.status is None and not filters.overdue and not filters.urgent:
        return None

    def keep(requests: list[DeferralRequest]) -> list[DeferralRequest]:
        badges = badges_for(requests, filters.as_of)
        return [
            request
            for request in requests
            if (filters.status != OPEN or badges[request.id].open)
            and (filters.status in (None, OPEN) or badges[request.id].status == filters.status)
            and (not filters.overdue or badges[request.id].overdue)
            and (not filters.urgent or badges[request.id].urgent)
        ]

    return keep


def _with_badges(requests: list[DeferralRequest], as_of: dt.date) -> list[LogRow]:
    badges = badges_for(requests, as_of)
    return [LogRow(request, badges[request.id]) for request in requests]


def log_page(filters: LogFilters, page: int, per_page: int) -> Page:
    """One page of the log (LogRow items), with each letter's badges on `as_of`."""
    found = paginate(log_statement(filters), page, per_page, narrow=clock_filter(filters))
    return replace(found, items=_with_badges(found.items, filters.as_of))


def log_rows(filters: LogFilters) -> list[LogRow]:
    """Every letter of the log (for a download), with its badges on `as_of`."""
    requests = list(db.session.scalars(log_statement(filters)))
    keep = clock_filter(filters)
    return _with_badges(keep(requests) if keep else requests, filters.as_of)
