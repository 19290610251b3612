"""/plan/import: upload, preview, confirm; editors only; tampering and stale previews refused."""

from __future__ import annotations

import dataclasses
import io
import re
from html import unescape

import pytest

from tests.plan_import.files import NOW, csv_bytes, write_xlsx

pytestmark = pytest.mark.today(NOW)

ROWS = [
    ("VA", "City of Alexandria", "9/1/2011", "", "", "Wave 12"),
    ("MD", "Baltimore City", "2011-09-15", "", "", ""),
]


def upload(client, data: bytes, name: str = "plan.csv"):
    return client.post(
        "/plan/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def hidden(html: str, name: str) -> str:
    return unescape(re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)[1])


def confirm(client, html: str, **overrides):
    data = {"payload": hidden(html, "payload"), "fingerprint": hidden(html, "fingerprint")}
    data.update(overrides)
    return client.post("/plan/import/confirm", data=data)


def test_staff_below_editor_and_visitors_cannot_import(client, signed_in):
    assert client.get("/plan/import").status_code == 302
    viewer = signed_in("viewer")
    assert viewer.get("/plan/import").status_code == 403
    assert viewer.post("/plan/import/confirm").status_code == 403


def test_upload_preview_confirm_then_the_same_file_is_unchanged(signed_in, counts):
    editor = signed_in("editor")
    page = editor.get("/plan/import")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.get_data(as_text=True)

    before = counts()
    preview = upload(editor, csv_bytes(ROWS))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "2 rows: 2 new, 0 changed, 0 unchanged, 0 errors" in html
    assert "Alexandria city, VA" in html and "51510" in html
    assert "Baltimore city, MD" in html and "24510" in html
    assert "Import 2 new and changed rows" in html
    assert counts() == before  # previewing writes nothing

    done = confirm(editor, html)
    assert done.status_code == 303
    after = counts()
    assert after["PlanChange"] == before["PlanChange"] + 2
    assert after["AuditEvent"] == before["AuditEvent"] + 3
    message = editor.get(done.headers["Location"]).get_data(as_text=True)
    assert "Imported plan.csv" in message

    again = upload(editor, csv_bytes(ROWS)).get_data(as_text=True)
    assert "2 rows: 0 new, 0 changed, 2 unchanged, 0 errors" in again
    assert "would change nothing" in again
    assert 'name="payload"' not in again


def test_errors_are_listed_by_row_and_field_and_cannot_be_confirmed(signed_in, counts):
    editor = signed_in("editor")
    before = counts()
    response = upload(editor, csv_bytes([*ROWS, ("MD", "Baltimore", "2/30/2011", "", "", "")]))
    html = unescape(response.get_data(as_text=True))
    assert "3 rows: 2 new, 0 changed, 0 unchanged, 1 errors" in html
    assert "row 4: jurisdiction: 'Baltimore' is ambiguous in Maryland" in html
    assert "row 4: scheduled_on: '2/30/2011' is not a real date" in html
    assert 'name="payload"' not in html
    assert counts() == before


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "plan.csv", "plan.csv is empty."),
        (b"state,jurisdiction,scheduled_on\n", "plan.csv", "has a header (row 1) but no data rows"),
        (b"a,b\n1,2\n", "plan.csv", "no header row names the required columns"),
        (b"%PDF-1.4", "plan.pdf", "Upload a CSV or XLSX file."),
    ],
)
def test_unusable_uploads_are_refused_on_the_form(signed_in, counts, data, name, fragment):
    editor = signed_in("editor")
    before = counts()
    response = upload(editor, data, name)
    assert response.status_code == 400
    html = unescape(response.get_data(as_text=True))
    assert fragment in html
    assert counts() == before


def test_xlsx_upload(signed_in, tmp_path):
    editor = signed_in("editor")
    path = write_xlsx(tmp_path / "plan.xlsx", [("VA", "Fairfax city", "2011-09-01")])
    html = upload(editor, path.read_bytes(), "plan.xlsx").get_data(as_text=True)
    assert "1 rows: 1 new, 0 changed, 0 unchanged, 0 errors" in html
    assert confirm(editor, html).status_code == 303


def test_a_tampered_payload_is_refused(signed_in, counts):
    editor = signed_in("editor")
    html = upload(editor, csv_bytes(ROWS)).get_data(as_text=True)
    payload = hidden(html, "payload")
    before = counts()
    forged = payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB")
    response = confirm(editor, html, payload=forged)
    assert response.status_code == 303
    assert "could not be verified" in editor.get("/plan/import").get_data(as_text=True)
    assert counts() == before


def test_a_plan_changed_after_the_preview_is_shown_again_not_applied(signed_in, counts, app):
    from tests.factories import schedule
    from tracker.extensions import db

    editor = signed_in("editor")
    html = upload(editor, csv_bytes(ROWS)).get_data(as_text=True)
    with app.app_context():
        schedule("51510", "2011-10-01", "2011-06-01", "Rescheduled meanwhile")
        db.session.commit()
    before = counts()
    response = confirm(editor, html)
    assert response.status_code == 409
    fresh = response.get_data(as_text=True)
    assert "changed since your preview" in fresh
    assert "2 rows: 1 new, 1 changed, 0 unchanged, 0 errors" in fresh
    assert counts() == before
    assert confirm(editor, fresh).status_code == 303
    assert counts()["PlanChange"] == before["PlanChange"] + 2


def test_no_file_and_too_large_files_are_refused(signed_in, monkeypatch, counts):
    from tracker.plan import routes

    editor = signed_in("editor")
    response = editor.post("/plan/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a CSV or XLSX file." in response.get_data(as_text=True)
    monkeypatch.setattr(routes, "PLAN_PAGES", dataclasses.replace(routes.PLAN_PAGES, max_bytes=100))
    before = counts()
    response = upload(editor, csv_bytes(ROWS * 5))
    assert response.status_code == 400
    assert "The file is larger than 5 MB." in response.get_data(as_text=True)
    assert counts() == before
