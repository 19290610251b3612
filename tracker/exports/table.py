"""What every writer receives: column headers, rows of plain values, and the facts about them.

Sources build these; writers turn them into bytes. Nothing here reads the database or the clock,
so the same (headers, rows, meta) always give the same file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

SOURCE = "Activation Tracker"
# Characters that make a spreadsheet treat a cell as a formula (and the control characters that
# can smuggle one in). A cell starting with one of them is prefixed with an apostrophe.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str  # machine name: CSV/JSON header, GeoJSON property
    label: str  # human heading: XLSX, PDF, HTML
    kind: str = "text"  # text | date | bool
    width: int | None = None  # characters, for a spreadsheet whose rows are streamed


@dataclass(frozen=True)
class Figure:
    """A chart a PDF draws above a section's rows, in data coordinates: lines (the style "solid",
    "dashed" or "dotted", and their points) and marks ("point", "small", "high" or "low" at x, y);
    the horizontal axis may be logarithmic, the vertical one reads as percentages."""

    x_label: str
    x_range: tuple[float, float]
    y_top: float
    x_log: bool
    lines: tuple[tuple[str, tuple[tuple[float, float], ...]], ...]
    marks: tuple[tuple[str, float, float], ...]


@dataclass(frozen=True)
class Section:
    """A part of a report: the rows whose `ExportMeta.group_column` value is `key`, under a
    heading, a few sentences and an optional figure."""

    key: str
    heading: str
    lines: tuple[str, ...] = ()
    figure: Figure | None = None


@dataclass(frozen=True)
class ExportMeta:
    """The facts every file states about itself."""

    list_name: str  # "activated" or "planned"
    title: str  # "Activated jurisdictions as of 30 September 2010"
    as_of: dt.date
    generated_at: dt.datetime  # timezone-aware, whole seconds
    filters: dict[str, str] = field(default_factory=dict)
    source: str = SOURCE
    # A report (the PDF): sections of the rows by this column's value; else grouped by state.
    group_column: str | None = None
    sections: tuple[Section, ...] = ()

    @property
    def generated_iso(self) -> str:
        return self.generated_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


Row = tuple[Any, ...]


def neutralise(value: Any) -> Any:
    """A text cell that begins with = + - @ (or a tab or carriage return) gets a leading
    apostrophe, so no spreadsheet opened on any export evaluates it as a formula.

    Only text is changed: dates, numbers and booleans are data, not formulas. Every text writer
    (CSV, JSON, GeoJSON, PDF) calls this for every cell, so the guard is identical in each; XLSX,
    which has typed cells, stores the same text unchanged as a cell marked as text instead.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell_text(value: Any) -> str:
    """How a value reads in text formats (CSV, PDF, HTML): ISO dates, yes/no, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
