"""The shapes every API answer shares: ISO dates and the paging envelope."""

from __future__ import annotations

import datetime as dt

from tracker.pagination import Page


def page_envelope(page: Page, items: list) -> dict:
    """The paging shape every list endpoint returns."""
    return {
        "items": items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
