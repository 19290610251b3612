"""Rendering a list export (cached per data version) and recording who downloaded what.

A rendered file depends only on the data and the request (list, format, as-of date, filters),
so its bytes are cached under those and the data version: the same question asked again costs a
dictionary lookup. Provenance is kept for every file served, from the web, the API or the CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import insert

from tracker.audit.services import current_actor
from tracker.cache import cached
from tracker.db import utcnow
from tracker.exports.models import ExportRecord
from tracker.exports.sources import LIST_TITLES, list_rows
from tracker.exports.table import Column, ExportMeta, Row, Section
from tracker.exports.writers import filename, get_format
from tracker.extensions import db
from tracker.formatting import long_date

CHANNELS = ("web", "cli", "api")


@dataclass(frozen=True)
class RenderedExport:
    content: bytes
    filename: str
    media_type: str
    row_count: int
    as_of: dt.date
    filters: dict[str, str]

    @property
    def known_at(self) -> str | None:
        return self.filters.get("known_at")


def known_at_filter(known_at: dt.datetime | None) -> dict[str, str]:
    """`known_at` as files, names and provenance state it: {"known_at": a UTC ISO 8601
    moment}, or nothing when the file reads the records as they stand now."""
    return {"known_at": known_at.astimezone(dt.UTC).isoformat()} if known_at else {}


def list_filters(
    state: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    known_at: dt.datetime | None = None,
) -> dict[str, str]:
    """The filters as they are written into files, names and provenance (only those given;
    known_at as a UTC ISO 8601 moment)."""
    filters = {"state": state, "from": date_from, "to": date_to}
    given = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in filters.items() if v}
    return given | known_at_filter(known_at)


def list_title(list_name: str, as_of: dt.date) -> str:
    """ "Activated jurisdictions as of 30 September 2010"."""
    return f"{LIST_TITLES[list_name]} as of {long_date(as_of)}"


def generation_time() -> dt.datetime:
    return utcnow().replace(microsecond=0)


def build_export(
    list_name: str,
    fmt: str,
    as_of: dt.date,
    *,
    known_at: dt.datetime | None = None,
    state: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    generated_at: dt.datetime | None = None,
    state_known_at: bool = True,
) -> RenderedExport:
    """The file for one public list, format, date and filters, as the records stood at
    `known_at` (default now), written now (no cache). The file states known_at among its
    filters, unless `state_known_at` is false (a release: its generation time is that moment)."""
    columns, rows = list_rows(
        list_name, as_of, known_at=known_at, state=state, date_from=date_from, date_to=date_to
    )
    filters = list_filters(state, date_from, date_to, known_at if state_known_at else None)
    return write_table(list_name, fmt, as_of, columns, rows, filters, generated_at=generated_at)


def write_table(
    list_name: str,
    fmt: str,
    as_of: dt.date,
    columns: Sequence[Column],
    rows: Sequence[Row],
    filters: dict[str, str],
    *,
    generated_at: dt.datetime | None = None,
    title: str | None = None,
    group_column: str | None = None,
    sections: tuple[Section, ...] = (),
) -> RenderedExport:
    """Any table source written in one format: the file, its name and what provenance records.
    Every writer neutralises formula-like cells. A report gives its own title and the sections
    its PDF is laid out in (by the value of `group_column`)."""
    meta = ExportMeta(
        list_name=list_name,
        title=title or list_title(list_name, as_of),
        as_of=as_of,
        generated_at=generated_at or generation_time(),
        filters=filters,
        group_column=group_column,
        sections=sections,
    )
    form = get_format(fmt)
    return RenderedExport(
        content=form.write(columns, rows, meta),
        filename=filename(list_name, as_of, fmt, filters),
        media_type=form.media_type,
        row_count=len(rows),
        as_of=as_of,
        filters=filters,
    )


@dataclass
class StreamedExport:
    """A file written as its rows come: `chunks` yields its bytes; `row_count` is known once
    they have all been read."""

    chunks: Iterator[bytes]
    filename: str
    media_type: str
    as_of: dt.date
    filters: dict[str, str]
    row_count: int = 0


def stream_table(
    list_name: str,
    fmt: str,
    as_of: dt.date,
    columns: Sequence[Column],
    rows: Iterable[Row],
    filters: dict[str, str],
) -> StreamedExport:
    """write_table() for a table source read once, row by row: nothing but the batch being
    written is held in memory. The formula guard is the writers' own, as for every file."""
    meta = ExportMeta(
        list_name=list_name,
        title=list_title(list_name, as_of),
        as_of=as_of,
        generated_at=generation_time(),
        filters=filters,
    )
    form = get_format(fmt)
    streamed = StreamedExport(
        chunks=iter(()),
        filename=filename(list_name, as_of, fmt, filters),
        media_type=form.media_type,
        as_of=as_of,
        filters=filters,
    )

    def counted() -> Iterator[Row]:
        for row in rows:
            streamed.row_count += 1
            yield row

    streamed.chunks = form.stream(columns, counted(), meta)
    return streamed


def render_export(list_name: str, fmt: str, as_of: dt.date, **filters) -> RenderedExport:
    """build_export() (`filters` are its state, date_from and date_to), remembered per data
    version, list, format, as-of date and filters.

    The web, the API and the CLI all call this, so for the same data they serve the same bytes
    (the generation time is when the file was first written for this data).
    """
    key = (list_name, fmt, as_of, *sorted(filters.items(), key=lambda item: item[0]))
    return cached("exports.render", key, lambda: build_export(list_name, fmt, as_of, **filters))


def commit_export_record(
    list_name: str,
    fmt: str,
    as_of: dt.date,
    filters: dict,
    row_count: int,
    *,
    channel: str,
) -> None:
    """Record what was just served (provenance) in a transaction of its own, and commit it: what
    was served, for which date, moment (`known_at`, read from the filters) and filters, how many
    rows, to whom (the signed-in user, or anonymous) and through which channel. Web, API and CLI
    downloads all end with this call.

    The caller has only read. Its reading transaction ends here (the actor's id is read first:
    afterwards the user object would reload from the database) so the INSERT opens a fresh one:
    on SQLite in WAL mode, a transaction that has read and then writes after another process
    committed fails at once with "database is locked" instead of waiting, which concurrent
    downloads would hit.

    Written as a plain INSERT rather than through the ORM unit of work: an ORM flush marks the
    session as holding writes, which would bypass and then invalidate the computed-results cache
    on every download, and a download log is not data any computed figure depends on.
    """
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}")
    actor = current_actor()
    user_id = actor.id if actor is not None else None
    db.session.rollback()
    db.session.execute(
        insert(ExportRecord).values(
            occurred_at=utcnow(),
            list_name=list_name,
            format=fmt,
            as_of=as_of,
            known_at=dt.datetime.fromisoformat(filters["known_at"])
            if filters.get("known_at")
            else None,
            filters=dict(filters),
            row_count=row_count,
            user_id=user_id,
            channel=channel,
        )
    )
    db.session.commit()
