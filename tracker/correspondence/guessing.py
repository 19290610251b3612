"""Guessing, from an e-mail's subject and text, which jurisdiction wrote and what it asks.

The jurisdiction comes from the plan import's name resolver: every phrase that ends with a kind
word ("Travis County", "Orleans Parish", "City of Alexandria") is looked up in each state the
text names (a state name, or ", TX" after a place). When no state is named, a phrase counts only
if exactly one jurisdiction in the country answers to it. A guess is made only when exactly one
jurisdiction is found; otherwise the editor picks one, told what was found. What is asked comes
from the wording (defer / postpone, not activate / opt out, not receive results) and the date
asked for from the first date after "until", "to", "through" or "after" that is after the
message's date. Guesses only pre-fill the form; the editor confirms every field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from tracker.deferrals.models import RequestKind
from tracker.errors import DomainError
from tracker.plan.importing.dates import parse_date
from tracker.plan.importing.resolver import Resolver, StateEntry

_KIND_WORDS = r"(?:County|Parish|Borough|Census Area|City and Borough|Municipality|Municipio|City)"
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|de|del|la|of|and)"
_NAME_THEN_KIND = re.compile(rf"((?:{_NAME_WORD}\s+){{1,4}}){_KIND_WORDS}\b")
_KIND_OF_NAME = re.compile(rf"\b({_KIND_WORDS}\s+of\s+(?:[A-Z][\w'’.-]*\s?){{1,3}})")
_POSTAL_AFTER_COMMA = re.compile(r",\s*([A-Z]{2})\b")
_FIPS = re.compile(r"\bFIPS(?:\s+code)?[\s:#]*(\d{5})\b", re.IGNORECASE)

_NOT_RECEIVE = re.compile(
    r"not\s+(?:to\s+)?(?:wish\s+to\s+)?receiv\w*\s+(?:the\s+)?(?:\w+\s+){0,2}"
    r"(?:results|responses|notifications)|opt\w*\s+out\s+of\s+(?:receiving|the\s+results)",
    re.IGNORECASE,
)
_DEFER = re.compile(r"\b(?:defer\w*|postpon\w*|delay\w*|later\s+date|more\s+time)\b", re.IGNORECASE)
_NOT_ACTIVATE = re.compile(
    r"not\s+(?:to\s+)?(?:be\s+)?activat\w*|not\s+wish\s+to\s+(?:participate|activate|be\s+activated)"
    r"|opt\w*\s+out|declin\w*\s+(?:to\s+)?(?:participat|activat)",
    re.IGNORECASE,
)
_DATE_TEXT = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{4}-\d{2}-\d{2}\b"
)
_DATE_CUE = re.compile(r"(?:until|till|to|through|thru|after|before|by|of)\s*$", re.IGNORECASE)


@dataclass
class Guess:
    fips: str | None = None
    kind: RequestKind | None = None
    requested_date: dt.date | None = None
    notes: list[str] = field(default_factory=list)


def _states_named(text: str, resolver: Resolver) -> list[StateEntry]:
    found: dict[str, StateEntry] = {}
    for state in resolver.states.values():
        if re.search(rf"\b{re.escape(state.name)}\b", text, re.IGNORECASE):
            found[state.fips] = state
    for postal in _POSTAL_AFTER_COMMA.findall(text):
        try:
            state = resolver.resolve_state(postal)
        except DomainError:
            continue
        found[state.fips] = state
    return list(found.values())


def _phrases(text: str) -> list[str]:
    """Candidate names with their kind word, longest first within each match ("The Travis
    County" is also tried as "Travis County")."""
    phrases: list[str] = []
    for match in _NAME_THEN_KIND.finditer(text):
        words = match.group(0).split()
        for start in range(len(words) - 1):
            phrases.append(" ".join(words[start:]))
    for match in _KIND_OF_NAME.finditer(text):
        words = match.group(1).split()
        for end in range(len(words), 2, -1):
            phrases.append(" ".join(words[:end]))
    return list(dict.fromkeys(phrases))


def _resolve_phrase(resolver: Resolver, states: list[StateEntry], phrase: str) -> set[str]:
    hits = set()
    for state in states:
        try:
            hits.add(resolver.resolve(state.postal, phrase).fips)
        except DomainError:
            continue
    return hits


def guess_jurisdiction(text: str, resolver: Resolver) -> tuple[str | None, str | None]:
    """(FIPS, None) for one jurisdiction found, or (None, what was found instead)."""
    for code in _FIPS.findall(text):
        if code in resolver.jurisdictions:
            return code, None
    named = _states_named(text, resolver)
    hits: set[str] = set()
    for phrase in _phrases(text):
        found = _resolve_phrase(resolver, named, phrase) if named else set()
        if not found and not named:
            found = _resolve_phrase(resolver, list(resolver.states.values()), phrase)
            if len(found) > 1:
                continue  # "Washington County" alone names 30 jurisdictions: not a guess
        if found:
            hits |= found
            # The longest reading of a phrase wins; shorter tails of it add nothing.
    if len(hits) == 1:
        return hits.pop(), None
    if hits:
        labels = sorted(resolver.jurisdictions[fips].label for fips in hits)
        return None, "The message names several jurisdictions: " + "; ".join(labels) + "."
    return None, "No jurisdiction could be recognised in the message."


def guess_kind(text: str) -> RequestKind | None:
    if _NOT_RECEIVE.search(text):
        return RequestKind.NOT_RECEIVE_RESULTS
    if _DEFER.search(text):
        return RequestKind.DEFER
    if _NOT_ACTIVATE.search(text):
        return RequestKind.NOT_ACTIVATE
    return None


def guess_requested_date(text: str, after: dt.date) -> dt.date | None:
    """The first date after a cue word ("until March 1, 2011") later than `after`; else the
    first date later than `after`."""
    cued: list[dt.date] = []
    later: list[dt.date] = []
    for match in _DATE_TEXT.finditer(text):
        try:
            day = parse_date(match.group(0).replace(".", ""), "date")
        except DomainError:
            continue
        if day is None or day <= after:
            continue
        later.append(day)
        if _DATE_CUE.search(text[max(0, match.start() - 20) : match.start()]):
            cued.append(day)
    return (cued or later or [None])[0]


def guess(subject: str, text: str, sent_on: dt.date, resolver: Resolver) -> Guess:
    """Every guess for one message, with notes on what could not be guessed."""
    whole = f"{subject}\n{text}"
    result = Guess()
    result.fips, note = guess_jurisdiction(whole, resolver)
    if note:
        result.notes.append(note)
    result.kind = guess_kind(whole)
    if result.kind is None:
        result.notes.append("What is asked could not be recognised.")
    if result.kind is RequestKind.DEFER:
        result.requested_date = guess_requested_date(whole, sent_on)
        if result.requested_date is None:
            result.notes.append("No date asked for was found.")
    return result
