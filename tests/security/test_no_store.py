"""What a signed-in person is shown is never kept by a browser or a proxy (Cache-Control:
no-store), on every page and API answer; public answers and the app's own files stay cacheable."""

from __future__ import annotations

from tests.security.test_authorization_matrix import sample_url
from tests.support.web import sign_in


def test_every_html_and_json_answer_to_staff_is_no_store(app, client, make_user):
    sign_in(client, make_user("admin"))
    checked = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "auth.logout":
            continue
        url = sample_url(rule)
        response = client.get(url)
        if response.mimetype in ("text/html", "application/json"):
            assert response.headers.get("Cache-Control") == "no-store", url
            checked.append(url)
        elif rule.endpoint in ("static", "assets.vendor"):
            assert "no-store" not in response.headers.get("Cache-Control", ""), url
    assert {"/dashboard", "/api/v1/summary", "/api/v1/status", "/audit", "/"} <= set(checked)


def test_public_answers_stay_cacheable_and_sign_in_pages_do_not(client):
    assert client.get("/api/v1/status").headers["Cache-Control"] == "public, max-age=60"
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    for page in ("/login", "/logout"):
        assert client.get(page).headers["Cache-Control"] == "no-store", page
