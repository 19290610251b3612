"""XLSX (openpyxl, write-only mode): a title row and a notes row, then the header row, frozen and
filtered.

Layout: row 1 the title with the as-of date, row 2 the source and generation time, row 3 the
column headings (frozen below, autofilter from here to the last row), data from row 4. Dates are
real date cells, FIPS codes text. Text that a spreadsheet would take for a formula (starting
with = + - @) is a text cell marked as such (quotePrefix): it shows exactly as written, with no
apostrophe, and is never evaluated. Rows are written to disk as they come (openpyxl's write-only
mode), so a sheet of 100,000 letters costs no more memory than one of ten; column widths are
measured from the rows when they are all at hand, else taken from each column's width hint. The
package's timestamps are the generation time, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from tracker.exports.table import FORMULA_TRIGGERS, Column, ExportMeta, Row

HEADER_ROW = 3
MAX_WIDTH = 60
CHUNK = 64 * 1024


class _StampedZip(zipfile.ZipFile):
    """A zip whose members are all dated `stamp` (they otherwise carry the clock, so two runs
    would differ) and readable by their owner only."""

    def __init__(self, file, stamp: dt.datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self.when = (
            max(stamp.year, 1980),
            stamp.month,
            stamp.day,
            stamp.hour,
            stamp.minute,
            stamp.second,
        )

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self.when)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        return info

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs) -> None:
        # openpyxl adds a write-only sheet from the temporary file it streamed the rows into.
        with open(filename, "rb") as source, self.open(self._info(arcname), "w") as target:
            shutil.copyfileobj(source, target, CHUNK)


def _widths(columns: Sequence[Column], rows: Iterable[Row]) -> list[int]:
    if not isinstance(rows, Sequence):
        return [c.width or max(len(c.label), 10 if c.kind == "date" else 0) for c in columns]
    widths = [len(c.label) for c in columns]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], 10 if isinstance(value, dt.date) else len(str(value)))
    return widths


def _bold(sheet, values: Iterable, size: int | None = None) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = Font(bold=True, size=size) if size else Font(bold=True)
        cells.append(cell)
    return cells


def _data_cell(sheet, value):
    # A formula-like text stays the text it is: a cell typed as text and marked quotePrefix, so no
    # spreadsheet evaluates it and nobody sees an apostrophe that is not in the record.
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type, cell.quotePrefix = "s", True
        return cell
    return value


def stream(columns: Sequence[Column], rows: Iterable[Row], meta: ExportMeta) -> Iterator[bytes]:
    """The workbook's bytes, in chunks. Rows may be a sequence or a stream read once."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(meta.list_name.capitalize())
    # Write-only sheets take their column widths and views before the first row.
    for i, width in enumerate(_widths(columns, rows), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), MAX_WIDTH)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    sheet.append(_bold(sheet, [meta.title], size=14))
    notes = f"Source: {meta.source}. Generated {meta.generated_iso}."
    if meta.filters:
        notes += " Filters: " + ", ".join(f"{k}={v}" for k, v in sorted(meta.filters.items()))
    sheet.append([_data_cell(sheet, notes)])
    sheet.append(_bold(sheet, [c.label for c in columns]))
    count = 0
    for row in rows:
        # Date values become date cells formatted yyyy-mm-dd (openpyxl's format for a date).
        sheet.append([_data_cell(sheet, value) for value in row])
        count += 1
    last_column = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + max(count, 1)}"

    stamp = meta.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    properties = workbook.properties
    properties.title = meta.title
    properties.subject = f"As of {meta.as_of.isoformat()}"
    properties.creator = meta.source
    properties.created = stamp
    properties.modified = stamp
    properties.lastModifiedBy = meta.source

    with tempfile.TemporaryFile() as package:
        with _StampedZip(package, stamp) as archive:
            # ExcelWriter directly, not workbook.save(): save() stamps "modified" with the clock.
            ExcelWriter(workbook, archive).save()
        package.seek(0)
        while chunk := package.read(CHUNK):
            yield chunk


def write(columns: Sequence[Column], rows: Sequence[Row], meta: ExportMeta) -> bytes:
    return b"".join(stream(columns, rows, meta))
