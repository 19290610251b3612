"""`tracker backup` and `tracker restore`: a round trip gives back every table, row for row."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tracker.db import Base


def table_contents(engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order (binary columns included)."""
    contents = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(sa.select(table).order_by(*order)).all()
            contents[table.name] = [tuple(row) for row in rows]
    return contents


@pytest.fixture()
def backup_app(committed_app):
    return committed_app


def write_some_records(app) -> None:
    from tests.factories import COUNTY, D, deferral_request
    from tracker.audit.services import set_command_actor
    from tracker.auth.services import create_user
    from tracker.deferrals.models import Attachment
    from tracker.extensions import db
    from tracker.plan import services as plan

    with app.app_context():
        set_command_actor("test")
        create_user("keeper@example.gov", "Record Keeper", "correct horse battery staple", "editor")
        plan.schedule(
            COUNTY, D("2011-05-10"), decided_on=D("2010-12-01"), reason="Wave 3", source="test"
        )
        request = deferral_request(COUNTY, "2011-01-04")
        db.session.add(
            Attachment(
                deferral_request_id=request.id,
                filename="letter.pdf",
                media_type="application/pdf",
                size_bytes=9,
                sha256="a" * 64,
                content=b"%PDF-1.4\x00",
            )
        )
        db.session.commit()


def test_round_trip_restores_every_table_exactly(backup_app, tmp_path):
    from tracker.extensions import db

    write_some_records(backup_app)
    with backup_app.app_context():
        before = table_contents(db.engine)
    runner = backup_app.test_cli_runner()
    archive = tmp_path / "tracker.backup"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output and archive.stat().st_size > 0

    # Change the live database after the backup: these changes must disappear on restore.
    from tests.factories import OTHER_COUNTY, D
    from tracker.audit.services import set_command_actor
    from tracker.plan import services as plan

    with backup_app.app_context():
        set_command_actor("test")
        plan.schedule(
            OTHER_COUNTY, D("2011-07-01"), decided_on=D("2011-01-01"), reason="Later", source="test"
        )
        db.session.commit()
        assert table_contents(db.engine) != before

    result = runner.invoke(args=["restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    with backup_app.app_context():
        after = table_contents(db.engine)
    # The restore itself is audited; everything else is exactly as it was.
    restore_events = [row for row in after["audit_event"] if "backup.restore" in row]
    assert len(restore_events) == 1
    after["audit_event"] = [row for row in after["audit_event"] if row not in restore_events]
    assert after == before


def test_a_file_that_is_not_a_backup_is_refused_and_changes_nothing(backup_app, tmp_path):
    from tracker.extensions import db

    with backup_app.app_context():
        before = table_contents(db.engine)
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    result = backup_app.test_cli_runner().invoke(args=["restore", str(bogus), "--yes"])
    assert result.exit_code == 1
    assert "is not a" in result.output
    with backup_app.app_context():
        assert table_contents(db.engine) == before


def test_backup_taken_while_editors_keep_writing_is_a_consistent_snapshot(backup_app, tmp_path):
    """Each plan change and its audit event are written in one transaction; a consistent
    snapshot therefore holds exactly as many of one as of the other, however busy the app is."""
    import threading
    import time

    from tests.factories import D
    from tracker.audit.services import set_command_actor
    from tracker.backup.services import backup_database
    from tracker.extensions import db
    from tracker.plan import services as plan

    stop = threading.Event()
    written = []

    def keep_writing():
        with backup_app.app_context():
            set_command_actor("busy editor")
            fips = sorted(db.session.scalars(sa.text("SELECT fips FROM jurisdiction")))
            for index, code in enumerate(fips):
                if stop.is_set():
                    break
                plan.schedule(
                    code,
                    D("2012-01-03"),
                    decided_on=D("2011-01-03"),
                    reason=f"wave {index}",
                    source="test",
                )
                db.session.commit()
                written.append(code)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        deadline = time.monotonic() + 60
        while len(written) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        with backup_app.app_context():
            url = db.engine.url
        backup_database(url, tmp_path / "online.backup")
    finally:
        stop.set()
        writer.join()

    result = backup_app.test_cli_runner().invoke(
        args=["restore", str(tmp_path / "online.backup"), "--yes"]
    )
    assert result.exit_code == 0, result.output
    with backup_app.app_context():
        changes = db.session.scalar(sa.text("SELECT count(*) FROM plan_change"))
        events = db.session.scalar(
            sa.text("SELECT count(*) FROM audit_event WHERE action = 'plan.schedule'")
        )
    assert 20 <= changes == events <= len(written)
