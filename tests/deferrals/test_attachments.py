"""Attachments: type from content, refusals with a reason, unaltered bytes, safe downloads."""

from __future__ import annotations

import hashlib
import io

import pytest

from tests.deferrals import samples
from tests.deferrals.samples import log_letter
from tracker.deferrals import letters
from tracker.deferrals.attachments import Upload, check_upload, content_disposition
from tracker.errors import DomainError
from tracker.extensions import db


@pytest.mark.parametrize(("name", "expected"), list(samples.ACCEPTED.items()))
def test_each_accepted_type_is_recognised_from_its_content(app_context, name, expected):
    data, media_type = expected
    checked = check_upload(Upload(name, data))
    assert checked.media_type == media_type
    assert checked.size_bytes == len(data)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.data == data


def test_the_name_does_not_decide_the_type(app_context):
    assert check_upload(Upload("scan.dat", samples.PDF)).media_type == "application/pdf"
    assert check_upload(Upload("no-extension", samples.EML)).media_type == "message/rfc822"


def test_an_e_mail_with_an_8_bit_body_in_its_own_charset_is_still_an_e_mail(app_context):
    # Windows-1252 curly quotes (0x93, 0x94) are control characters in Latin-1: the body is
    # not "text", but the headers say what the file is.
    message = (
        b"From: Pat <pat@county.example>\r\nTo: office@example.gov\r\nSubject: Delay\r\n"
        b"Content-Type: text/plain; charset=windows-1252\r\n\r\nOur \x93booking\x94 system.\r\n"
    )
    assert check_upload(Upload("letter.eml", message)).media_type == "message/rfc822"
    # Binary junk after a blank line is not enough to make headers of nonsense.
    with pytest.raises(DomainError):
        check_upload(Upload("x.eml", b"Not: really\r\n\r\n\x00\x01\x02"))


