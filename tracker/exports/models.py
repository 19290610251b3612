"""Published releases of the activated list, and the record of every export served."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship
from sqlalchemy.types import JSON, Date, DateTime, Integer, LargeBinary, String, Text

from tracker.db import Base, date_in_range, utcnow


class Release(Base):
    """ "Release N" of the activated list as of a date. Immutable once published."""

    __tablename__ = "release"
    __table_args__ = (
        CheckConstraint("number > 0", name="number_positive"),
        date_in_range("as_of"),
    )

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    as_of: Mapped[dt.date] = mapped_column(Date, nullable=False)
    published_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    # The moment the release was cut, to the microsecond: its files read the records as they
    # stood then (published_at, in whole seconds, is what the files state).
    known_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    row_count: Mapped[int] = mapped_column(Integer, nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    # {"added": [...], "removed": [...], "date_changed": [...]} against release number - 1.
    changes: Mapped[dict] = mapped_column(JSON, nullable=False)

    published_by = relationship("User")
    files: Mapped[list[ReleaseFile]] = relationship(
        back_populates="release", order_by="ReleaseFile.format"
    )


class ReleaseFile(Base):
    """One frozen file of a release (CSV, XLSX, PDF or JSON), with its checksum."""

    __tablename__ = "release_file"
    __table_args__ = (UniqueConstraint("release_number", "format", name="uq_release_file_format"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_number: Mapped[int] = mapped_column(ForeignKey("release.number"), nullable=False)
    format: Mapped[str] = mapped_column(String(10), nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    media_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))

    release: Mapped[Release] = relationship(back_populates="files")


class ExportRecord(Base):
    """Provenance: one row per export or download served, from the web, the API or the CLI."""

    __tablename__ = "export_record"
    __table_args__ = (
        Index("ix_export_record_occurred_at", "occurred_at"),
        date_in_range("as_of"),
        Index("ix_export_record_channel", "channel", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    list_name: Mapped[str] = mapped_column(String(40), nullable=False)
    format: Mapped[str] = mapped_column(String(10), nullable=False)
    as_of: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # The moment whose records the file read (None: the records as they stood when served).
    known_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    filters: Mapped[dict] = mapped_column(JSON, nullable=False)
    row_count: Mapped[int] = mapped_column(Integer, nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    channel: Mapped[str] = mapped_column(String(20), nullable=False)

    user = relationship("User")
