"""Two editors correcting the same fact at the same moment: exactly one wins, the other is
refused with 409 and nothing of theirs is written (threads on a database with real commits)."""

from __future__ import annotations

import datetime as dt
import threading

import sqlalchemy as sa

from tests.support.apps import PASSWORD
from tests.support.web import sign_in

TARGET = "48001"


def _prepare(app) -> tuple[int, int]:
    """An activation to correct and a plan change; returns (jurisdiction version, change id)."""
    from tracker.audit.services import set_command_actor
    from tracker.auth.services import create_user
    from tracker.extensions import db
    from tracker.plan import services as plan
    from tracker.registry.models import Jurisdiction

    with app.app_context():
        set_command_actor("test")
        for name in ("ann", "bob"):
            create_user(f"{name}@example.gov", name, PASSWORD, "editor")
        change = plan.schedule(
            TARGET, dt.date(2010, 6, 1), decided_on=dt.date(2010, 1, 4), reason="r", source="t"
        )
        plan.record_activation(TARGET, dt.date(2010, 6, 1), source="typed")
        db.session.commit()
        version = db.session.get(Jurisdiction, TARGET).version_id
        change_id = change.id
        db.session.remove()
    return version, change_id


def _race(app, posts: list[tuple[str, dict]]) -> list[int]:
    """Each editor posts at the same moment (a barrier); returns the status codes."""
    clients = []
    for name in ("ann", "bob"):
        client = app.test_client()
        assert sign_in(client, f"{name}@example.gov").status_code == 303
        clients.append(client)
    barrier = threading.Barrier(len(posts))
    codes: list[int] = [0] * len(posts)

    def run(number: int) -> None:
        url, data = posts[number]
        barrier.wait()
        codes[number] = clients[number].post(url, data=data).status_code

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(posts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(codes)


def _count(app, sql: str) -> int:
    from tracker.extensions import db

    with app.app_context():
        return db.session.scalar(sa.text(sql), {"fips": TARGET})


def test_two_editors_correcting_one_activation_one_wins(committed_app):
    version, _ = _prepare(committed_app)
    url = f"/jurisdictions/{TARGET}/activation/correct"
    posts = [
        (
            url,
            {
                "activation-correct-activated_on": day,
                "activation-correct-reason": f"The SIB says {day}",
                "activation-correct-version": str(version),
            },
        )
        for day in ("2010-06-02", "2010-06-03")
    ]
    assert _race(committed_app, posts) == [303, 409]
    assert _count(committed_app, "SELECT count(*) FROM correction") == 1
    mine = "SELECT count(*) FROM activation WHERE jurisdiction_fips = :fips"
    assert _count(committed_app, mine + " AND superseded_at IS NULL") == 1
    assert _count(committed_app, mine) == 2


def test_a_correction_and_a_void_of_one_plan_change_one_wins(committed_app):
    version, change_id = _prepare(committed_app)
    posts = [
        (
            f"/plan-changes/{change_id}/correct",
            {
                f"change{change_id}-correct-scheduled_on": "2010-06-02",
                f"change{change_id}-correct-decided_on": "2010-01-04",
                f"change{change_id}-correct-reason": "Typo",
                f"change{change_id}-correct-version": str(version),
            },
        ),
        (
            f"/plan-changes/{change_id}/void",
            {
                f"change{change_id}-void-reason": "Entered on the wrong county",
                f"change{change_id}-void-version": str(version),
            },
        ),
    ]
    assert _race(committed_app, posts) == [303, 409]
    assert _count(committed_app, "SELECT count(*) FROM correction") == 1
