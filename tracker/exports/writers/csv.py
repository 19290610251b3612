"""CSV: UTF-8, one header row, ISO dates, FIPS kept as text, then the as-of date and the
generation time on every row (and the known_at moment, when the file reads the records at one)
so the file states them however it is cut or sorted."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from tracker.exports.table import Column, ExportMeta, Row, cell_text, neutralise

# Rows per chunk of a streamed file: big enough to keep the overhead small, small enough that
# the first bytes leave at once.
BATCH = 500


def stream(columns: Sequence[Column], rows: Iterable[Row], meta: ExportMeta) -> Iterator[bytes]:
    """The file in chunks as rows come (read once): the header with the first row, then
    BATCH rows at a time."""
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\r\n")
    known_at = meta.filters.get("known_at")
    out.writerow(
        [*(c.key for c in columns), "as_of", "generated_at"] + ["known_at"] * bool(known_at)
    )
    tail = (meta.as_of.isoformat(), meta.generated_iso) + ((known_at,) if known_at else ())

    def flush() -> bytes:
        chunk = buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        return chunk

    written = 0
    for row in rows:
        out.writerow([neutralise(cell_text(value)) for value in row] + list(tail))
        written += 1
        if written == 1 or written % BATCH == 0:
            yield flush()
    if buffer.tell() or written == 0:
        yield flush()


def write(columns: Sequence[Column], rows: Sequence[Row], meta: ExportMeta) -> bytes:
    return b"".join(stream(columns, rows, meta))
