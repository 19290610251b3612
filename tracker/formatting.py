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


def init_app(app: Flask) -> None:
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["count"] = count
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
