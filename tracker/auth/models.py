"""Staff accounts and their roles."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.access import Role
from tracker.db import Base, Timestamped, Versioned
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
    # Changes when the password changes or the account is deactivated, which ends every
    # session that was signed in with the old value.
    session_token: Mapped[str] = mapped_column(String(64), nullable=False)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
