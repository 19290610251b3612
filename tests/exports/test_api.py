"""/api/v1/activations and /api/v1/openapi.json: every API route is described, every reference
resolves, and the activations endpoint keeps the shared paging and error formats."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from tests.factories import COUNTY, activate, schedule
from tracker.exports.models import ExportRecord
from tracker.extensions import db

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _shape(path: str) -> str:
    """A path with its variables blanked: /api/v1/deferrals/<int:request_id> and
    /api/v1/deferrals/{id} describe the same route."""
    return re.sub(r"<[^<>]+>|\{[^{}]+\}", "{}", path)


def test_every_api_route_is_in_the_openapi_document(client, app):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    described = {_shape(path): operations for path, operations in document["paths"].items()}
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = _shape(rule.rule)
        for method in sorted(rule.methods & METHODS):
            if method.lower() not in described.get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == []


def test_every_operation_documents_its_responses_and_every_ref_resolves(client):
    document = client.get("/api/v1/openapi.json").get_json()

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in set(refs(document)):
        assert ref.startswith("#/"), ref
        node = document
        for part in ref[2:].split("/"):
            assert part in node, f"unresolved {ref}"
            node = node[part]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "200" in operation["responses"] or "201" in operation["responses"], path
            if "parameters" in operation and operation["parameters"]:
                assert any(code.startswith("4") for code in operation["responses"]), (method, path)
    components = document["components"]
    assert set(components["parameters"]) >= {"as_of", "state", "page", "per_page"}
    error = components["schemas"]["Error"]["properties"]["error"]["properties"]
    assert set(error) == {"status", "code", "message", "parameter"}
    assert components["responses"]["Error"]


@pytest.fixture()
def activated_county(app_context):
    with time_machine.travel(dt.datetime(2011, 1, 10, 12), tick=False):
        schedule(COUNTY, "2010-06-01", decided_on="2010-01-04")
        activate(COUNTY, "2010-06-01")
    db.session.commit()


def test_activations_api_pages_the_activated_list(activated_county, client, app):
    body = client.get("/api/v1/activations?as_of=2010-09-30&state=TX&per_page=2").get_json()
    assert set(body) >= {"items", "page", "per_page", "total", "pages", "as_of"}
    assert body["as_of"] == "2010-09-30" and body["per_page"] == 2
    web = client.get("/exports/activated.json?as_of=2010-09-30&state=TX").get_json()
    assert body["total"] == web["count"]
    assert body["pages"] == -(-web["count"] // 2)
    everything = client.get("/api/v1/activations?as_of=2010-09-30&state=TX&per_page=500")
    items = everything.get_json()["items"]
    assert [i["fips"] for i in items] == [r["fips"] for r in web["rows"]]
    assert COUNTY in [i["fips"] for i in items]
    assert items[0].keys() == {"fips", "jurisdiction", "state", "state_name", "activated_on"}
    with app.app_context():
        assert db.session.query(ExportRecord).filter_by(channel="api").count() == 2


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("as_of=never", "as_of"),
        ("state=QQ", "state"),
        ("page=0", "page"),
        ("per_page=x", "per_page"),
    ],
)
def test_activations_api_errors_use_the_shared_format(client, query, parameter):
    response = client.get(f"/api/v1/activations?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid"
    assert error["parameter"] == parameter and error["message"]
