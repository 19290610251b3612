"""A throwaway PostgreSQL cluster for tests and benchmarks (initdb + pg_ctl, torn down after).

initdb refuses to run as root, so as root the tools run as the `postgres` user in a directory
that user owns.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise PostgresUnavailable(f"{name} is not installed (PostgreSQL server binaries are needed)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    if not shutil.which("runuser"):
        raise PostgresUnavailable("running as root but runuser is missing")
    return ["runuser", "-u", "postgres", "--"]


def _chown_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, user="postgres", group="postgres")


@contextlib.contextmanager
def throwaway_cluster(databases: tuple[str, ...] = ("tracker_test",)) -> Iterator[dict[str, str]]:
    """Start a fresh cluster on a free loopback port; yield {database name: SQLAlchemy URL}."""
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    postgres_bin = str(Path(_tool("postgres")).parent)
    base = Path(tempfile.mkdtemp(prefix="tracker-pg-"))
    base.chmod(0o755)
    _chown_to_postgres(base)
    data = base / "data"
    runner = _as_postgres_user()
    env = {
        **os.environ,
        "PATH": f"{postgres_bin}:{os.environ.get('PATH', '')}",
        "LC_ALL": "C.UTF-8",
    }
    port = _free_port()
    try:
        subprocess.run(
            [
                *runner,
                initdb,
                "-D",
                str(data),
                "-U",
                "tracker",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ],
            check=True,
            capture_output=True,
            env=env,
            cwd=base,
        )
        options = (
            f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [
                *runner,
                pg_ctl,
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(base / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=True,
            capture_output=True,
            env=env,
            cwd=base,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        output = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(base, ignore_errors=True)
        raise PostgresUnavailable(
            f"could not start PostgreSQL: {exc} {output.decode(errors='replace')}"
        ) from exc
    try:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=port, user="tracker", dbname="postgres", autocommit=True
        ) as conn:
            for name in databases:
                conn.execute(f'CREATE DATABASE "{name}"')
        yield {name: f"postgresql+psycopg://tracker@127.0.0.1:{port}/{name}" for name in databases}
    finally:
        subprocess.run(
            [*runner, pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            env=env,
            cwd=base,
        )
        shutil.rmtree(base, ignore_errors=True)
