"""Reading the first worksheet of an XLSX import file into numbered rows, within bounds.

Formulas give their saved values; a merged range gives its value to every cell it covers. A
workbook is a zip of XML: a few kilobytes can unpack to gigabytes, and one cell far down the
sheet or one merged range can describe millions of cells, so sizes and element counts are checked
before openpyxl reads anything, and row numbers and merged areas as the sheet streams past.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from collections import Counter
from dataclasses import dataclass

from tracker.plan.importing.source import (
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    PLAN_ROWS,
    ImportFileError,
)

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


def xlsx_rows(filename: str, data: bytes, max_rows: int):
    """(row number, values) for each row of the first sheet holding a value; ImportFileError
    when the workbook cannot be read or breaks a limit."""
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
