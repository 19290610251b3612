"""Reading calendar dates from people and URLs."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app

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


def office_zone() -> ZoneInfo:
    """TRACKER_TIMEZONE: the office's time zone."""
    return ZoneInfo(current_app.config["TRACKER_TIMEZONE"])


def office_date(moment: dt.datetime) -> dt.date:
    """The office's calendar date at `moment` (an e-mail sent at 01:30 UTC on 12 January
    arrived on 11 January in Washington). A naive moment is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(office_zone()).date()
