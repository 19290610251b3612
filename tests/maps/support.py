"""Helpers for the map tests: status rows for the pure builder."""

from __future__ import annotations

import datetime as dt

from tracker.status.rule import JurisdictionStatus, Status


def row(
    fips: str,
    status: Status,
    *,
    name: str = "Anderson County",
    state: str = "TX",
    scheduled_on: dt.date | None = None,
    activated_on: dt.date | None = None,
) -> JurisdictionStatus:
    """A status row as status_as_of returns it, for the pure builder."""
    return JurisdictionStatus(
        fips=fips,
        state_fips=fips[:2],
        state_postal=state,
        state_name="Texas",
        name=name.removesuffix(" County"),
        full_name=name,
        status=status,
        scheduled_on=scheduled_on,
        activated_on=activated_on,
        past_due=False,
    )
