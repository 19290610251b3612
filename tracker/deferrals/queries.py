"""Reading deferral requests: one request, a jurisdiction's letters, their steps and history,
and how many letters were open on a date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.audit.models import AuditEvent
from tracker.corrections.versions import newest_versions
from tracker.deferrals.models import (
    Attachment,
    DeferralNote,
    DeferralRequest,
    DeferralRequestVersion,
    Resolution,
    letters_known_at,
    open_on,
)
from tracker.errors import Conflict, NotFound
from tracker.extensions import db
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


def letter_known_at(request_id: int, known_at: dt.datetime) -> DeferralRequestVersion:
    """The letter as the records stood at `known_at`: its newest kept version recorded by then
    (which reads like the letter). Raises NotFound when it had not been logged by then."""
    version = DeferralRequestVersion
    newest = newest_versions(version, version.deferral_request_id, known_at)
    found = db.session.scalar(
        select(version).where(
            version.deferral_request_id == request_id, version.version_no.in_(newest)
        )
    )
    if found is None:
        raise NotFound(
            f"There is no deferral request #{request_id} in the records as they stood then "
            "(known_at)."
        )
    return found


def attachments_known_at(
    request_ids: Sequence[int], known_at: dt.datetime
) -> dict[int, list[Attachment]]:
    """{letter id: its attachments uploaded at or before `known_at`, in order} for each of
    `request_ids`, in one query."""
    found: dict[int, list[Attachment]] = {request_id: [] for request_id in request_ids}
    if request_ids:
        statement = (
            select(Attachment)
            .where(
                Attachment.deferral_request_id.in_(list(request_ids)),
                Attachment.uploaded_at <= known_at,
            )
            .order_by(Attachment.id)
        )
        for attachment in db.session.scalars(statement):
            found[attachment.deferral_request_id].append(attachment)
    return found


def notes_known_at(request_id: int, known_at: dt.datetime) -> list[DeferralNote]:
    """The letter's notes written at or before `known_at`, oldest first."""
    statement = (
        select(DeferralNote)
        .where(DeferralNote.deferral_request_id == request_id, DeferralNote.created_at <= known_at)
        .order_by(DeferralNote.id)
    )
    return list(db.session.scalars(statement))


def requests_for_jurisdiction(
    fips: str, known_at: dt.datetime | None = None
) -> list[DeferralRequest | DeferralRequestVersion]:
    """Every letter from one jurisdiction, oldest first (for its page's timeline); with
    `known_at`, each letter as the records stood then (its kept version, which reads like the
    letter), counting only those recorded by then and from this jurisdiction then."""
    if known_at is None:
        statement = (
            select(DeferralRequest)
            .where(DeferralRequest.jurisdiction_fips == fips)
            .options(selectinload(DeferralRequest.created_by))
        )
        order = (DeferralRequest.received_on, DeferralRequest.id)
    else:
        version = DeferralRequestVersion
        newest = newest_versions(version, version.deferral_request_id, known_at)
        statement = select(version).where(
            version.version_no.in_(newest), version.jurisdiction_fips == fips
        )
        order = (version.received_on, version.deferral_request_id)
    return list(db.session.scalars(statement.order_by(*order)))


def letters_ever_in(fips: str) -> list[int]:
    """The ids of the letters that were ever recorded against this jurisdiction (a letter moved
    to another county leaves its trace in both)."""
    statement = (
        select(DeferralRequestVersion.deferral_request_id)
        .where(DeferralRequestVersion.jurisdiction_fips == fips)
        .distinct()
    )
    return list(db.session.scalars(statement))


def timeline_steps(request: DeferralRequest | DeferralRequestVersion) -> list[tuple[dt.date, str]]:
    """The dated steps of one request, in order: (date, what happened)."""
    steps = [
        (request.letter_date, f"Letter #{request.id} dated ({request.kind.label})"),
        (request.received_on, f"Letter #{request.id} received by {request.channel.value}"),
    ]
    if request.meeting_requested_on:
        steps.append((request.meeting_requested_on, f"Meeting requested on letter #{request.id}"))
    if request.meeting_held_on:
        steps.append((request.meeting_held_on, f"Meeting held on letter #{request.id}"))
    if request.resolved_on and request.resolution:
        text = request.resolution.label
        if request.resolution is Resolution.DATE_ADJUSTED and request.adjusted_to:
            text += f" to {request.adjusted_to.isoformat()}"
        steps.append((request.resolved_on, f"Letter #{request.id} closed: {text}"))
    return steps


def linked_plan_changes(
    request: DeferralRequest | DeferralRequestVersion,
    *,
    in_force: bool = False,
    known_at: dt.datetime | None = None,
) -> list[PlanChange]:
    """The plan changes this request caused (written when it was resolved); with `in_force`,
    only those not corrected since; with `known_at`, only those recorded by then."""
    statement = (
        select(PlanChange)
        .where(PlanChange.deferral_request_id == request.id)
        .order_by(PlanChange.id)
    )
    if in_force:
        statement = statement.where(PlanChange.in_force())
    if known_at is not None:
        statement = statement.where(PlanChange.recorded_at <= known_at)
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


def open_letter_counts(
    as_of: dt.date,
    *,
    by: str = "state",
    fips: Iterable[str] | None = None,
    known_at: dt.datetime | None = None,
) -> dict[str, int]:
    """{state or jurisdiction FIPS: deferral letters open on `as_of`}, in one grouped query.

    A letter is open on a date when it was received on or before it and was not resolved or
    withdrawn by then (a closed letter always has its resolution date), so past dates read as
    they did that day. Every kind of request counts. `by` is "state" or "jurisdiction". With
    `known_at`, the letters as the records stood at that moment.
    """
    letters = letters_known_at(known_at)
    fips_column = letters.c.jurisdiction_fips
    # A county's FIPS code begins with its state's: no join, only the open letters are read.
    key = (func.substr(fips_column, 1, 2) if by == "state" else fips_column).label("key")
    statement = (
        select(key, func.count())
        .select_from(letters)
        .where(open_on(as_of, letters))
        .group_by(key)
    )
    if fips is not None:
        statement = statement.where(letters.c.jurisdiction_fips.in_(list(fips)))
    return dict(db.session.execute(statement).all())


def versions_of(request: DeferralRequest) -> list[DeferralRequestVersion]:
    """Every kept version of the letter, oldest first: what was logged, each step, each
    correction, with when and by whom."""
    statement = (
        select(DeferralRequestVersion)
        .where(DeferralRequestVersion.deferral_request_id == request.id)
        .order_by(DeferralRequestVersion.version_recorded_at, DeferralRequestVersion.version_no)
    )
    return list(db.session.scalars(statement))
