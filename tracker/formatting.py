"""How dates and numbers read on every page, in exports and in messages."""

from __future__ import annotations

import datetime as dt


def long_date(value: dt.date | None) -> str:
    """ "31 August 2010": the form public documents use; day first avoids US/EU confusion."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def count(value: int | None) -> str:
    """A whole number with thousands separators: 3,233."""
    return "" if value is None else f"{value:,}"


def noun(value: int, singular: str, plural_form: str | None = None) -> str:
    """ "territory" for 1, "territories" otherwise: the noun agreeing with a number."""
    return singular if value == 1 else (plural_form or singular + "s")


def plural(value: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 territory", "5 territories": the number with its noun agreeing."""
    return f"{count(value)} {noun(value, singular, plural_form)}"


def percent(rate: float | None, digits: int = 1) -> str:
    """A proportion as a percentage: 0.2534 -> "25.3%"; a dash when there is none."""
    if rate is None or rate != rate:  # None or NaN
        return "—"
    return f"{rate * 100:.{digits}f}%"


def import_value(value: object) -> str:
    """A value in an import preview's before/after: ISO dates, whole numbers with separators,
    a dash for nothing."""
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return count(value)
    return str(value)
