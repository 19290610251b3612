"""Response headers on every response (sign-in throttling: test_throttling.py)."""

from __future__ import annotations

import re

import pytest

from tests.support.apps import make_app


def csp_of(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in policy.split(";")) if part}


@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/no-such-page", "/api/v1/no-such"])
def test_every_response_carries_the_hardening_headers(client, path):
    response = client.get(path)
    policy = csp_of(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert re.search(r"'nonce-[A-Za-z0-9_-]{20,}'", policy["script-src"])
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_each_request_gets_its_own_nonce_and_inline_scripts_carry_it(client):
    first = csp_of(client.get("/login"))["script-src"]
    second = csp_of(client.get("/login"))["script-src"]
    assert first != second


def test_https_setting_adds_hsts(app, tmp_path):
    secure = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, TRACKER_HTTPS="true")
    response = secure.test_client().get("/login")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_a_write_that_loses_a_race_is_a_conflict_not_a_server_error(app, tmp_path):
    """Any StaleDataError that reaches Flask becomes a 409 with a message, page or API."""
    from sqlalchemy.orm.exc import StaleDataError

    racing = make_app(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)

    def lose_the_race():
        raise StaleDataError("UPDATE statement on table 'jurisdiction' expected to update 1 row")

    racing.add_url_rule("/race", "race", lose_the_race)
    racing.add_url_rule("/api/v1/race", "api_race", lose_the_race)
    client = racing.test_client()
    page = client.get("/race")
    assert page.status_code == 409
    assert "Someone else changed this record" in page.get_data(as_text=True)
    api = client.get("/api/v1/race")
    assert api.status_code == 409
    assert api.get_json()["error"]["code"] == "conflict"
