"""Reading an e-mail (.eml bytes) the way the intake needs it, with the standard library.

The message is parsed with the `email` package's modern policy. What a person reads (the plain
text part, else the text of the HTML part, plus the text of any forwarded message) feeds the
guesses; the sender, the Date and the Message-ID are required. Every attachment goes through the
same checks as a file uploaded on the letter form (tracker.deferrals.attachments), and so does
the `.eml` itself. A message that breaks any rule is refused whole with a message that says why.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.errors
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser

from tracker.deferrals.attachments import (
    EML,
    CheckedUpload,
    Upload,
    check_upload,
    detect_media_type,
)
from tracker.errors import DomainError

# Declared Latin-1 mail is, in practice, Windows-1252 (as browsers and mail readers treat it):
# the curly quotes and dashes in 0x80-0x9F would otherwise become control characters.
_WINDOWS_1252_SUPERSETS = {"latin_1", "iso8859-1", "ascii"}
# Defects that leave the message's structure unknowable.
_STRUCTURAL_DEFECTS = (
    email.errors.NoBoundaryInMultipartDefect,
    email.errors.StartBoundaryNotFoundDefect,
    email.errors.MultipartInvariantViolationDefect,
    email.errors.MissingHeaderBodySeparatorDefect,
)
_DAMAGED_CONTENT = (
    email.errors.InvalidBase64CharactersDefect,
    email.errors.InvalidBase64LengthDefect,
    email.errors.InvalidBase64PaddingDefect,
)


class MessageRefused(DomainError):
    """An e-mail the intake cannot take: malformed, unreadable, or with a refused attachment."""


@dataclass(frozen=True)
class ParsedMessage:
    message_id: str
    subject: str
    from_name: str | None
    from_address: str
    to: str | None
    sent_at: dt.datetime
    text: str
    original: CheckedUpload
    attachments: tuple[CheckedUpload, ...]


class _TextOfHtml(HTMLParser):
    """The words of an HTML body, paragraphs and line breaks kept, scripts and styles dropped."""

    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, _attrs):
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head") and self._skip:
            self._skip -= 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return "\n".join(line for line in lines if line)


def _refuse(source: str, why: str) -> MessageRefused:
    return MessageRefused(f"{source}: {why} Nothing was taken in.", field="messages")


def part_text(part: EmailMessage, source: str) -> str:
    """A text part's content as str, decoded with its declared character set.

    Unknown character sets are refused rather than guessed at: a wrong guess would put words the
    sender never wrote into a legal record.
    """
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "us-ascii"
    try:
        codec = codecs.lookup(charset).name
    except LookupError as exc:
        raise _refuse(
            source,
            f"the text is in the character set “{charset}”, which the tracker cannot read.",
        ) from exc
    if codec in _WINDOWS_1252_SUPERSETS:
        codec = "cp1252"
    return payload.decode(codec, errors="replace")


def _readable_text(message: EmailMessage, source: str) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    texts = []
    if body is not None:
        text = part_text(body, source)
        texts.append(html_to_text(text) if body.get_content_subtype() == "html" else text)
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            for inner in part.iter_parts():
                texts.append(_readable_text(inner, source))
    return "\n\n".join(t.strip() for t in texts if t.strip())


def _attachment_uploads(message: EmailMessage, source: str) -> list[Upload]:
    uploads = []
    for number, part in enumerate(message.iter_attachments(), start=1):
        name = part.get_filename()
        if part.get_content_type() == "message/rfc822":
            (inner,) = part.iter_parts()
            data = inner.as_bytes(policy=email.policy.SMTP)
            name = name or f"forwarded-message-{number}.eml"
        else:
            if any(isinstance(d, _DAMAGED_CONTENT) for d in part.defects):
                raise _refuse(source, f"the attachment “{name or number}” is damaged (bad base64).")
            data = part.get_payload(decode=True) or b""
            name = name or f"attachment-{number}"
        uploads.append(Upload(name, data))
    return uploads


def parse_message(data: bytes, source: str) -> ParsedMessage:
    """The parts of an e-mail the intake keeps, or MessageRefused naming `source` and why.

    Refused: not an e-mail at all; a broken MIME structure; no Message-ID, sender or readable
    Date; text in an unknown character set; an attachment that is empty, over the size limit,
    of a type not accepted, or disguised as another type (checked from its bytes).
    """
    try:
        kind = detect_media_type(data, "message.eml") if data else None
    except DomainError:
        kind = None
    if kind != EML:
        raise _refuse(
            source, "this is not an e-mail message (it does not start with mail headers)."
        )
    message = BytesParser(policy=email.policy.default).parsebytes(data)
    if any(isinstance(d, _STRUCTURAL_DEFECTS) for part in message.walk() for d in part.defects):
        raise _refuse(source, "the message is malformed (its MIME structure is broken).")
    message_id = " ".join(str(message.get("Message-ID") or "").split())
    if not message_id or "@" not in message_id:
        raise _refuse(
            source, "the message has no Message-ID, so a second copy could not be recognised."
        )
    try:
        sender = message["From"].addresses[0] if message["From"] else None
    except (IndexError, AttributeError):
        sender = None
    if sender is None or not sender.addr_spec or "@" not in sender.addr_spec:
        raise _refuse(source, "the message has no sender address (From).")
    try:
        sent_at = message["Date"].datetime if message["Date"] else None
    except (AttributeError, ValueError):
        sent_at = None
    if sent_at is None:
        raise _refuse(source, "the message has no readable Date, so its received date is unknown.")
    if sent_at.tzinfo is None:  # "-0000": the time zone was not known; RFC 5322 says UTC
        sent_at = sent_at.replace(tzinfo=dt.UTC)
    text = _readable_text(message, source)
    attachments = []
    for upload in _attachment_uploads(message, source):
        try:
            attachments.append(check_upload(upload))
        except DomainError as exc:
            raise _refuse(
                source, "an attachment was refused: " + exc.message.removesuffix(" It was refused.")
            ) from exc
    try:
        original = check_upload(Upload("message.eml", data))
    except DomainError as exc:
        raise _refuse(
            source,
            exc.message.replace("“message.eml”", "the message").removesuffix(" It was refused."),
        ) from exc
    to = str(message.get("To") or "").strip() or None
    return ParsedMessage(
        message_id=message_id,
        subject=" ".join(str(message.get("Subject") or "").split()) or "(no subject)",
        from_name=sender.display_name or None,
        from_address=sender.addr_spec.lower(),
        to=to,
        sent_at=sent_at,
        text=text,
        original=original,
        attachments=tuple(attachments),
    )
