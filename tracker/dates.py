"""Reading calendar dates from people and URLs."""

from __future__ import annotations

import datetime as dt

from tracker.errors import DomainError


def today() -> dt.date:
    """Today's date; the single clock the "as of" rule reads (tests freeze it)."""
    return dt.date.today()


def parse_iso_date(
    value: str | None, field: str, *, default: dt.date | None = None
) -> dt.date | None:
    """A YYYY-MM-DD parameter, or `default` when absent; anything else is a DomainError naming it."""
    if value is None or value.strip() == "":
        return default
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise DomainError(
            f"{field} must be a date written YYYY-MM-DD, got {value!r}.", field=field
        ) from exc
