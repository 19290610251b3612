"""The suite's pytest plugin (registered in tests/conftest.py): every shared fixture.

Every database test runs on SQLite and on PostgreSQL. One database per engine per session,
migrated with Alembic and loaded with the national registry once; each test runs inside a
transaction that is rolled back afterwards (the app's own commits become savepoints). Under
CI=true a missing PostgreSQL or Chromium fails the run instead of skipping. A module (or test)
marked `pytest.mark.today(moment)` runs with the clock frozen at that moment.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from flask import Flask
from werkzeug.serving import make_server

from tests.support.apps import (
    ENGINES,
    PASSWORD,
    POSTGRES_DATABASES,
    external_databases,
    fresh_database_url,
    make_app,
    migrate_and_seed,
    unavailable,
)
from tests.support.chromium import CHROMIUM, CHROMIUM_FLAGS
from tests.support.postgres import PostgresUnavailable, throwaway_cluster
from tests.support.web import sign_in


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers",
        "today(moment): freeze the clock at `moment` (a date or datetime) for the test, so the "
        "status rule, the letter clocks and every default date read it",
    )


@pytest.fixture(autouse=True)
def frozen(request) -> Iterator[None]:
    """The clock, frozen at the nearest `today` marker's moment (else the real clock)."""
    marker = request.node.get_closest_marker("today")
    if marker is None:
        yield
        return
    with time_machine.travel(marker.args[0], tick=False):
        yield


# --- databases -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_urls() -> Iterator[dict[str, str]]:
    """{database name: URL} on a throwaway cluster, or on TRACKER_TEST_DATABASE_URL's server."""
    external = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if external:
        yield external_databases(external)
        return
    cluster = throwaway_cluster(POSTGRES_DATABASES)
    try:
        urls = cluster.__enter__()
    except PostgresUnavailable as exc:
        unavailable(f"PostgreSQL unavailable: {exc}")
    try:
        yield urls
    finally:
        cluster.__exit__(None, None, None)


@pytest.fixture(scope="session", params=ENGINES)
def engine_name(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def app(engine_name, request, tmp_path_factory) -> Iterator[Flask]:
    """The app on a migrated database holding the national registry (no demo data)."""
    url = fresh_database_url(engine_name, "tracker_test", request, tmp_path_factory)
    application = make_app(url, tmp_path_factory.mktemp("instance"))
    migrate_and_seed(application)
    from tracker.extensions import db

    # Each test's commits become savepoints inside the outer transaction rolled back below.
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture()
def committed_app(engine_name, request, tmp_path_factory) -> Iterator[Flask]:
    """An app on its own fresh database whose commits are real (for backups, concurrency and
    crash tests that need several connections or processes); emptied again afterwards."""
    from flask_migrate import downgrade

    from tracker.extensions import db

    url = fresh_database_url(engine_name, "tracker_committed", request, tmp_path_factory)
    application = make_app(url, tmp_path_factory.mktemp("committed-instance"))
    migrate_and_seed(application)
    yield application
    with application.app_context():
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


@pytest.fixture()
def database(app) -> Iterator[None]:
    """Run the test inside one transaction that is rolled back at the end.

    Only the connection is held for the test; no app context stays pushed, so each request in
    the test gets its own context, session and `g`, as in production.
    """
    from tracker.extensions import db

    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        engines[None] = connection
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
        outer.rollback()
        connection.close()
        engines[None] = engine


@pytest.fixture()
def app_context(app, database) -> Iterator[None]:
    """An application context for calling services directly."""
    from tracker.audit.services import set_command_actor
    from tracker.extensions import db

    with app.app_context():
        set_command_actor("test")
        yield
        db.session.remove()


@pytest.fixture()
def client(app, database):
    return app.test_client()


@pytest.fixture()
def cli_runner(app, database):
    return app.test_cli_runner()


# --- people --------------------------------------------------------------------------------


@pytest.fixture()
def make_user(app, database):
    """make_user(role) -> the new account's e-mail (password: PASSWORD), committed in the test's
    transaction."""
    from tracker.auth.services import create_user
    from tracker.extensions import db

    counter = iter(range(1, 10_000))

    def _make(role: str = "viewer", email: str | None = None, password: str = PASSWORD) -> str:
        email = email or f"{role}{next(counter)}@example.gov"
        with app.app_context():
            create_user(email, f"Test {role}", password, role)
            db.session.commit()
        return email

    return _make


@pytest.fixture()
def signed_in(client, make_user):
    """signed_in(role) -> a test client signed in with a new account of that role."""

    def _sign_in(role: str = "viewer"):
        email = make_user(role)
        response = sign_in(client, email)
        assert response.status_code == 303, response.get_data(as_text=True)
        return client

    return _sign_in


# --- a real server and a real browser --------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(engine_name, request, tmp_path_factory) -> Iterator[dict]:
    """The app with demo data on its own database, served on a loopback port in a thread.

    Yields {"url", "app", "users": {role: email}}. Browser tests read it; they do not roll back,
    so they must not rely on each other's writes.
    """
    from tracker.auth.services import create_user
    from tracker.extensions import db

    url = fresh_database_url(engine_name, "tracker_live", request, tmp_path_factory)
    application = make_app(url, tmp_path_factory.mktemp("live-instance"), WTF_CSRF_ENABLED=True)
    migrate_and_seed(application, demo=True)
    users = {}
    with application.app_context():
        for role in ("viewer", "editor", "admin"):
            users[role] = f"live-{role}@example.gov"
            create_user(users[role], f"Live {role}", PASSWORD, role)
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_port}", "app": application, "users": users}
    finally:
        server.shutdown()
        with application.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=list(CHROMIUM_FLAGS),
        )
        yield instance
        instance.close()


@pytest.fixture()
def page(browser, live_server):
    """A fresh browser tab (own cookies) that records console errors and off-origin requests."""
    context = browser.new_context(base_url=live_server["url"])
    tab = context.new_page()
    tab.console_errors = []
    tab.foreign_requests = []
    tab.on("console", lambda msg: msg.type == "error" and tab.console_errors.append(msg.text))
    tab.on(
        "request",
        lambda req: (
            (not req.url.startswith(live_server["url"]) and not req.url.startswith("data:"))
            and tab.foreign_requests.append(req.url)
        ),
    )
    yield tab
    context.close()


# --- a real mail server ----------------------------------------------------------------------


@pytest.fixture()
def smtp(app, monkeypatch):
    """A real SMTP server for this test, and the app pointed at it (TRACKER_SMTP_URL,
    TRACKER_MAIL_FROM, TRACKER_OFFICE_EMAIL). Yields tests.support.smtp.SmtpServer."""
    from tests.support.smtp import smtp_server

    with smtp_server() as server:
        monkeypatch.setitem(app.config, "TRACKER_SMTP_URL", server.url)
        monkeypatch.setitem(
            app.config, "TRACKER_MAIL_FROM", "Activation Program Office <activation@office.example>"
        )
        monkeypatch.setitem(app.config, "TRACKER_OFFICE_EMAIL", "activation@office.example")
        yield server
