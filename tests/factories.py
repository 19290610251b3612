"""Test data, written through the services where they exist so the rules apply to tests too."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tracker.deferrals.models import (
    AddressedTo,
    Channel,
    DeferralRequest,
    DeferralStatus,
    RequestKind,
    Resolution,
)
from tracker.extensions import db
from tracker.plan import services as plan
from tracker.plan.models import PlanChange

D = dt.date.fromisoformat
# A county with no real activation record, used as "a county" in many tests: Anderson County, TX.
COUNTY = "48001"
OTHER_COUNTY = "48003"  # Andrews County, TX


def schedule(fips: str, scheduled_on: str, decided_on: str, reason: str = "Scheduled in the plan"):
    return plan.schedule(
        fips, D(scheduled_on), decided_on=D(decided_on), reason=reason, source="test"
    )


def remove(fips: str, decided_on: str, reason: str = "Removed at the state's request"):
    return plan.remove_from_plan(fips, decided_on=D(decided_on), reason=reason, source="test")


def activate(fips: str, activated_on: str):
    return plan.record_activation(fips, D(activated_on), source="test")


def latest_plan_change(fips: str) -> PlanChange | None:
    """The plan change in force for a jurisdiction now (the latest decided, then recorded)."""
    statement = (
        select(PlanChange)
        .where(PlanChange.jurisdiction_fips == fips)
        .order_by(PlanChange.decided_on.desc(), PlanChange.id.desc())
        .limit(1)
    )
    return db.session.scalar(statement)


def deferral_request(
    fips: str,
    received_on: str,
    *,
    letter_date: str | None = None,
    kind: RequestKind = RequestKind.DEFER,
    requested_date: str | None = "2011-06-01",
    resolved_on: str | None = None,
    resolution: Resolution | None = None,
    sender_name: str = "Sheriff Pat Doe",
) -> DeferralRequest:
    """A letter row written directly (the workflow service has its own tests)."""
    closed = resolved_on is not None
    status = DeferralStatus.RECEIVED
    if closed:
        resolution = resolution or Resolution.PROCEEDS_AS_SCHEDULED
        status = (
            DeferralStatus.WITHDRAWN
            if resolution is Resolution.WITHDRAWN
            else DeferralStatus.RESOLVED
        )
    request = DeferralRequest(
        jurisdiction_fips=fips,
        letter_date=D(letter_date or received_on),
        received_on=D(received_on),
        channel=Channel.EMAIL,
        sender_name=sender_name,
        addressed_to=AddressedTo.BOTH,
        kind=kind,
        requested_date=D(requested_date) if requested_date and kind is RequestKind.DEFER else None,
        status=status,
        resolution=resolution if closed else None,
        resolved_on=D(resolved_on) if resolved_on else None,
    )
    db.session.add(request)
    db.session.flush()
    return request


def briefing(
    held_on: str,
    kind: str = "local_briefing",
    *,
    jurisdictions: tuple[str, ...] | list[str] = (),
    states: tuple[str, ...] | list[str] = (),
    every_jurisdiction_in: tuple[str, ...] | list[str] = (),
    presenter: str | None = "Outreach lead",
):
    """A briefing logged through the service (so its rules and audit apply)."""
    from tracker.briefings import services as briefings

    return briefings.log_briefing(
        held_on=D(held_on),
        kind=kind,
        jurisdiction_fips=jurisdictions,
        states=states,
        every_jurisdiction_in=every_jurisdiction_in,
        presenter=presenter,
    )
