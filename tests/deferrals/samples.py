"""Small files of each kind, and a helper that logs a letter through the service."""

from __future__ import annotations

from tests.factories import D
from tracker.deferrals import letters
from tracker.deferrals.attachments import Upload

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 32
EML = (
    b"Received: from mail.example.gov by mx.example.gov\r\n"
    b"From: Sheriff Pat Doe <sheriff@anderson.example.gov>\r\n"
    b"To: program.office@example.gov\r\n"
    b"Subject: Request to defer activation\r\n"
    b"Date: Tue, 22 Feb 2011 09:15:00 -0600\r\n"
    b"MIME-Version: 1.0\r\n"
    b"\r\n"
    b"We ask that our activation be deferred to April.\r\n"
)
TEXT = "Phone note: the sheriff's office will send a letter. Café.\n".encode()
LATIN1_TEXT = "Notes de la réunion\n".encode("latin-1")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 40

ACCEPTED = {
    "letter.pdf": (PDF, "application/pdf"),
    "scan.png": (PNG, "image/png"),
    "scan.jpg": (JPEG, "image/jpeg"),
    "fax.tiff": (TIFF, "image/tiff"),
    "message.eml": (EML, "message/rfc822"),
    "note.txt": (TEXT, "text/plain"),
    "notes-latin1.txt": (LATIN1_TEXT, "text/plain"),
}


def letter_fields(**overrides) -> dict:
    """The fields of a valid letter logged through letters.log_request."""
    fields = {
        "jurisdiction": "48001",
        "letter_date": D("2011-02-18"),
        "received_on": D("2011-02-22"),
        "channel": "email",
        "sender_name": "Sheriff Pat Doe",
        "sender_title": "Sheriff",
        "sender_agency": "Anderson County Sheriff's Office",
        "addressed_to": "both",
        "kind": "defer",
        "requested_date": D("2011-04-12"),
        "summary": "Asks to defer until new booking hardware is installed.",
        "uploads": [Upload("letter.pdf", PDF)],
    }
    fields.update(overrides)
    return fields


def log_letter(**overrides):
    return letters.log_request(**letter_fields(**overrides))
