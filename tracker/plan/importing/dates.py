"""Dates as spreadsheets and documents write them -> datetime.date, or a clear error.

Accepted: ISO (2009-02-24, also with a time part), US month/day/year (2/24/09, 2/24/2009,
2-24-2009), month names ("February 24, 2009", "Feb. 24, 2009", "24 February 2009"), Excel date
cells (openpyxl gives datetime) and Excel serial numbers (1900 date system) for dates within the
domain's range. Two-digit years follow POSIX: 69-99 are 1969-1999, 00-68 are 2000-2068. Day-first
dates (24/02/2009) are not guessed at: they are errors. So is any date outside the domain's
range (tracker.dates: 2000-01-01 to 2100-12-31).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from tracker.dates import DOMAIN_FIRST, DOMAIN_LAST, DOMAIN_RANGE_TEXT, in_domain_range
from tracker.errors import DomainError

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers outside the domain's range are more likely counts or codes than dates.
EXCEL_SERIAL_MIN = (DOMAIN_FIRST - EXCEL_EPOCH).days
EXCEL_SERIAL_MAX = (DOMAIN_LAST - EXCEL_EPOCH).days

_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_YMD_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_US = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_MONTH_FIRST = re.compile(r"([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+)\.?,? (\d{4})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")

FORMS_HINT = "Write dates as 2009-02-24, 2/24/2009 or February 24, 2009."


class DateError(DomainError):
    """A cell that is not a real calendar date."""


def _two_digit_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 1900 if year >= 69 else 2000
    return year


def _build(year: int, month: int, day: int, raw: object, field: str) -> dt.date:
    if not 1 <= month <= 12:
        raise DateError(
            f"{raw!r} is not a date: there is no month {month}. Dates are read month first "
            f"(US). {FORMS_HINT}",
            field=field,
        )
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateError(
            f"{raw!r} is not a real date: {calendar.month_name[month]} {year} has {last} days.",
            field=field,
        )
    return dt.date(year, month, day)


def from_excel_serial(serial: float, field: str) -> dt.date:
    """An Excel serial day number (1900 date system) as a date; the time of day is dropped."""
    if not EXCEL_SERIAL_MIN <= serial <= EXCEL_SERIAL_MAX:
        raise DateError(
            f"{serial!r} is not a date (as an Excel serial number it would fall outside "
            f"{DOMAIN_RANGE_TEXT}). {FORMS_HINT}",
            field=field,
        )
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: object, field: str) -> dt.date | None:
    """The date in a cell, None for a blank cell; a DateError naming `field` otherwise (also for
    a real date outside the domain's range)."""
    day = _read_date(value, field)
    if day is not None and not in_domain_range(day):
        raise DateError(
            f"{value!r} is {day.isoformat()}, outside the dates the tracker keeps "
            f"({DOMAIN_RANGE_TEXT}).",
            field=field,
        )
    return day


def _read_date(value: object, field: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise DateError(f"{value!r} is not a date. {FORMS_HINT}", field=field)
    if isinstance(value, int | float):
        return from_excel_serial(value, field)
    text = " ".join(str(value).split())
    if not text:
        return None
    if match := _ISO.fullmatch(text) or _YMD_SLASH.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return _build(year, month, day, value, field)
    if match := _US.fullmatch(text):
        month, day = int(match[1]), int(match[2])
        return _build(_two_digit_year(match[3]), month, day, value, field)
    if match := _MONTH_FIRST.fullmatch(text):
        month_name, day, year = match.groups()
        return _build(int(year), _month(month_name, value, field), int(day), value, field)
    if match := _DAY_FIRST.fullmatch(text):
        day, month_name, year = match.groups()
        return _build(int(year), _month(month_name, value, field), int(day), value, field)
    if _SERIAL.fullmatch(text):
        return from_excel_serial(float(text), field)
    raise DateError(f"{value!r} is not a date. {FORMS_HINT}", field=field)


def _month(name: str, raw: object, field: str) -> int:
    number = _MONTHS.get(name.casefold())
    if number is None:
        raise DateError(f"{raw!r} is not a date: {name!r} is not a month.", field=field)
    return number
