"""A download's extension matches what the file is, whatever name it was uploaded under.

A text letter uploaded as "letter.html" is kept and shown as "letter.html" but downloads as
"letter.txt", so a computer that saves it opens it as text, never as a web page.
"""

from __future__ import annotations

import pytest

from tests.deferrals import samples
from tests.deferrals.samples import log_letter
from tracker.deferrals.attachments import Upload, download_name


@pytest.mark.parametrize(
    ("uploaded", "media_type", "downloaded"),
    [
        ("letter.html", "text/plain", "letter.txt"),
        ("letter.HTM", "text/plain", "letter.txt"),
        ("letter.pdf", "text/plain", "letter.txt"),
        ("notes.txt", "text/plain", "notes.txt"),
        ("scan", "application/pdf", "scan.pdf"),
        ("scan.PDF", "application/pdf", "scan.PDF"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("photo.png", "image/jpeg", "photo.jpg"),
        ("fax.tiff", "image/tiff", "fax.tiff"),
        ("reply.msg", "message/rfc822", "reply.eml"),
        ("report.2010.svg", "image/png", "report.2010.png"),
        ("Letter from Sheriff J. Doe", "text/plain", "Letter from Sheriff J. Doe.txt"),
        ("page.html.", "text/plain", "page.html..txt"),
    ],
)
def test_the_download_name_keeps_the_name_and_fixes_the_extension(uploaded, media_type, downloaded):
    assert download_name(uploaded, media_type) == downloaded


def test_a_text_letter_uploaded_as_html_downloads_as_text(app, signed_in):
    from tracker.extensions import db

    with app.app_context():
        letter = log_letter(uploads=[Upload("letter.html", samples.TEXT)])
        request_id, attachment_id = letter.id, letter.attachments[0].id
        db.session.commit()
    viewer = signed_in("viewer")
    page = viewer.get(f"/deferrals/{request_id}").get_data(as_text=True)
    assert ">letter.html</a>" in page and "downloads as letter.txt" in page
    response = viewer.get(f"/deferrals/{request_id}/attachments/{attachment_id}")
    disposition = response.headers["Content-Disposition"]
    assert 'filename="letter.txt"' in disposition and "filename*=UTF-8''letter.txt" in disposition
    assert ".html" not in disposition
    assert response.headers["Content-Type"] == "text/plain"
    api = viewer.get(f"/api/v1/deferrals/{request_id}").get_json()
    assert api["attachments"][0]["filename"] == "letter.html"
    assert api["attachments"][0]["download_name"] == "letter.txt"
