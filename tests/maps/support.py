"""Helpers for the map tests: write through the services in an app context and commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from tracker.status.rule import JurisdictionStatus, Status

T = TypeVar("T")


def write(app, fn: Callable[[], T]) -> T:
    """Run `fn` in an app context and commit (a savepoint inside the test's transaction)."""
    from tracker.audit.services import set_command_actor
    from tracker.extensions import db

    with app.app_context():
        set_command_actor("test")
        result = fn()
        db.session.commit()
        db.session.remove()
        return result


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
