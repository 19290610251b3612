"""Throwaway redis and memcached servers for tests (the Debian packages' binaries), each on a free
loopback port, stopped afterwards: the way tests/support/postgres.py runs PostgreSQL."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.support.servers import free_port


class CacheServerUnavailable(RuntimeError):
    pass


def _answers(port: int, probe: bytes, expected: bytes) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(probe)
            return sock.recv(64).startswith(expected)
    except OSError:
        return False


COMMANDS = {
    # name: (binary, arguments for a port and a scratch folder, probe, expected answer, URL)
    "redis": (
        "redis-server",
        lambda port, folder: ["--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(folder)],
        b"PING\r\n",
        b"+PONG",
        "redis://127.0.0.1:{port}/0",
    ),
    "memcached": (
        "memcached",
        lambda port, folder: ["-p", str(port), "-l", "127.0.0.1", "-U", "0", "-m", "16",
                              "-u", "nobody"],
        b"version\r\n",
        b"VERSION",
        "memcached://127.0.0.1:{port}",
    ),
}  # fmt: skip


@contextlib.contextmanager
def throwaway_cache_server(name: str) -> Iterator[str]:
    """Start `name` (redis or memcached) on a free loopback port; yield its storage URL."""
    binary, arguments, probe, expected, url = COMMANDS[name]
    found = shutil.which(binary) or next(
        (str(p) for p in (Path("/usr/bin") / binary, Path("/usr/sbin") / binary) if p.exists()),
        None,
    )
    if found is None:
        raise CacheServerUnavailable(f"{binary} is not installed (apt-get install {binary})")
    folder = Path(tempfile.mkdtemp(prefix=f"tracker-{name}-"))
    port = free_port()
    process = subprocess.Popen(
        [found, *arguments(port, folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not _answers(port, probe, expected):
            if process.poll() is not None or time.monotonic() > deadline:
                raise CacheServerUnavailable(f"{binary} did not start on port {port}")
            time.sleep(0.1)
        yield url.format(port=port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)