def test_text_that_only_looks_a_bit_like_headers_is_plain_text(app_context):
    text = b"Subject: my notes\nThese are notes, not an e-mail.\n"
    assert check_upload(Upload("notes.txt", text)).media_type == "text/plain"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", "is empty"),
        (
            "letter.pdf",
            samples.EXE,
            "is disguised: its name says PDF but its content is a Windows program",
        ),
        (
            "letter.pdf",
            samples.ZIP,
            "is disguised: its name says PDF but its content is a zip archive",
        ),
        (
            "letter.pdf",
            samples.HTML,
            "is disguised: its name says PDF but its content is a web page",
        ),
        ("notes.txt", samples.HTML, "is disguised"),
        ("setup.exe", samples.EXE, "is a Windows program, which is not accepted"),
        ("archive.zip", samples.ZIP, "is a zip archive, which is not accepted"),
        ("page.html", samples.HTML, "is a web page (HTML/XML), which is not accepted"),
        ("tool", samples.ELF, "is a program, which is not accepted"),
        ("blob.bin", bytes(range(256)), "not a recognised document"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(app_context, name, data, message):
    with pytest.raises(DomainError) as caught:
        check_upload(Upload(name, data))
    assert message in caught.value.message
    assert caught.value.field == "attachments"


def test_oversized_files_are_refused(app, app_context):
    app.config["TRACKER_UPLOAD_MAX_MB"] = 1
    try:
        big = samples.PDF + b"0" * (1024 * 1024)
        with pytest.raises(DomainError) as caught:
            check_upload(Upload("big.pdf", big))
        # Both would round to "1.0 MB": the message gives them in bytes instead.
        assert (
            "“big.pdf” is 1,048,647 bytes, larger than the limit of 1,048,576 bytes (1.0 MB)"
            in caught.value.message
        )
        bigger = samples.PDF + b"0" * (2 * 1024 * 1024)
        with pytest.raises(DomainError) as caught:
            check_upload(Upload("bigger.pdf", bigger))
        assert "is 2.0 MB, larger than the limit of 1.0 MB per file" in caught.value.message
        assert check_upload(Upload("fits.pdf", samples.PDF + b"0" * 1000)).size_bytes > 0
    finally:
        app.config["TRACKER_UPLOAD_MAX_MB"] = 20


def test_file_names_lose_their_directories_and_control_characters(app_context):
    checked = check_upload(Upload("C:\\Users\\clerk\\Scans\\letter\x00\n.pdf", samples.PDF))
    assert checked.filename == "letter.pdf"
    assert check_upload(Upload("../../etc/passwd.txt", samples.TEXT)).filename == "passwd.txt"


def test_content_disposition_encodes_the_original_name(app_context):
    header = content_disposition('Lettre "finale" d’Añasco; 2011.pdf')
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''Lettre%20%22finale%22%20d%E2%80%99A%C3%B1asco%3B%202011.pdf" in header
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and '"' not in fallback and ";" not in fallback


def test_add_attachment_keeps_the_bytes_and_audits(app_context):
    request = log_letter()
    attachment = letters.add_attachment(request, Upload("fax.tiff", samples.TIFF))
    db.session.expire_all()
    assert attachment.content == samples.TIFF
    assert attachment.media_type == "image/tiff"


# --- downloads ---------------------------------------------------------------------------------


def _logged(app, uploads):
    with app.app_context():
        request = log_letter(uploads=uploads)
        ids = (request.id, [a.id for a in request.attachments])
        db.session.commit()
    return ids


NAME = "Añasco letter “final”.pdf"


def test_download_sends_the_original_bytes_as_an_attachment(app, signed_in):
    request_id, (attachment_id,) = _logged(app, [Upload(NAME, samples.PDF)])
    client = signed_in("viewer")
    response = client.get(f"/deferrals/{request_id}/attachments/{attachment_id}")
    assert response.status_code == 200
    assert response.data == samples.PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''A%C3%B1asco%20letter%20%E2%80%9Cfinal%E2%80%9D.pdf" in disposition
    assert "private" in response.headers["Cache-Control"]


def test_text_is_sent_with_its_own_type_and_no_added_charset(app, signed_in):
    request_id, (attachment_id,) = _logged(app, [Upload("notes.txt", samples.LATIN1_TEXT)])
    response = signed_in("viewer").get(f"/deferrals/{request_id}/attachments/{attachment_id}")
    assert response.headers["Content-Type"] == "text/plain"
    assert response.data == samples.LATIN1_TEXT


def test_an_attachment_of_another_request_is_not_found(app, signed_in):
    first_id, (first_attachment,) = _logged(app, [Upload("a.pdf", samples.PDF)])
    second_id, _ = _logged(app, [Upload("b.pdf", samples.PDF)])
    client = signed_in("viewer")
    assert client.get(f"/deferrals/{second_id}/attachments/{first_attachment}").status_code == 404
    assert client.get(f"/deferrals/{first_id}/attachments/999999").status_code == 404


def test_the_page_shows_name_size_type_and_sha256(app, signed_in):
    request_id, _ = _logged(app, [Upload("letter.pdf", samples.PDF)])
    html = signed_in("viewer").get(f"/deferrals/{request_id}").get_data(as_text=True)
    assert "letter.pdf" in html
    assert hashlib.sha256(samples.PDF).hexdigest() in html
    assert "application/pdf" in html
    assert f"{len(samples.PDF)} bytes" in html


def test_an_editor_adds_attachments_and_a_bad_one_refuses_the_batch(app, signed_in):
    request_id, _ = _logged(app, [Upload("letter.pdf", samples.PDF)])
    client = signed_in("editor")
    refused = client.post(
        f"/deferrals/{request_id}/attachments",
        data={
            "attachment-attachments": [
                (io.BytesIO(samples.PNG), "ok.png"),
                (io.BytesIO(samples.ZIP), "letter.pdf"),
            ]
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 400
    assert "disguised" in refused.get_data(as_text=True)
    added = client.post(
        f"/deferrals/{request_id}/attachments",
        data={"attachment-attachments": [(io.BytesIO(samples.PNG), "ok.png")]},
        content_type="multipart/form-data",
    )
    assert added.status_code == 303
    html = client.get(f"/deferrals/{request_id}").get_data(as_text=True)
    assert "ok.png" in html and "image/png" in html
