"""E-mail out: addresses checked, messages built by the standard library, sent over SMTP.

The messages are `email.message.EmailMessage`s serialised with the SMTP policy (CRLF line ends),
and those exact bytes are what the server receives: callers keep them as the record of what was
sent. Sending is all or nothing per message: every recipient is offered to the server first
(RCPT TO) and, if the server refuses any one of them, the transaction is reset before DATA, so
nobody receives a message that the tracker then reports as not sent.
"""

from __future__ import annotations

import datetime as dt
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app

from tracker.errors import DomainError

TIMEOUT_SECONDS = 30
MAX_RECIPIENTS = 50


class MailError(DomainError):
    """The mail server could not take the message; nothing was sent."""

    status_code = 502


def mail_configured() -> bool:
    """True when TRACKER_SMTP_URL is set, so the tracker can e-mail."""
    return bool(current_app.config.get("TRACKER_SMTP_URL"))


def mail_from() -> str:
    return current_app.config["TRACKER_MAIL_FROM"]


def office_mailbox() -> str | None:
    return current_app.config.get("TRACKER_OFFICE_EMAIL") or None


def check_address(text: str | None, field: str, *, required: bool = False) -> str | None:
    """One e-mail address as people type it, normalised (domain lower-cased); None when blank.

    Refused with a DomainError naming `field` when it is not a valid address. Deliverability is
    not checked (no DNS look-up): the tracker runs offline.
    """
    text = (text or "").strip()
    if not text:
        if required:
            raise DomainError("Give an e-mail address.", field=field)
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise DomainError(f"“{text}” is not an e-mail address: {exc}", field=field) from exc


# Commas separate addresses, except inside a quoted display name ("Doe, Pat" <pat@x.gov>).
_LIST_SEPARATOR = re.compile(r',(?=(?:[^"]*"[^"]*")*[^"]*$)')


def check_address_list(text: str | None, field: str, *, required: bool = False) -> list[str]:
    """The addresses in a comma-separated list ("Name <a@b.gov>, c@d.gov"), each checked.

    Returns them as "Name <address>" or "address", in the order given, without repeats. A
    refusal quotes the entry as it was typed.
    """
    result: list[str] = []
    seen: set[str] = set()
    for entry in (part.strip() for part in _LIST_SEPARATOR.split(text or "")):
        if not entry:
            continue
        name, address = parseaddr(entry)
        try:
            normalised = validate_email(address, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise DomainError(f"“{entry}” is not an e-mail address: {exc}", field=field) from exc
        if normalised.lower() in seen:
            continue
        seen.add(normalised.lower())
        result.append(str(Address(display_name=name, addr_spec=normalised)) if name else normalised)
    if required and not result:
        raise DomainError("Give at least one recipient's e-mail address.", field=field)
    if len(result) > MAX_RECIPIENTS:
        raise DomainError(f"At most {MAX_RECIPIENTS} recipients per message.", field=field)
    return result


def bare_address(entry: str) -> str:
    """ "Pat Doe <pat@x.gov>" -> "pat@x.gov" (the envelope address)."""
    return parseaddr(entry)[1]


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    maintype: str
    subtype: str


@dataclass(frozen=True)
class Outgoing:
    """A message ready to hand to the server: its Message-ID, envelope and exact bytes."""

    message_id: str
    sender: str
    recipients: tuple[str, ...]
    data: bytes


def build_message(
    *,
    to: list[str],
    cc: list[str] = (),
    subject: str,
    body: str,
    attachments: tuple[Attachment, ...] = (),
    sent_at: dt.datetime,
    in_reply_to: str | None = None,
) -> Outgoing:
    """An e-mail from TRACKER_MAIL_FROM with a new Message-ID, Reply-To the office mailbox
    (when set), the body as plain text and the attachments; serialised once, with CRLF."""
    sender = mail_from()
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    if office_mailbox():
        message["Reply-To"] = office_mailbox()
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at)
    domain = bare_address(sender).rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    for item in attachments:
        message.add_attachment(
            item.data, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    recipients = tuple(dict.fromkeys(bare_address(entry) for entry in (*to, *cc)))
    return Outgoing(
        message_id=message["Message-ID"],
        sender=bare_address(sender),
        recipients=recipients,
        data=message.as_bytes(policy=SMTP),
    )


def _connect(url: str) -> smtplib.SMTP:
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port
    if parts.scheme == "smtps":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port or 465, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(host, port or 25, timeout=TIMEOUT_SECONDS)
        if parts.scheme == "smtp+starttls":
            server.starttls(context=ssl.create_default_context())
    if parts.username:
        server.login(unquote(parts.username), unquote(parts.password or ""))
    return server


def _server_said(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def send(outgoing: Outgoing) -> None:
    """Hand the message to TRACKER_SMTP_URL's server, all or nothing.

    Raises MailError with the server's reason when it cannot be reached, refuses a recipient
    (then the transaction is reset before any data is sent), or refuses the message.
    """
    url = current_app.config.get("TRACKER_SMTP_URL")
    if not url:
        raise MailError(
            "The tracker has no mail server (TRACKER_SMTP_URL is not set). Download the PDF and "
            "record the letter as sent by post or fax instead."
        )
    host = urlsplit(url).hostname
    try:
        server = _connect(url)
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            f"The mail server {host} refused the tracker's sign-in "
            f"({_server_said(exc.smtp_code, exc.smtp_error)}). Nothing was sent."
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(
            f"The mail server {host} could not be reached ({exc}). Nothing was sent; try again "
            "when it is back."
        ) from exc
    try:
        server.ehlo_or_helo_if_needed()
        code, text = server.mail(outgoing.sender)
        if code != 250:
            raise MailError(
                f"The mail server refused the sender {outgoing.sender} "
                f"({_server_said(code, text)}). Nothing was sent."
            )
        for recipient in outgoing.recipients:
            code, text = server.rcpt(recipient)
            if code not in (250, 251):
                server.rset()
                raise MailError(
                    f"The mail server refused the recipient {recipient} "
                    f"({_server_said(code, text)}). Nothing was sent to anyone; correct the "
                    "address and send again.",
                    field="to",
                )
        code, text = server.data(outgoing.data)
        if code != 250:
            raise MailError(
                f"The mail server refused the message ({_server_said(code, text)}). "
                "Nothing was sent."
            )
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(
            f"The mail server {host} broke off while sending ({exc}). The message may not have "
            "been sent; nothing was recorded, so it can be sent again."
        ) from exc
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
