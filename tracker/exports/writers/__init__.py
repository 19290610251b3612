"""One writer per format: write(columns, rows, meta) -> bytes, deterministic for equal inputs;
CSV and XLSX also stream(columns, rows, meta) -> chunks, reading the rows once as they come."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from tracker.exports.table import Column, ExportMeta, Row

Writer = Callable[[Sequence[Column], Sequence[Row], ExportMeta], bytes]
Streamer = Callable[[Sequence[Column], Iterable[Row], ExportMeta], Iterator[bytes]]


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    write: Writer
    stream: Streamer | None = None


def _formats() -> dict[str, Format]:
    from tracker.exports.writers import csv, geojson, json, pdf, xlsx

    return {
        "csv": Format("csv", "text/csv; charset=utf-8", csv.write, csv.stream),
        "xlsx": Format(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx.write,
            xlsx.stream,
        ),
        "pdf": Format("pdf", "application/pdf", pdf.write),
        "json": Format("json", "application/json", json.write),
        "geojson": Format("geojson", "application/geo+json", geojson.write),
    }


FORMAT_NAMES = ("csv", "xlsx", "pdf", "json", "geojson")


def get_format(name: str) -> Format:
    return _formats()[name]


def filename(list_name: str, as_of, fmt: str, filters: dict[str, str] | None = None) -> str:
    """activated-2010-09-30.csv; a state filter adds its code: activated-2010-09-30-TX.csv; a
    quarter's file is named after it: quarterly-review-2010-Q3.pdf."""
    if filters and filters.get("quarter"):
        return f"{list_name}-{filters['quarter']}.{fmt}"
    parts = [list_name, as_of.isoformat()]
    if filters and filters.get("state"):
        parts.append(filters["state"])
    if filters and (filters.get("from") or filters.get("to")):
        parts.append(f"{filters.get('from') or 'start'}_to_{filters.get('to') or 'end'}")
    if filters and filters.get("known_at"):
        parts.append("known-" + filters["known_at"][:19].replace(":", ""))
    return "-".join(parts) + f".{fmt}"
