"""The deferral log: filtering, sorting and paging the letters, with their clocks.

The page, the CSV/XLSX export and the staff API all read the log through `search_log`, so they
agree on what a filter means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from tracker.dates import parse_iso_date, today
from tracker.deferrals.clocks import Badges, badges_for
from tracker.deferrals.models import Channel, DeferralRequest, DeferralStatus, RequestKind
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.pagination import Page, parse_page_args
from tracker.registry.models import Jurisdiction, State

SORTS = {
    "received_desc": ("Received, newest first", (DeferralRequest.received_on.desc(),)),
    "received_asc": ("Received, oldest first", (DeferralRequest.received_on.asc(),)),
    "letter_desc": ("Letter date, newest first", (DeferralRequest.letter_date.desc(),)),
    "jurisdiction": ("Jurisdiction", (State.postal, Jurisdiction.name)),
    "sender": ("Sender", (func.lower(DeferralRequest.sender_name),)),
    "status": ("Status", (DeferralRequest.status, DeferralRequest.received_on.desc())),
}
STATUS_FILTERS = ("open", *(s.value for s in DeferralStatus))


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


def _choice(args: Mapping[str, str], name: str, allowed) -> str | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    allowed = list(allowed)
    if value not in allowed:
        raise DomainError(f"{name} must be one of {', '.join(allowed)}; got {value!r}.", field=name)
    return value


def _flag(args: Mapping[str, str], name: str) -> bool:
    return (args.get(name) or "").strip().lower() in {"1", "true", "yes", "on"}


def parse_filters(args: Mapping[str, str]) -> LogFilters:
    """Read the log's query parameters; a bad value raises DomainError naming the parameter."""
    state = (args.get("state") or "").strip().upper() or None
    if state is not None:
        column = State.fips if state.isdigit() else State.postal
        postal = db.session.scalar(select(State.postal).where(column == state))
        if postal is None:
            raise DomainError(f"state must be a state postal code, got {state!r}.", field="state")
        state = postal
    received_from = parse_iso_date(args.get("received_from"), "received_from")
    received_to = parse_iso_date(args.get("received_to"), "received_to")
    if received_from and received_to and received_from > received_to:
        raise DomainError("received_from must not be after received_to.", field="received_from")
    return LogFilters(
        as_of=parse_iso_date(args.get("as_of"), "as_of", default=today()),
        status=_choice(args, "status", STATUS_FILTERS),
        state=state,
        channel=_choice(args, "channel", (c.value for c in Channel)),
        kind=_choice(args, "kind", (k.value for k in RequestKind)),
        received_from=received_from,
        received_to=received_to,
        overdue=_flag(args, "overdue"),
        urgent=_flag(args, "urgent"),
        q=(args.get("q") or "").strip() or None,
        sort=_choice(args, "sort", SORTS) or "received_desc",
    )


@dataclass(frozen=True)
class LogRow:
    request: DeferralRequest
    badges: Badges


def search_log(filters: LogFilters) -> list[LogRow]:
    """Every letter matching the filters, sorted, with its badges on `filters.as_of`.

    Only letters received on or before `as_of` are in the log for that day. Plain filters run
    in SQL; the workflow status, overdue and urgent are judged on `as_of` from the step dates
    (one extra plan query for all rows).
    """
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
    statement = statement.order_by(*SORTS[filters.sort][1], DeferralRequest.id.desc())
    requests = list(db.session.scalars(statement))
    badges = badges_for(requests, filters.as_of)
    rows = []
    for request in requests:
        badge = badges[request.id]
        if filters.status == "open" and not badge.open:
            continue
        if filters.status not in (None, "open") and badge.status != filters.status:
            continue
        if filters.overdue and not badge.overdue:
            continue
        if filters.urgent and not badge.urgent:
            continue
        rows.append(LogRow(request, badge))
    return rows


def page_of(rows: list, page_arg: str | None, per_page_arg: str | None) -> Page:
    """One page of already-filtered rows, in the shared Page shape."""
    page, per_page = parse_page_args(page_arg, per_page_arg)
    start = (page - 1) * per_page
    return Page(items=rows[start : start + per_page], page=page, per_page=per_page, total=len(rows))
