"""Reading and checking API query parameters. Every error names the parameter (400, JSON)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask import request
from sqlalchemy import select

from tracker.dates import parse_iso_date, today
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.pagination import Page, parse_page_args
from tracker.registry.models import State


def as_of_param(name: str = "as_of") -> dt.date:
    """?as_of=YYYY-MM-DD, default today."""
    return parse_iso_date(request.args.get(name), name, default=today())


def optional_date_param(name: str) -> dt.date | None:
    return parse_iso_date(request.args.get(name), name)


def state_param(name: str = "state") -> str | None:
    """?state= as a postal code or a state FIPS code; returns the postal code, or None."""
    value = (request.args.get(name) or "").strip().upper()
    if not value:
        return None
    column = State.fips if value.isdigit() else State.postal
    postal = db.session.scalar(select(State.postal).where(column == value))
    if postal is None:
        raise DomainError(
            f"{name} must be a state postal code (e.g. TX) or FIPS code, got {value!r}.", field=name
        )
    return postal


def choice_param(name: str, allowed: Iterable[str]) -> str | None:
    """A parameter that must be one of `allowed` (or absent)."""
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    allowed = list(allowed)
    if value not in allowed:
        raise DomainError(f"{name} must be one of {', '.join(allowed)}; got {value!r}.", field=name)
    return value


def page_params() -> tuple[int, int]:
    return parse_page_args(request.args.get("page"), request.args.get("per_page"))


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
