"""Accounts: creating them, signing in, changing passwords and roles, deactivating.

A password change, a role change and deactivation end every session of the account, on every
app server (tracker.auth.sessions): whoever held a cookie from before must sign in again.
"""

from __future__ import annotations

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
from tracker.auth.sessions import end_sessions_of
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


def change_password(user: User, current_password: str, new_password: str) -> None:
    """The account holder replaces their password: the current one must match, the new one obey
    the rules and differ from it. Every session of the account ends (the caller starts a new one
    for the browser that made the change)."""
    if not verify_password(user.password_hash, current_password):
        raise DomainError("That is not your current password.", field="current_password")
    if new_password == current_password:
        raise DomainError("Choose a password different from the current one.", field="password")
    _set_password(user, new_password)


def reset_password(email: str, new_password: str) -> User:
    """An operator sets an account's password (tracker users set-password), ending its
    sessions; for a person who forgot theirs."""
    user = find_user_by_email(email)
    if user is None:
        raise NotFound(f"No account has the e-mail address {normalise_email(email)}.")
    _set_password(user, new_password)
    return user


def _set_password(user: User, password: str) -> None:
    check_password_rules(password)
    user.password_hash = hash_password(password)
    end_sessions_of(user.id, "password_changed")
    db.session.flush()
    # The hash is never written to the audit log; the event says that it changed.
    record("user.change_password", "user", user.id, after={"password": "changed"})


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
    if role != before["role"]:
        end_sessions_of(user.id, "role_changed")
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
    end_sessions_of(user.id, "deactivated" if not active else "reactivated")
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
