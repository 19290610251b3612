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
import time
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from tracker.errors import DomainError

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
PLAN_ROWS = 100_000  # the data rows a plan file may have
MAX_COLUMNS = 64
HEADER_SEARCH_ROWS = 10
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


class ImportFileError(DomainError):
    """The file as a whole cannot be read (empty, wrong headers, not CSV/XLSX...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file")


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
        numbered = _xlsx_rows(filename, data, layout.max_rows)
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


# --- XLSX ----------------------------------------------------------------------------------

# A workbook is a zip of XML: a few kilobytes can unpack to gigabytes, and one cell far down the
# sheet or one merged range can describe millions of cells. Sizes and element counts are checked
# before openpyxl reads anything, row numbers and merged areas as the sheet streams past and
# before anything is expanded, so a hostile file is refused within bounded work and memory.
# The limits below are a plan file's (PLAN_ROWS data rows); a layout that takes more rows (the
# monthly statistics) gets the sizes and counts in proportion, through _Limits.
MAX_UNPACKED_BYTES = 32 * 1024 * 1024  # all parts of the workbook, as its zip directory declares
MAX_CELLS = 1_000_000  # cell elements in a sheet, values or not (ten columns of PLAN_ROWS)
MAX_SHARED_STRINGS = 200_000
MAX_MERGED_RANGES = 10_000
MAX_MERGED_CELLS = 1_000_000  # cells filled from merged ranges, once clipped to the data
READ_SECONDS = 30
# Element starts counted in each part before openpyxl reads it (any namespace prefix).
_ELEMENT_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(c|si|mergeCell)[\s/>]")


@dataclass(frozen=True)
class _Limits:
    """The size and count limits for a workbook of at most `max_rows` data rows."""

    max_rows: int

    @property
    def scale(self) -> float:
        return max(1.0, self.max_rows / PLAN_ROWS)

    @property
    def last_row(self) -> int:  # the last row number that may hold a value
        return self.max_rows + HEADER_SEARCH_ROWS

    @property
    def unpacked_bytes(self) -> int:
        return int(MAX_UNPACKED_BYTES * self.scale)

    @property
    def counted(self) -> dict[bytes, tuple[int, str]]:
        return {
            b"c": (int(MAX_CELLS * self.scale), "cells in a sheet"),
            b"si": (int(MAX_SHARED_STRINGS * self.scale), "shared strings"),
            b"mergeCell": (MAX_MERGED_RANGES, "merged ranges in a sheet"),
        }

    @property
    def merged_cells(self) -> int:
        return int(MAX_MERGED_CELLS * self.scale)


class _Cells(list):
    """A row's values, plus the indexes of formula cells that have no saved value."""

    uncalculated: set[int]


