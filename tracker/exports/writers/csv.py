"""CSV: UTF-8, one header row, ISO dates, FIPS kept as text, then the as-of date and the
generation time on every row (and the known_at moment, when the file reads the records at one)
so the file states them however it is cut or sorted."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from tracker.exports.table import Column, ExportMeta, Row, cell_text, neutralise


def write(columns: Sequence[Column], rows: Sequence[Row], meta: ExportMeta) -> bytes:
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer, lineterminator="\r\n")
    known_at = meta.filters.get("known_at")
    out.writerow(
        [*(c.key for c in columns), "as_of", "generated_at"] + ["known_at"] * bool(known_at)
    )
    tail = (meta.as_of.isoformat(), meta.generated_iso) + ((known_at,) if known_at else ())
    for row in rows:
        out.writerow([neutralise(cell_text(value)) for value in row] + list(tail))
    return buffer.getvalue().encode("utf-8")
