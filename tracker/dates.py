"""Calendar dates: the clock, the range of dates the domain admits, reading dates and moments
from people and URLs, and the office's clock.

Every date the tracker keeps or is asked about (a schedule, an activation, a letter, a briefing,
an MOA, a release, any `as_of` or `known_at`) lies within DOMAIN_FIRST … DOMAIN_LAST. The range
is defined here once: forms, the plan import, query parameters and CLI options refuse dates
outside it with one message (out_of_range_message), the session refuses to flush one (see
tracker.db), and CHECK constraints keep the database itself from holding one.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tracker.errors import DomainError

# Every date the domain knows lies in this range: the rollout began in 2008, and nothing the
# office records is older than the program or further away than its plans. It also keeps date
# arithmetic (a 90-day window, a projected finish, month-by-month series) far from the limits of
# datetime.date.
DOMAIN_FIRST = dt.date(2000, 1, 1)
DOMAIN_LAST = dt.date(2100, 12, 31)
DOMAIN_RANGE_TEXT = f"{DOMAIN_FIRST.isoformat()} to {DOMAIN_LAST.isoformat()}"


def today() -> dt.date:
    """Today's date; the single clock the "as of" rule reads (tests freeze it)."""
    return dt.date.today()


def in_domain_range(day: dt.date) -> bool:
    """True when `day` lies within DOMAIN_FIRST … DOMAIN_LAST (both included)."""
    return DOMAIN_FIRST <= day <= DOMAIN_LAST


def out_of_range_message(day: dt.date, field: str) -> str:
    """The one wording of the refusal, for forms, parameters, the import and the services."""
    return (
        f"{field} {day.isoformat()} is outside the dates the tracker keeps ({DOMAIN_RANGE_TEXT})."
    )


def check_in_range(day: dt.date, field: str) -> dt.date:
    """`day` itself when it lies within the domain's range; a DomainError naming `field` if not."""
    if not in_domain_range(day):
        raise DomainError(out_of_range_message(day, field), field=field)
    return day


def parse_iso_date(
    value: str | None, field: str, *, default: dt.date | None = None
) -> dt.date | None:
    """A YYYY-MM-DD parameter within the domain's range, or `default` when absent; anything
    else is a DomainError naming the parameter."""
    if value is None or value.strip() == "":
        return default
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise DomainError(
            f"{field} must be a date written YYYY-MM-DD, got {value!r}.", field=field
        ) from exc
    return check_in_range(day, field)


def office_zone() -> ZoneInfo:
    """The office's time zone (TRACKER_TIMEZONE), in which a day begins and ends."""
    from flask import current_app

    return ZoneInfo(current_app.config["TRACKER_TIMEZONE"])


def office_date(moment: dt.datetime) -> dt.date:
    """The office's calendar date at `moment` (an e-mail sent at 01:30 UTC on 12 January
    arrived on 11 January in Washington). A naive moment is taken as UTC."""
    return as_utc(moment).astimezone(office_zone()).date()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` in UTC. A naive value is taken as UTC already: SQLite hands timestamps back
    without their zone, and the tracker only ever stores UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of `day` in the office's time zone, in UTC."""
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=office_zone())
    return as_utc(midnight) - dt.timedelta(microseconds=1)


def parse_known_at(value: str | None, field: str = "known_at") -> dt.datetime | None:
    """A `known_at` parameter as a UTC moment, or None when absent (meaning: now).

    YYYY-MM-DD is the end of that day in the office's time zone (TRACKER_TIMEZONE); a full ISO
    8601 timestamp is taken as written (in the office's zone when it names none). Refused with a
    message naming `field` when it is neither, or outside the domain's dates.
    """
    if value is None or value.strip() == "":
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            moment = None
        else:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            day = moment.date()
    except ValueError as exc:
        raise DomainError(
            f"{field} must be a date (YYYY-MM-DD) or a moment (YYYY-MM-DDTHH:MM[:SS][+HH:MM]), "
            f"got {value!r}.",
            field=field,
        ) from exc
    check_in_range(day, field)
    if moment is None:
        return end_of_day(day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=office_zone())
    return as_utc(moment)


def office_time(moment: dt.datetime | None) -> str:
    """ "31 August 2010, 23:59 EDT": a recording moment as the office reads it."""
    if moment is None:
        return ""
    local = as_utc(moment).astimezone(office_zone())
    return f"{local.day} {local:%B %Y, %H:%M %Z}"
