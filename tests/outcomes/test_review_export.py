"""The review through the one export stack: CSV and XLSX of the flagged jurisdictions with their
dispositions (formula guard included), a PDF report with the funnel plots, provenance recorded,
staff only."""

from __future__ import annotations

import csv
import io

import openpyxl
import pypdf
from sqlalchemy import select

from tests.outcomes.support import hidden

HIGH = "48061"
FLAG_URL = f"/reviews/2011-Q1/non_criminal_share/{HIGH}"


def test_csv_and_xlsx_list_every_flag_with_its_disposition_guarded(app, held_out, signed_in):
    editor = signed_in("editor")
    page = editor.get(FLAG_URL).get_data(as_text=True)
    note = '=HYPERLINK("http://example.com") referred'
    decision = {
        "disposition": "in_depth_analysis",
        "note": note,
        "revises": hidden(page, "revises"),
    }
    assert editor.post(FLAG_URL, data=decision).status_code == 303
    review = editor.get("/api/v1/reviews/2011-Q1").get_json()
    flagged = sum(len(m["outliers"]) for m in review["metrics"])

    response = editor.get("/reviews/2011-Q1/export.csv")
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="quarterly-review-2011-Q1.csv"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == flagged
    mine = next(r for r in rows if r["fips"] == HIGH and r["metric"] == "non_criminal_share")
    assert mine["direction"] == "high" and mine["limit"] == "99.8%"
    assert mine["disposition"] == "Referred for in-depth analysis"
    assert mine["note"] == "'" + note  # neutralised: never a live formula
    assert rows[0]["metric"] == "non_criminal_share"

    sheet = openpyxl.load_workbook(
        io.BytesIO(editor.get("/reviews/2011-Q1/export.xlsx").data)
    ).active
    # The note as written, in a cell typed as text and marked so: shown, never evaluated.
    noted = [cell for row in sheet.iter_rows() for cell in row if cell.value == note]
    assert len(noted) == 1
    assert noted[0].data_type == "s" and noted[0].quotePrefix


def test_the_pdf_report_has_a_section_and_a_plot_per_metric(app, held_out, signed_in):
    from tracker.exports.models import ExportRecord
    from tracker.extensions import db

    viewer = signed_in("viewer")
    response = viewer.get("/reviews/2011-Q1/export.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Quarterly statistical review, January to March 2011 (2011-Q1)" in text
    for heading in (
        "Share of identifications with no criminal conviction",
        "Match rate (matches ÷ fingerprints submitted)",
        "Level 1 share of identifications",
    ):
        assert heading in text
    # The plots are drawn (their axis titles are text in the drawing) and the tables follow.
    assert text.count("Identifications in the quarter (log scale)") == 2
    assert "Fingerprints submitted in the quarter (log scale)" in text
    assert "Cameron County" in text and "National rate" in text
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    with app.app_context():
        record = db.session.scalars(select(ExportRecord).order_by(ExportRecord.id.desc())).first()
        assert (record.list_name, record.format, record.filters) == (
            "quarterly-review", "pdf", {"quarter": "2011-Q1"},
        )  # fmt: skip


def test_only_staff_download_the_review(held_out, client, signed_in):
    assert client.get("/reviews/2011-Q1/export.csv").status_code == 302
    assert signed_in("viewer").get("/reviews/2011-Q9/export.csv").status_code == 404
