"""What people type: compared with what the records say (case and accents do not count), and
trimmed where a service requires it (a reason, a note)."""

from __future__ import annotations

import re
import unicodedata

from tracker.errors import DomainError


def fold(text: str) -> str:
    """Lower case without accents, so "dona ana" and "DOÑA ANA" both read "doña ana" as
    "dona ana"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """The folded words of `text`, punctuation and underscores dropped:
    "Doña Ana County, NM" -> ["dona", "ana", "county", "nm"]."""
    return re.findall(r"[^\W_]+", fold(text))


def required_text(
    value: str | None, field: str, *, missing: str, limit: int | None = None, too_long: str = ""
) -> str:
    """`value` trimmed of surrounding space. A service's required free text (a reason, a note):
    refused with DomainError(`missing`) when nothing is left, and with DomainError(`too_long`)
    when longer than `limit` characters; both name `field`."""
    text = (value or "").strip()
    if not text:
        raise DomainError(missing, field=field)
    if limit is not None and len(text) > limit:
        raise DomainError(too_long, field=field)
    return text
