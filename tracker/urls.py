"""URL converters: an id in a URL is a number the database can hold, or the URL matches nothing.

Record ids are INTEGER columns (at most 2,147,483,647 in PostgreSQL); a longer number in a URL
(a 20-digit id) would otherwise reach the database and fail there as a server error. Bounded
here, such a URL is simply not found (404), on every route that takes an id.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

LARGEST_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` limited to 0 … LARGEST_ID (Werkzeug already refuses signs and other digits)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Make every `<int:…>` variable of every route an IdConverter (before routes are added)."""
    app.url_map.converters["int"] = IdConverter
