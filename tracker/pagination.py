"""One way to page through a query, for pages and the API alike."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from tracker.errors import DomainError
from tracker.extensions import db

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500


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


def parse_page_args(page: str | None, per_page: str | None) -> tuple[int, int]:
    """Validate ?page= and ?per_page= (1-based, per_page at most MAX_PER_PAGE)."""
    try:
        page_number = int(page) if page not in (None, "") else 1
    except ValueError as exc:
        raise DomainError("page must be a whole number.", field="page") from exc
    try:
        size = int(per_page) if per_page not in (None, "") else DEFAULT_PER_PAGE
    except ValueError as exc:
        raise DomainError("per_page must be a whole number.", field="per_page") from exc
    if page_number < 1:
        raise DomainError("page must be 1 or more.", field="page")
    if not 1 <= size <= MAX_PER_PAGE:
        raise DomainError(f"per_page must be between 1 and {MAX_PER_PAGE}.", field="per_page")
    return page_number, size


def paginate(statement: Select, page: int, per_page: int, *, scalars: bool = True) -> Page:
    """Run `statement` for one page, and count all its rows (one extra query)."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    paged = statement.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(paged)
    items = list(result.scalars()) if scalars else list(result)
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
