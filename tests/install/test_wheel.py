"""The product as an operator gets it: a wheel built from this repository, installed with plain
pip into a new virtual environment, run from an empty folder with no checkout in sight.

The wheel is built as `pip wheel` builds it (isolated, from pyproject.toml's build-system), with
no PIP_* variables, so a build constraint or a file missing from the mapping shows up here.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from tests.support.apps import PASSWORD
from tests.support.html import csrf_token, fetched_urls, off_origin
from tests.support.servers import start_tracker_server
from tracker.resources import RUNTIME_FOLDERS

ROOT = Path(__file__).resolve().parents[2]
# Not read at run time: the maintainer's script that rebuilds the registry from Census data.
NOT_SHIPPED = {"seeds/build_registry.py"}

pytestmark = pytest.mark.slow


def plain_environment(**extra: str) -> dict[str, str]:
    """The machine's environment without pip, Python-path, Flask or tracker variables."""
    dropped = ("PIP_", "PYTHON", "TRACKER_", "FLASK_", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(extra)
    return env


def run(*command: str | Path, cwd: Path, env: dict[str, str], stdin: str = "", timeout=600):
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip wheel` builds from this checkout."""
    dist = tmp_path_factory.mktemp("dist")
    pip = (sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", dist, ROOT)
    run(*pip, cwd=dist, env=plain_environment())
    (built,) = dist.glob("activation_tracker-*-py3-none-any.whl")
    return built


def tracked_runtime_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--", *RUNTIME_FOLDERS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [path for path in listed if path not in NOT_SHIPPED]


def test_the_wheel_carries_every_file_the_app_reads(wheel):
    runtime = tracked_runtime_files()
    assert {"templates/base.html", "migrations/env.py", "seeds/states.csv"} <= set(runtime)
    package = subprocess.run(
        ["git", "ls-files", "--", "tracker"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    names = set(zipfile.ZipFile(wheel).namelist())
    # templates/, migrations/ and seeds/ travel inside the package, where tracker.resources
    # looks for them once installed; the package's own files (static/ included) as they are.
    missing = [path for path in runtime if f"tracker/{path}" not in names]
    missing += [path for path in package if path not in names]
    assert not missing, f"the wheel lacks {missing}"
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    assert not [name for name in names if name.endswith(tuple(NOT_SHIPPED))]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A new virtual environment holding the wheel and its dependencies, nothing else.

    Wheels only: every dependency must install without building anything (no sdist that needs
    a compiler or an old setuptools on the operator's machine).
    """
    venv = tmp_path_factory.mktemp("venv")
    env = plain_environment()
    run(sys.executable, "-m", "venv", venv, cwd=venv, env=env)
    pip = (venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--only-binary=:all:")
    run(*pip, wheel, cwd=venv, env=env)
    return {"bin": venv / "bin", "venv": venv}


def first_link(html: str, pattern: str) -> str:
    match = re.search(rf'href="({pattern})[?"]', html)
    assert match, f"no link like {pattern}"
    return match.group(1)


def argument_free_pages() -> list[str]:
    """Every page without URL arguments, read from the app's URL map (signing out excepted)."""
    from tracker import create_app

    app = create_app(
        {
            "TRACKER_ENV": "testing",
            "TRACKER_SECRET_KEY": "url-map-only",
            "TRACKER_DATABASE_URL": "sqlite://",
            "TRACKER_INSTANCE_PATH": "/nonexistent",
        }
    )
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "auth.logout"
    )


def test_the_installed_wheel_migrates_seeds_and_serves_from_an_empty_folder(installed, tmp_path):
    tracker = installed["bin"] / "tracker"
    folder = tmp_path / "empty"
    folder.mkdir()
    env = plain_environment()

    # Help and version before any setting exists.
    helped = run(tracker, "--help", cwd=folder, env=env)
    assert "Traceback" not in helped.stdout + helped.stderr
    for command in ("db", "seed", "users", "import", "export", "backup", "restore", "serve"):
        assert re.search(rf"^  {command}\s", helped.stdout, re.M), command
    version = run(tracker, "--version", cwd=folder, env=env).stdout.split()[-1]

    # The code and the runtime folders are the installed copies, not this checkout's.
    where = run(
        installed["bin"] / "python",
        "-c",
        "import tracker, tracker.resources as r; "
        "print(tracker.__file__); print(*(r.runtime_folder(f) for f in r.RUNTIME_FOLDERS))",
        cwd=folder,
        env=env,
    ).stdout.split()
    assert all(path.startswith(str(installed["venv"])) for path in where), where

    # An operator's production setting: only a secret key; SQLite in ./instance by default.
    env["TRACKER_SECRET_KEY"] = secrets.token_hex(32)
    run(tracker, "db", "upgrade", cwd=folder, env=env)
    run(tracker, "seed", "--demo", cwd=folder, env=env)
    admin = ("users", "create", "--email", "admin@example.gov", "--role", "admin")
    run(tracker, *admin, cwd=folder, env=env, stdin=PASSWORD + "\n")
    assert (folder / "instance" / "tracker.sqlite3").exists()

    process, base = start_tracker_server(tracker, env, cwd=folder, wait=90)
    try:
        health = requests.get(f"{base}/healthz", timeout=10).json()
        assert health["version"] == version and health["jurisdictions"] >= 3200
        assert health["schema_revision"] == health["schema_head"] is not None

        public = requests.Session()
        for path in ("/", "/map", "/login", "/activated"):
            response = public.get(f"{base}{path}", timeout=30)
            assert response.status_code == 200 and "text/html" in response.headers["Content-Type"]
        # Every file the map page makes a browser fetch: our own, from the installed packages.
        map_page = public.get(f"{base}/map", timeout=30).text
        assets = fetched_urls(map_page)
        assert not off_origin(assets) and any("/assets/leaflet/" in url for url in assets)
        for url in assets:
            if not url.startswith("data:"):
                assert public.get(urljoin(f"{base}/map", url), timeout=30).status_code == 200, url

        pdf = public.get(f"{base}/exports/activated.pdf?as_of=2010-08-31", timeout=60)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        openapi = public.get(f"{base}/api/v1/openapi.json", timeout=30)
        assert openapi.status_code == 200 and openapi.json()["openapi"].startswith("3.")

        # Signed in as the admin created above, every page renders from the shipped templates.
        staff = requests.Session()
        token = csrf_token(staff.get(f"{base}/login", timeout=30).text)
        signed_in = staff.post(
            f"{base}/login",
            data={"email": "admin@example.gov", "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=30,
        )
        assert signed_in.status_code == 303, signed_in.text
        pages = argument_free_pages()
        for listing, pattern in (
            ("/jurisdictions", r"/jurisdictions/\d{5}"),
            ("/deferrals", r"/deferrals/\d+"),
            ("/briefings", r"/briefings/\d+"),
            ("/states", r"/states/[A-Z]{2}"),
        ):
            pages.append(first_link(staff.get(f"{base}{listing}", timeout=30).text, pattern))
        for path in pages:
            response = staff.get(f"{base}{path}", timeout=60, allow_redirects=False)
            assert response.status_code in (200, 301), (path, response.status_code)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
