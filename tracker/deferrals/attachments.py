"""Checking an uploaded file before it is kept: its type comes from its bytes, never its name.

Accepted: PDF, PNG, JPEG, TIFF (recognised by their magic bytes), e-mail messages (.eml: text
that opens with RFC 5322 headers) and plain text. Everything else is refused with a message that
says why, including files whose name claims an accepted type while the bytes are something else
(an executable, an archive or a web page named "letter.pdf": a disguised file).
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from flask import current_app

from tracker.errors import DomainError

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
EML = "message/rfc822"
TEXT = "text/plain"

ACCEPTED_BINARY = (PDF, PNG, JPEG, TIFF)
TYPE_LABELS = {
    PDF: "PDF",
    PNG: "PNG image",
    JPEG: "JPEG image",
    TIFF: "TIFF image",
    EML: "e-mail message",
    TEXT: "plain text",
}
# What a file's name says it is; used only to word the refusal of a disguised file.
EXTENSION_CLAIMS = {
    ".pdf": PDF,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".tif": TIFF,
    ".tiff": TIFF,
    ".eml": EML,
    ".txt": TEXT,
}
ACCEPTED_DESCRIPTION = "PDF, PNG, JPEG, TIFF, e-mail (.eml) or plain-text file"
# The extensions a download may carry for each type; the first is the one given when the
# uploaded name's extension does not match what the content is.
DOWNLOAD_EXTENSIONS = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg", ".jpe"),
    TIFF: (".tif", ".tiff"),
    EML: (".eml",),
    TEXT: (".txt",),
}
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}")

# Markup a browser would render or run; never accepted, whatever the name says.
_MARKUP = re.compile(
    rb"^\s*<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml|meta|a\s|img\s|div|!--)",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*:[ \t]")
_MAIL_HEADERS = {"from", "to", "subject", "date", "received", "mime-version", "message-id", "cc"}
# Control characters allowed in text: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS = {9, 10, 12, 13}


@dataclass(frozen=True)
class Upload:
    """A file as it arrived: the name the sender's computer gave it and its bytes."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class CheckedUpload:
    """A file that passed every check, with what the tracker shows about it."""

    filename: str
    media_type: str
    size_bytes: int
    sha256: str
    data: bytes


def max_upload_bytes() -> int:
    """TRACKER_UPLOAD_MAX_MB, in bytes."""
    return int(current_app.config["TRACKER_UPLOAD_MAX_MB"]) * 1024 * 1024


def clean_filename(filename: str | None) -> str:
    """The original name without directories or control characters, at most 255 characters.

    The name is shown and sent back on download, so it must not carry a path or bytes that
    could split a header; everything else (accents, spaces, quotes) is kept as sent.
    """
    name = (filename or "").replace("\\", "/")
    name = PurePath(name).name if name else ""
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name or name in {".", ".."}:
        name = "attachment"
    if len(name) > 255:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: 254 - len(suffix)] + dot + suffix) if dot and len(suffix) < 20 else name
        name = name[:255]
    return name


