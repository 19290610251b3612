"""Staff accounts and their roles."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.access import Role
from tracker.db import Base, Timestamped, Versioned, utcnow
from tracker.enums import enum_column_type


class User(UserMixin, Versioned, Timestamped, Base):
    """A member of staff who signs in. Never deleted: deactivated, so the audit trail keeps names."""

    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "role"), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    last_sign_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    # The key of the server-side session this object was loaded for (tracker.auth.sessions):
    # what Flask-Login keeps in the cookie, so the cookie names a session, never an account.
    session_key = None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        if not self.session_key:
            raise RuntimeError("an account signs in through tracker.auth.sessions.start_session")
        return self.session_key

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class StaffSession(Base):
    """One sign-in, on the server: the cookie carries a random key, stored here as its SHA-256.

    A session is valid while not ended and before `expires_at` (the absolute lifetime), on every
    app server alike. Signing out ends it; a password change, a role change or deactivation ends
    every session of the account.
    """

    __tablename__ = "staff_session"
    __table_args__ = (Index("ix_staff_session_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False, index=True)
    started_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, default=utcnow
    )
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str | None] = mapped_column(String(40))


class SignInThrottle(Base):
    """Failed sign-ins of one (account, address) pair, kept by the database store of
    tracker.auth.throttle: how many since `first_at`, and until when the pair must wait."""

    __tablename__ = "sign_in_throttle"
    __table_args__ = (Index("ix_sign_in_throttle_first_at", "first_at"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the pair
    failures: Mapped[int] = mapped_column(Integer, nullable=False)
    first_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    wait_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
