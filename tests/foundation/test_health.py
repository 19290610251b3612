from __future__ import annotations

import re


def test_healthz_reports_engine_registry_version_and_schema(client, engine_name):
    from tracker.resources import tracker_version

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json
    assert body == {
        "status": "ok",
        "database": engine_name,
        "states": 56,
        "jurisdictions": body["jurisdictions"],
        "version": tracker_version(),
        "schema_revision": body["schema_head"],
        "schema_head": body["schema_head"],
    }
    assert body["jurisdictions"] >= 3200
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", body["version"])
    # The revision is the newest file in migrations/versions (its id follows the timestamp).
    from tracker.resources import runtime_folder

    newest = sorted((runtime_folder("migrations") / "versions").glob("*.py"))[-1].name
    assert newest.split("_")[2] == body["schema_head"]


def test_unknown_page_is_html_and_unknown_api_path_is_json(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.mimetype == "application/json"
    assert api.json["error"]["status"] == 404
