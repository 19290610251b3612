"""The filtered deferral log as a table (headers, rows), written as CSV or XLSX for staff.

Cells that begin with =, +, - or @ are neutralised with a leading apostrophe, so a sender's
name can never run as a formula in a spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from openpyxl import Workbook

from tracker.deferrals.log import LogRow
from tracker.deferrals.services import (
    ADDRESSED_LABELS,
    CHANNEL_LABELS,
    KIND_LABELS,
    RESOLUTION_LABELS,
    STATUS_LABELS,
)

HEADERS = (
    "id",
    "jurisdiction_fips",
    "jurisdiction",
    "state",
    "letter_date",
    "received_on",
    "channel",
    "sender_name",
    "sender_title",
    "sender_agency",
    "addressed_to",
    "request",
    "requested_date",
    "status",
    "meeting_requested_on",
    "meeting_held_on",
    "resolution",
    "resolved_on",
    "adjusted_to",
    "overdue",
    "urgent",
    "attachments",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text starting like a spreadsheet formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def log_table(rows: Iterable[LogRow], as_of: dt.date) -> tuple[tuple[str, ...], list[list[object]]]:
    """(headers, rows) of the log as it stood on `as_of`: steps dated later are left out."""

    def upto(day: dt.date | None) -> dt.date | None:
        return day if day is not None and day <= as_of else None

    table = []
    for row in rows:
        r, b = row.request, row.badges
        status = b.status or r.status
        table.append(
            [
                r.id,
                r.jurisdiction_fips,
                r.jurisdiction.full_name,
                r.jurisdiction.state.postal,
                r.letter_date,
                r.received_on,
                CHANNEL_LABELS[r.channel],
                r.sender_name,
                r.sender_title or "",
                r.sender_agency or "",
                ADDRESSED_LABELS[r.addressed_to],
                KIND_LABELS[r.kind],
                r.requested_date,
                STATUS_LABELS[status],
                upto(r.meeting_requested_on),
                upto(r.meeting_held_on),
                RESOLUTION_LABELS[r.resolution] if r.resolution and not b.open else "",
                r.resolved_on if not b.open else None,
                r.adjusted_to if not b.open else None,
                "yes" if b.overdue else "no",
                "yes" if b.urgent else "no",
                len(r.attachments),
            ]
        )
    return HEADERS, table


def _text(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return neutralise(value)


def write_csv(headers: tuple[str, ...], rows: list[list[object]]) -> bytes:
    """UTF-8 CSV with a header row; dates as YYYY-MM-DD."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def write_xlsx(headers: tuple[str, ...], rows: list[list[object]]) -> bytes:
    """One worksheet, "Deferral letters", with real date cells and a frozen header row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Deferral letters"
    sheet.append(list(headers))
    for row in rows:
        sheet.append([neutralise(value) for value in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
