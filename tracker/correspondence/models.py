"""A letter's correspondence (what the office sent, the e-mail that brought it in) and the
e-mails waiting to become letters (intake drafts).

Both hold messages by their Message-ID, and a Message-ID is taken in or sent once only, so both
columns are unique; `services.message_id_known` looks in both.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from tracker.db import Base, Versioned, date_in_range, utcnow
from tracker.enums import LabelledEnum, enum_column_type


class CorrespondenceKind(LabelledEnum):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    MEETING_REQUEST = "meeting_request", "Meeting request"
    RESOLUTION = "resolution", "Resolution letter"
    INCOMING_EMAIL = "incoming_email", "E-mail received"


class SentBy(LabelledEnum):
    """How a piece of correspondence travelled."""

    EMAIL = "email", "e-mail"
    POST = "post", "post"
    FAX = "fax", "fax"


class Correspondence(Base):
    """One message about a deferral letter, kept exactly as it went (or came): append-only.

    Outgoing e-mail keeps the `.eml` bytes handed to the mail server and the PDF it carried;
    post and fax keep the PDF that was printed, each with its SHA-256. An e-mail received keeps
    its Message-ID and headers here; its `.eml` is the letter's first attachment. `sent_on` is
    the day it went (or arrived); `recorded_at` and `recorded_by` say when and by whom it was
    entered.
    """

    __tablename__ = "correspondence"
    __table_args__ = (
        CheckConstraint(
            "(eml IS NULL) = (eml_sha256 IS NULL) AND (pdf IS NULL) = (pdf_sha256 IS NULL)",
            name="bytes_have_checksums",
        ),
        CheckConstraint("sent_by <> 'email' OR message_id IS NOT NULL", name="email_has_id"),
        # An e-mail received is kept as the letter's first attachment, not twice.
        CheckConstraint(
            "sent_by <> 'email' OR kind = 'incoming_email' OR eml IS NOT NULL",
            name="email_sent_has_bytes",
        ),
        CheckConstraint("kind = 'incoming_email' OR pdf IS NOT NULL", name="outgoing_has_pdf"),
        Index("ix_correspondence_request_sent", "deferral_request_id", "sent_on"),
        date_in_range("sent_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deferral_request_id: Mapped[int] = mapped_column(
        ForeignKey("deferral_request.id"), nullable=False
    )
    kind: Mapped[CorrespondenceKind] = mapped_column(
        enum_column_type(CorrespondenceKind, "correspondence_kind"), nullable=False
    )
    sent_by: Mapped[SentBy] = mapped_column(
        enum_column_type(SentBy, "correspondence_sent_by"), nullable=False
    )
    reference: Mapped[str] = mapped_column(String(40), nullable=False)
    sender: Mapped[str] = mapped_column(Text, nullable=False)
    to_addresses: Mapped[str] = mapped_column(Text, nullable=False)
    cc_addresses: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(998), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    eml: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    eml_sha256: Mapped[str | None] = mapped_column(String(64))
    eml_size: Mapped[int | None] = mapped_column(Integer)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf_size: Mapped[int | None] = mapped_column(Integer)
    sent_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    deferral_request = relationship("DeferralRequest")
    recorded_by = relationship("User")


class DraftStatus(LabelledEnum):
    WAITING = "waiting", "waiting"
    CONFIRMED = "confirmed", "confirmed"
    DISCARDED = "discarded", "discarded"


class IntakeDraft(Versioned, Base):
    """An e-mail taken in, waiting for an editor to confirm it as a letter or discard it.

    Not a letter: nothing reads drafts but the drafts pages, the digest and the duplicate check,
    so a draft changes no status and starts no clock. The original `.eml` is kept; the guesses
    pre-fill the letter form. Confirmed and discarded drafts stay (with who and when), so the
    same message cannot be taken in again and every decision keeps its trail. Versioned, so two
    editors deciding on one draft at once cannot both succeed.
    """

    __tablename__ = "intake_draft"
    __table_args__ = (
        CheckConstraint(
            "(status = 'confirmed') = (deferral_request_id IS NOT NULL)",
            name="confirmed_has_letter",
        ),
        CheckConstraint("(status = 'waiting') = (decided_at IS NULL)", name="decided_has_moment"),
        Index("ix_intake_draft_status_received", "status", "received_on"),
        date_in_range("received_on"),
        date_in_range("guessed_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True, nullable=False)
    status: Mapped[DraftStatus] = mapped_column(
        enum_column_type(DraftStatus, "intake_draft_status"),
        nullable=False,
        default=DraftStatus.WAITING,
    )
    source: Mapped[str] = mapped_column(String(255), nullable=False)
    subject: Mapped[str] = mapped_column(String(998), nullable=False)
    from_name: Mapped[str | None] = mapped_column(String(200))
    from_address: Mapped[str] = mapped_column(String(254), nullable=False)
    to_addresses: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    attachment_count: Mapped[int] = mapped_column(Integer, nullable=False)
    # What the intake read from the message; the editor checks and corrects them on confirming.
    guessed_fips: Mapped[str | None] = mapped_column(ForeignKey("jurisdiction.fips"))
    guessed_kind: Mapped[str | None] = mapped_column(String(32))
    guessed_date: Mapped[dt.date | None] = mapped_column(Date)
    guess_note: Mapped[str | None] = mapped_column(Text)
    eml: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    eml_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    eml_size: Mapped[int] = mapped_column(Integer, nullable=False)
    taken_in_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    taken_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    discard_reason: Mapped[str | None] = mapped_column(Text)
    deferral_request_id: Mapped[int | None] = mapped_column(ForeignKey("deferral_request.id"))

    guessed_jurisdiction = relationship("Jurisdiction")
    taken_in_by = relationship("User", foreign_keys=[taken_in_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    deferral_request = relationship("DeferralRequest")
