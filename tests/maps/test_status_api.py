"""/api/v1/status: the compact status of every jurisdiction, public or staff, cached and gzipped."""

from __future__ import annotations

import gzip
import json

from sqlalchemy import update

from tests.factories import COUNTY, OTHER_COUNTY, activate, deferral_request, remove, schedule
from tests.support.records import write
from tracker.extensions import db
from tracker.registry.models import Jurisdiction

URL = "/api/v1/status?as_of=2010-08-31"


def plan(app):
    def _write():
        schedule(COUNTY, "2010-10-15", "2010-06-01")
        deferral_request(COUNTY, "2010-08-01")  # still open on 31 August
        schedule(OTHER_COUNTY, "2010-09-01", "2010-06-01")
        remove(OTHER_COUNTY, "2010-08-15")
        schedule("48005", "2010-07-01", "2010-06-01")
        activate("48005", "2010-07-01")

    write(app, _write)


def body(response) -> dict:
    data = response.data
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return json.loads(data)


def test_anonymous_callers_get_only_public_statuses(app, client):
    plan(app)
    response = client.get(URL)
    assert response.status_code == 200
    document = body(response)
    assert document["as_of"] == "2010-08-31"
    assert document["public"] is True
    statuses = document["statuses"]
    assert len(statuses) == 3233
    assert statuses[COUNTY] == ["p", "2010-10-15"]  # the letter is not public
    assert statuses[OTHER_COUNTY] == ["n"]  # a removal shows as not scheduled
    assert statuses["48005"] == ["a", "2010-07-01"]
    assert {entry[0] for entry in statuses.values()} <= {"a", "p", "n"}
    assert response.headers["Cache-Control"] == "public, max-age=60"


def test_the_document_brings_the_headline_the_map_shows(app, client):
    """The map's script displays this sentence; the map page and the overview say the same."""
    plan(app)
    document = body(client.get(URL))
    activated = sum(1 for entry in document["statuses"].values() if entry[0] == "a")
    assert document["headline"].startswith(
        f"As of 31 August 2010: {activated:,} of 3,233 county equivalents activated in "
    )
    page = client.get("/map?as_of=2010-08-31").get_data(as_text=True)
    assert document["headline"] in page


def test_staff_get_all_five_statuses_privately(app, signed_in):
    plan(app)
    client = signed_in("viewer")
    response = client.get(URL)
    document = body(response)
    assert document["public"] is False
    assert document["statuses"][COUNTY] == ["d", "2010-10-15"]
    assert document["statuses"][OTHER_COUNTY] == ["r"]
    assert response.headers["Cache-Control"] == "no-store"


def test_the_date_matters(app, client):
    plan(app)
    before = body(client.get("/api/v1/status?as_of=2010-05-31"))["statuses"]
    assert before[COUNTY] == ["n"] and before["48005"] == ["n"]


def test_etag_gives_304_until_the_data_changes(app, client):
    first = client.get(URL)
    etag = first.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    other_date = client.get("/api/v1/status?as_of=2010-09-30")
    assert other_date.headers["ETag"] != etag
    plan(app)
    changed = client.get(URL, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_public_and_staff_answers_have_different_etags(app, client, signed_in):
    public_tag = client.get(URL).headers["ETag"]
    staff = signed_in("viewer")
    staff_response = staff.get(URL, headers={"If-None-Match": public_tag})
    assert staff_response.status_code == 200
    assert staff_response.headers["ETag"] != public_tag


def test_gzip_when_the_client_accepts_it(client):
    plain = client.get(URL)
    assert "Content-Encoding" not in plain.headers
    zipped = client.get(URL, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < 20_000  # the whole country, compressed


def test_invalid_parameters_are_400_naming_them(client):
    response = client.get("/api/v1/status?as_of=2010-02-30")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == "as_of"
    assert "as_of" in error["message"]
    response = client.get("/api/v1/status?state=ZZ")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "state"


def test_one_state_and_names(app, client):
    def rename():
        db.session.execute(
            update(Jurisdiction)
            .where(Jurisdiction.fips == COUNTY)
            .values(full_name='<script>alert("x")</script> County')
        )

    write(app, rename)
    document = body(client.get("/api/v1/status?as_of=2010-08-31&state=TX&names=1"))
    assert len(document["statuses"]) == 254
    assert document["names"][COUNTY] == '<script>alert("x")</script> County'
    assert document["state_names"]["TX"] == "Texas"
    assert "names" not in body(client.get("/api/v1/status?as_of=2010-08-31&state=TX"))


def test_openapi_describes_the_endpoint(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/status"]["get"]
    assert operation["operationId"] == "getStatus"
    assert "400" in operation["responses"]


def test_playing_the_rollout_keeps_only_the_small_encoded_answers(app, client):
    """Each date's status rows cost about 1 MiB per worker; the encoded answer about 50 kB.
    Pressing Play asks for ~60 dates, so only the encoded answers may stay in memory."""
    months = [f"{year}-{month:02d}-01" for year in (2009, 2010) for month in range(1, 13)]
    for as_of in months:
        assert client.get(f"/api/v1/status?as_of={as_of}").status_code == 200
    with app.app_context():
        entries = app.extensions["tracker_computed_cache"].entries
        namespaces = {key[0] for key in entries}
        payloads = [value for key, value in entries.items() if key[0] == "map_status_payload"]
        kept = sum(len(value.raw) + len(value.gzipped) for value in payloads)
    # Besides the answers, only the registry's list of states (for the headline) is kept.
    assert namespaces == {"map_status_payload", "registry_states"}
    assert kept < 16 * 100_000
