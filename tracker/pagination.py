"""Two ways to page through a list, for pages and the API alike, both in SQL.

- `paginate`: page numbers (LIMIT/OFFSET and an exact COUNT), for lists whose size is bounded
  or small (jurisdictions, briefings).
- `seek`: keyset paging for lists that grow without bound (the letter log, the audit log, the
  export log). Each page starts after the sort key of the previous page's last row, so page
  1,000 costs what page 1 does, and rows added meanwhile never shift a page. The order always
  ends with a unique column, so it is total and stable. The link to the next page carries that
  key in `after`, an opaque token; the count of matching rows stops at COUNT_LIMIT.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, DateTime, Integer, Select, and_, func, literal, or_, select, tuple_
from sqlalchemy.sql.elements import ColumnElement

from tracker.errors import DomainError
from tracker.extensions import db

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
# Far past any real list, and small enough that the offset (page - 1) * per_page stays within
# what both databases accept as an OFFSET.
MAX_PAGE = 1_000_000
# A seek list counts its rows up to here and then says "more than": counting a million audit
# events would cost more than showing them.
COUNT_LIMIT = 1_000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def paginate(statement: Select, page: int, per_page: int) -> Page:
    """One page of `statement`'s rows, in SQL: LIMIT/OFFSET, and one COUNT of all its rows."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    paged = statement.limit(per_page).offset((page - 1) * per_page)
    items = list(db.session.scalars(paged))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


def page_of(rows: Sequence, page: int, per_page: int) -> Page:
    """One page of rows already computed in Python (a list built from the status rule)."""
    start = (page - 1) * per_page
    return Page(
        items=list(rows[start : start + per_page]), page=page, per_page=per_page, total=len(rows)
    )


# --- keyset paging ------------------------------------------------------------------------


@dataclass(frozen=True)
class SortKey:
    """One column of a seek list's order."""

    expression: ColumnElement
    descending: bool = False


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: the sort key of the row before it, and that row's position (for
    "showing 51–100"). Read from and written to the `after` parameter."""

    position: int
    values: tuple

    def token(self) -> str:
        values = [v.isoformat() if isinstance(v, dt.date) else v for v in self.values]
        raw = json.dumps([self.position, *values], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def from_token(cls, token: str) -> Cursor:
        """The cursor in `token`; ValueError when it is not one this module wrote."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            position, *values = json.loads(raw)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise ValueError("not a page link") from exc
        if not isinstance(position, int) or position < 0:
            raise ValueError("not a page link")
        return cls(position, tuple(values))


@dataclass(frozen=True)
class SeekPage:
    items: list[Any]
    per_page: int
    first_index: int  # the position of the first item, from 1 (0 when there is none)
    total: int  # matching rows, counted up to COUNT_LIMIT + 1
    next_cursor: Cursor | None

    @property
    def total_is_exact(self) -> bool:
        return self.total <= COUNT_LIMIT

    @property
    def count_limit(self) -> int:
        return COUNT_LIMIT

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.items) - 1 if self.items else 0

    @property
    def is_first(self) -> bool:
        return self.first_index <= 1

    @property
    def next_after(self) -> str | None:
        """The `after` parameter of the next page (None on the last page)."""
        return self.next_cursor.token() if self.next_cursor else None


def ordering(keys: Sequence[SortKey]) -> list[ColumnElement]:
    """ORDER BY clauses for `keys`."""
    return [k.expression.desc() if k.descending else k.expression.asc() for k in keys]


def _typed(key: SortKey, value: Any) -> Any:
    """A cursor value as the key's column type reads it; ValueError for anything else."""
    column_type = key.expression.type
    if isinstance(column_type, Date | DateTime):
        if not isinstance(value, str):
            raise ValueError("not a date")
        # A moment (a correction's recorded_at) as the token wrote it, a date as a date.
        if isinstance(column_type, DateTime):
            return dt.datetime.fromisoformat(value)
        return dt.date.fromisoformat(value)
    if isinstance(column_type, Integer):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError("not a whole number")
        if not -(2**63) <= value < 2**63:  # what either engine can compare with
            raise ValueError("not a whole number")
        return value
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """SQL for "comes after `values` in the order of `keys`"."""
    if all(k.descending for k in keys) or not any(k.descending for k in keys):
        # One direction: a row-value comparison, which both engines serve from the index.
        row = tuple_(*(k.expression for k in keys))
        return row < tuple_(*values) if keys[0].descending else row > tuple_(*values)
    alternatives = []
    for index, key in enumerate(keys):
        ties = [k.expression == v for k, v in zip(keys[:index], values[:index], strict=True)]
        beyond = (
            key.expression < values[index] if key.descending else key.expression > values[index]
        )
        alternatives.append(and_(*ties, beyond))
    return or_(*alternatives)


def count_upto(statement: Select, limit: int = COUNT_LIMIT) -> int:
    """How many rows `statement` selects, counting no further than `limit` + 1."""
    # Only the rows' existence is counted: no selected column (a correlated clock, say) is
    # computed for them.
    bare = statement.with_only_columns(literal(1), maintain_column_froms=True)
    limited = bare.order_by(None).limit(limit + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(limited)) or 0


def seek(
    statement: Select,
    keys: Sequence[SortKey],
    after: Cursor | None,
    per_page: int,
    *,
    field: str = "after",
) -> SeekPage:
    """One page of `statement` in the order of `keys` (the last key unique), starting after
    `after`; two queries: the page (one row more than asked, to know whether another follows)
    and the count up to COUNT_LIMIT. Items are the statement's rows (the first column when it
    selects one thing). A cursor that does not fit these keys is refused by `field`'s name."""
    start = 1
    paged = statement
    if after is not None:
        if len(after.values) != len(keys):
            raise DomainError(_refusal(field), field=field)
        try:
            values = [_typed(k, v) for k, v in zip(keys, after.values, strict=True)]
        except ValueError as exc:
            raise DomainError(_refusal(field), field=field) from exc
        paged = paged.where(_after(keys, values))
        start = after.position + 1
    labels = [key.expression.label(f"seek_{i}") for i, key in enumerate(keys)]
    ordered = paged.add_columns(*labels).order_by(*ordering(keys))
    rows = db.session.execute(ordered.limit(per_page + 1)).all()
    more = len(rows) > per_page
    rows = rows[:per_page]
    width = len(rows[0]) - len(keys) if rows else 0
    items = [row[0] if width == 1 else tuple(row[:width]) for row in rows]
    following = None
    if more:
        following = Cursor(start + per_page - 1, tuple(rows[-1][width:]))
    return SeekPage(
        items=items,
        per_page=per_page,
        first_index=start if rows else 0,
        total=count_upto(statement),
        next_cursor=following,
    )


def _refusal(field: str) -> str:
    return f"{field} is not a page link of this list and order; start again from the first page."


def distinct_values(column: ColumnElement) -> list:
    """The different values of an indexed column, in order, found by skipping through its
    index from one value to the next (a recursive query): a handful of index reads however
    many rows share each value. For a filter's choices on a table that grows without bound."""
    found = select(func.min(column).label("value")).cte("found", recursive=True)
    following = select(
        select(func.min(column)).where(column > found.c.value).scalar_subquery()
    ).where(found.c.value.is_not(None))
    found = found.union_all(following)
    return list(db.session.scalars(select(found.c.value).where(found.c.value.is_not(None))))
