"""JSON: {"list", "title", "as_of", "generated_at", "source", "filters", "count", "rows"}."""

from __future__ import annotations

import json
from collections.abc import Sequence

from tracker.exports.table import Column, ExportMeta, Row, json_value, neutralise


def document(columns: Sequence[Column], rows: Sequence[Row], meta: ExportMeta) -> dict:
    return {
        "list": meta.list_name,
        "title": meta.title,
        "as_of": meta.as_of.isoformat(),
        "generated_at": meta.generated_iso,
        "source": meta.source,
        "filters": dict(sorted(meta.filters.items())),
        "count": len(rows),
        "rows": [
            {c.key: neutralise(json_value(value)) for c, value in zip(columns, row, strict=True)}
            for row in rows
        ],
    }


def write(columns: Sequence[Column], rows: Sequence[Row], meta: ExportMeta) -> bytes:
    text = json.dumps(document(columns, rows, meta), ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")
