"""Reading the file: encodings, delimiters, headers, XLSX formulas and merged cells."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.plan_import.files import csv_bytes, set_cached_values, write_xlsx
from tracker.plan.importing.reader import ImportFileError, read_plan_file

ROWS = [("TX", "Anderson County", "2010-09-01", "", "", "")]


def values(source, column):
    return [row.values.get(column) for row in source.rows]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "is empty"),
        (b"\xef\xbb\xbf\r\n\r\n", "is empty"),
        (b"state,jurisdiction,scheduled_on\r\n", "has a header (row 1) but no data rows"),
        (b"state,jurisdiction,scheduled_on\n,,\n , ,\n", "no data rows"),
        (
            b"county name,when\nAnderson,2010-09-01\n",
            "missing required column(s): state, scheduled_on or activated_on",
        ),
        (b"foo,bar\n1,2\n", "no header row names the required columns"),
        (
            b"state,county,jurisdiction,scheduled_on\nTX,a,b,2010-01-01\n",
            "the columns 'county' and 'jurisdiction' both give jurisdiction",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old Excel (.xls)"),
        (b"PK\x03\x04 not really a zip", "not a readable XLSX workbook"),
    ],
)
def test_unusable_files_give_one_clear_error(data, fragment):
    with pytest.raises(ImportFileError) as info:
        read_plan_file("plan.csv", data)
    assert fragment in info.value.message
    assert info.value.field == "file"


def test_bom_crlf_and_case_insensitive_aliased_headers():
    data = csv_bytes(
        [("MD", "Prince George’s", "9/1/2010")],
        header=("STATE", "County", "Scheduled Date"),
        bom=True,
        newline="\r\n",
    )
    source = read_plan_file("plan.csv", data)
    assert source.columns == {
        "state": "STATE",
        "jurisdiction": "County",
        "scheduled_on": "Scheduled Date",
    }
    assert [row.number for row in source.rows] == [2]
    assert values(source, "jurisdiction") == ["Prince George’s"]
    assert values(source, "scheduled_on") == ["9/1/2010"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_sniffed(delimiter):
    data = csv_bytes(
        [("TX", "Anderson, the county", "2010-09-01")],
        header=("state", "jurisdiction", "scheduled_on"),
        delimiter=delimiter,
    )
    source = read_plan_file("plan.csv", data)
    assert values(source, "jurisdiction") == ["Anderson, the county"]


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    data = (
        b"Plan of 1 Sept 2010\n\nstate,jurisdiction,activation date,notes\n\n"
        b"TX,Anderson,9/1/10,x\n,,,\nTX,Andrews,9/2/10,\n"
    )
    source = read_plan_file("plan.csv", data)
    assert [row.number for row in source.rows] == [5, 7]
    assert values(source, "activated_on") == ["9/1/10", "9/2/10"]
    assert values(source, "reason") == ["x", ""]


def test_windows_1252_csv_is_read():
    data = "state,jurisdiction,scheduled_on\nNM,Doña Ana,2010-09-01\n".encode("cp1252")
    assert values(read_plan_file("plan.csv", data), "jurisdiction") == ["Doña Ana"]


def test_unknown_columns_are_listed_as_ignored():
    data = b"state,jurisdiction,scheduled_on,owner\nTX,Anderson,2010-09-01,me\n"
    assert read_plan_file("plan.csv", data).ignored_columns == ["owner"]


def test_xlsx_date_cells_formulas_with_saved_values_merged_cells_and_a_title_row(tmp_path):
    path = write_xlsx(
        tmp_path / "plan.xlsx",
        [
            ("VA", "City of Alexandria", dt.datetime(2010, 9, 1), None, None, None),
            (None, "Fairfax County", "=C3+7", None, None, '="Wave "&2'),
            (None, 51013, 40422, None, None, None),
        ],
        title="Deployment plan, September 2010",
        merges=["A1:F1", "A3:A5"],
        number_formats={"C4": "yyyy-mm-dd"},
    )
    set_cached_values(path, {"C4": 40429, "F4": "Wave 2"})
    source = read_plan_file("plan.xlsx", path.read_bytes())
    assert [row.number for row in source.rows] == [3, 4, 5]
    assert values(source, "state") == ["VA", "VA", "VA"]
    assert values(source, "jurisdiction") == ["City of Alexandria", "Fairfax County", 51013]
    assert values(source, "scheduled_on") == [
        dt.datetime(2010, 9, 1),
        dt.datetime(2010, 9, 8),
        40422,
    ]
    assert source.rows[1].uncalculated == set()


def test_xlsx_formula_without_a_saved_value_is_flagged(tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", [("TX", "Anderson", "=DATE(2010,9,1)")])
    source = read_plan_file("plan.xlsx", path.read_bytes())
    assert source.rows[0].uncalculated == {"scheduled_on"}
    assert source.rows[0].values["scheduled_on"] is None


def test_xlsx_header_only_and_wrong_headers(tmp_path):
    header_only = write_xlsx(tmp_path / "header.xlsx", [])
    with pytest.raises(ImportFileError, match="no data rows"):
        read_plan_file("header.xlsx", header_only.read_bytes())
    wrong = write_xlsx(tmp_path / "wrong.xlsx", [("TX", "x")], header=("where", "what"))
    with pytest.raises(ImportFileError, match="no header row names"):
        read_plan_file("wrong.xlsx", wrong.read_bytes())


def test_row_limit(monkeypatch):
    import dataclasses

    from tracker.plan.importing import reader

    monkeypatch.setattr(reader, "PLAN_LAYOUT", dataclasses.replace(reader.PLAN_LAYOUT, max_rows=3))
    data = csv_bytes([("TX", str(48001 + 2 * i), "2011-09-01", "", "", "") for i in range(4)])
    with pytest.raises(ImportFileError, match="more than 3 rows"):
        read_plan_file("plan.csv", data)
