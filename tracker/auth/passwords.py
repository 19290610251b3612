"""Password hashing with Argon2id (argon2-cffi), and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tracker.errors import DomainError

MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()

# Verifying against this when the e-mail is unknown keeps the response time the same as for a
# wrong password, so timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def check_password_rules(password: str) -> None:
    """Raise DomainError unless the password is long enough to resist guessing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            f"Passwords must be at least {MIN_PASSWORD_LENGTH} characters long.", field="password"
        )


def hash_password(password: str) -> str:
    """An Argon2id hash of the password, with its own salt and parameters."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; always spends the same work, even with no hash."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
