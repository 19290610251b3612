"""Writing plan files the way spreadsheets and people write them, for the import tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import openpyxl
from sqlalchemy import func, select

HEADER = ("state", "jurisdiction", "scheduled_on", "activated_on", "decided_on", "reason")


def csv_bytes(
    rows: Iterable[Sequence[object]],
    *,
    header: Sequence[str] | None = HEADER,
    delimiter: str = ",",
    newline: str = "\n",
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_csv(path: Path, rows: Iterable[Sequence[object]], **options) -> Path:
    path.write_bytes(csv_bytes(rows, **options))
    return path


def write_xlsx(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    header: Sequence[str] | None = HEADER,
    title: str | None = None,
    merges: Iterable[str] = (),
    number_formats: Mapping[str, str] | None = None,
) -> Path:
    """An XLSX workbook: an optional merged title row, the header, the rows, merged ranges."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title is not None:
        sheet.append([title])
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for cell, number_format in (number_formats or {}).items():
        sheet[cell].number_format = number_format
    workbook.save(path)
    return path


def set_cached_values(path: Path, values: Mapping[str, object]) -> None:
    """Give formula cells the value Excel would have saved with them (openpyxl cannot)."""
    sheet_name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    xml = members[sheet_name].decode()
    for cell, value in values.items():
        kind = ' t="str"' if isinstance(value, str) else ""
        xml, count = re.subn(
            # An empty cached value: <v/> (et_xmlfile) or <v></v> (lxml).
            rf'<c r="{cell}"([^>]*)><f>([^<]*)</f>(?:<v ?/>|<v></v>)',
            rf'<c r="{cell}"\g<1>{kind}><f>\g<2></f><v>{value}</v>',
            xml,
        )
        assert count == 1, cell
    members[sheet_name] = xml.encode()
    temporary = path.with_suffix(".tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    shutil.move(temporary, path)


# "Today" in the import tests: every date in the sample files is before it.
NOW = dt.datetime(2011, 6, 1, 12)


def database_counts() -> dict[str, int]:
    """How many plan changes, activations and audit events the database holds."""
    from tracker.audit.models import AuditEvent
    from tracker.extensions import db
    from tracker.plan.models import Activation, PlanChange

    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (PlanChange, Activation, AuditEvent)
    }
