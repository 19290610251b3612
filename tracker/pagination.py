"""One way to page through a list, for pages and the API alike: in SQL wherever the list's
filters are SQL."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from tracker.extensions import db

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
# Far past any real list, and small enough that the offset (page - 1) * per_page stays within
# what both databases accept as an OFFSET.
MAX_PAGE = 1_000_000


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


def paginate(
    statement: Select,
    page: int,
    per_page: int,
    *,
    narrow: Callable[[list], list] | None = None,
) -> Page:
    """One page of `statement`'s rows, in SQL: LIMIT/OFFSET, and one COUNT of all its rows.

    `narrow` is for a list whose last filters cannot be judged in SQL yet: every row the
    statement selects is read, `narrow(rows)` keeps those that pass, and the page is cut from
    what is left.
    """
    if narrow is not None:
        return page_of(narrow(list(db.session.scalars(statement))), page, per_page)
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
