"""XLSX (openpyxl): a title row and a notes row, then the header row, frozen and filtered.

Layout: row 1 the title with the as-of date, row 2 the source and generation time, row 3 the
column headings (frozen below, autofilter from here to the last row), data from row 4. Dates are
real date cells, FIPS codes text. Text that a spreadsheet would take for a formula (starting
with = + - @) is a text cell marked as such (quotePrefix): it shows exactly as written, with no
apostrophe, and is never evaluated. The package's timestamps are set to the generation time so
the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from tracker.exports.table import FORMULA_TRIGGERS, Column, ExportMeta, Row

HEADER_ROW = 3
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60


def write(columns: Sequence[Column], rows: Sequence[Row], meta: ExportMeta) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = meta.list_name.capitalize()
    sheet.append([meta.title])
    sheet["A1"].font = Font(bold=True, size=14)
    notes = f"Source: {meta.source}. Generated {meta.generated_iso}."
    if meta.filters:
        notes += " Filters: " + ", ".join(f"{k}={v}" for k, v in sorted(meta.filters.items()))
    sheet.append([notes])
    sheet.append([c.label for c in columns])
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)

    widths = [len(c.label) for c in columns]
    date_columns = [i for i, c in enumerate(columns) if c.kind == "date"]
    for row in rows:
        sheet.append(list(row))
        for i, value in enumerate(row):
            widths[i] = max(widths[i], 10 if isinstance(value, dt.date) else len(str(value)))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                cell.data_type, cell.quotePrefix = "s", True  # text, never a formula
    for i in date_columns:
        for (cell,) in sheet.iter_rows(
            min_row=HEADER_ROW + 1, min_col=i + 1, max_col=i + 1, max_row=HEADER_ROW + len(rows)
        ):
            cell.number_format = DATE_FORMAT
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), MAX_WIDTH)

    last_column = get_column_letter(len(columns))
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + max(len(rows), 1)}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    stamp = meta.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    properties = workbook.properties
    properties.title = meta.title
    properties.subject = f"As of {meta.as_of.isoformat()}"
    properties.creator = meta.source
    properties.created = stamp
    properties.modified = stamp
    properties.lastModifiedBy = meta.source

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # ExcelWriter directly, not workbook.save(): save() stamps "modified" with the clock.
        ExcelWriter(workbook, archive).save()
    return _restamp(buffer.getvalue(), stamp)


def _restamp(package: bytes, stamp: dt.datetime) -> bytes:
    """The same zip with every entry dated `stamp` (zip members otherwise carry the clock)."""
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, source.read(item.filename))
    return out.getvalue()
