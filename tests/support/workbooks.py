"""Hostile XLSX workbooks, a few kilobytes each, built by editing a real one's XML.

Shared by the import tests (each must be refused) and bench/workbook_bombs.py (which measures the
time and memory a refusal costs). openpyxl cannot write these itself: asked to merge A2:BL1048576
it would build the millions of cells the bomb only describes.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"


def plan_workbook(extra_rows: str = "", after_data: str = "", more_strings: str = "") -> bytes:
    """A valid one-row plan workbook, with raw XML added: `extra_rows` inside <sheetData>,
    `after_data` right after it (merged ranges go there), `more_strings` at the end of the
    shared-strings part."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["state", "jurisdiction", "scheduled_on"])
    sheet.append(["TX", "Anderson", "2011-09-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == SHEET:
                xml = content.decode()
                xml = xml.replace("</sheetData>", extra_rows + "</sheetData>" + after_data)
                xml = xml.replace(
                    "<sheetData/>", f"<sheetData>{extra_rows}</sheetData>{after_data}"
                )
                content = xml.encode()
            elif more_strings and item.filename == "xl/_rels/workbook.xml.rels":
                content = content.decode().replace("</Relationships>", _STRINGS_RELATION).encode()
            elif more_strings and item.filename == "[Content_Types].xml":
                content = content.decode().replace("</Types>", _STRINGS_TYPE).encode()
            package.writestr(item.filename, content)
        if more_strings:  # openpyxl writes strings inline: the part is added with its links
            package.writestr("xl/sharedStrings.xml", f"{_SST}{more_strings}</sst>")
    return out.getvalue()


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SST = f'<sst xmlns="{_MAIN}">'
_STRINGS_RELATION = (
    '<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'
)
_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def inline(row: int, column: str, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def far_cell_and_giant_merge() -> bytes:
    """The probe's file: one value at row 1,048,576 and a merged range A2:BL1048576."""
    return plan_workbook(
        extra_rows=f'<row r="1048576">{inline(1048576, "A", "x")}</row>',
        after_data='<mergeCells count="1"><mergeCell ref="A2:BL1048576"/></mergeCells>',
    )


def giant_merge_over_a_formatted_row() -> bytes:
    """No value below row 2, but a formatted empty cell at the last row and the same merge."""
    return plan_workbook(
        extra_rows='<row r="1048576"><c r="A1048576" s="0"/></row>',
        after_data='<mergeCells count="1"><mergeCell ref="A2:BL1048576"/></mergeCells>',
    )


def many_merged_ranges(count: int = 200_000) -> bytes:
    ranges = "".join(f'<mergeCell ref="C{n}:D{n}"/>' for n in range(3, count + 3))
    return plan_workbook(after_data=f'<mergeCells count="{count}">{ranges}</mergeCells>')


def many_cells(count: int = 2_000_000, per_row: int = 1000) -> bytes:
    """Rows of empty cells: nothing to import, a lot to read."""
    row = "<c/>" * per_row
    rows = "".join(f'<row r="{n}">{row}</row>' for n in range(3, count // per_row + 3))
    return plan_workbook(extra_rows=rows)


def huge_part(megabytes: int = 200) -> bytes:
    """A sheet padded with whitespace to unpack to `megabytes` MB."""
    return plan_workbook(extra_rows=" " * (megabytes * 1024 * 1024))


def many_shared_strings(megabytes: int = 30) -> bytes:
    """A shared-strings part of tiny strings, just under the unpacking limit if small enough."""
    one = "<si><t>a</t></si>"
    return plan_workbook(more_strings=one * (megabytes * 1024 * 1024 // len(one)))


def national_plan() -> bytes:
    """A real plan: every county equivalent of the registry with a date, one row each."""
    import csv
    from pathlib import Path

    registry = Path(__file__).resolve().parents[2] / "seeds" / "jurisdictions.csv"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["state", "jurisdiction", "scheduled_on", "reason"])
    with registry.open(newline="", encoding="utf-8") as rows:
        for number, row in enumerate(csv.DictReader(rows)):
            day = f"2011-{number % 12 + 1:02d}-{number % 28 + 1:02d}"
            sheet.append([row["state_fips"], row["fips"], day, "Wave plan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HOSTILE = {
    "far cell and giant merge (the probe)": far_cell_and_giant_merge,
    "200,000 merged ranges": many_merged_ranges,
    "2,000,000 empty cells": many_cells,
    "a part unpacking to 200 MB": huge_part,
    "30 MB of shared strings": lambda: many_shared_strings(30),
}
CASES = {
    **HOSTILE,
    "giant merge over a formatted empty row": giant_merge_over_a_formatted_row,
    "a national plan, 3,233 rows": national_plan,
}
