"""Workbooks of a few kilobytes that describe millions of cells are refused before any expansion.

The time and memory each refusal costs are measured by bench/workbook_bombs.py (no timing here).
"""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from tests.support import workbooks
from tracker.plan.importing import workbook
from tracker.plan.importing.reader import ImportFileError, read_plan_file


@pytest.fixture()
def no_expansion(monkeypatch):
    """Fail the test if a single merged cell is filled."""

    def refuse(*args):
        raise AssertionError("a merged range was expanded")

    monkeypatch.setattr(workbook, "_put", refuse)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (workbooks.far_cell_and_giant_merge, "row 1,048,576 holds a value"),
        (workbooks.many_merged_ranges, "more than 10,000 merged ranges"),
        (workbooks.many_cells, "more than 1,000,000 cells"),
        (workbooks.huge_part, "unpacks to 200 MB, more than a workbook of this import may (32 MB)"),
        (lambda: workbooks.many_shared_strings(30), "more than 200,000 shared strings"),
    ],
    ids=["probe", "merges", "cells", "unpacked-size", "shared-strings"],
)
def test_each_kind_of_bomb_is_refused_before_anything_is_expanded(build, message, no_expansion):
    data = build()
    assert len(data) < 1_000_000  # small on the wire
    with pytest.raises(ImportFileError) as info:
        read_plan_file("plan.xlsx", data)
    assert message in info.value.message
    assert info.value.field == "file"


def test_a_giant_merge_below_the_data_is_clipped_to_the_rows_that_hold_values(monkeypatch):
    filled = []
    real_put = workbook._put
    monkeypatch.setattr(workbook, "_put", lambda *args: (filled.append(args[1:3]), real_put(*args)))
    source = read_plan_file("plan.xlsx", workbooks.giant_merge_over_a_formatted_row())
    assert [row.number for row in source.rows] == [2]
    # A2:BL1048576 clipped to row 2 and the 64 columns read: 64 cells, not 67 million.
    assert len(filled) == workbook.MAX_COLUMNS


def test_merged_areas_are_added_up_and_refused_before_the_first_cell_is_filled(
    monkeypatch, no_expansion
):
    monkeypatch.setattr(workbook, "MAX_MERGED_CELLS", 100)
    rows = "".join(
        f'<row r="{n}">{workbooks.inline(n, "A", "TX")}{workbooks.inline(n, "B", "x")}</row>'
        for n in range(3, 53)
    )
    merges = '<mergeCells count="2"><mergeCell ref="A3:B40"/><mergeCell ref="C3:D40"/></mergeCells>'
    data = workbooks.plan_workbook(extra_rows=rows, after_data=merges)
    with pytest.raises(ImportFileError, match="merged ranges cover more than 100 cells"):
        read_plan_file("plan.xlsx", data)


def test_the_probe_file_is_refused_through_the_web_and_nothing_is_written(app, signed_in):
    from tracker.extensions import db

    editor = signed_in("editor")
    response = editor.post(
        "/plan/import",
        data={"file": (io.BytesIO(workbooks.far_cell_and_giant_merge()), "plan.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "row 1,048,576 holds a value" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM plan_change")) == 0
