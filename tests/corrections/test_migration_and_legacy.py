"""What the corrections migration fills in for existing rows, and legacy records loaded with
their original recording time (`tracker import plan --recorded-at`)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests.factories import COUNTY
from tests.support.apps import fresh_database_url, make_app

BEFORE = "761b6144ae51"  # the revision before the corrections


def _utc(value) -> str:
    """A timestamp read back raw: SQLite gives text (UTC), PostgreSQL an aware datetime."""
    if isinstance(value, str):
        return value[:19]
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


CORRECTIONS = "89f42899e046"


def test_existing_rows_get_their_recording_times_and_a_first_version(
    engine_name, request, tmp_path_factory
):
    url = fresh_database_url(engine_name, "tracker_scratch", request, tmp_path_factory)
    app = make_app(url, tmp_path_factory.mktemp("migration-data"))
    from tracker.extensions import db

    logged = dt.datetime(2010, 6, 1, 14, 0, tzinfo=dt.UTC)
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO state (fips, postal, name, kind, receives_results, version_id, "
                    "created_at, updated_at) VALUES ('48', 'TX', 'Texas', 'state', true, 1, "
                    ":at, :at)"
                ),
                {"at": logged},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO jurisdiction (fips, state_fips, name, full_name, kind, "
                    "version_id, created_at, updated_at) VALUES (:f, '48', 'Anderson', "
                    "'Anderson County', 'county', 1, :at, :at)"
                ),
                {"f": COUNTY, "at": logged},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO deferral_request (jurisdiction_fips, letter_date, received_on, "
                    "channel, sender_name, addressed_to, kind, status, is_demo, version_id, "
                    "created_at, updated_at) VALUES (:f, '2010-05-28', '2010-06-01', 'email', "
                    "'Sheriff', 'both', 'not_activate', 'received', false, 1, :at, :at)"
                ),
                {"f": COUNTY, "at": logged},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO activation (jurisdiction_fips, activated_on, source, is_demo, "
                    "recorded_at) VALUES (:f, '2010-08-20', 'typed', false, :at)"
                ),
                {"f": COUNTY, "at": logged},
            )
        upgrade(revision=CORRECTIONS)
        with db.engine.connect() as connection:
            recorded = connection.scalar(sa.text("SELECT recorded_at FROM deferral_request"))
            versions = connection.execute(
                sa.text("SELECT version_action, version_recorded_at FROM deferral_request_version")
            ).all()
            states = connection.scalar(sa.text("SELECT count(*) FROM state_version"))
            superseded = connection.scalar(sa.text("SELECT superseded_at FROM activation"))
        assert _utc(recorded) == "2010-06-01 14:00:00"
        assert [(action, _utc(at)) for action, at in versions] == [
            ("migrated", "2010-06-01 14:00:00")
        ]
        assert states == 1 and superseded is None
        downgrade(revision="base")
        db.engine.dispose()


@pytest.mark.today("2011-06-01 12:00:00")
def test_legacy_records_keep_their_original_recording_time(cli_runner, app, tmp_path):
    from tracker.audit.models import AuditEvent
    from tracker.extensions import db
    from tracker.plan.models import Activation, PlanChange
    from tracker.status.rule import Status, status_as_of

    legacy = tmp_path / "legacy-2010.csv"
    legacy.write_text(
        "state,jurisdiction,scheduled_on,activated_on,decided_on,reason\n"
        "TX,Anderson County,2010-08-20,2010-08-20,2010-07-01,Wave 6\n"
    )
    future = cli_runner.invoke(args=["import", "plan", str(legacy), "--recorded-at", "2012-01-01"])
    assert future.exit_code == 2 and "cannot be in the future" in future.output
    result = cli_runner.invoke(
        args=["import", "plan", str(legacy), "--recorded-at", "2010-08-21T09:00:00-04:00"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        moment = dt.datetime(2010, 8, 21, 13, tzinfo=dt.UTC)
        for model in (PlanChange, Activation):
            (row,) = db.session.scalars(
                sa.select(model).where(model.jurisdiction_fips == COUNTY)
            ).all()
            assert row.recorded_at.replace(tzinfo=None) == moment.replace(tzinfo=None)
        known = moment + dt.timedelta(minutes=1)
        (row,) = status_as_of(dt.date(2010, 8, 31), known, fips=[COUNTY])
        assert row.status is Status.ACTIVATED
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "plan.import")
        ).one()
        assert event.after["recorded_at"].startswith("2010-08-21T13:00")
        assert "--recorded-at" in event.actor_label
