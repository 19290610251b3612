"""The shapes every API answer shares: ISO dates and the paging envelope."""

from __future__ import annotations

import datetime as dt

from flask import request, url_for

from tracker.pagination import COUNT_LIMIT, Page, SeekPage


def page_envelope(page: Page, items: list) -> dict:
    """The paging shape every list endpoint returns."""
    return {
        "items": items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }


def seek_envelope(page: SeekPage, items: list, query: dict[str, str]) -> dict:
    """The shape of a list that pages by key: `next` is the URL of the following page (None on
    the last), `total` counts matching rows up to COUNT_LIMIT (`total_is_exact` false: more)."""
    following = None
    if page.next_after:
        following = url_for(request.endpoint, **query, after=page.next_after)
    return {
        "items": items,
        "per_page": page.per_page,
        "first_index": page.first_index,
        "total": min(page.total, COUNT_LIMIT),
        "total_is_exact": page.total_is_exact,
        "next": following,
    }


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def moment(value: dt.datetime | None) -> str | None:
    """A `known_at` moment as answers echo it: ISO 8601 in UTC (None: the records as they stand
    now)."""
    return value.astimezone(dt.UTC).isoformat() if value else None


# --- how the OpenAPI document describes them (each module describes its own endpoints) --------

ERROR = {"$ref": "#/components/responses/Error"}
DATE = {"type": "string", "format": "date"}
MOMENT = {
    "type": ["string", "null"],
    "format": "date-time",
    "description": "The known_at moment the answer reads the records at, in UTC (null: now).",
}
KNOWN_AT = {"$ref": "#/components/parameters/known_at"}


def param(name: str, description: str, schema: dict | None = None) -> dict:
    """An optional query parameter (a string unless `schema` says otherwise)."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


PAGING = [
    param(
        "page",
        "Page number, from 1 (at most 1,000,000).",
        {"type": "integer", "minimum": 1, "maximum": 1_000_000},
    ),
    param(
        "per_page",
        "Items per page (default 50, at most 500).",
        {"type": "integer", "minimum": 1, "maximum": 500},
    ),
]


SEEK_PAGING = [
    param("after", "Where the page starts: the token in the previous page's `next` link."),
    PAGING[1],
]


def _response(description: str, properties: dict) -> dict:
    schema = {"type": "object", "required": list(properties), "properties": properties}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def paged(description: str, item: dict, **extra: dict) -> dict:
    """The 200 response of a list endpoint: the paging envelope of `item`s, plus `extra`
    properties (all present in every answer)."""
    return _response(
        description,
        {
            "items": {"type": "array", "items": item},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "pages": {"type": "integer"},
            **extra,
        },
    )


def seek_paged(description: str, item: dict, **extra: dict) -> dict:
    """The 200 response of a list that pages by key (seek_envelope), plus `extra`."""
    return _response(
        description,
        {
            "items": {"type": "array", "items": item},
            "per_page": {"type": "integer"},
            "first_index": {
                "type": "integer",
                "description": "Position of the first item in the whole list, from 1 (0 when "
                "the page is empty).",
            },
            "total": {
                "type": "integer",
                "description": f"Matching items, counted up to {COUNT_LIMIT:,}.",
            },
            "total_is_exact": {
                "type": "boolean",
                "description": "False when more than `total` items match.",
            },
            "next": {
                "type": ["string", "null"],
                "description": "URL of the next page (the same filters, `after` set); null on "
                "the last page.",
            },
            **extra,
        },
    )
