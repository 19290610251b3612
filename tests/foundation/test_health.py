from __future__ import annotations


def test_healthz_reports_engine_and_registry(client, engine_name):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": engine_name,
        "states": 56,
        "jurisdictions": response.json["jurisdictions"],
    }
    assert response.json["jurisdictions"] >= 3200


def test_unknown_page_is_html_and_unknown_api_path_is_json(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.mimetype == "application/json"
    assert api.json["error"]["status"] == 404


def test_assets_come_from_our_origin_and_cache_forever(client):
    home = client.get("/").get_data(as_text=True)
    assert "cdn" not in home.lower() and "https://" not in home
    import re

    css = re.search(r'href="(/assets/bootstrap/[^"]+bootstrap\.min\.css)"', home).group(1)
    response = client.get(css)
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/assets/bootstrap/0.0.1/css/bootstrap.min.css").status_code == 404
    assert client.get("/assets/bootstrap/5.3.8/../../../etc/passwd").status_code == 404
