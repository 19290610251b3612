"""Who may see what: the staff roles and the one place they are enforced.

In the kernel because every floor's pages check a role, while the accounts that hold one live in
tracker.auth.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user

from tracker.extensions import login_manager

F = TypeVar("F", bound=Callable)


class Role(enum.StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _ROLE_RANK[self]

    def includes(self, required: Role) -> bool:
        """Roles are nested: an admin may do what an editor may, an editor what a viewer may."""
        return self.rank >= required.rank


_ROLE_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3}


def requires(role: Role) -> Callable[[F], F]:
    """Limit a view to signed-in staff holding `role` or a higher one.

    Anonymous visitors are sent to sign in (HTML) or get 401 (API); signed-in staff without the
    role get 403. The role is kept on the view so the authorization test can read it.
    """

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.role.includes(role):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_role = role  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def user_has(role: Role) -> bool:
    """True when the current visitor is signed in with `role` or higher."""
    return bool(current_user.is_authenticated and current_user.role.includes(role))


def is_staff() -> bool:
    """Signed-in staff see internal statuses (deferral pending, removed); the public does not."""
    return user_has(Role.VIEWER)


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None: sign-in must not bounce users elsewhere."""
    if not target:
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
