"""The audit log: who changed what, when, with the values before and after."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow


class AuditEvent(Base):
    """One change. Append-only: nothing in the product updates or deletes these rows.

    The newest event's id doubles as the data version that caches key on, since every write
    records one in the same transaction.
    """

    __tablename__ = "audit_event"
    # Each filter of the log has an index ending with the id, the log's order (newest first):
    # a filtered page is a range read backwards. They also list the filters' choices.
    __table_args__ = (
        Index("ix_audit_event_entity", "entity_type", "entity_id", "id"),
        Index("ix_audit_event_occurred_at", "occurred_at"),
        Index("ix_audit_event_action", "action", "id"),
        Index("ix_audit_event_actor_label", "actor_label", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The actor as shown: an e-mail address, or the command that made the change.
    actor_label: Mapped[str] = mapped_column(String(254), nullable=False)
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(60), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(60), nullable=False)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    actor = relationship("User")
