"""Upgrading a database that already holds the registry and a plan, as operators do.

SQLite rebuilds a table to add a constraint (Alembic's batch mode), which must work while other
rows reference it; and the date-range migration refuses, naming the rows, a database holding a
date it would no longer accept, instead of rewriting history.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.support.apps import fresh_database_url, make_app

BEFORE_DATE_RANGE = "89f42899e046"


def _populated(engine_name, request, tmp_path_factory, scheduled_on: str):
    from tracker.audit.services import set_command_actor
    from tracker.extensions import db
    from tracker.seeding.registry import seed_national

    url = fresh_database_url(engine_name, "tracker_scratch", request, tmp_path_factory)
    app = make_app(url, tmp_path_factory.mktemp("upgrade"))
    with app.app_context():
        upgrade(revision=BEFORE_DATE_RANGE)
        set_command_actor("test")
        seed_national()
        db.session.commit()
        # Written as an older version could: straight into the table.
        db.session.execute(
            sa.text(
                "INSERT INTO plan_change (jurisdiction_fips, kind, scheduled_on, decided_on, "
                "reason, source, is_demo, recorded_at) VALUES ('48001', 'scheduled', :day, "
                "'2010-01-04', 'probe', 'test', false, CURRENT_TIMESTAMP)"
            ),
            {"day": scheduled_on},
        )
        db.session.commit()
        db.session.remove()
    return app


def _teardown(app) -> None:
    from tracker.extensions import db

    with app.app_context():
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()


def test_a_populated_database_upgrades_and_downgrades(engine_name, request, tmp_path_factory):
    from tracker.extensions import db

    app = _populated(engine_name, request, tmp_path_factory, "2011-06-01")
    try:
        with app.app_context():
            upgrade()
            counts = db.session.execute(
                sa.text("SELECT count(*) FROM jurisdiction UNION ALL SELECT count(*) FROM state")
            ).scalars()
            assert list(counts) == [3233, 56]
            with pytest.raises(sa.exc.IntegrityError):
                db.session.execute(sa.text("UPDATE plan_change SET scheduled_on = '9999-12-31'"))
            db.session.rollback()
            db.session.remove()
            downgrade(revision=BEFORE_DATE_RANGE)
            upgrade()
            db.session.remove()
    finally:
        _teardown(app)


def test_the_upgrade_names_rows_holding_dates_out_of_range(
    engine_name, request, tmp_path_factory, capfd
):
    app = _populated(engine_name, request, tmp_path_factory, "9999-12-31")
    try:
        # `tracker db upgrade` prints the message and exits 1 (Flask-Migrate's handling).
        with app.app_context(), pytest.raises(SystemExit):
            upgrade()
        message = capfd.readouterr().err
        assert "These rows hold dates outside 2000-01-01 … 2100-12-31" in message
        assert "plan_change id=1: scheduled_on = 9999-12-31" in message
    finally:
        _teardown(app)
