"""Consistent online backups and restores of the tracker's database, on either engine.

SQLite: the SQLite online-backup API copies a consistent snapshot while the app keeps serving
(readers and the writer are not stopped). PostgreSQL: `pg_dump` in its custom format, which reads
one consistent snapshot, and `pg_restore --clean --single-transaction`, so a restore either
completes or leaves the database as it was. Attachments live in the database, so a backup is
complete: there is no separate file store to copy.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from tracker.errors import DomainError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    size_bytes: int


def _engine_name(url: URL) -> str:
    return url.get_backend_name()


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise DomainError(
        f"{name} is not installed; install the PostgreSQL client tools (apt-get install "
        "postgresql-client) matching the server's major version."
    )


def _pg_connection(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password (kept out of the process list) and the environment."""
    plain = url.set(drivername="postgresql", password=None)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), env


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise DomainError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def backup_database(database_url: str | URL, target: Path) -> BackupResult:
    """Write a consistent copy of the live database to `target` without stopping the app.

    The copy is written beside `target` first and moved into place at the end, so a failed
    backup never leaves a truncated file under the requested name.
    """
    url = make_url(database_url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(
        tempfile.mkstemp(prefix=target.name + ".", suffix=".partial", dir=target.parent)[1]
    )
    try:
        if _engine_name(url) == "sqlite":
            source = sqlite3.connect(f"file:{_sqlite_path(url)}?mode=ro", uri=True)
            destination = sqlite3.connect(partial)
            try:
                with destination:
                    source.backup(destination)
            finally:
                destination.close()
                source.close()
        elif _engine_name(url) == "postgresql":
            uri, env = _pg_connection(url)
            _run(
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl",
                 f"--file={partial}", f"--dbname={uri}"],
                env,
            )  # fmt: skip
        else:
            raise DomainError(f"Backups of {_engine_name(url)} databases are not supported.")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(target, _engine_name(url), target.stat().st_size)


def restore_database(database_url: str | URL, source: Path) -> None:
    """Replace the live database's contents with the backup in `source`.

    The backup must come from the same engine (a SQLite file for SQLite, a pg_dump custom archive
    for PostgreSQL); anything else is refused before a byte is changed. Callers must dispose of
    their connection pools afterwards: every table has been rewritten.
    """
    url = make_url(database_url)
    source = Path(source)
    if not source.is_file():
        raise DomainError(f"{source} does not exist or is not a file.")
    with source.open("rb") as handle:
        head = handle.read(16)
    engine = _engine_name(url)
    if engine == "sqlite":
        if head != SQLITE_MAGIC:
            raise DomainError(f"{source} is not a SQLite backup made by `tracker backup`.")
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                raise DomainError(f"{source} is a SQLite file but not a tracker database.")
            live = sqlite3.connect(_sqlite_path(url))
            try:
                with live:
                    backup.backup(live)
            finally:
                live.close()
        finally:
            backup.close()
    elif engine == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise DomainError(f"{source} is not a pg_dump archive made by `tracker backup`.")
        uri, env = _pg_connection(url)
        _run(
            [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl",
             "--single-transaction", "--exit-on-error", f"--dbname={uri}", str(source)],
            env,
        )  # fmt: skip
    else:
        raise DomainError(f"Restores of {engine} databases are not supported.")


def _run(command: list[str], env: dict[str, str]) -> None:
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tool = Path(command[0]).name
        raise DomainError(f"{tool} failed: {completed.stderr.strip() or completed.returncode}")
