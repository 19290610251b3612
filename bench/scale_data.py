"""Growing a demo database into a decade of history, for bench/scale.py.

The demo (`tracker seed --demo`) is the 1× data set. `grow()` adds rows with bulk inserts until
the database holds a size's counts: letters with an attachment each, audit events, briefings
with the places they covered, plan changes and export records. New rows are copies of the
demo's own, moved in time and place, so they look like the demo:

- a letter copies a demo letter (sender, request, workflow) received on a random day of the
  decade 2009–2018, every date moved with it, from a random county; a copy of a letter the demo
  leaves open is resolved ("proceeds as scheduled") 20 to 90 days after its last step, as a
  decade of real letters would be, unless that day is after 2018;
- an audit event copies a demo event at a later moment (the log stays in time order);
- a briefing copies a demo briefing on a random day, covering random counties of one state;
- a plan change schedules a random county for a random date, decided some weeks before.

Bulk inserts: executemany on SQLite, COPY on PostgreSQL. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from tracker.deferrals.search import searchable_text
from tracker.models import (
    Attachment,
    AuditEvent,
    Briefing,
    DeferralRequest,
    ExportRecord,
    Jurisdiction,
    PlanChange,
    State,
    briefing_jurisdiction,
)
from tracker.text import fold

DECADE_START = dt.date(2009, 1, 1)
DECADE_DAYS = 3652
DECADE_END = DECADE_START + dt.timedelta(days=DECADE_DAYS - 1)
STAFF = tuple(f"staff{n:02d}@example.gov" for n in range(1, 21))
BATCH = 20_000
LETTER_DATES = (
    "letter_date",
    "received_on",
    "requested_date",
    "meeting_requested_on",
    "meeting_held_on",
    "resolved_on",
    "adjusted_to",
)


@dataclass(frozen=True)
class Size:
    """How many rows of each kind a data set holds (at least)."""

    name: str
    letters: int
    audit_events: int
    briefings: int
    plan_changes: int
    export_records: int


SIZES = {
    "1x": None,  # the demo as seeded (measured beside each larger size)
    "10x": Size("10x", 10_000, 100_000, 2_000, 5_000, 10_000),
    "100x": Size("100x", 100_000, 1_000_000, 20_000, 50_000, 100_000),
}


def counts(connection: sa.Connection) -> dict[str, int]:
    def count(table) -> int:
        return connection.scalar(sa.select(sa.func.count()).select_from(table))

    return {
        "letters": count(DeferralRequest.__table__),
        "attachments": count(Attachment.__table__),
        "audit_events": count(AuditEvent.__table__),
        "briefings": count(Briefing.__table__),
        "plan_changes": count(PlanChange.__table__),
        "export_records": count(ExportRecord.__table__),
    }


def _insert(connection: sa.Connection, table: sa.Table, rows: Iterable[dict]) -> None:
    """Insert `rows` (dicts with every column named) in batches, by COPY on PostgreSQL."""
    rows = iter(rows)
    if connection.dialect.name == "postgresql":
        first = next(rows, None)
        if first is None:
            return
        names = list(first)
        json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
            for row in _chain(first, rows):
                copy.write_row(
                    [json.dumps(row[n]) if n in json_columns and row[n] is not None else row[n]
                     for n in names]
                )  # fmt: skip
        return
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)


def _chain(first: dict, rest: Iterator[dict]) -> Iterator[dict]:
    yield first
    yield from rest


def _next_id(connection: sa.Connection, table: sa.Table) -> int:
    return (connection.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1


def _reset_sequences(connection: sa.Connection, tables: Iterable[sa.Table]) -> None:
    """PostgreSQL: move each id sequence past the ids written here, for the app's next insert."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        # Our own table names, never input.
        statement = f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
        statement += f"(SELECT coalesce(max(id), 1) FROM {table.name}))"  # noqa: S608
        connection.exec_driver_sql(statement)


def _moved(value: dt.date | None, delta: dt.timedelta) -> dt.date | None:
    return value + delta if value is not None else None


def _letters(connection, rng: random.Random, how_many: int) -> tuple[list[dict], list[dict]]:
    table = DeferralRequest.__table__
    templates = [dict(r._mapping) for r in connection.execute(sa.select(table))]
    places = {
        fips: (name, postal)
        for fips, name, postal in connection.execute(
            sa.select(Jurisdiction.fips, Jurisdiction.full_name, State.postal).join(
                State, State.fips == Jurisdiction.state_fips
            )
        )
    }
    codes = sorted(places)
    now = dt.datetime.now(dt.UTC)
    letters, attachments = [], []
    next_letter = _next_id(connection, table)
    next_attachment = _next_id(connection, Attachment.__table__)
    for number in range(how_many):
        template = rng.choice(templates)
        received = DECADE_START + dt.timedelta(days=rng.randrange(DECADE_DAYS))
        delta = received - template["received_on"]
        row = {**template, **{k: _moved(template[k], delta) for k in LETTER_DATES}}
        if row["resolved_on"] is None:
            last = row["meeting_held_on"] or row["meeting_requested_on"] or row["received_on"]
            resolved = last + dt.timedelta(days=rng.randint(20, 90))
            if resolved <= DECADE_END:
                row.update(
                    status="resolved", resolution="proceeds_as_scheduled", resolved_on=resolved
                )
        fips = rng.choice(codes)
        name, postal = places[fips]
        parts = (row["sender_name"], row["sender_title"], row["sender_agency"], row["summary"])
        row.update(
            id=next_letter + number,
            jurisdiction_fips=fips,
            search_text=searchable_text((*parts, name, postal, fips)),
            sender_sort=fold(row["sender_name"]),
            is_demo=False,
            version_id=1,
            created_at=now,
            updated_at=now,
        )
        for enum_column in ("channel", "addressed_to", "kind", "status", "resolution"):
            if row[enum_column] is not None:
                row[enum_column] = str(row[enum_column])
        letters.append(row)
        attachments.append(
            {
                "id": next_attachment + number,
                "deferral_request_id": row["id"],
                "filename": "letter.pdf",
                "media_type": "application/pdf",
                "size_bytes": 64,
                "sha256": f"{row['id']:064x}",
                "content": b"%PDF-1.4\n" + b"0" * 55,
                "uploaded_by_id": None,
                "uploaded_at": now,
            }
        )
    return letters, attachments


