"""One row per calendar date: the table the business-day clocks are computed from in SQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Index
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import Boolean, Date, Integer

from tracker.db import Base, date_in_range


class CalendarDay(Base):
    """A date, whether it is a business day, and its business-day number.

    `business_day_number` counts the business days from the calendar's first date through this
    one, so the N-th business day after D is the first date numbered number(D) + N, and "more
    than N business days have passed since D" is a comparison of two numbers an index serves.
    Rows are only ever appended (`tracker calendar extend`): numbers never change once written.
    """

    __tablename__ = "calendar_day"
    __table_args__ = (
        CheckConstraint("business_day_number >= 0", name="number_not_negative"),
        date_in_range("day"),
        Index("ix_calendar_day_number", "business_day_number", "day"),
    )

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_business_day: Mapped[bool] = mapped_column(Boolean, nullable=False)
    business_day_number: Mapped[int] = mapped_column(Integer, nullable=False)
