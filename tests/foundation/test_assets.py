"""Front-end assets: served by the app itself from installed packages, cached forever, and no
page makes a browser fetch anything from another origin (no CDN, works offline)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from tests.support.html import fetched_urls, off_origin

# Signing out through GET would end the admin's session half-way through the tour.
SKIPPED = {"auth.logout"}


def _pages(app) -> list[str]:
    """Every GET route that needs no arguments (the pages a person can open from a bookmark)."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint not in SKIPPED
    )


def _check_pages(client, pages: list[str], seen_assets: set[str]) -> int:
    html_pages = 0
    for path in pages:
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html_pages += 1
        html = response.get_data(as_text=True)
        anywhere = off_origin(fetched_urls(html, inline_css=True))
        assert not anywhere, f"{path} makes the browser fetch {anywhere}"
        seen_assets.update(
            urljoin(path, url) for url in fetched_urls(html) if not url.startswith("data:")
        )
    return html_pages


def test_no_page_fetches_from_another_origin_and_every_asset_exists(app, client, signed_in):
    assets: set[str] = set()
    pages = _pages(app)
    public = _check_pages(client, pages, assets)
    staff = _check_pages(signed_in("admin"), pages, assets)
    assert public >= 5 and staff > public  # the tour really saw the public and the staff pages
    assert any("/assets/bootstrap/" in url for url in assets)
    assert any("/assets/leaflet/" in url for url in assets)
    for url in sorted(assets):
        response = client.get(url)
        assert response.status_code == 200, url
        if response.mimetype == "text/css":
            css = response.get_data(as_text=True)
            imports = re.findall(r"""(?:url\(|@import)\s*['"]?([^'")\s;]+)""", css)
            assert not off_origin(imports), f"{url} fetches {off_origin(imports)}"


def test_vendor_assets_carry_their_version_and_cache_forever(client):
    home = client.get("/").get_data(as_text=True)
    css_url = next(url for url in fetched_urls(home) if url.endswith("bootstrap.min.css"))
    version = re.fullmatch(r"/assets/bootstrap/([^/]+)/css/bootstrap\.min\.css", css_url).group(1)
    response = client.get(css_url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # The URL's version is the version of the file behind it, so "immutable" is true.
    banner = re.search(r"Bootstrap\s+v(\S+)", response.get_data(as_text=True)[:300]).group(1)
    assert banner == version
    assert client.get("/assets/bootstrap/0.0.1/css/bootstrap.min.css").status_code == 404
    assert client.get(f"/assets/bootstrap/{version}/../../../etc/passwd").status_code == 404
    assert client.get("/assets/no-such-library/1.0/x.js").status_code == 404
