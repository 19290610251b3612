"""Publishing a quarter's national totals: the only statistics the public ever sees.

Statistics and reviews are for signed-in staff. An admin may publish a quarter's aggregate
totals (national sums of each count and how many jurisdictions reported; never a single
jurisdiction's figures, never a flag or a disposition). The totals are frozen when published;
publishing again replaces them (the earlier publication is kept, withdrawn), and withdrawing
takes the quarter off the public pages. Both are audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from tracker.audit.services import current_actor, record
from tracker.db import utcnow
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.outcomes.models import PublishedQuarter
from tracker.outcomes.quarters import Quarter
from tracker.outcomes.services import Totals, quarter_totals

P = PublishedQuarter


@dataclass(frozen=True)
class Publication:
    quarter: Quarter
    totals: Totals
    published_at: dt.datetime


def publication_of(quarter: Quarter) -> PublishedQuarter | None:
    """The publication of `quarter` in force, if any."""
    return db.session.scalar(select(P).where(P.quarter == str(quarter), P.withdrawn_at.is_(None)))


def published_quarters() -> list[Publication]:
    """Every quarter whose totals are published, newest quarter first."""
    rows = db.session.scalars(select(P).where(P.withdrawn_at.is_(None)).order_by(P.quarter.desc()))
    return [
        Publication(Quarter.parse(row.quarter), Totals(**row.totals), row.published_at)
        for row in rows
    ]


def _withdraw(row: PublishedQuarter, now: dt.datetime) -> None:
    actor = current_actor()
    row.withdrawn_at = now
    row.withdrawn_by_id = actor.id if actor is not None else None


def publish_quarter(quarter: Quarter) -> PublishedQuarter:
    """Publish `quarter`'s national totals as they stand now; flush only. A quarter without
    statistics cannot be published; publishing again replaces the published totals."""
    totals = quarter_totals(quarter)
    if totals.jurisdictions == 0:
        raise DomainError(f"{quarter} has no statistics to publish.", field="quarter")
    now = utcnow()
    before = publication_of(quarter)
    if before is not None:
        _withdraw(before, now)
        db.session.flush()
    actor = current_actor()
    row = PublishedQuarter(
        quarter=str(quarter),
        totals=totals.as_dict(),
        published_at=now,
        published_by_id=actor.id if actor is not None else None,
    )
    db.session.add(row)
    db.session.flush()
    record(
        "stats.publish",
        "published_quarter",
        str(quarter),
        before=before.totals if before is not None else None,
        after=row.totals,
    )
    return row


def withdraw_quarter(quarter: Quarter) -> None:
    """Take `quarter`'s published totals off the public pages; flush only."""
    row = publication_of(quarter)
    if row is None:
        raise DomainError(f"{quarter} is not published.", field="quarter")
    _withdraw(row, utcnow())
    db.session.flush()
    record("stats.withdraw", "published_quarter", str(quarter), before=row.totals)
