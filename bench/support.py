"""What the benchmark scripts share: a free loopback port, waiting for a server, and the memory
of gunicorn's workers. Traffic only ever goes to 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests


def free_port() -> int:
    """A port nothing listens on yet, on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base_url: str, timeout: float = 60) -> None:
    """Wait until `base_url`/healthz answers 200, or stop the benchmark."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server at {base_url} did not start within {timeout:.0f} s")


def worker_rss_mib(master_pid: int) -> dict[int, float]:
    """Resident memory of each gunicorn worker (the master's children) by pid, in MiB."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = {}
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kib = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
        sizes[int(pid)] = round(kib / 1024, 1)
    return sizes


@contextlib.contextmanager
def tracker_server(tracker: str, env: dict[str, str], workers: int, timeout: float = 60):
    """`tracker serve` on a free loopback port with `workers` workers: yields (base URL, the
    server's pid); stopped with its whole process group afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [tracker, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, timeout=timeout)
        yield base, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