def _audit_events(connection, rng: random.Random, how_many: int) -> Iterator[dict]:
    table = AuditEvent.__table__
    templates = [dict(r._mapping) for r in connection.execute(sa.select(table).limit(2000))]
    start = dt.datetime.combine(DECADE_START, dt.time(9), tzinfo=dt.UTC)
    step = dt.timedelta(days=DECADE_DAYS) / how_many
    first = _next_id(connection, table)
    for number in range(how_many):
        template = rng.choice(templates)
        yield {
            **template,
            "id": first + number,
            "occurred_at": start + step * number,
            "actor_id": None,
            "actor_label": rng.choice(STAFF) if rng.random() < 0.7 else template["actor_label"],
        }


def _briefings(connection, rng: random.Random, how_many: int) -> tuple[list[dict], list[dict]]:
    table = Briefing.__table__
    templates = [dict(r._mapping) for r in connection.execute(sa.select(table))]
    by_state: dict[str, list[str]] = {}
    for fips, state_fips in connection.execute(
        sa.select(Jurisdiction.fips, Jurisdiction.state_fips)
    ):
        by_state.setdefault(state_fips, []).append(fips)
    states = sorted(by_state)
    first = _next_id(connection, table)
    briefings, links = [], []
    for number in range(how_many):
        row = {
            **rng.choice(templates),
            "id": first + number,
            "held_on": DECADE_START + dt.timedelta(days=rng.randrange(DECADE_DAYS)),
            "is_demo": False,
            "version_id": 1,
            "recorded_by_id": None,
        }
        row["kind"] = str(row["kind"])
        briefings.append(row)
        counties = by_state[rng.choice(states)]
        for fips in rng.sample(counties, min(len(counties), rng.randint(1, 4))):
            links.append({"briefing_id": row["id"], "jurisdiction_fips": fips})
    return briefings, links


def _plan_changes(connection, rng: random.Random, how_many: int) -> Iterator[dict]:
    codes = sorted(connection.scalars(sa.select(Jurisdiction.fips)))
    first = _next_id(connection, PlanChange.__table__)
    now = dt.datetime.now(dt.UTC)
    for number in range(how_many):
        scheduled = DECADE_START + dt.timedelta(days=rng.randrange(60, DECADE_DAYS))
        yield {
            "id": first + number,
            "jurisdiction_fips": rng.choice(codes),
            "kind": "scheduled",
            "scheduled_on": scheduled,
            "decided_on": scheduled - dt.timedelta(days=rng.randint(20, 60)),
            "reason": "Rescheduled in the plan (bench data)",
            "deferral_request_id": None,
            "source": "bench",
            "is_demo": False,
            "recorded_by_id": None,
            "recorded_at": now,
        }


def _export_records(connection, rng: random.Random, how_many: int) -> Iterator[dict]:
    first = _next_id(connection, ExportRecord.__table__)
    start = dt.datetime.combine(DECADE_START, dt.time(9), tzinfo=dt.UTC)
    step = dt.timedelta(days=DECADE_DAYS) / how_many
    for number in range(how_many):
        occurred = start + step * number
        yield {
            "id": first + number,
            "occurred_at": occurred,
            "list_name": rng.choice(("activated", "planned", "deferral-letters")),
            "format": rng.choice(("csv", "xlsx", "pdf", "json")),
            "as_of": occurred.date(),
            "filters": {},
            "row_count": rng.randint(1, 3233),
            "user_id": None,
            "channel": rng.choice(("web", "api", "cli")),
        }


def grow(engine: sa.Engine, size: Size, seed: int = 14) -> dict[str, int]:
    """Add rows until the database holds at least `size`'s counts; returns the counts."""
    rng = random.Random(f"{seed}-{size.name}")
    with engine.begin() as connection:
        have = counts(connection)
        letters, attachments = _letters(connection, rng, max(0, size.letters - have["letters"]))
        _insert(connection, DeferralRequest.__table__, letters)
        _insert(connection, Attachment.__table__, attachments)
        more = max(0, size.audit_events - have["audit_events"])
        _insert(connection, AuditEvent.__table__, _audit_events(connection, rng, more))
        briefings, links = _briefings(connection, rng, max(0, size.briefings - have["briefings"]))
        _insert(connection, Briefing.__table__, briefings)
        _insert(connection, briefing_jurisdiction, links)
        more = max(0, size.plan_changes - have["plan_changes"])
        _insert(connection, PlanChange.__table__, _plan_changes(connection, rng, more))
        more = max(0, size.export_records - have["export_records"])
        _insert(connection, ExportRecord.__table__, _export_records(connection, rng, more))
        _reset_sequences(
            connection,
            (
                DeferralRequest.__table__,
                Attachment.__table__,
                AuditEvent.__table__,
                Briefing.__table__,
                PlanChange.__table__,
                ExportRecord.__table__,
            ),
        )
    with engine.connect() as connection:
        # Fresh statistics for the planners, as autovacuum or `PRAGMA optimize` keep them.
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE"
            )
        else:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
        return counts(connection)
