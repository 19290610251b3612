"""Accounts: creating them, signing in, changing roles, deactivating."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select, update

from tracker.access import Role
from tracker.audit.services import record, snapshot
from tracker.auth.models import User
from tracker.auth.passwords import (
    check_password_rules,
    hash_password,
    needs_rehash,
    verify_password,
)
from tracker.db import utcnow
from tracker.errors import Conflict, DomainError, NotFound
from tracker.extensions import db

AUDITED_FIELDS = ("email", "name", "role", "active")


def normalise_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def get_user(user_id: int) -> User:
    """The account with this id, or NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such account.")
    return user


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail address (any case), or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def list_users() -> list[User]:
    """Every account, active first, then by e-mail."""
    return list(db.session.scalars(select(User).order_by(User.active.desc(), User.email)))


def create_user(email: str, name: str, password: str, role: Role | str) -> User:
    """Create an account. E-mail addresses are unique regardless of case; passwords obey the rules."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise DomainError("Enter a valid e-mail address.", field="email")
    if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise DomainError(f"An account for {email} already exists.", field="email")
    check_password_rules(password)
    user = User(
        email=email,
        name=name.strip() or email,
        password_hash=hash_password(password),
        role=Role(role),
        active=True,
        session_token=secrets.token_hex(16),
    )
    db.session.add(user)
    db.session.flush()
    record("user.create", "user", user.id, after=snapshot(user, AUDITED_FIELDS))
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account these credentials belong to, or None (never says which part was wrong)."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    # Sign-in bookkeeping is not an edit of the account: written without bumping its version, so
    # the same person signing in from two places at once never collides with itself (and an
    # administrator's form for this account is not made stale by a sign-in).
    bookkeeping = {"last_sign_in_at": utcnow()}
    if needs_rehash(user.password_hash):
        bookkeeping["password_hash"] = hash_password(password)
    db.session.execute(
        update(User).where(User.id == user.id).values(**bookkeeping),
        execution_options={"synchronize_session": False},
    )
    db.session.refresh(user)
    record("user.sign_in", "user", user.id, actor=user)
    return user


def load_session_user(session_id: str) -> User | None:
    """The user a session cookie names, if the account is still active and the token current."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def _check_version(user: User, expected_version: int | None) -> None:
    if expected_version is not None and user.version_id != expected_version:
        raise Conflict(
            f"{user.email} was changed by someone else since you opened this page. "
            "Nothing was saved; review the account and try again."
        )


def change_role(user_id: int, role: Role | str, *, expected_version: int | None = None) -> User:
    """Give an account another role. An admin cannot demote the last active admin."""
    user = get_user(user_id)
    _check_version(user, expected_version)
    role = Role(role)
    if user.role == Role.ADMIN and role != Role.ADMIN:
        _refuse_removing_last_admin(user)
    before = snapshot(user, AUDITED_FIELDS)
    user.role = role
    db.session.flush()
    record("user.change_role", "user", user.id, before=before, after=snapshot(user, AUDITED_FIELDS))
    return user


def set_active(user_id: int, active: bool, *, expected_version: int | None = None) -> User:
    """Deactivate (ending every session of) or reactivate an account."""
    user = get_user(user_id)
    _check_version(user, expected_version)
    if not active and user.role == Role.ADMIN:
        _refuse_removing_last_admin(user)
    before = snapshot(user, AUDITED_FIELDS)
    user.active = active
    user.session_token = secrets.token_hex(16)
    db.session.flush()
    action = "user.activate" if active else "user.deactivate"
    record(action, "user", user.id, before=before, after=snapshot(user, AUDITED_FIELDS))
    return user


def _refuse_removing_last_admin(user: User) -> None:
    admins = db.session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)
    )
    if user.active and admins <= 1:
        raise DomainError("This is the last active administrator; appoint another one first.")
