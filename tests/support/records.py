"""Reading and writing records from a test, each in an app context of its own (as requests do)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import func, select

T = TypeVar("T")


def write(app, fn: Callable[[], T]) -> T:
    """Run `fn` in an app context and commit (a savepoint inside the test's transaction)."""
    from tracker.audit.services import set_command_actor
    from tracker.extensions import db

    with app.app_context():
        set_command_actor("test")
        result = fn()
        db.session.commit()
        db.session.remove()
        return result


def read(app, fn: Callable[[], T]) -> T:
    """Run `fn` in an app context of its own and return what it read."""
    from tracker.extensions import db

    with app.app_context():
        result = fn()
        db.session.remove()
        return result


def version_of(app, model, key) -> int:
    """The version a record is at now: what a form rendered now would carry."""
    from tracker.extensions import db

    return read(app, lambda: db.session.get(model, key).version_id)


def audit_count(app) -> int:
    """How many audit events there are (a refused write adds none)."""
    from tracker.audit.models import AuditEvent
    from tracker.extensions import db

    return read(app, lambda: db.session.scalar(select(func.count()).select_from(AuditEvent)))


@contextmanager
def counted() -> Iterator[list[str]]:
    """The SQL statements sent while the block runs (savepoint bookkeeping left out)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", note)