def _as_text(data: bytes) -> str | None:
    """The bytes as text when they are UTF-8, or Latin-1 without NUL or control bytes."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if any((ord(ch) < 32 and ord(ch) not in _TEXT_CONTROLS) or ord(ch) == 0x7F for ch in text):
            return None
        return text
    if any((b < 32 and b not in _TEXT_CONTROLS) or 0x7F <= b < 0xA0 for b in data):
        return None
    return data.decode("latin-1")


def _is_email(text: str) -> bool:
    """Text whose opening lines are RFC 5322 headers, including at least two that mail carries,
    and that the standard library parses as a message with those headers."""
    lines = text.lstrip("\ufeff").splitlines()
    header_names: set[str] = set()
    for line in lines[:200]:
        if line == "":
            break
        if line[0] in " \t" and header_names:
            continue  # a folded continuation of the previous header
        if not _HEADER_LINE.match(line):
            return False
        header_names.add(line.split(":", 1)[0].lower())
    if len(header_names & _MAIL_HEADERS) < 2:
        return False
    message = email.parser.Parser(policy=email.policy.compat32).parsestr(text, headersonly=True)
    return sum(1 for name in _MAIL_HEADERS if message.get(name) is not None) >= 2


def _has_mail_headers(data: bytes) -> bool:
    """An e-mail whose body is 8-bit text in its own character set (Windows-1252 quotes, say):
    the header block alone is text with mail headers, whatever bytes the body holds."""
    head = re.split(rb"\r?\n\r?\n", data, maxsplit=1)[0]
    text = _as_text(head)
    return text is not None and _is_email(text)


def _describe_kind(data: bytes) -> str | None:
    """A short human name for content we refuse, when we can tell what it is."""
    if _MARKUP.match(data[:512]):
        return "a web page (HTML/XML)"
    kind = filetype.guess(data)
    if kind is None:
        if data[:2] == b"MZ":
            return "a Windows program"
        if data[:4] == b"\x7fELF":
            return "a program"
        return None
    names = {
        "application/x-msdownload": "a Windows program",
        "application/x-executable": "a program",
        "application/x-elf": "a program",
        "application/zip": "a zip archive",
        "application/x-rar-compressed": "a RAR archive",
        "application/x-7z-compressed": "a 7-Zip archive",
        "application/gzip": "a gzip archive",
        "application/x-tar": "a tar archive",
    }
    return names.get(kind.mime, f"a {kind.extension.upper()} file ({kind.mime})")


def detect_media_type(data: bytes, filename: str) -> str:
    """The accepted media type of `data`, judged from its content alone.

    Raises DomainError (field "attachments") naming the file when the content is not one of the
    accepted types; when the name claims an accepted type but the bytes are something else the
    message says the file is disguised.
    """
    kind = None if _MARKUP.match(data[:512]) else filetype.guess(data)
    if kind is not None and kind.mime in ACCEPTED_BINARY:
        return kind.mime
    if kind is None and not _MARKUP.match(data[:512]) and data[:2] != b"MZ":
        text = _as_text(data)
        if text is not None:
            return EML if _is_email(text) else TEXT
        if _has_mail_headers(data):
            return EML
    found = _describe_kind(data) or "not a recognised document"
    claimed = EXTENSION_CLAIMS.get(PurePath(filename.lower()).suffix)
    if claimed is not None:
        raise DomainError(
            f"“{filename}” is disguised: its name says {TYPE_LABELS[claimed]} but its content is "
            f"{found}. It was refused.",
            field="attachments",
        )
    raise DomainError(
        f"“{filename}” is {found}, which is not accepted. Attach a {ACCEPTED_DESCRIPTION}.",
        field="attachments",
    )


def check_upload(upload: Upload, *, max_bytes: int | None = None) -> CheckedUpload:
    """Validate one uploaded file: not empty, not over the size limit, an accepted type.

    The bytes are kept exactly as received; the SHA-256 is of those bytes.
    """
    filename = clean_filename(upload.filename)
    data = upload.data
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if not data:
        raise DomainError(f"“{filename}” is empty (0 bytes). It was refused.", field="attachments")
    if len(data) > limit:
        raise DomainError(
            f"“{filename}” is {over_limit(len(data), limit)} per file. It was refused.",
            field="attachments",
        )
    media_type = detect_media_type(data, filename)
    return CheckedUpload(
        filename=filename,
        media_type=media_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def over_limit(size: int, limit: int) -> str:
    """ "25.3 MB, larger than the limit of 20.0 MB"; in exact bytes when rounding would show the
    two sizes alike (never "20.0 MB, larger than the limit of 20.0 MB")."""
    shown, allowed = format_size(size), format_size(limit)
    if shown == allowed:
        shown, allowed = f"{size:,} bytes", f"{limit:,} bytes ({allowed})"
    return f"{shown}, larger than the limit of {allowed}"


def format_size(size: int) -> str:
    """A byte count as people read it: 512 bytes, 14.2 KB, 3.5 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def download_name(filename: str, media_type: str) -> str:
    """The name a file is downloaded under: the uploader's name, with an extension that matches
    the type its content was judged to be.

    The original name stays the name shown; only the download's extension is made to agree with
    the content, so a text letter uploaded as "letter.html" downloads as "letter.txt" and a
    computer that saved it opens it as text, never as a web page.
    """
    allowed = DOWNLOAD_EXTENSIONS[media_type]
    path = PurePath(filename)
    if path.suffix.lower() in allowed:
        return filename
    if _EXTENSION.fullmatch(path.suffix):
        return path.stem + allowed[0]  # "letter.html" -> "letter.txt"
    return filename + allowed[0]  # "scan" -> "scan.pdf"; "Letter from J. Doe" -> "….txt"


def content_disposition(filename: str) -> str:
    """An attachment Content-Disposition carrying the original name safely (RFC 6266/5987).

    An ASCII fallback for old clients, and filename* with the exact name, percent-encoded UTF-8.
    """
    from urllib.parse import quote

    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9._ ()-]", "_", fallback).strip() or "attachment"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
