"""Reading an import file (CSV or XLSX) into numbered rows keyed by our column names.

One reader serves every bulk import (the plan, the monthly statistics); a Layout says what each
kind of file calls its columns and which it requires.

CSV: UTF-8 with or without a byte-order mark (Windows-1252 is accepted as a fallback, since
that is what Excel's plain "CSV" writes), any line endings, comma, semicolon or tab delimited.
XLSX: the first worksheet, read in read-only mode with formulas giving their saved values; a
merged range gives its value to every cell it covers. In both, blank rows are skipped, rows keep
the number a spreadsheet shows them under (the header is usually row 1), and the header row is
the first row (within the first ten) that names one of the layout's marker columns (a
jurisdiction column for the plan), so title rows above the header are allowed. Headers are matched
case-insensitively through the layout's aliases; other columns are ignored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from tracker.plan.importing.source import (
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    PLAN_ROWS,
    ImportFileError,
)
from tracker.plan.importing.workbook import xlsx_rows

__all__ = ["ImportFileError", "Layout", "read_import_file", "read_plan_file"]

# Header (lower-case, words joined by "_") -> our column.
COLUMN_ALIASES: dict[str, str] = {
    **{name: "state" for name in ("state", "st", "state_code", "state_postal", "postal_code",
                                   "state_name", "state_fips", "state_abbreviation")},
    **{name: "jurisdiction" for name in ("jurisdiction", "jurisdiction_name", "county",
                                          "county_name", "county_equivalent", "fips",
                                          "fips_code", "county_fips", "jurisdiction_fips",
                                          "name")},
    **{name: "scheduled_on" for name in ("scheduled_on", "scheduled", "scheduled_date",
                                          "planned", "planned_on", "planned_date",
                                          "planned_activation", "planned_activation_date",
                                          "estimated_activation_date", "schedule")},
    **{name: "activated_on" for name in ("activated_on", "activated", "activation_date",
                                          "date_activated", "activation")},
    **{name: "decided_on" for name in ("decided_on", "decided", "decision_date",
                                        "date_decided")},
    **{name: "reason" for name in ("reason", "reasons", "note", "notes", "comment",
                                    "comments")},
}  # fmt: skip
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Layout:
    """What one kind of import file looks like: its column names and which it requires."""

    aliases: Mapping[str, str]  # header (lower-case, words joined by "_") -> our column
    required: tuple[str, ...]  # every one of these
    one_of: tuple[tuple[str, ...], ...] = ()  # and at least one column of each group
    # The header is the first row naming one of these (so title rows above it are skipped).
    markers: tuple[str, ...] = ("jurisdiction",)
    max_rows: int = PLAN_ROWS
    guide: str = "docs/import.md"  # where the accepted column names are written down


PLAN_LAYOUT = Layout(
    aliases=COLUMN_ALIASES,
    required=("state", "jurisdiction"),
    one_of=(("scheduled_on", "activated_on"),),
)


@dataclass
class SourceRow:
    """One data row: its number in the file and its cells under our column names."""

    number: int
    values: dict[str, object]
    # Columns whose cell holds a formula with no saved value (a file never opened in Excel).
    uncalculated: set[str] = field(default_factory=set)


@dataclass
class SourceFile:
    rows: list[SourceRow]
    columns: dict[str, str]  # our column -> the header as the file writes it
    ignored_columns: list[str]


def header_key(text: object) -> str:
    return "_".join(re.findall(r"[a-z0-9]+", str(text or "").casefold()))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing ".0" (FIPS codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def read_plan_file(filename: str, data: bytes) -> SourceFile:
    """The rows of a CSV or XLSX plan file; ImportFileError when the file cannot be a plan."""
    return read_import_file(filename, data, PLAN_LAYOUT)


def read_import_file(filename: str, data: bytes, layout: Layout) -> SourceFile:
    """The rows of a CSV or XLSX file laid out as `layout`; ImportFileError when the file as a
    whole cannot be one (empty, no header, a required column missing, too many rows)."""
    if not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise ImportFileError(f"{filename} is empty.")
    if data.startswith(XLSX_MAGIC):
        numbered = xlsx_rows(filename, data, layout.max_rows)
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(f"{filename} is not a valid XLSX workbook.")
    elif filename.lower().endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            f"{filename} is an old Excel (.xls) workbook: save it as .xlsx or CSV and try again."
        )
    else:
        numbered = _csv_rows(filename, data)
    return _with_header(filename, numbered, layout)


def _with_header(filename: str, numbered, layout: Layout) -> SourceFile:
    header: tuple[int, list[object]] | None = None
    first_non_blank: tuple[int, list[object]] | None = None
    seen = 0
    rows: list[SourceRow] = []
    mapping: dict[int, str] = {}
    columns: dict[str, str] = {}
    ignored: list[str] = []
    for number, cells in numbered:
        if all(is_blank(cell) for cell in cells):
            continue
        if header is None:
            seen += 1
            first_non_blank = first_non_blank or (number, cells)
            keys = [header_key(cell) for cell in cells]
            if any(layout.aliases.get(key) in layout.markers for key in keys):
                header = (number, cells)
                mapping, columns, ignored = _map_columns(filename, cells, layout)
            elif seen >= HEADER_SEARCH_ROWS:
                break
            continue
        if len(rows) >= layout.max_rows:
            raise ImportFileError(
                f"{filename} has more than {layout.max_rows:,} rows; split it into smaller files."
            )
        values = {
            name: cells[index] if index < len(cells) else None for index, name in mapping.items()
        }
        uncalculated = getattr(cells, "uncalculated", set())
        rows.append(
            SourceRow(number, values, {mapping[i] for i in uncalculated if i in mapping} or set())
        )
    if first_non_blank is None:
        raise ImportFileError(f"{filename} has no rows at all.")
    if header is None:
        found = ", ".join(repr(str(c)) for c in first_non_blank[1] if not is_blank(c))
        raise ImportFileError(
            f"{filename}: no header row names the required columns "
            f"{_required_text(layout)} (row {first_non_blank[0]} has {found or 'nothing'})."
        )
    if not rows:
        raise ImportFileError(f"{filename} has a header (row {header[0]}) but no data rows.")
    return SourceFile(rows=rows, columns=columns, ignored_columns=ignored)


def _required_text(layout: Layout) -> str:
    """ "state, jurisdiction and one of scheduled_on, activated_on"."""
    text = ", ".join(layout.required)
    for group in layout.one_of:
        text += f" and one of {', '.join(group)}"
    return text


def _map_columns(
    filename: str, cells: list[object], layout: Layout
) -> tuple[dict[int, str], dict, list[str]]:
    mapping: dict[int, str] = {}
    columns: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        if is_blank(cell):
            continue
        name = layout.aliases.get(header_key(cell))
        if name is None:
            ignored.append(str(cell).strip())
            continue
        if name in columns:
            raise ImportFileError(
                f"{filename}: the columns {columns[name]!r} and {str(cell).strip()!r} both "
                f"give {name}; keep one."
            )
        mapping[index] = name
        columns[name] = str(cell).strip()
    missing = [name for name in layout.required if name not in columns]
    missing += [
        " or ".join(group) for group in layout.one_of if not any(n in columns for n in group)
    ]
    if missing:
        found = ", ".join(repr(str(c).strip()) for c in cells if not is_blank(c))
        raise ImportFileError(
            f"{filename}: missing required column(s): {', '.join(missing)} (the header has "
            f"{found}). See {layout.guide} for the accepted column names."
        )
    return mapping, columns, ignored


# --- CSV -----------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(filename: str, data: bytes):
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(f"{filename} is neither a CSV text file nor an XLSX workbook.")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in cells[:MAX_COLUMNS]]
    except csv.Error as exc:
        raise ImportFileError(f"{filename} is not readable as CSV: {exc}.") from exc
