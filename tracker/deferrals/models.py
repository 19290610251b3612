"""Written deferral requests, their notes and their attachments (the scanned letters)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, and_, or_, select
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship
from sqlalchemy.sql import FromClause
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Boolean, Date, DateTime, Integer, LargeBinary, String, Text

from tracker.corrections.models import version_model
from tracker.corrections.versions import keep_versions, newest_versions
from tracker.db import Base, Timestamped, Versioned, date_in_range, utcnow
from tracker.deferrals.attachments import download_name
from tracker.enums import LabelledEnum, enum_column_type


class Channel(LabelledEnum):
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    FAX = "fax", "Fax"


class AddressedTo(LabelledEnum):
    SIB = "sib", "State identification bureau"
    OFFICE = "office", "Program office"
    BOTH = "both", "Both"


class RequestKind(LabelledEnum):
    DEFER = "defer", "Defer activation to a date"
    NOT_ACTIVATE = "not_activate", "Not activate at all"
    NOT_RECEIVE_RESULTS = "not_receive_results", "Not receive identification results"


class DeferralStatus(LabelledEnum):
    RECEIVED = "received", "Received"
    MEETING_REQUESTED = "meeting_requested", "Meeting requested"
    MEETING_HELD = "meeting_held", "Meeting held"
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Resolution(LabelledEnum):
    DATE_ADJUSTED = "date_adjusted", "Date adjusted"
    REMOVED_FROM_PLAN = "removed_from_plan", "Removed from plan"
    PROCEEDS_AS_SCHEDULED = "proceeds_as_scheduled", "Proceeds as scheduled"
    WITHDRAWN = "withdrawn", "Withdrawn"


# What is logged of a letter: the logging form's fields (an edit corrects these; the workflow's
# own steps are undone, not edited).
LOGGED_FIELDS = (
    "jurisdiction_fips",
    "letter_date",
    "received_on",
    "channel",
    "sender_name",
    "sender_title",
    "sender_agency",
    "sender_email",
    "sender_address",
    "addressed_to",
    "kind",
    "requested_date",
    "summary",
)
# What the audit log records of a request, before and after each change.
REQUEST_FIELDS = (
    *LOGGED_FIELDS,
    "status",
    "meeting_requested_on",
    "meeting_held_on",
    "resolution",
    "resolved_on",
    "adjusted_to",
    "is_demo",
)


class DeferralRequest(Versioned, Timestamped, Base):
    """A jurisdiction's written request about its activation, and where it is in the workflow."""

    __tablename__ = "deferral_request"
    __table_args__ = (
        CheckConstraint("received_on >= letter_date", name="received_after_letter"),
        CheckConstraint(
            "kind <> 'defer' OR requested_date IS NOT NULL", name="defer_has_requested_date"
        ),
        CheckConstraint(
            "meeting_requested_on IS NULL OR meeting_requested_on >= received_on",
            name="meeting_requested_after_receipt",
        ),
        CheckConstraint(
            "meeting_held_on IS NULL OR (meeting_requested_on IS NOT NULL "
            "AND meeting_held_on >= meeting_requested_on)",
            name="meeting_held_after_requested",
        ),
        CheckConstraint(
            "resolved_on IS NULL OR resolved_on >= received_on", name="resolved_after_receipt"
        ),
        CheckConstraint(
            "(status IN ('resolved', 'withdrawn')) = (resolution IS NOT NULL AND resolved_on IS NOT NULL)",
            name="closed_has_resolution",
        ),
        *(
            date_in_range(column)
            for column in (
                "letter_date",
                "received_on",
                "requested_date",
                "meeting_requested_on",
                "meeting_held_on",
                "resolved_on",
                "adjusted_to",
            )
        ),
        # One index per order the log offers, each ending with the id (seek paging). The
        # received-date index, where every "as of" question starts, also holds the step dates
        # and the jurisdiction: the clocks and the counts of open letters read only the index.
        Index(
            "ix_deferral_request_received",
            "received_on",
            "id",
            "resolved_on",
            "meeting_requested_on",
            "meeting_held_on",
            "status",
            "jurisdiction_fips",
        ),
        # Letters open on a date: those never resolved, or resolved after it; with what the
        # clocks need, so counting them reads only this index.
        Index(
            "ix_deferral_request_resolved",
            "resolved_on",
            "received_on",
            "meeting_requested_on",
            "jurisdiction_fips",
        ),
        Index("ix_deferral_request_letter_date", "letter_date", "id"),
        Index("ix_deferral_request_status_received", "status", "received_on", "id"),
        Index(
            "ix_deferral_request_jurisdiction_received", "jurisdiction_fips", "received_on", "id"
        ),
        Index("ix_deferral_request_sender_sort", "sender_sort", "id"),
        Index("ix_deferral_request_channel", "channel", "received_on", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    jurisdiction_fips: Mapped[str] = mapped_column(ForeignKey("jurisdiction.fips"), nullable=False)
    letter_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    channel: Mapped[Channel] = mapped_column(enum_column_type(Channel, "channel"), nullable=False)
    sender_name: Mapped[str] = mapped_column(String(200), nullable=False)
    sender_title: Mapped[str | None] = mapped_column(String(200))
    sender_agency: Mapped[str | None] = mapped_column(String(200))
    # Contacts for the office's answers (staff only, never public).
    sender_email: Mapped[str | None] = mapped_column(String(254))
    sender_address: Mapped[str | None] = mapped_column(Text)
    addressed_to: Mapped[AddressedTo] = mapped_column(
        enum_column_type(AddressedTo, "addressed_to"), nullable=False
    )
    kind: Mapped[RequestKind] = mapped_column(
        enum_column_type(RequestKind, "deferral_kind"), nullable=False
    )
    requested_date: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    # The words search looks in, folded (tracker.deferrals.search): written with the letter,
    # indexed by the engine's full-text search (a migration creates that index).
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    # The sender's name folded (tracker.text.fold), for the log's "Sender" order.
    sender_sort: Mapped[str] = mapped_column(
        String(200), nullable=False, default="", server_default=""
    )

    status: Mapped[DeferralStatus] = mapped_column(
        enum_column_type(DeferralStatus, "deferral_status"),
        nullable=False,
        default=DeferralStatus.RECEIVED,
    )
    meeting_requested_on: Mapped[dt.date | None] = mapped_column(Date)
    meeting_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    meeting_held_on: Mapped[dt.date | None] = mapped_column(Date)
    meeting_held_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    resolution: Mapped[Resolution | None] = mapped_column(
        enum_column_type(Resolution, "deferral_resolution")
    )
    resolved_on: Mapped[dt.date | None] = mapped_column(Date)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # For a "date adjusted" resolution: the new scheduled date (also written as a plan change).
    adjusted_to: Mapped[dt.date | None] = mapped_column(Date)

    is_demo: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # When the tracker learned of the letter (never edited); each later write, a workflow step
    # or a correction, is kept with its own time in deferral_request_version.
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    jurisdiction = relationship("Jurisdiction")
    created_by = relationship("User", foreign_keys=[created_by_id])
    meeting_requested_by = relationship("User", foreign_keys=[meeting_requested_by_id])
    meeting_held_by = relationship("User", foreign_keys=[meeting_held_by_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="deferral_request", order_by="Attachment.id"
    )
    notes: Mapped[list[DeferralNote]] = relationship(
        back_populates="deferral_request", order_by="DeferralNote.id"
    )


# Every field of a letter, kept at each write (all but its id and its last-change time).
LETTER_VERSION_FIELDS = tuple(
    column.name
    for column in DeferralRequest.__table__.columns
    if column.name not in ("id", "updated_at")
)

DeferralRequestVersion = version_model(
    "DeferralRequestVersion",
    DeferralRequest,
    LETTER_VERSION_FIELDS,
    record_key="deferral_request",
    indexed=("jurisdiction_fips",),
    extra={"jurisdiction": relationship("Jurisdiction")},
)
keep_versions(
    DeferralRequest,
    DeferralRequestVersion,
    LETTER_VERSION_FIELDS,
    record_key="deferral_request",
)


def letters_known_at(known_at: dt.datetime | None = None) -> FromClause:
    """The deferral letters as the records stood at `known_at`: each letter's newest version
    recorded at or before that moment, with the columns of deferral_request (`updated_at` is
    the version's recording time). The table itself when `known_at` is None (now).

    The one selectable the status rule and every letter count or clock that honours `known_at`
    read, so a moved letter, an undone step or a corrected date counts where and when it was
    recorded.
    """
    if known_at is None:
        return DeferralRequest.__table__
    version = DeferralRequestVersion
    columns = []
    for column in DeferralRequest.__table__.columns:
        if column.name == "id":
            columns.append(version.deferral_request_id.label("id"))
        elif column.name == "updated_at":
            columns.append(version.version_recorded_at.label("updated_at"))
        else:
            columns.append(getattr(version, column.name).label(column.name))
    newest = newest_versions(version, version.deferral_request_id, known_at)
    return select(*columns).where(version.version_no.in_(newest)).subquery("letters_known")


def open_on(as_of: dt.date, letters: FromClause | None = None) -> ColumnElement[bool]:
    """SQL for "this letter was open on `as_of`": received on or before it and not resolved or
    withdrawn by then (a closed letter always has its resolution date). The one definition the
    status rule, the letter clocks and the state pages all filter with. `letters` is any
    selectable with this table's columns (the table itself by default)."""
    c = (letters if letters is not None else DeferralRequest.__table__).c
    return and_(c.received_on <= as_of, not_by(c.resolved_on, as_of))


def not_by(step_on: ColumnElement, as_of: dt.date) -> ColumnElement[bool]:
    """SQL for "this step had not happened by `as_of`": no date, or a later one."""
    return or_(step_on.is_(None), step_on > as_of)


class DeferralNote(Base):
    """An append-only note on a request: never edited, never deleted."""

    __tablename__ = "deferral_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deferral_request_id: Mapped[int] = mapped_column(
        ForeignKey("deferral_request.id"), nullable=False, index=True
    )
    body: Mapped[str] = mapped_column(Text, nullable=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    deferral_request: Mapped[DeferralRequest] = relationship(back_populates="notes")
    author = relationship("User")


class Attachment(Base):
    """A scanned letter or e-mail, kept byte for byte in the database.

    In the database rather than on disk so every app server behind the load balancer sees the
    same files, and a database backup is a complete backup. The bytes load only when asked for.
    """

    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="not_empty"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deferral_request_id: Mapped[int] = mapped_column(
        ForeignKey("deferral_request.id"), nullable=False, index=True
    )
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    media_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )

    deferral_request: Mapped[DeferralRequest] = relationship(back_populates="attachments")
    uploaded_by = relationship("User")

    @property
    def download_name(self) -> str:
        """The name it downloads under: the uploaded name, with an extension matching its type."""
        return download_name(self.filename, self.media_type)

    @property
    def download_note(self) -> str:
        """ "downloads as letter.txt (its content is text/plain)" when that name differs."""
        if self.download_name == self.filename:
            return ""
        return f"downloads as {self.download_name} (its content is {self.media_type})"
