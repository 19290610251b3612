"""Calendar months and quarters as the statistics count them ("2010-09", "2010-Q3")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tracker.errors import DomainError, NotFound

_QUARTER = re.compile(r"(\d{4})-Q([1-4])")


def month_start(day: dt.date) -> dt.date:
    """The first day of `day`'s month: how a month is stored."""
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_label(month: dt.date) -> str:
    """ "September 2010"."""
    return f"{month:%B %Y}"


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter: Q1 is January to March."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str, field: str = "quarter") -> Quarter:
        """ "2010-Q3" -> Quarter(2010, 3); anything else is a DomainError naming `field`."""
        match = _QUARTER.fullmatch((text or "").strip().upper())
        if match is None or not 1900 < int(match[1]) < 2200:
            raise DomainError(
                f"{field} must be a quarter written YYYY-Qn (e.g. 2010-Q3), got {text!r}.",
                field=field,
            )
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def from_url(cls, text: str) -> Quarter:
        """The quarter an address names (/reviews/2010-Q3); NotFound (404) for anything else."""
        try:
            return cls.parse(text)
        except DomainError:
            raise NotFound(
                f"{text!r} is not a quarter; quarters are written like 2010-Q3."
            ) from None

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        """The quarter `day` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """ "July to September 2010 (2010-Q3)"."""
        return f"{self.first_month:%B} to {self.last_month:%B} {self.year} ({self})"

    @property
    def first_month(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def last_month(self) -> dt.date:
        return dt.date(self.year, 3 * self.number, 1)

    @property
    def months(self) -> tuple[dt.date, dt.date, dt.date]:
        first = self.first_month
        return (first, next_month(first), self.last_month)

    @property
    def end(self) -> dt.date:
        """The quarter's last day."""
        return next_month(self.last_month) - dt.timedelta(days=1)

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )
