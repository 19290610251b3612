"""The declarative base every model shares, with constraint naming and a few column helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    Table,
    event,
    func,
    inspect,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

from tracker.dates import DOMAIN_FIRST, DOMAIN_LAST, in_domain_range, out_of_range_message
from tracker.errors import DomainError

# Alembic needs deterministic constraint names to alter or drop them, on SQLite in batch mode too.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The full-text search structures a migration builds for one engine (an FTS5 table and its
# shadow tables on SQLite, a GIN index on PostgreSQL; tracker.deferrals.search): no model
# describes them, so Alembic's comparison leaves every name with this prefix alone.
ENGINE_SEARCH_PREFIX = "deferral_request_search"


def described_by_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name hook: False for the engine-specific search structures."""
    return not (name or "").startswith(ENGINE_SEARCH_PREFIX)


def utcnow() -> dt.datetime:
    """The current instant, timezone-aware; used as a callable column default."""
    return dt.datetime.now(dt.UTC)


class Timestamped:
    """created_at / updated_at, stamped by the application at write time (UTC)."""

    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False
    )


class Versioned:
    """Optimistic locking: every UPDATE checks and bumps version_id.

    A form carries the version it was rendered from; services compare it and SQLAlchemy's
    version counter catches the race between the check and the write.
    """

    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version_id}


def digits_check(column: str, length: int, name: str) -> CheckConstraint:
    """A CHECK that `column` is exactly `length` ASCII digits, written portably.

    SQLite has no regular expressions and PostgreSQL has no GLOB, so each position is checked
    with BETWEEN, which both engines evaluate the same way.
    """
    parts = [f"length({column}) = {length}"]
    parts += [f"substr({column}, {i}, 1) BETWEEN '0' AND '9'" for i in range(1, length + 1)]
    return CheckConstraint(" AND ".join(parts), name=name)


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision the database was last migrated to (None before `tracker db upgrade`)."""
    # Read directly: Alembic's MigrationContext would log its setup on every health check.
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


@cache
def schema_head() -> str | None:
    """The newest revision among the migrations this tracker ships: the one it expects."""
    from alembic.script import ScriptDirectory

    from tracker.resources import runtime_folder

    return ScriptDirectory(str(runtime_folder("migrations"))).get_current_head()


def date_in_range(column: str) -> CheckConstraint:
    """A CHECK that the date column holds no date outside the domain's range (NULL passes).

    Written with ISO literals, which PostgreSQL casts to dates and SQLite compares as the text
    it stores dates as, so both engines refuse the same values.
    """
    return CheckConstraint(
        f"{column} BETWEEN '{DOMAIN_FIRST.isoformat()}' AND '{DOMAIN_LAST.isoformat()}'",
        name=f"{column}_in_range",
    )


def partial_index(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    """An index over only the rows for which `where` holds (the version in force, the first of
    a chain), the same on both engines: each takes the predicate under its own keyword. Unique,
    it says "at most one such row" (one activation in force per jurisdiction)."""
    predicate = text(where)
    return Index(name, *columns, unique=unique, sqlite_where=predicate, postgresql_where=predicate)


@cache
def _date_attributes(model: type) -> tuple[str, ...]:
    return tuple(
        attribute.key
        for attribute in inspect(model).column_attrs
        if isinstance(attribute.columns[0].type, Date)
    )


@event.listens_for(Session, "before_flush")
def _refuse_dates_out_of_range(session: Session, flush_context, instances) -> None:
    """No date outside the domain's range reaches the database, whichever service wrote it: the
    flush is refused with a DomainError naming the field (a 400, not the CHECK's server error)."""
    for obj in (*session.new, *session.dirty):
        for key in _date_attributes(type(obj)):
            value = getattr(obj, key)
            if isinstance(value, dt.date) and not in_domain_range(value):
                raise DomainError(out_of_range_message(value, key), field=key)


def bulk_insert(session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Add many rows to `table` in the session's transaction, without the ORM: PostgreSQL's COPY
    (several times faster than INSERT for hundreds of thousands of rows), executemany elsewhere.
    Every row gives the same columns; column defaults are not applied, so give every value."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(table.insert(), list(rows))
        return
    import psycopg

    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    statement = f'COPY "{table.name}" ({names}) FROM STDIN'
    driver = connection.connection.driver_connection  # psycopg's own connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[name] for name in columns])
    except psycopg.IntegrityError as exc:
        # The exception the executemany path raises, so callers handle one kind.
        raise IntegrityError(statement, None, exc) from exc


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


def _is_postgresql(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("psycopg")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: enforce foreign keys, WAL so readers never block the writer, and wait on locks."""
    if not _is_sqlite(dbapi_connection):
        return
    # pysqlite's own transaction handling skips BEGIN before some statements and breaks
    # SAVEPOINT; SQLAlchemy issues BEGIN itself instead (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "connect")
def _postgresql_settings(dbapi_connection, connection_record) -> None:
    """PostgreSQL: no JIT compilation. Its planner compiles any query whose whole-result cost is
    high, such as a download of every letter read from a server-side cursor, and that costs a
    quarter of a second before the first row; the tracker's queries are short and indexed."""
    if not _is_postgresql(dbapi_connection):
        return
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


__all__ = [
    "Base",
    "bulk_insert",
    "NAMING_CONVENTION",
    "Timestamped",
    "Versioned",
    "date_in_range",
    "described_by_models",
    "digits_check",
    "func",
    "schema_head",
    "schema_revision",
    "utcnow",
]


def _expects_to_write() -> bool:
    """Form posts and commands write; page views and API reads only read."""
    from flask import has_request_context, request

    return not has_request_context() or request.method not in ("GET", "HEAD", "OPTIONS")


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    # A deferred transaction that reads and then writes fails at once with "database is locked"
    # when another writer committed in between (WAL's snapshot rule: the busy timeout does not
    # apply). Writers therefore take the write lock up front and queue on the busy timeout;
    # readers stay deferred so they never wait for a writer.
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _expects_to_write() else "BEGIN")
