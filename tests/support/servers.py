"""Real `tracker serve` processes for tests that need the production server, not a test client."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_tracker_server(
    tracker: str | Path, env: dict[str, str], *, cwd: Path | None = None, wait: float = 30
) -> tuple[subprocess.Popen, str]:
    """`tracker serve` on a free loopback port, once /healthz answers: (process, base URL).

    The server runs in its own session, so `os.killpg(process.pid, …)` stops gunicorn's master
    and its workers together.
    """
    port = free_port()
    process = subprocess.Popen(
        [str(tracker), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except requests.ConnectionError:
            time.sleep(0.2)
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError(f"tracker serve did not answer on {base} (exit code {process.poll()})")
