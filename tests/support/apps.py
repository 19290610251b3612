"""Building the app under test: settings, fresh databases of either engine, migrations and seed.

Plain helpers (tests import them from here); the fixtures that use them are in plugin.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ENGINES = ("sqlite", "postgresql")
PASSWORD = "correct horse battery staple"
SECRET = "test-secret-key-not-for-production"
POSTGRES_DATABASES = ("tracker_test", "tracker_live", "tracker_scratch", "tracker_committed")


def unavailable(reason: str) -> None:
    """Skip locally; fail in CI, where every engine and the browser must really run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: nothing may skip for want of it)", pytrace=False)
    pytest.skip(reason)


def external_databases(url: str) -> dict[str, str]:
    """The given database for the main tests, plus sibling databases created beside it."""
    import sqlalchemy as sa

    base = sa.make_url(url)
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    urls = {"tracker_test": url}
    with engine.connect() as conn:
        for name in POSTGRES_DATABASES[1:]:
            sibling = f"{base.database}_{name.removeprefix('tracker_')}"
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{sibling}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{sibling}"')
            urls[name] = base.set(database=sibling).render_as_string(hide_password=False)
    engine.dispose()
    return urls


def fresh_database_url(engine: str, name: str, request, tmp_path_factory) -> str:
    """A URL to an empty database of the given engine (a new file, or a named PG database)."""
    if engine == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp(name) / 'tracker.sqlite3'}"
    return request.getfixturevalue("postgres_urls")[name]


class ReadingClient(FlaskClient):
    """A test client that reads every answer to its end and closes it, as a WSGI server does:
    a streamed download's last step (its provenance record) runs before the next request."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


def make_app(database_url: str, tmp_path: Path, **overrides) -> Flask:
    from tracker import create_app

    settings = {
        "TRACKER_ENV": "testing",
        "TRACKER_DATABASE_URL": database_url,
        "TRACKER_SECRET_KEY": SECRET,
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
    }
    settings.update(overrides)
    app = create_app(settings)
    app.test_client_class = ReadingClient
    return app


def migrate_and_seed(app: Flask, *, demo: bool = False) -> None:
    from flask_migrate import upgrade

    from tracker.audit.services import set_command_actor
    from tracker.extensions import db
    from tracker.seeding import demo as demo_seed
    from tracker.seeding.registry import seed_national

    with app.app_context():
        upgrade()
        set_command_actor("test setup")
        seed_national()
        if demo:
            demo_seed.seed_demo()
        db.session.commit()
        db.session.remove()
