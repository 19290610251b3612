"""Editors working at once: no lost update, no server error, on both engines.

Every writer reads the jurisdiction's version, then reschedules it with that version. Exactly
the writes that saw the current version may succeed; the rest are refused (Conflict) and retry
with the fresh version. At the end the plan history holds every successful write: none was
silently overwritten.
"""

from __future__ import annotations

import multiprocessing
import threading

import sqlalchemy as sa

from tests.support.apps import SECRET

TARGET = "48001"
WRITERS = 4
EDITS_EACH = 5
# Each writer builds its own app, and werkzeug compiles every URL rule with `ast.parse`; CPython
# 3.11 before 3.11.8 corrupts its AST recursion counter when threads parse at once (gh-106905,
# "AST constructor recursion depth mismatch"). A server builds its app once; so do these
# writers, one at a time, before they edit concurrently.
APP_BUILT_ONE_AT_A_TIME = threading.Lock()


def edit_many(database_url: str, instance: str, writer: int) -> list[str]:
    """Reschedule TARGET EDITS_EACH times, retrying on conflicts; returns the reasons written."""
    import datetime as dt

    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    from tracker import create_app
    from tracker.audit.services import set_command_actor
    from tracker.errors import Conflict
    from tracker.extensions import db
    from tracker.plan import services as plan

    with APP_BUILT_ONE_AT_A_TIME:
        app = create_app(
            {
                "TRACKER_ENV": "testing",
                "TRACKER_DATABASE_URL": database_url,
                "TRACKER_SECRET_KEY": SECRET,
                "TRACKER_INSTANCE_PATH": instance,
            }
        )
    written = []
    with app.app_context():
        set_command_actor(f"writer {writer}")
        for edit in range(EDITS_EACH):
            reason = f"writer {writer} edit {edit}"
            for _attempt in range(200):
                version = db.session.get(plan.Jurisdiction, TARGET).version_id
                try:
                    plan.schedule(
                        TARGET,
                        dt.date(2012, 1, 1) + dt.timedelta(days=writer * 10 + edit),
                        decided_on=dt.date(2011, 1, 1),
                        reason=reason,
                        source="concurrency test",
                        expected_version=version,
                    )
                    db.session.commit()
                    written.append(reason)
                    break
                except (Conflict, StaleDataError):
                    db.session.rollback()
                except OperationalError as exc:  # pragma: no cover - the failure this test hunts
                    raise AssertionError(
                        f"database error instead of a clean refusal: {exc}"
                    ) from exc
            else:
                raise AssertionError(f"{reason} never got through")
        db.engine.dispose()
    return written


def plan_history(app) -> list[str]:
    from tracker.extensions import db

    with app.app_context():
        return list(
            db.session.scalars(
                sa.text("SELECT reason FROM plan_change WHERE jurisdiction_fips = :f ORDER BY id"),
                {"f": TARGET},
            )
        )


def test_threads_editing_one_jurisdiction_lose_nothing(committed_app, tmp_path):
    url = committed_app.config["SQLALCHEMY_DATABASE_URI"]
    results: dict[int, list[str]] = {}

    def run(writer: int) -> None:
        results[writer] = edit_many(url, str(tmp_path), writer)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    written = sorted(reason for reasons in results.values() for reason in reasons)
    assert len(written) == WRITERS * EDITS_EACH
    assert sorted(plan_history(committed_app)) == written


def test_processes_editing_one_jurisdiction_lose_nothing(committed_app, tmp_path):
    url = committed_app.config["SQLALCHEMY_DATABASE_URI"]
    context = multiprocessing.get_context("spawn")
    with context.Pool(WRITERS) as pool:
        results = pool.starmap(edit_many, [(url, str(tmp_path), n) for n in range(WRITERS)])
    written = sorted(reason for reasons in results for reason in reasons)
    assert len(written) == WRITERS * EDITS_EACH
    assert sorted(plan_history(committed_app)) == written