def _check_package(filename: str, data: bytes, limits: _Limits) -> None:
    """Refuse a workbook that would unpack to more than MAX_UNPACKED_BYTES, or whose parts hold
    more cells, shared strings or merged ranges than `limits` allow, before openpyxl reads any of it.

    The sizes come from the zip's directory; Python's zip reader never unpacks more than a part
    declares (and checks its CRC), so the declared total bounds the scan and every later read.
    The scan counts element starts in the unpacked XML a megabyte at a time.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            unpacked = sum(info.file_size for info in parts)
            if unpacked > limits.unpacked_bytes:
                raise ImportFileError(
                    f"{filename} unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than a "
                    f"workbook of this import may ({limits.unpacked_bytes // 1024 // 1024} MB). "
                    "Save it as CSV, or remove what is not to be imported, and try again."
                )
            for info in parts:
                if info.filename.endswith(".xml"):
                    _check_part(filename, package, info, limits)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise ImportFileError(f"{filename} is not a readable XLSX workbook ({exc}).") from exc


def _check_part(
    filename: str, package: zipfile.ZipFile, info: zipfile.ZipInfo, limits: _Limits
) -> None:
    counts: Counter[bytes] = Counter()
    tail = b""
    with package.open(info) as part:
        while chunk := part.read(1024 * 1024):
            buffer = tail + chunk
            # Elements wholly inside the carried-over tail were counted with the previous chunk.
            counts.update(_ELEMENT_START.findall(buffer))
            counts.subtract(_ELEMENT_START.findall(tail))
            tail = buffer[-64:]
            for name, (limit, what) in limits.counted.items():
                if counts[name] > limit:
                    raise ImportFileError(
                        f"{filename} was refused: it has more than {limit:,} {what}."
                    )


def _xlsx_rows(filename: str, data: bytes, max_rows: int):
    # openpyxl's read-only worksheet hides merged ranges and formulas without saved values, so
    # the sheet is walked with openpyxl's own cell parser, in a loop of ours that keeps only rows
    # and merged ranges and checks each against the limits as it streams past (openpyxl 3.1).
    import openpyxl
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import (
        DATA_TAG,
        FORMULA_TAG,
        MERGE_TAG,
        ROW_TAG,
        WorkSheetParser,
    )
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    merge_cell_tag = f"{{{SHEET_MAIN_NS}}}mergeCell"
    deadline = time.monotonic() + READ_SECONDS

    def refuse(reason: str) -> ImportFileError:
        return ImportFileError(f"{filename} was refused: {reason}")

    class _Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                self.uncalculated.add((cell["row"], cell["column"]))
            return cell

        def parse(self):
            """(row number, cells) for each row; merged ranges collected in self.merged."""
            container = None
            for event, element in iterparse(self.source, events=("start", "end")):
                if event == "start":
                    if element.tag in (DATA_TAG, MERGE_TAG):
                        container = element
                    continue
                if element.tag == ROW_TAG:
                    number = int(element.get("r") or self.row_counter + 1)
                    if number < 1:
                        raise refuse(f"it names a row {number}.")
                    self.row_counter, self.col_counter = number, 0
                    cells = [self.parse_cell(cell) for cell in element]
                    container.clear()  # rows already read hold no memory
                    yield number, cells
                elif element.tag == merge_cell_tag:
                    self.merged.append(element.get("ref") or "")
                    container.clear()

    limits = _Limits(max_rows)
    _check_package(filename, data, limits)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(f"{filename} is not a readable XLSX workbook ({exc}).") from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(f"{filename} has no worksheet.")
        sheet = workbook.worksheets[0]
        rows: dict[int, list[object]] = {}
        with sheet._get_source() as source:
            parser = _Parser(
                source,
                workbook.shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            parser.uncalculated, parser.merged = set(), []
            for number, cells in parser.parse():
                if number % 1000 == 0 and time.monotonic() > deadline:
                    raise refuse(f"reading it took more than {READ_SECONDS} seconds.")
                values = _row_values(cells)
                if values is None:
                    continue  # nothing in the columns read: a blank or only-formatted row
                if number > limits.last_row:
                    raise refuse(
                        f"row {number:,} holds a value, and this file may use rows 1 to "
                        f"{limits.last_row:,} only. Split it into smaller files."
                    )
                if len(rows) > limits.last_row:
                    raise ImportFileError(
                        f"{filename} has more than {max_rows:,} rows; split it into smaller files."
                    )
                rows[number] = values
        _fill_merged_ranges(
            rows, [range_boundaries(ref) for ref in parser.merged], limits.merged_cells, refuse
        )
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise ImportFileError(f"{filename} is not a readable XLSX workbook ({exc}).") from exc
    finally:
        workbook.close()
    uncalculated: dict[int, set[int]] = {}
    for row, column in parser.uncalculated:
        uncalculated.setdefault(row, set()).add(column - 1)
    for number in sorted(rows):
        cells = _Cells(rows[number])
        cells.uncalculated = uncalculated.get(number, set())
        yield number, cells


def _row_values(cells: list[dict]) -> list[object] | None:
    """The row's values in the columns read (MAX_COLUMNS), or None when none holds a value."""
    kept = [cell for cell in cells if cell["column"] <= MAX_COLUMNS and cell["value"] is not None]
    if not kept:
        return None
    values: list[object] = [None] * max(cell["column"] for cell in kept)
    for cell in kept:
        values[cell["column"] - 1] = _cell_value(cell["value"])
    return values


def _fill_merged_ranges(
    rows: dict[int, list[object]], ranges: list[tuple], max_cells: int, refuse
) -> None:
    """Give each merged range's top-left value to every cell it covers, within the rows that
    hold values and the columns read. The ranges are clipped and their total area checked
    against `max_cells` before a single cell is filled."""
    last_row = max(rows, default=0)
    clipped = []
    for min_col, min_row, max_col, max_row in ranges:
        bottom, right = min(max_row, last_row), min(max_col, MAX_COLUMNS)
        if min_row <= bottom and min_col <= right:
            clipped.append((min_col, min_row, right, bottom))
    area = sum((right - left + 1) * (bottom - top + 1) for left, top, right, bottom in clipped)
    if area > max_cells:
        raise refuse(f"its merged ranges cover more than {max_cells:,} cells of data.")
    for left, top, right, bottom in clipped:
        top_left = _at(rows, top, left)
        for row in range(top, bottom + 1):
            for column in range(left, right + 1):
                _put(rows, row, column, top_left)


def _cell_value(value: object) -> object:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.time | dt.timedelta):
        return str(value)
    return value


def _at(rows: dict[int, list[object]], row: int, column: int) -> object:
    cells = rows.get(row, [])
    return cells[column - 1] if column - 1 < len(cells) else None


def _put(rows: dict[int, list[object]], row: int, column: int, value: object) -> None:
    cells = rows.setdefault(row, [])
    if len(cells) < column:
        cells.extend([None] * (column - len(cells)))
    cells[column - 1] = value
