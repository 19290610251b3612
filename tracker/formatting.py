"""How dates and numbers read on every page, in exports and in messages."""

from __future__ import annotations

import datetime as dt

from flask import Flask


def long_date(value: dt.date | None) -> str:
    """ "31 August 2010": the form public documents use; day first avoids US/EU confusion."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def count(value: int | None) -> str:
    """A whole number with thousands separators: 3,233."""
    return "" if value is None else f"{value:,}"


def plural(value: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 territory", "5 territories": the number with its noun agreeing."""
    word = singular if value == 1 else (plural_form or singular + "s")
    return f"{count(value)} {word}"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["count"] = count
    app.jinja_env.filters["plural"] = plural
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
