"""Numbered releases: published by editors, frozen, byte-identical forever, with the changes
since the previous release, every download logged."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import COUNTY, OTHER_COUNTY, activate, schedule
from tracker.audit.models import AuditEvent
from tracker.exports import releases
from tracker.exports.models import ExportRecord, Release, ReleaseFile
from tracker.extensions import db

PUBLISHED = dt.datetime(2011, 1, 10, 15, 30, tzinfo=dt.UTC)
NEXT_YEAR = dt.datetime(2012, 1, 10, 9, 0, tzinfo=dt.UTC)
HARRIS = "48201"


@pytest.fixture()
def two_releases(app_context):
    """Release 1 as of 2010-09-30; then the data changes; release 2 as of 2010-12-31."""
    with time_machine.travel(PUBLISHED, tick=False):
        schedule(COUNTY, "2010-06-01", decided_on="2010-01-04")
        activate(COUNTY, "2010-06-01")
        releases.publish_release(dt.date(2010, 9, 30), "First")
        db.session.commit()
        activate(OTHER_COUNTY, "2010-10-05")
        releases.publish_release(dt.date(2010, 12, 31), "Second")
        db.session.commit()


def test_publishing_freezes_four_files_with_checksums(two_releases):
    release = db.session.get(Release, 1)
    assert release.as_of == dt.date(2010, 9, 30)
    assert release.notes == "First"
    assert release.published_at.replace(tzinfo=dt.UTC) == PUBLISHED
    assert sorted(f.format for f in release.files) == ["csv", "json", "pdf", "xlsx"]
    for stored in release.files:
        assert stored.sha256 == hashlib.sha256(stored.content).hexdigest()
        assert stored.size_bytes == len(stored.content)
        assert stored.filename == f"release-1-activated-2010-09-30.{stored.format}"
    document = json.loads(releases.release_file(1, "json").content)
    assert document["generated_at"] == "2011-01-10T15:30:00Z"
    assert document["count"] == release.row_count
    assert COUNTY in {row["fips"] for row in document["rows"]}


def test_changes_since_the_previous_release(two_releases):
    first, second = db.session.get(Release, 1), db.session.get(Release, 2)
    assert first.changes["removed"] == [] and first.changes["date_changed"] == []
    assert len(first.changes["added"]) == first.row_count
    added = [item["fips"] for item in second.changes["added"]]
    assert added == [OTHER_COUNTY]
    assert second.changes["removed"] == []
    assert second.changes["date_changed"] == []
    assert second.row_count == first.row_count + 1


def test_changes_between_reports_added_removed_and_date_changed():
    def row(fips, day):
        return {"fips": fips, "state": "TX", "jurisdiction": fips, "activated_on": day}

    previous = {"1": row("1", "2010-01-01"), "2": row("2", "2010-01-02")}
    current = {"2": row("2", "2010-02-02"), "3": row("3", "2010-03-03")}
    changes = releases.changes_between(previous, current)
    assert [c["fips"] for c in changes["added"]] == ["3"]
    assert [c["fips"] for c in changes["removed"]] == ["1"]
    assert changes["date_changed"] == [
        {**row("2", "2010-02-02"), "previous_activated_on": "2010-01-02"}
    ]


def test_publishing_is_audited(two_releases):
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "release", AuditEvent.entity_id == "2")
    )
    assert event.action == "publish"
    assert event.after["files"]["csv"] == releases.release_file(2, "csv").sha256
    assert event.after["changes"] == {"added": 1, "removed": 0, "date_changed": 0}


def test_a_published_release_cannot_change(two_releases):
    stored = releases.release_file(1, "csv")
    stored.content = b"tampered"
    with pytest.raises(releases.ReleaseImmutable):
        db.session.flush()
    db.session.rollback()
    release = db.session.get(Release, 1)
    release.notes = "rewritten"
    with pytest.raises(releases.ReleaseImmutable):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(ReleaseFile, releases.release_file(1, "pdf").id))
    with pytest.raises(releases.ReleaseImmutable):
        db.session.flush()
    db.session.rollback()


def test_no_route_changes_a_release(two_releases, app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/releases/<"):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def test_future_as_of_is_refused(app_context):
    with time_machine.travel(PUBLISHED, tick=False), pytest.raises(releases.DomainError):
        releases.publish_release(dt.date(2011, 1, 11))


def test_download_next_year_is_byte_identical_and_logged(two_releases, client, app):
    with app.app_context():
        frozen = {f.format: (f.content, f.sha256) for f in db.session.get(Release, 1).files}
    with time_machine.travel(NEXT_YEAR, tick=False):
        with app.app_context():
            activate(HARRIS, "2010-09-01")  # a late correction of the past
            db.session.commit()
        for fmt, (content, sha256) in frozen.items():
            response = client.get(f"/releases/1/{fmt}")
            assert response.status_code == 200
            assert response.data == content
            assert hashlib.sha256(response.data).hexdigest() == sha256
            assert (
                response.headers["Content-Disposition"]
                == f'attachment; filename="release-1-activated-2010-09-30.{fmt}"'
            )
        # The live list changed; the release did not.
        live = client.get("/exports/activated.json?as_of=2010-09-30").data
        assert HARRIS in {row["fips"] for row in json.loads(live)["rows"]}
        assert HARRIS not in {row["fips"] for row in json.loads(frozen["json"][0])["rows"]}
    with app.app_context():
        logged = db.session.scalars(
            select(ExportRecord).where(ExportRecord.list_name == "release 1")
        ).all()
        assert sorted(r.format for r in logged) == ["csv", "json", "pdf", "xlsx"]
        assert {r.as_of for r in logged} == {dt.date(2010, 9, 30)}


def test_public_release_pages(two_releases, client):
    listing = client.get("/releases").get_data(as_text=True)
    assert "Release 1" in listing and "Release 2" in listing
    assert "1 added, 0 removed, 0 date changed" in listing
    assert "Publish a release" not in listing
    page = client.get("/releases/2").get_data(as_text=True)
    assert "Changes since" in page and "Release 1" in page
    assert OTHER_COUNTY in page
    with client.application.app_context():
        for stored in db.session.get(Release, 2).files:
            assert stored.sha256 in page
            assert f"/releases/2/{stored.format}" in page
    first = client.get("/releases/1").get_data(as_text=True)
    assert "This is the first release" in first
    assert client.get("/releases/9").status_code == 404
    assert client.get("/releases/1/geojson").status_code == 404


def test_editor_publishes_through_the_form(client, signed_in, app):
    with time_machine.travel(PUBLISHED, tick=False):
        editor = signed_in("editor")
        form = editor.get("/releases/new")
        assert form.status_code == 200 and "Release 1 will freeze" in form.get_data(as_text=True)
        bad = editor.post("/releases/new", data={"as_of": "2011-02-01", "notes": ""})
        assert bad.status_code == 400 and "future" in bad.get_data(as_text=True)
        response = editor.post("/releases/new", data={"as_of": "2010-09-30", "notes": "Hello"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/releases/1")
    with app.app_context():
        release = db.session.get(Release, 1)
        assert release.published_by.role.value == "editor"
        assert release.notes == "Hello"


def test_only_editors_publish(client, signed_in):
    assert client.get("/releases/new").status_code in (302, 303, 401)
    assert client.post("/releases/new", data={"as_of": "2010-09-30"}).status_code in (302, 303, 401)
    assert (
        signed_in("viewer").post("/releases/new", data={"as_of": "2010-09-30"}).status_code == 403
    )
