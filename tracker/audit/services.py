"""record(): the one way a change enters the audit log, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.audit.models import AuditEvent
from tracker.extensions import db


class Actor(Protocol):
    """Who made a change: a staff account (tracker.auth.models.User) as far as the log needs it."""

    id: int
    email: str


# Set by CLI commands so their changes are attributed to the command, not to "unknown".
_cli_actor_label: str | None = None


def set_command_actor(label: str) -> None:
    """Attribute changes made outside a request (CLI commands) to `label`."""
    global _cli_actor_label
    _cli_actor_label = label


def current_actor() -> Actor | None:
    """The signed-in user of this request, or None in a command or for anonymous callers."""
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def resolve_actor(actor: Actor | None) -> Actor | None:
    """The actor a service was given, else whoever is acting now (see current_actor)."""
    return actor if actor is not None else current_actor()


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    return value


def snapshot(entity: object, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of `entity` as JSON-safe values, for an audit before/after."""
    return {name: _json_value(getattr(entity, name)) for name in fields}


def record(
    action: str,
    entity_type: str,
    entity_id: object,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    actor: Actor | None = None,
    session: Session | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction; it commits or rolls back with the change.

    The actor defaults to the signed-in user, else the running command. Values are stored as
    JSON, so dates become ISO strings and enums their values.
    """
    session = session or db.session
    actor = resolve_actor(actor)
    if actor is not None:
        label = actor.email
    elif has_request_context():
        label = "anonymous"
    else:
        label = _cli_actor_label or "system"
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_label=label,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=_json_value(dict(before)) if before is not None else None,
        after=_json_value(dict(after)) if after is not None else None,
    )
    session.add(event)
    return event


def data_version(session: Session | None = None) -> int:
    """A number that changes whenever any audited data changes (the newest audit event id).

    Caches of computed figures key on it, so several app servers agree on when to recompute
    without talking to each other.
    """
    session = session or db.session
    return session.scalar(select(func.max(AuditEvent.id))) or 0
