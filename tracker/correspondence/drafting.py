"""Drafting the office's letters from the Jinja templates in templates/correspondence/.

Each kind has one template with two blocks, `subject` and `body`, filled in with the letter's
facts; `letterhead.txt` is printed at the top of every PDF. The draft is only a proposal: the
editor sees it in a form and may change any of it before it is sent or recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.headerregistry import Address

from flask import current_app

from tracker.auth.models import User
from tracker.calendar.services import business_days_after
from tracker.correspondence.models import CorrespondenceKind
from tracker.dates import today
from tracker.deferrals.clocks import badges_for
from tracker.deferrals.models import (
    AddressedTo,
    Channel,
    DeferralRequest,
    DeferralStatus,
    RequestKind,
)
from tracker.errors import DomainError
from tracker.mail import office_mailbox

OUTGOING_KINDS = (
    CorrespondenceKind.ACKNOWLEDGEMENT,
    CorrespondenceKind.MEETING_REQUEST,
    CorrespondenceKind.RESOLUTION,
)
# How many dates a meeting request proposes, and how soon the first one is.
PROPOSED_DATES = 3
FIRST_PROPOSED_AFTER_BUSINESS_DAYS = 5


@dataclass(frozen=True)
class Draft:
    """What the form shows: recipients as comma-separated lists, subject and body as text."""

    kind: CorrespondenceKind
    to: str
    cc: str
    subject: str
    body: str


def reference_for(letter: DeferralRequest) -> str:
    """The office's reference for a letter, printed on every piece of correspondence."""
    return f"DR-{letter.id:05d}"


def allowed_kinds(letter: DeferralRequest) -> tuple[CorrespondenceKind, ...]:
    """What may be sent about a letter in its current status.

    An acknowledgement at any time; a meeting request while no meeting has been held (sending
    one records the "meeting requested" step when it is still to be taken); a resolution letter
    once the request is resolved or withdrawn.
    """
    kinds = [CorrespondenceKind.ACKNOWLEDGEMENT]
    if letter.status in (DeferralStatus.RECEIVED, DeferralStatus.MEETING_REQUESTED):
        kinds.append(CorrespondenceKind.MEETING_REQUEST)
    if letter.status in (DeferralStatus.RESOLVED, DeferralStatus.WITHDRAWN):
        kinds.append(CorrespondenceKind.RESOLUTION)
    return tuple(kinds)


def check_kind(letter: DeferralRequest, kind: CorrespondenceKind | str) -> CorrespondenceKind:
    """The kind, if it may be sent about this letter now; a DomainError saying why not."""
    try:
        kind = CorrespondenceKind(kind)
    except ValueError as exc:
        raise DomainError(
            "Choose what to send: an acknowledgement, a meeting request or a resolution letter.",
            field="kind",
        ) from exc
    if kind not in OUTGOING_KINDS:
        raise DomainError("Only the office's own letters can be sent from here.", field="kind")
    if kind not in allowed_kinds(letter):
        status = letter.status.label.lower()
        when = {
            CorrespondenceKind.MEETING_REQUEST: "before the meeting is held",
            CorrespondenceKind.RESOLUTION: "once the request is resolved or withdrawn",
        }[kind]
        raise DomainError(
            f"A {kind.label.lower()} can be sent only {when}; deferral request #{letter.id} "
            f"is {status}.",
            field="kind",
        )
    return kind


def _named(name: str | None, address: str | None) -> str | None:
    if not address:
        return None
    return str(Address(display_name=name or "", addr_spec=address)) if name else address


def default_recipients(
    letter: DeferralRequest, kind: CorrespondenceKind
) -> tuple[list[str], list[str]]:
    """(to, cc) for a kind of letter, from the contacts on file.

    The sender of the letter is always addressed. The state's identification bureau is addressed
    by a meeting request (it is invited) and copied on the others when the letter was addressed
    to it or it is the resolution. The office mailbox is copied on everything.
    """
    sender = _named(letter.sender_name, letter.sender_email)
    state = letter.jurisdiction.state
    sib = _named(state.sib_name, state.sib_email)
    to = [sender] if sender else []
    cc: list[str] = []
    if sib:
        if kind is CorrespondenceKind.MEETING_REQUEST:
            to.append(sib)
        elif kind is CorrespondenceKind.RESOLUTION or letter.addressed_to in (
            AddressedTo.SIB,
            AddressedTo.BOTH,
        ):
            cc.append(sib)
    if office_mailbox():
        cc.append(office_mailbox())
    return to, cc


def proposed_meeting_dates(start: dt.date | None = None) -> list[dt.date]:
    """Three consecutive business days, the first a week of business days from `start`."""
    day = business_days_after(start or today(), FIRST_PROPOSED_AFTER_BUSINESS_DAYS)
    dates = [day]
    while len(dates) < PROPOSED_DATES:
        dates.append(business_days_after(dates[-1], 1))
    return dates


_REQUEST_WORDS = {
    RequestKind.DEFER: "to defer its activation",
    RequestKind.NOT_ACTIVATE: "not to be activated",
    RequestKind.NOT_RECEIVE_RESULTS: "not to receive identification results",
}


def _context(letter: DeferralRequest, signer: User | None) -> dict:
    jurisdiction = letter.jurisdiction
    request_words = _REQUEST_WORDS[letter.kind]
    if letter.kind is RequestKind.DEFER and letter.requested_date:
        request_words += f" until {letter.requested_date.day} {letter.requested_date:%B %Y}"
    scheduled_on = badges_for([letter], today())[letter.id].scheduled_on
    return {
        "letter": letter,
        "jurisdiction": jurisdiction,
        "state": jurisdiction.state,
        "reference": reference_for(letter),
        "channel_words": {Channel.EMAIL: "e-mail", Channel.LETTER: "letter", Channel.FAX: "fax"}[
            letter.channel
        ],
        "request_words": request_words,
        "sib_words": jurisdiction.state.sib_name
        or f"{jurisdiction.state.name} state identification bureau",
        "scheduled_on": scheduled_on,
        "resolution": letter.resolution.value if letter.resolution else None,
        "signer": signer or User(name="The Activation Program Office", email=""),
        "office_email": office_mailbox(),
        "proposed_dates": proposed_meeting_dates(),
    }


def _render_block(template, name: str, context: dict) -> str:
    return "".join(template.blocks[name](template.new_context(context)))


def _tidy(text: str) -> str:
    """Trailing spaces dropped and runs of blank lines folded into one."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def draft(
    letter: DeferralRequest, kind: CorrespondenceKind | str, *, signer: User | None = None
) -> Draft:
    """The proposed letter of this kind, from its template and the letter's facts now."""
    kind = check_kind(letter, kind)
    template = current_app.jinja_env.get_template(f"correspondence/{kind.value}.txt")
    context = _context(letter, signer)
    to, cc = default_recipients(letter, kind)
    return Draft(
        kind=kind,
        to=", ".join(to),
        cc=", ".join(cc),
        subject=" ".join(_render_block(template, "subject", context).split()),
        body=_tidy(_render_block(template, "body", context)),
    )


def letterhead_lines() -> list[str]:
    """The office's letterhead (templates/correspondence/letterhead.txt), line by line."""
    text = current_app.jinja_env.get_template("correspondence/letterhead.txt").render()
    return [line.strip() for line in text.strip().splitlines() if line.strip()]
