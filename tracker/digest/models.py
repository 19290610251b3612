"""Which digest went to whom on which day: the once-a-day rule is this table's unique key."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, date_in_range, utcnow


class DigestDelivery(Base):
    """One digest handed to the mail server for one member of staff and one office day."""

    __tablename__ = "digest_delivery"
    __table_args__ = (
        UniqueConstraint("user_id", "day", name="uq_digest_delivery_user_day"),
        date_in_range("day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)
    day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    message_id: Mapped[str] = mapped_column(String(998), nullable=False)
    item_count: Mapped[int] = mapped_column(Integer, nullable=False)
    sent_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    user = relationship("User")
