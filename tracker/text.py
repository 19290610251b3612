"""Comparing what people type with what the records say: case and accents do not count."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without accents, so "dona ana" and "DOÑA ANA" both read "doña ana" as
    "dona ana"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """The folded words of `text`, punctuation and underscores dropped:
    "Doña Ana County, NM" -> ["dona", "ana", "county", "nm"]."""
    return re.findall(r"[^\W_]+", fold(text))
