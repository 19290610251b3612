"""known_at on every as-of page, download and API answer: the same moment read the same way
(YYYY-MM-DD is the end of that day in TRACKER_TIMEZONE), a banner when it is given, a clear 400
when it is not a moment, and the OpenAPI document describing it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from tests.factories import COUNTY, activate, schedule
from tests.support.records import write

D = dt.date.fromisoformat
BANNER = "As the records stood at 31 August 2010, 23:59 EDT"


@pytest.fixture()
def late_activation(app, database):
    """Anderson County planned for 2010-08-20, activated then, but recorded on 2010-09-03."""
    with time_machine.travel(dt.datetime(2010, 7, 1, 15, tzinfo=dt.UTC), tick=False):
        write(app, lambda: schedule(COUNTY, "2010-08-20", "2010-07-01"))
    with time_machine.travel(dt.datetime(2010, 9, 3, 15, tzinfo=dt.UTC), tick=False):
        write(app, lambda: activate(COUNTY, "2010-08-20"))


def test_known_at_reads_dates_in_the_office_time_zone_and_refuses_nonsense(app):
    from tracker.dates import parse_known_at
    from tracker.errors import DomainError

    with app.app_context():
        assert parse_known_at("2010-08-31") == dt.datetime(
            2010, 9, 1, 3, 59, 59, 999999, tzinfo=dt.UTC
        )
        assert parse_known_at("2010-12-31") == dt.datetime(
            2011, 1, 1, 4, 59, 59, 999999, tzinfo=dt.UTC
        )  # EST in winter
        assert parse_known_at("2010-08-31T09:00") == dt.datetime(2010, 8, 31, 13, tzinfo=dt.UTC)
        assert parse_known_at("2010-08-31T09:00Z") == dt.datetime(2010, 8, 31, 9, tzinfo=dt.UTC)
        assert parse_known_at("") is None
        for bad in ("yesterday", "2010-13-01", "1899-12-31", "2210-01-01"):
            with pytest.raises(DomainError):
                parse_known_at(bad)


def test_every_page_and_answer_reads_the_records_at_known_at(late_activation, signed_in, client):
    query = "as_of=2010-08-31&known_at=2010-08-31"
    # Public: the map's status document, the list and its downloads, the activations API.
    now = client.get("/api/v1/status?as_of=2010-08-31").get_json()
    then = client.get(f"/api/v1/status?{query}")
    assert now["statuses"][COUNTY][0] == "a"
    assert then.get_json()["statuses"][COUNTY] == ["p", "2010-08-20"]
    assert then.get_json()["known_at"] == "2010-09-01T03:59:59.999999+00:00"
    assert then.headers["ETag"] != client.get("/api/v1/status?as_of=2010-08-31").headers["ETag"]
    page = client.get(f"/map?{query}").get_data(as_text=True)
    assert BANNER in page and 'name="known_at" value="2010-08-31"' in page
    assert '"knownAt": "2010-08-31"' in page or '"knownAt":"2010-08-31"' in page
    assert "known_at=2010-08-31" in client.get(f"/map?{query}").get_data(as_text=True)
    download = client.get(f"/map/download?{query}").get_data(as_text=True)
    assert BANNER in download
    assert BANNER in client.get(f"/activated?{query}&state=TX").get_data(as_text=True)
    for fmt in ("csv", "xlsx", "pdf", "json", "geojson"):
        known = client.get(f"/exports/activated.{fmt}?{query}&state=TX")
        plain = client.get(f"/exports/activated.{fmt}?as_of=2010-08-31&state=TX")
        assert known.status_code == plain.status_code == 200, fmt
        assert "known-2010-09-01T035959" in known.headers["Content-Disposition"], fmt
        assert known.data != plain.data, fmt
    csv = client.get(f"/exports/activated.csv?{query}&state=TX").get_data(as_text=True)
    assert csv.splitlines()[0].endswith("as_of,generated_at,known_at") and COUNTY not in csv
    api = client.get(f"/api/v1/activations?{query}&state=TX").get_json()
    assert COUNTY not in {item["fips"] for item in api["items"]}
    assert api["known_at"] == "2010-09-01T03:59:59.999999+00:00"
    summary = client.get(f"/api/v1/summary?{query}").get_json()
    assert (
        summary["known_at"]
        and summary["counts"]["activated"]
        < (client.get("/api/v1/summary?as_of=2010-08-31").get_json()["counts"]["activated"])
    )
    listing = client.get(f"/api/v1/jurisdictions?{query}&q={COUNTY}").get_json()
    assert listing["items"][0]["status"] == "planned" and listing["known_at"]
    # Staff: the dashboard, the state pages, the jurisdiction page and list.
    staff = signed_in("viewer")
    for path in (
        f"/dashboard?{query}",
        f"/states?{query}",
        f"/states/TX?{query}",
        f"/jurisdictions/{COUNTY}?{query}",
    ):
        response = staff.get(path)
        assert response.status_code == 200, path
        assert BANNER in response.get_data(as_text=True), path
    assert "Show the records as they stand now" in staff.get(f"/states/TX?{query}").get_data(
        as_text=True
    )
    # A bad moment is a 400 that names the parameter, on pages and in the API.
    assert staff.get("/dashboard?known_at=soon").status_code == 400
    refused = client.get("/api/v1/status?known_at=soon")
    assert refused.status_code == 400
    assert refused.get_json()["error"]["parameter"] == "known_at"


def test_the_cli_export_and_its_provenance_take_known_at(late_activation, cli_runner, app):
    result = cli_runner.invoke(
        args=["export", "activated", "--as-of", "2010-08-31", "--known-at", "2010-08-31",
              "--state", "TX", "--format", "json"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout_bytes)
    assert COUNTY not in {row["fips"] for row in body["rows"]}
    assert body["filters"]["known_at"] == "2010-09-01T03:59:59.999999+00:00"
    bad = cli_runner.invoke(args=["export", "activated", "--known-at", "x", "--format", "csv"])
    assert bad.exit_code == 2 and "--known-at" in bad.output
    from sqlalchemy import select

    from tracker.exports.models import ExportRecord
    from tracker.extensions import db

    with app.app_context():
        record = db.session.scalars(select(ExportRecord).order_by(ExportRecord.id.desc())).first()
        assert record.channel == "cli" and record.known_at is not None


def test_the_openapi_document_describes_known_at_on_every_as_of_endpoint(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert "known_at" in document["components"]["parameters"]
    for path, operations in document["paths"].items():
        parameters = json.dumps(operations["get"].get("parameters", []))
        if "as_of" in parameters:
            assert "known_at" in parameters, path
