"""Two app servers on one database behave as one tracker (docs/deploy.md).

Each server is a real `tracker serve` process (gunicorn) with its own instance folder; they
share only the database and the secret key, as servers behind a load balancer do.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import PASSWORD, SECRET

TRACKER = str(Path(sys.executable).with_name("tracker"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database_url: str, instance: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "TRACKER_ENV": "production",
        "TRACKER_SECRET_KEY": SECRET,
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_INSTANCE_PATH": str(instance),
        "TRACKER_WORKERS": "1",
    }
    process = subprocess.Popen(
        [TRACKER, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"tracker serve did not answer on {base}")


@pytest.fixture()
def two_servers(committed_app, tmp_path):
    from tracker.auth.services import create_user
    from tracker.extensions import db

    with committed_app.app_context():
        create_user("editor@example.gov", "Editor", PASSWORD, "editor")
        db.session.commit()
    url = committed_app.config["SQLALCHEMY_DATABASE_URI"]
    servers = [start_server(url, tmp_path / name) for name in ("server-a", "server-b")]
    yield [base for _process, base in servers]
    for process, _base in servers:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_a_sign_in_on_one_server_is_valid_on_the_other(two_servers):
    first, second = two_servers
    browser = requests.Session()
    login_page = browser.get(f"{first}/login").text
    response = browser.post(
        f"{first}/login",
        data={
            "email": "editor@example.gov",
            "password": PASSWORD,
            "csrf_token": csrf_token(login_page),
        },
        allow_redirects=False,
    )
    assert response.status_code == 303
    dashboard = browser.get(f"{second}/dashboard", allow_redirects=False)
    assert dashboard.status_code == 200
    assert "editor@example.gov" in dashboard.text
    # Signing out on the second server ends the session on the first too.
    browser.post(f"{second}/logout", data={"csrf_token": csrf_token(dashboard.text)})
    assert "/login" in browser.get(f"{first}/dashboard", allow_redirects=False).headers["Location"]
