"""An import killed mid-way (kill -9) leaves nothing of itself behind, on either engine."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from tests.support.apps import SECRET

TRACKER = str(Path(sys.executable).with_name("tracker"))
COUNTED = ("plan_change", "activation", "audit_event")


def counts(app) -> dict[str, int]:
    from tracker.extensions import db

    with app.app_context():
        return {
            table: db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in COUNTED
        }


def national_plan(path: Path, app) -> None:
    """Every jurisdiction not yet activated, scheduled: long enough for the kill to land mid-way through applying."""
    from tracker.extensions import db

    with app.app_context():
        rows = db.session.execute(
            sa.text(
                "SELECT j.fips, s.postal FROM jurisdiction j JOIN state s ON s.fips = j.state_fips "
                "WHERE j.fips NOT IN (SELECT jurisdiction_fips FROM activation) ORDER BY j.fips"
            )
        ).all()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["state", "jurisdiction", "scheduled_on", "decided_on", "reason"])
        for fips, postal in rows:
            writer.writerow([postal, fips, "2012-06-05", "2011-09-01", "National wave"])


def test_killed_import_writes_nothing(committed_app, tmp_path):
    plan_file = tmp_path / "national-plan.csv"
    national_plan(plan_file, committed_app)
    before = counts(committed_app)
    stderr = tmp_path / "stderr.txt"
    env = {
        **os.environ,
        "TRACKER_ENV": "testing",
        "TRACKER_SECRET_KEY": SECRET,
        "TRACKER_DATABASE_URL": committed_app.config["SQLALCHEMY_DATABASE_URI"],
        "TRACKER_INSTANCE_PATH": str(tmp_path),
    }
    with stderr.open("w") as err:
        process = subprocess.Popen(
            [TRACKER, "import", "plan", str(plan_file)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    deadline = time.monotonic() + 120
    while "Applying" not in stderr.read_text() and time.monotonic() < deadline:
        assert process.poll() is None, "the import ended before it began applying"
        time.sleep(0.02)
    time.sleep(0.5)  # well into the writes, long before the commit
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL

    assert counts(committed_app) == before
    # The database is usable at once: no lock or half-written transaction is left behind.
    from tracker.extensions import db

    with committed_app.app_context():
        db.engine.dispose()
        if db.engine.dialect.name == "sqlite":
            assert db.session.scalar(sa.text("PRAGMA integrity_check")) == "ok"
        db.session.execute(sa.text("UPDATE jurisdiction SET risk_tier = 1 WHERE fips = '48001'"))
        db.session.rollback()
