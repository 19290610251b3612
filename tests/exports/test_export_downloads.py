"""/exports/<list>.<fmt>: media types, dated attachment names, bad parameters, caching,
provenance, the CLI writing the same bytes, and every format agreeing cell by cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from tests.factories import COUNTY, activate, schedule
from tracker.exports.models import ExportRecord
from tracker.extensions import db

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
    "geojson": "application/geo+json",
}
FROZEN = dt.datetime(2011, 1, 10, 12, 0, 0, tzinfo=dt.UTC)


@pytest.fixture()
def one_activation(app_context):
    with time_machine.travel(FROZEN, tick=False):
        schedule(COUNTY, "2010-06-01", decided_on="2010-01-04")
        activate(COUNTY, "2010-06-01")
    db.session.commit()


def _records(app) -> list[ExportRecord]:
    with app.app_context():
        records = db.session.scalars(select(ExportRecord).order_by(ExportRecord.id)).all()
        for record in records:
            _ = record.user
        db.session.expunge_all()
        return records


@pytest.mark.parametrize("fmt", list(MEDIA_TYPES))
@pytest.mark.parametrize("list_name", ["activated", "planned"])
def test_each_export_is_a_dated_attachment_of_the_right_type(client, list_name, fmt):
    response = client.get(f"/exports/{list_name}.{fmt}?as_of=2010-09-30&state=TX")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == MEDIA_TYPES[fmt]
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="{list_name}-2010-09-30-TX.{fmt}"'
    )
    assert len(response.data) > 0


@pytest.mark.parametrize(
    "query", ["as_of=30/09/2010", "state=XX", "from=2010-02-30", "from=2010-05-01&to=2010-04-01"]
)
def test_bad_parameters_are_400(client, query):
    assert client.get(f"/exports/activated.csv?{query}").status_code == 400


def test_unknown_list_or_format_is_404(client):
    assert client.get("/exports/activated.docx").status_code == 404
    assert client.get("/exports/removed.csv").status_code == 404


def test_every_export_is_logged_with_who_what_and_how_many(one_activation, client, app, signed_in):
    client.get("/exports/activated.csv?as_of=2010-09-30&state=TX")
    staff = signed_in("viewer")
    staff.get("/exports/planned.json?as_of=2010-09-30&from=2010-01-01")
    records = _records(app)
    assert len(records) == 2
    first, second = records
    assert (first.list_name, first.format, first.as_of, first.channel) == (
        "activated",
        "csv",
        dt.date(2010, 9, 30),
        "web",
    )
    assert first.filters == {"state": "TX"}
    assert first.user is None
    with app.app_context():
        from tracker.exports.sources import activated_rows

        assert first.row_count == len(activated_rows(dt.date(2010, 9, 30), state="TX")[1])
    assert first.row_count >= 1
    assert second.user is not None and second.user.role.value == "viewer"
    assert (second.list_name, second.format, second.filters) == (
        "planned",
        "json",
        {"from": "2010-01-01"},
    )


def test_export_log_is_for_admins_only(one_activation, client, signed_in):
    client.get("/exports/activated.pdf?as_of=2010-09-30")
    assert client.get("/exports/log").status_code in (302, 303, 401)
    assert signed_in("editor").get("/exports/log").status_code == 403


def test_admin_sees_the_export_log(one_activation, client, signed_in):
    client.get("/exports/activated.pdf?as_of=2010-09-30&state=TX")
    admin = signed_in("admin")
    html = admin.get("/exports/log").get_data(as_text=True)
    assert "anonymous" in html and "activated" in html and "state=TX" in html
    assert "/exports/log" in admin.get("/releases").get_data(as_text=True)


def test_the_same_request_is_served_from_the_cache_until_the_data_changes(
    one_activation, client, app
):
    with time_machine.travel(FROZEN, tick=False):
        first = client.get("/exports/activated.csv?as_of=2010-12-31").data
    with time_machine.travel(FROZEN + dt.timedelta(hours=1), tick=False):
        again = client.get("/exports/activated.csv?as_of=2010-12-31").data
        assert again == first  # same data: the cached bytes, same generation time
        with app.app_context():
            activate("48003", "2010-12-01")
            db.session.commit()
        changed = client.get("/exports/activated.csv?as_of=2010-12-31").data
    assert changed != first
    assert b"48003" in changed and b"48003" not in first


def test_cli_writes_the_same_bytes_as_the_web(one_activation, client, cli_runner, tmp_path, app):
    with time_machine.travel(FROZEN, tick=False):
        for fmt in ("csv", "json", "xlsx"):
            target = tmp_path / f"out.{fmt}"
            result = cli_runner.invoke(
                args=[
                    "export",
                    "activated",
                    "--as-of",
                    "2010-09-30",
                    "--state",
                    "tx",
                    "--format",
                    fmt,
                    "-o",
                    str(target),
                ]
            )
            assert result.exit_code == 0, result.output
            web = client.get(f"/exports/activated.{fmt}?as_of=2010-09-30&state=TX").data
            assert target.read_bytes() == web
        stdout = cli_runner.invoke(
            args=["export", "activated", "--as-of", "2010-09-30", "--format", "csv"]
        )
        assert stdout.exit_code == 0
        assert stdout.stdout_bytes == client.get("/exports/activated.csv?as_of=2010-09-30").data
        ranged = cli_runner.invoke(
            args=["export", "planned", "--as-of", "2010-09-30", "--from", "2010-01-01"]
            + ["--to", "2010-12-31", "--format", "json"]
        )
        assert ranged.exit_code == 0
        web = client.get("/exports/planned.json?as_of=2010-09-30&from=2010-01-01&to=2010-12-31")
        assert ranged.stdout_bytes == web.data
    channels = [r.channel for r in _records(app)]
    assert channels.count("cli") == 5 and channels.count("web") == 5


def test_cli_rejects_bad_dates_and_states(cli_runner):
    result = cli_runner.invoke(args=["export", "activated", "--as-of", "soon", "--format", "csv"])
    assert result.exit_code != 0 and "--as-of" in result.output
    result = cli_runner.invoke(args=["export", "planned", "--state", "ZZ", "--format", "csv"])
    assert result.exit_code != 0 and "--state" in result.output


def test_demo_rollout_every_format_agrees_with_the_map_status_cell_by_cell(client, app):
    """30 September 2010 with the demo rollout: CSV, XLSX, PDF, JSON and GeoJSON hold the same
    rows, and they are exactly the jurisdictions the status rule (behind the map) calls
    activated."""
    from tracker.seeding.demo import seed_demo
    from tracker.status.rule import Status, status_as_of

    with app.app_context():
        seed_demo()
        db.session.commit()
        expected = [
            (r.state_postal, r.state_name, r.fips, r.full_name, r.activated_on.isoformat())
            for r in status_as_of(dt.date(2010, 9, 30), public=True)
            if r.status is Status.ACTIVATED
        ]
    assert len(expected) > 100
    get = lambda fmt: client.get(f"/exports/activated.{fmt}?as_of=2010-09-30").data  # noqa: E731

    csv_rows = [tuple(row[:5]) for row in list(csv.reader(io.StringIO(get("csv").decode())))[1:]]
    assert csv_rows == expected

    sheet = load_workbook(io.BytesIO(get("xlsx"))).active
    xlsx_rows = [
        (a, b, c, d, e.date().isoformat())
        for a, b, c, d, e in sheet.iter_rows(min_row=4, values_only=True)
    ]
    assert xlsx_rows == expected

    json_rows = [tuple(row.values()) for row in json.loads(get("json"))["rows"]]
    assert json_rows == expected

    features = json.loads(get("geojson"))["features"]
    assert [f["id"] for f in features] == [row[2] for row in expected]
    assert all(f["geometry"] is not None for f in features)

    reader = PdfReader(io.BytesIO(get("pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"Total: {len(expected):,} jurisdictions" in text
    # Cell by cell: each table row reads "FIPS, jurisdiction, activated on" in the text layer.
    for _state, _name, fips, jurisdiction, activated_on in expected:
        assert f"{fips}\n{jurisdiction}\n{activated_on}" in text, fips
    states = {(row[0], row[1]) for row in expected}
    for postal, name in states:
        count = sum(1 for row in expected if row[0] == postal)
        assert f"{name} ({postal}): {count}" in text
    # The PDF lists the rows in the same order as the other formats.
    positions = [text.index(row[2]) for row in expected]
    assert positions == sorted(positions)
