"""Server-side sessions: a sign-in lives in the database, so any app server can end it.

The session cookie (signed by Flask, as before) carries only a random key. The key is valid while
its row in `staff_session` is not ended and has not passed its absolute end
(TRACKER_SESSION_ABSOLUTE_MINUTES after sign-in); the cookie itself also lapses after
TRACKER_SESSION_LIFETIME_MINUTES without a request (Flask checks the cookie's signed age). So a
cookie saved before a sign-out is refused by every app server, and a request with it neither
reaches a staff page nor extends anything: the stale cookie is cleared, and the CSRF token it
carried goes with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import Flask, current_app, session
from flask_login import current_user
from sqlalchemy import delete, or_, select, update

from tracker.auth.models import StaffSession, User
from tracker.db import utcnow
from tracker.extensions import db


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def absolute_lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=int(current_app.config["TRACKER_SESSION_ABSOLUTE_MINUTES"]))


def start_session(user: User) -> str:
    """Open a session for `user` and return its key (for the cookie; only its hash is kept).

    Rows of sessions that have ended or expired are deleted on the way: they can never be used
    again, and sign-ins are recorded in the audit log.
    """
    now = utcnow()
    db.session.execute(
        delete(StaffSession).where(
            or_(StaffSession.expires_at <= now, StaffSession.ended_at.is_not(None))
        )
    )
    key = secrets.token_urlsafe(32)
    db.session.add(
        StaffSession(
            key_hash=_hash(key),
            user_id=user.id,
            started_at=now,
            expires_at=now + absolute_lifetime(),
        )
    )
    db.session.flush()
    user.session_key = key
    return key


def user_for_session(key: str) -> User | None:
    """The active account whose live session has this key, or None (ended, expired, unknown)."""
    if not key:
        return None
    user = db.session.scalar(
        select(User)
        .join(StaffSession, StaffSession.user_id == User.id)
        .where(
            StaffSession.key_hash == _hash(key),
            StaffSession.ended_at.is_(None),
            StaffSession.expires_at > utcnow(),
            User.active,
        )
    )
    if user is not None:
        user.session_key = key
    return user


def end_session(key: str, reason: str) -> None:
    """End the session with this key (signing out)."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.key_hash == _hash(key), StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )


def end_sessions_of(user_id: int, reason: str) -> int:
    """End every live session of an account (password or role changed, account deactivated);
    returns how many were ended."""
    result = db.session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    return result.rowcount


def init_app(app: Flask) -> None:
    """Clear the cookie of a session that is no longer valid, before anything reads it.

    Registered ahead of CSRF protection, so a form posted with a stale cookie also fails its
    CSRF check: the token lived in the session that ended.
    """

    @app.before_request
    def forget_ended_session() -> None:
        if "_user_id" in session and not current_user.is_authenticated:
            session.clear()
