"""The writers on a small fixed dataset: exact golden output, structure read back, and the
formula-injection guard in every format. No database needed.

To refresh the golden files after a deliberate change to a writer:
TRACKER_UPDATE_GOLDEN=1 pytest tests/exports/test_writers.py, then review the diff.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.exports.sample import (
    ACTIVATED_COLUMNS,
    ACTIVATED_ROWS,
    GENERATED_AT,
    HOSTILE_ROWS,
    HOSTILE_VALUES,
    PLANNED_COLUMNS,
    PLANNED_ROWS,
    activated_meta,
    planned_meta,
)
from tracker.exports.table import Column, neutralise
from tracker.exports.writers import FORMAT_NAMES, filename, get_format

GOLDEN = Path(__file__).parent / "golden"


def render(fmt: str, rows=ACTIVATED_ROWS, columns=ACTIVATED_COLUMNS, meta=None) -> bytes:
    return get_format(fmt).write(columns, rows, meta or activated_meta())


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
@pytest.mark.parametrize("list_name", ["activated", "planned"])
def test_output_matches_the_golden_file(fmt, list_name):
    planned = (PLANNED_ROWS, PLANNED_COLUMNS, planned_meta())
    content = render(fmt) if list_name == "activated" else render(fmt, *planned)
    golden = GOLDEN / f"{list_name}-2010-09-30.{fmt}"
    if os.environ.get("TRACKER_UPDATE_GOLDEN"):
        golden.write_bytes(content)
    assert golden.exists(), f"missing golden file {golden.name}"
    assert content == golden.read_bytes()


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_same_inputs_same_bytes_and_the_clock_is_part_of_the_input(fmt):
    assert render(fmt) == render(fmt)
    later = activated_meta(generated_at=GENERATED_AT + dt.timedelta(seconds=1))
    assert render(fmt, meta=later) != render(fmt)


def test_file_names_carry_the_as_of_date_and_filters():
    day = dt.date(2010, 9, 30)
    assert filename("activated", day, "csv") == "activated-2010-09-30.csv"
    assert filename("planned", day, "xlsx", {"state": "TX"}) == "planned-2010-09-30-TX.xlsx"
    assert (
        filename("activated", day, "pdf", {"from": "2010-01-01"})
        == "activated-2010-09-30-2010-01-01_to_end.pdf"
    )


# --- each format read back -------------------------------------------------------------------


def test_csv_is_utf8_with_a_header_iso_dates_text_fips_and_states_its_dates():
    content = render("csv")
    text = content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "state",
        "state_name",
        "fips",
        "jurisdiction",
        "activated_on",
        "as_of",
        "generated_at",
    ]
    assert rows[1] == [
        "AZ",
        "Arizona",
        "04013",
        "Maricopa County",
        "2009-05-12",
        "2010-09-30",
        "2011-01-03T14:05:09Z",
    ]
    assert len(rows) == 1 + len(ACTIVATED_ROWS)
    assert all(row[2].isdigit() and len(row[2]) == 5 for row in rows[1:])


def test_json_has_as_of_generated_at_count_and_rows():
    document = json.loads(render("json"))
    assert document["as_of"] == "2010-09-30"
    assert document["generated_at"] == "2011-01-03T14:05:09Z"
    assert document["count"] == len(document["rows"]) == 5
    assert document["rows"][0] == {
        "state": "AZ",
        "state_name": "Arizona",
        "fips": "04013",
        "jurisdiction": "Maricopa County",
        "activated_on": "2009-05-12",
    }


def test_xlsx_has_a_title_row_typed_dates_a_frozen_filtered_header_and_widths():
    book = load_workbook(io.BytesIO(render("xlsx")))
    sheet = book.active
    assert sheet["A1"].value == "Activated jurisdictions as of 30 September 2010"
    assert "Generated 2011-01-03T14:05:09Z" in sheet["A2"].value
    assert [cell.value for cell in sheet[3]] == [c.label for c in ACTIVATED_COLUMNS]
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:E8"
    assert sheet["C4"].value == "04013" and sheet["C4"].data_type == "s"
    date_cell = sheet["E4"]
    assert date_cell.is_date and date_cell.value.date() == dt.date(2009, 5, 12)
    assert date_cell.number_format == "yyyy-mm-dd"
    assert sheet.max_row == 3 + len(ACTIVATED_ROWS)
    widths = {col: sheet.column_dimensions[col].width for col in "ABCDE"}
    assert all(8 <= width <= 60 for width in widths.values())
    assert widths["D"] > widths["C"]
    assert book.properties.title == "Activated jurisdictions as of 30 September 2010"
    assert book.properties.created == GENERATED_AT.replace(tzinfo=None)


def test_xlsx_zip_members_are_dated_at_generation_time():
    archive = zipfile.ZipFile(io.BytesIO(render("xlsx")))
    # Zip times have two-second resolution: 14:05:09 is stored as 14:05:08.
    assert {info.date_time for info in archive.infolist()} == {(2011, 1, 3, 14, 5, 8)}


def test_pdf_has_real_text_title_metadata_totals_state_groups_and_page_numbers():
    many = [
        ("TX", "Texas", f"48{i:03d}", f"County number {i}", dt.date(2009, 1, 1))
        for i in range(1, 200, 2)
    ]
    content = render("pdf", rows=ACTIVATED_ROWS + many)
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.title == "Activated jurisdictions as of 30 September 2010"
    assert reader.metadata.creation_date.replace(tzinfo=None) == GENERATED_AT.replace(tzinfo=None)
    assert len(reader.pages) >= 2
    text = pdf_text(content)
    assert "Activated jurisdictions as of 30 September 2010" in text
    assert "Generated 2011-01-03T14:05:09Z" in text
    assert f"Total: {len(ACTIVATED_ROWS) + len(many)} jurisdictions in 3 states" in text
    assert "Arizona (AZ): 2" in text and "Texas (TX): 102" in text
    assert "Maricopa County" in text and "2009-05-12" in text
    for number in range(1, len(reader.pages) + 1):
        assert f"Page {number}" in reader.pages[number - 1].extract_text()


def test_geojson_is_a_valid_feature_collection_with_county_shapes():
    collection = json.loads(render("geojson"))
    assert collection["type"] == "FeatureCollection"
    assert collection["as_of"] == "2010-09-30"
    assert collection["generated_at"] == "2011-01-03T14:05:09Z"
    assert len(collection["features"]) == len(ACTIVATED_ROWS)
    for feature, row in zip(collection["features"], ACTIVATED_ROWS, strict=True):
        assert feature["type"] == "Feature"
        assert feature["id"] == row[2]
        geometry = feature["geometry"]
        assert geometry["type"] in ("Polygon", "MultiPolygon")
        rings = (
            geometry["coordinates"]
            if geometry["type"] == "Polygon"
            else [ring for polygon in geometry["coordinates"] for ring in polygon]
        )
        for ring in rings:
            assert len(ring) >= 4 and ring[0] == ring[-1]
            assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in ring)
        assert feature["properties"]["fips"] == row[2]
        assert feature["properties"]["status"] == "activated"
        assert feature["properties"]["activated_on"] == row[4].isoformat()


# --- the formula-injection guard ------------------------------------------------------------


def test_neutralise_prefixes_only_text_starting_with_a_trigger():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+1") == "'+1"
    assert neutralise("-1") == "'-1"
    assert neutralise("@SUM(1)") == "'@SUM(1)"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("Harris County") == "Harris County"
    assert neutralise("a=b") == "a=b"
    assert neutralise(dt.date(2010, 1, 1)) == dt.date(2010, 1, 1)
    assert neutralise(True) is True


def test_csv_neutralises_formula_cells():
    rows = list(csv.reader(io.StringIO(render("csv", HOSTILE_ROWS).decode())))
    cells = [cell for row in rows[1:] for cell in row]
    for value in HOSTILE_VALUES:
        assert "'" + value in cells and value not in cells


def test_json_neutralises_formula_cells():
    cells = [v for row in json.loads(render("json", HOSTILE_ROWS))["rows"] for v in row.values()]
    for value in HOSTILE_VALUES:
        assert "'" + value in cells and value not in cells


def test_geojson_neutralises_formula_cells():
    features = json.loads(render("geojson", HOSTILE_ROWS))["features"]
    cells = [v for feature in features for v in feature["properties"].values()]
    for value in HOSTILE_VALUES:
        assert "'" + value in cells and value not in cells


def test_xlsx_keeps_formula_like_text_as_text_cells_without_an_apostrophe():
    data = render("xlsx", HOSTILE_ROWS)
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows(min_row=4) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    by_value = {cell.value: cell for cell in cells}
    for value in HOSTILE_VALUES:
        cell = by_value[value]  # exactly as written: no apostrophe shown
        assert cell.data_type == "s" and cell.quotePrefix, value
        assert "'" + value not in by_value
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "<f>" not in package.read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_keeps_a_hostile_filter_value_in_the_notes_row_as_text():
    meta = activated_meta(filters={"state": "=cmd"})
    sheet = load_workbook(io.BytesIO(render("xlsx", meta=meta))).active
    assert sheet["A2"].data_type == "s"


def test_pdf_neutralises_formula_cells():
    text = pdf_text(render("pdf", HOSTILE_ROWS))
    lines = text.splitlines()
    for value in ("+SUM(A1:A2)", "@cmd"):
        assert "'" + value in text
        assert value in lines[0] or all(not line.startswith(value) for line in lines)


# --- streaming -------------------------------------------------------------------------------


def _pulled(rows, seen: list):
    for row in rows:
        seen.append(row)
        yield row


def test_csv_streams_the_header_with_the_first_row_then_reads_on():
    seen: list = []
    chunks = get_format("csv").stream(
        ACTIVATED_COLUMNS, _pulled(ACTIVATED_ROWS, seen), activated_meta()
    )
    first = next(chunks).decode()
    assert first.startswith("state,state_name,fips") and "Maricopa County" in first
    assert len(seen) == 1  # nothing read beyond the first row yet
    rest = b"".join(chunks).decode()
    assert len(seen) == len(ACTIVATED_ROWS)
    assert first + rest == render("csv").decode()  # the same bytes as the whole file


def test_xlsx_from_a_stream_of_rows_uses_the_width_hints_and_filters_every_row():
    hinted = [Column(c.key, c.label, c.kind, width=30) for c in ACTIVATED_COLUMNS]
    seen: list = []
    content = b"".join(
        get_format("xlsx").stream(hinted, _pulled(ACTIVATED_ROWS, seen), activated_meta())
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert len(seen) == len(ACTIVATED_ROWS)
    assert sheet.auto_filter.ref == "A3:E8" and sheet.freeze_panes == "A4"
    assert {sheet.column_dimensions[col].width for col in "ABCDE"} == {32}
    assert sheet["E4"].is_date and sheet["E4"].number_format == "yyyy-mm-dd"
