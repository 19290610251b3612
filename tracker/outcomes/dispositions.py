"""Editors' dispositions of flagged jurisdictions: recording one (audited), and reading them back
for a quarter's review with the history of earlier quarters."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from tracker.audit.services import current_actor, record, snapshot
from tracker.auth.models import User
from tracker.errors import Conflict, DomainError
from tracker.extensions import db
from tracker.outcomes.models import Direction, Disposition, Metric, ReviewDisposition
from tracker.registry.models import Jurisdiction, State
from tracker.text import required_text

D = ReviewDisposition
SNAPSHOT_FIELDS = (
    "quarter", "metric", "jurisdiction_fips", "direction", "count", "cases", "rate", "z",
    "limit_crossed", "disposition", "note", "revises_id",
)  # fmt: skip


@dataclass(frozen=True)
class DispositionRecord:
    """A disposition as pages and files show it (plain values, safe to keep after the request)."""

    id: int
    quarter: str
    metric: Metric
    fips: str
    jurisdiction: str
    state: str
    direction: Direction
    count: int
    cases: int
    rate: float
    z: float
    limit: str
    disposition: Disposition
    note: str
    recorded_by: str  # the editor's name and e-mail, or the command
    recorded_at: dt.datetime
    revises_id: int | None


def _records(*conditions) -> list[DispositionRecord]:
    statement = (
        select(D, Jurisdiction.full_name, State.postal, User.name, User.email)
        .join(Jurisdiction, Jurisdiction.fips == D.jurisdiction_fips)
        .join(State, State.fips == Jurisdiction.state_fips)
        .outerjoin(User, User.id == D.recorded_by_id)
        .where(*conditions)
        .order_by(D.id.desc())
    )
    return [
        DispositionRecord(
            id=row.id,
            quarter=row.quarter,
            metric=row.metric,
            fips=row.jurisdiction_fips,
            jurisdiction=name,
            state=postal,
            direction=row.direction,
            count=row.count,
            cases=row.cases,
            rate=row.rate,
            z=row.z,
            limit=row.limit_crossed,
            disposition=row.disposition,
            note=row.note,
            recorded_by=f"{user_name} ({email})" if email else "a command",
            recorded_at=row.recorded_at,
            revises_id=row.revises_id,
        )
        for row, name, postal, user_name, email in db.session.execute(statement)
    ]


def _final(records: list[DispositionRecord]) -> list[DispositionRecord]:
    """The disposition in force of each (quarter, metric, jurisdiction): the one no other
    revises (records come newest first)."""
    revised = {r.revises_id for r in records if r.revises_id is not None}
    return [r for r in records if r.id not in revised]


def dispositions_for_review(
    quarter: str, previous: str, flagged_fips: Collection[str]
) -> tuple[dict, dict, list[DispositionRecord]]:
    """What a quarter's review page shows of the dispositions, in one query:
    - {(metric, fips): this quarter's dispositions, newest first};
    - {(metric, fips): the final disposition of each earlier quarter, newest first}, for the
      jurisdictions flagged now;
    - the previous quarter's final dispositions (carried over to this quarter's page)."""
    conditions = [D.quarter.in_((quarter, previous))]
    if flagged_fips:
        conditions.append((D.quarter < quarter) & D.jurisdiction_fips.in_(sorted(flagged_fips)))
    records = _records(or_(*conditions))
    current: dict[tuple[Metric, str], list[DispositionRecord]] = defaultdict(list)
    earlier: dict[tuple[Metric, str], list[DispositionRecord]] = defaultdict(list)
    for record_ in records:
        if record_.quarter == quarter:
            current[(record_.metric, record_.fips)].append(record_)
    final_earlier = sorted(
        (r for r in _final([r for r in records if r.quarter < quarter]) if r.fips in flagged_fips),
        key=lambda r: r.quarter,
        reverse=True,
    )
    for record_ in final_earlier:
        earlier[(record_.metric, record_.fips)].append(record_)
    carried = sorted(
        _final([r for r in records if r.quarter == previous]),
        key=lambda r: (list(Metric).index(r.metric), r.fips),
    )
    return dict(current), dict(earlier), carried


def latest_disposition(quarter: str, metric: Metric, fips: str) -> ReviewDisposition | None:
    return db.session.scalar(
        select(D)
        .where(D.quarter == quarter, D.metric == metric, D.jurisdiction_fips == fips)
        .order_by(D.id.desc())
        .limit(1)
    )


def record_disposition(
    flag,
    quarter: str,
    *,
    disposition: Disposition | str,
    note: str,
    revises: int | None,
) -> ReviewDisposition:
    """Record an editor's disposition of `flag` (a review.Flag of `quarter`); flush only.

    Rules: only a flagged jurisdiction takes a disposition (the caller passes the flag the
    review raises now; None is refused); the note is required; `revises` must name the
    disposition in force when the form was shown (None for the first), else someone else
    decided meanwhile and nothing is written (Conflict). The flag's figures are kept as they
    stand now. Audited as review.disposition.
    """
    if flag is None:
        raise DomainError(
            "That jurisdiction is not flagged in this quarter's review (the figures may have "
            "changed since the page was shown); reload the review.",
            field="disposition",
        )
    note = required_text(
        note, "note", missing="Write a note: what was found, or why no action is needed."
    )
    latest = latest_disposition(quarter, flag.metric, flag.place.fips)
    if (latest.id if latest else None) != revises:
        raise Conflict(
            f"Someone recorded a disposition of {flag.place.label} meanwhile; nothing was "
            "saved. Reload the review to see it, then record yours."
        )
    assessment = flag.assessment
    row = ReviewDisposition(
        quarter=quarter,
        metric=flag.metric,
        jurisdiction_fips=flag.place.fips,
        direction=Direction(assessment.direction),
        count=assessment.count,
        cases=assessment.cases,
        rate=assessment.rate,
        z=assessment.z,
        limit_crossed=assessment.limit,
        disposition=Disposition(disposition),
        note=note,
        revises_id=latest.id if latest else None,
        recorded_by_id=actor.id if (actor := current_actor()) is not None else None,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"Someone recorded a disposition of {flag.place.label} at the same moment; nothing "
            "was saved. Reload the review."
        ) from exc
    record(
        "review.disposition",
        "review_disposition",
        row.id,
        before=snapshot(latest, SNAPSHOT_FIELDS) if latest else None,
        after=snapshot(row, SNAPSHOT_FIELDS),
    )
    return row
