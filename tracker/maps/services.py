"""What the map pages and /api/v1/status need, computed once per data version and date.

Every status comes from tracker.status.rule (the "as of" rule); this module only encodes, counts
and renders it, and remembers the results with the same cache, so a busy map costs one status
computation per date and data version per process. The status document is the exception to
using the cached rows: a visitor pressing Play asks for ~60 dates, and keeping each date's rows
(about 1 MiB) beside its encoded answer (about 50 kB) grew a worker by 15 MiB.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.audit.services import data_version
from tracker.cache import cached
from tracker.extensions import db
from tracker.maps.encoding import status_document
from tracker.plan.models import Activation, PlanChange
from tracker.registry.lookup import state_options
from tracker.status.headline import headline
from tracker.status.rule import (
    PUBLIC_STATUSES,
    STAFF_STATUSES,
    JurisdictionStatus,
    Status,
    status_as_of,
)

# The rollout the slider spans at least (Secure Communities: October 2008 to mid-2013).
ROLLOUT_START = dt.date(2008, 10, 1)
ROLLOUT_END = dt.date(2013, 6, 1)


@dataclass(frozen=True)
class StatusPayload:
    """The /api/v1/status body for one (date, state, audience), ready to send."""

    etag: str
    raw: bytes
    gzipped: bytes
    data_version: int


def status_payload(
    as_of: dt.date,
    known_at: dt.datetime | None = None,
    *,
    state: str | None,
    public: bool,
    names: bool = False,
) -> StatusPayload:
    """The compact status document of every jurisdiction (or one state) on `as_of`, as known at
    `known_at`, encoded and gzipped once per data version. The ETag names the data version,
    date, moment, state and audience, so it changes exactly when the answer can."""

    def compute() -> StatusPayload:
        version = data_version()
        rows = status_as_of(as_of, known_at, state=state, public=public)
        document = status_document(
            rows,
            as_of=as_of.isoformat(),
            data_version=version,
            public=public,
            headline=headline(rows, as_of).sentence,
            names=names,
        )
        if known_at is not None:
            document["known_at"] = known_at.isoformat()
        raw = json.dumps(document, separators=(",", ":")).encode()
        audience = "public" if public else "staff"
        moment = known_at.isoformat() if known_at else "now"
        tag = f"{version}-{as_of.isoformat()}-{moment}-{state or 'all'}-{audience}-{names}"
        return StatusPayload(
            etag=hashlib.sha256(tag.encode()).hexdigest()[:24],
            raw=raw,
            gzipped=gzip.compress(raw, compresslevel=6, mtime=0),
            data_version=version,
        )

    return cached("map_status_payload", (as_of, known_at, state, public, names), compute)


@dataclass(frozen=True)
class StateRow:
    """One state's line in the table beside the map."""

    postal: str
    name: str
    territory: bool
    counts: dict[Status, int]
    total: int


def shown_statuses(public: bool) -> tuple[Status, ...]:
    return PUBLIC_STATUSES if public else STAFF_STATUSES


def state_table(rows: Sequence[JurisdictionStatus]) -> tuple[StateRow, ...]:
    """Counts by state and status, one row per state (zero rows included), by state name."""
    counts: dict[str, dict[Status, int]] = {}
    for row in rows:
        per_state = counts.setdefault(row.state_postal, dict.fromkeys(Status, 0))
        per_state[row.status] += 1
    return tuple(
        StateRow(
            postal=postal,
            name=name,
            territory=territory,
            counts=counts.get(postal, dict.fromkeys(Status, 0)),
            total=sum(counts.get(postal, {}).values()),
        )
        for postal, name, territory in state_options()
    )


def rollout_span() -> tuple[dt.date, dt.date]:
    """First and last month the slider offers: the whole rollout, widened to every plan and
    activation date the data holds."""

    def compute() -> tuple[dt.date, dt.date]:
        first = [
            db.session.scalar(select(func.min(PlanChange.decided_on))),
            db.session.scalar(select(func.min(Activation.activated_on))),
        ]
        last = [
            db.session.scalar(select(func.max(PlanChange.scheduled_on))),
            db.session.scalar(select(func.max(Activation.activated_on))),
        ]
        start = min([ROLLOUT_START, *(d for d in first if d)])
        end = max([ROLLOUT_END, *(d for d in last if d)])
        return start.replace(day=1), end.replace(day=1)

    return cached("map_rollout_span", None, compute)
