"""Reading deferral requests: one request, a jurisdiction's letters, their steps and history,
and finding the jurisdiction people typed on the form."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, or_, select

from tracker.audit.models import AuditEvent
from tracker.deferrals.labels import KIND_LABELS, RESOLUTION_LABELS
from tracker.deferrals.models import DeferralRequest, Resolution
from tracker.errors import Conflict, DomainError, NotFound
from tracker.extensions import db
from tracker.jurisdictions.models import Jurisdiction, State
from tracker.plan.models import PlanChange


def get_request(request_id: int, *, expected_version: int | None = None) -> DeferralRequest:
    """The request with this id; with `expected_version`, also check nobody changed it since.

    Raises NotFound, or Conflict when the form was rendered from an older version.
    """
    request = db.session.get(DeferralRequest, request_id)
    if request is None:
        raise NotFound(f"There is no deferral request #{request_id}.")
    if expected_version is not None and request.version_id != expected_version:
        raise Conflict(
            f"Deferral request #{request_id} was changed by someone else since you opened this "
            "page (see its history). Nothing was saved; review the change and try again."
        )
    return request


def requests_for_jurisdiction(fips: str) -> list[DeferralRequest]:
    """Every letter from one jurisdiction, oldest first (for its page's timeline)."""
    statement = (
        select(DeferralRequest)
        .where(DeferralRequest.jurisdiction_fips == fips)
        .order_by(DeferralRequest.received_on, DeferralRequest.id)
    )
    return list(db.session.scalars(statement))


def timeline_steps(request: DeferralRequest) -> list[tuple[dt.date, str]]:
    """The dated steps of one request, in order: (date, what happened)."""
    steps = [
        (request.letter_date, f"Letter #{request.id} dated ({KIND_LABELS[request.kind]})"),
        (request.received_on, f"Letter #{request.id} received by {request.channel.value}"),
    ]
    if request.meeting_requested_on:
        steps.append((request.meeting_requested_on, f"Meeting requested on letter #{request.id}"))
    if request.meeting_held_on:
        steps.append((request.meeting_held_on, f"Meeting held on letter #{request.id}"))
    if request.resolved_on and request.resolution:
        text = RESOLUTION_LABELS[request.resolution]
        if request.resolution is Resolution.DATE_ADJUSTED and request.adjusted_to:
            text += f" to {request.adjusted_to.isoformat()}"
        steps.append((request.resolved_on, f"Letter #{request.id} closed: {text}"))
    return steps


def linked_plan_changes(request: DeferralRequest) -> list[PlanChange]:
    """The plan changes this request caused (written when it was resolved)."""
    statement = (
        select(PlanChange)
        .where(PlanChange.deferral_request_id == request.id)
        .order_by(PlanChange.id)
    )
    return list(db.session.scalars(statement))


def history(request: DeferralRequest) -> list[AuditEvent]:
    """The audit events about this request, oldest first."""
    statement = (
        select(AuditEvent)
        .where(AuditEvent.entity_type == "deferral_request")
        .where(AuditEvent.entity_id == str(request.id))
        .order_by(AuditEvent.id)
    )
    return list(db.session.scalars(statement))


_FIPS_IN_TEXT = re.compile(r"(?:^|\()\s*(\d{5})\s*\)?\s*$")


def find_jurisdiction(text: str | None) -> Jurisdiction:
    """The jurisdiction people typed: a 5-digit FIPS code, "Name, ST" (e.g. "Travis County, TX"
    or "Travis, TX" when that is unambiguous), or a type-ahead choice "Name, ST (FIPS)"."""
    text = (text or "").strip()
    if not text:
        raise DomainError("Choose the jurisdiction that sent the letter.", field="jurisdiction")
    match = _FIPS_IN_TEXT.search(text)
    if match:
        jurisdiction = db.session.get(Jurisdiction, match.group(1))
        if jurisdiction is None:
            raise DomainError(
                f"No jurisdiction has FIPS code {match.group(1)}.", field="jurisdiction"
            )
        return jurisdiction
    name, comma, postal = text.rpartition(",")
    if not comma or len(postal.strip()) != 2:
        raise DomainError(
            f"“{text}” is not a jurisdiction. Type its 5-digit FIPS code or “Name, ST” "
            "(e.g. “Travis County, TX”) and pick it from the list.",
            field="jurisdiction",
        )
    name = name.strip().lower()
    candidates = list(
        db.session.scalars(
            select(Jurisdiction)
            .join(State, State.fips == Jurisdiction.state_fips)
            .where(State.postal == postal.strip().upper())
            .where(
                or_(
                    func.lower(Jurisdiction.full_name) == name,
                    func.lower(Jurisdiction.name) == name,
                )
            )
        )
    )
    exact = [j for j in candidates if j.full_name.lower() == name]
    if len(exact) == 1:
        return exact[0]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        codes = ", ".join(f"{j.full_name} ({j.fips})" for j in candidates)
        raise DomainError(
            f"“{text}” matches more than one jurisdiction: {codes}. Type the FIPS code.",
            field="jurisdiction",
        )
    raise DomainError(
        f"No jurisdiction is called “{text}”. Type its FIPS code or pick it from the list.",
        field="jurisdiction",
    )


def jurisdiction_options(query: str, limit: int = 15) -> list[dict[str, str]]:
    """Type-ahead matches for `query`: FIPS codes starting with it, or names containing it.

    Each option's value, "Name, ST (FIPS)", is what find_jurisdiction accepts back.
    """
    query = (query or "").strip()
    if len(query) < 2:
        return []
    statement = select(Jurisdiction).join(State, State.fips == Jurisdiction.state_fips)
    if query.isdigit():
        statement = statement.where(Jurisdiction.fips.startswith(query))
    else:
        name, comma, postal = query.rpartition(",")
        if comma and len(postal.strip()) <= 2 and name.strip():
            statement = statement.where(
                func.lower(Jurisdiction.full_name).contains(name.strip().lower())
            )
            if postal.strip():
                statement = statement.where(State.postal.startswith(postal.strip().upper()))
        else:
            statement = statement.where(func.lower(Jurisdiction.full_name).contains(query.lower()))
    statement = statement.order_by(Jurisdiction.name, State.postal).limit(limit)
    return [
        {"fips": j.fips, "label": j.label, "value": f"{j.label} ({j.fips})"}
        for j in db.session.scalars(statement)
    ]
