"""/map, the map on /, and /map/download: our template, Folium's parts, nothing inlined but the
small configuration, and every text escaped."""

from __future__ import annotations

import json
import re
from collections import Counter

from sqlalchemy import update

from tests.factories import COUNTY, D, activate, deferral_request, schedule
from tests.support.records import write
from tracker.extensions import db
from tracker.maps.geometry import shape_file
from tracker.registry.models import Jurisdiction, State
from tracker.status.rule import Status, status_as_of

EVIL = '<script>alert("pwned")</script>'


def plan(app):
    def _write():
        schedule(COUNTY, "2010-07-01", "2010-06-01")
        activate(COUNTY, "2010-07-01")
        schedule("48003", "2010-10-15", "2010-06-01")
        deferral_request("48003", "2010-08-01")
        schedule("06037", "2011-01-10", "2010-06-01")

    write(app, _write)


def by_state(app, as_of: str, status: Status) -> Counter:
    """How many jurisdictions of each state have `status`, straight from the as-of rule."""
    with app.app_context():
        rows = status_as_of(D(as_of), public=True)
        db.session.remove()
    return Counter(row.state_postal for row in rows if row.status is status)


def inline_scripts(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)


def test_map_page_embeds_folium_parts_in_our_template(app, client):
    plan(app)
    response = client.get("/map?as_of=2010-08-31")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    activated = by_state(app, "2010-08-31", Status.ACTIVATED)
    summary = re.search(
        r"As of 31 August 2010: ([\d,]+) of 3,233 county equivalents activated in (\d+) states",
        html,
    )
    assert int(summary.group(1).replace(",", "")) == sum(activated.values())
    assert int(summary.group(2)) == len(activated)  # no territory activated by then
    assert "Skip to main content" in html  # base.html
    assert "TrackerMap.attach(" in html
    # Every inline script carries this response's nonce, and the CSP names it.
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    scripts = inline_scripts(html)
    assert scripts
    assert all(f'nonce="{nonce}"' in attributes for attributes in scripts)
    assert (
        "unsafe-inline"
        not in response.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    # Shapes are referenced by their versioned URL, never embedded; nothing from a CDN.
    assert '"coordinates"' not in html
    assert f"counties.{shape_file('counties').digest}.geojson" in html
    assert not re.search(r'(src|href)="https?://', html)
    assert len(html) < 120_000
    # The public view: no internal statuses in the table or legend.
    assert "Deferral pending" not in html
    assert f'data-count="TX:activated">{activated["TX"]}<' in html
    planned = by_state(app, "2010-08-31", Status.PLANNED)
    assert f'data-count="CA:planned">{planned["CA"]}<' in html


def test_staff_see_internal_statuses_and_links_to_jurisdiction_pages(app, signed_in):
    plan(app)
    html = signed_in("viewer").get("/map?as_of=2010-08-31").get_data(as_text=True)
    assert "Deferral pending" in html
    assert 'data-count="TX:deferral_pending">' in html
    assert '"countyUrl":"/jurisdictions/{fips}"' in html


def test_the_public_click_goes_to_the_public_list(client):
    html = client.get("/map?as_of=2010-08-31").get_data(as_text=True)
    assert '"countyUrl":null' in html
    assert '"activated":"/activated"' in html


def test_state_and_date_come_from_the_url(client):
    html = client.get("/map?as_of=2011-02-28&state=pr").get_data(as_text=True)
    assert 'value="2011-02-28"' in html
    assert '<option value="PR" selected>' in html
    assert '"state":"PR"' in html


def test_bad_parameters_are_400_naming_them(client):
    response = client.get("/map?as_of=31/08/2010")
    assert response.status_code == 400
    assert "as_of must be a date" in response.get_data(as_text=True)
    response = client.get("/map?state=XX")
    assert response.status_code == 400
    assert "state must be" in response.get_data(as_text=True)


def test_overview_shows_the_compact_map(client):
    html = client.get("/").get_data(as_text=True)
    assert "TrackerMap.attach(" in html
    assert '"compact":true' in html
    assert 'href="/map"' in html
    assert '"coordinates"' not in html


def test_download_is_one_self_contained_file(app, client):
    plan(app)
    response = client.get("/map/download?as_of=2010-08-31&state=TX")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="activation-map-2010-08-31-TX.html"'
    )
    html = response.get_data(as_text=True)
    # Nothing is loaded from anywhere: no external script, style sheet, image or font.
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"<link[^>]*\bhref=", html)
    assert not re.search(r"url\((?!['\"]?(data:|images/|#))", html)
    assert "fetch(" in html  # map.js is inlined, but the download never calls it:
    assert '"statusUrl":null' in html and '"shapesUrls":{}' in html
    # The only absolute URLs are the SVG namespace and Leaflet's own attribution link.
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    assert urls <= {
        "http://www.w3.org/2000/svg",
        "https://leafletjs.com",
        "https://bugzilla.mozilla.org/show_bug.cgi?id=888319",
    }
    # The shapes and the date's statuses are inside.
    counties = re.search(
        r'<script type="application/json" id="tracker-shapes-counties">(.*?)</script>', html, re.S
    ).group(1)
    assert len(json.loads(counties)["features"]) == 3233
    assert '"inlineStatus":{"as_of":"2010-08-31"' in html
    assert '"48001":["a","2010-07-01"]' in html


def test_every_text_from_the_data_is_escaped(app, client):
    def rename():
        db.session.execute(
            update(Jurisdiction).where(Jurisdiction.fips == COUNTY).values(full_name=EVIL)
        )
        db.session.execute(update(State).where(State.postal == "TX").values(name=f"Texas {EVIL}"))

    write(app, rename)
    for url in ("/map?as_of=2010-08-31", "/", "/map/download?as_of=2010-08-31"):
        assert EVIL not in client.get(url).get_data(as_text=True), url
    download = client.get("/map/download?as_of=2010-08-31").get_data(as_text=True)
    assert '"48001":"\\u003cscript\\u003ealert(\\"pwned\\")\\u003c/script\\u003e"' in download
    page = client.get("/map?as_of=2010-08-31").get_data(as_text=True)
    assert "Texas &lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page


def test_the_map_script_never_writes_markup():
    """Data reaches the page only through textContent: no innerHTML, outerHTML,
    insertAdjacentHTML or document.write in our scripts (so a county name cannot become markup)."""
    from pathlib import Path

    import tracker

    folder = Path(tracker.__file__).parent / "static" / "maps"
    script = (folder / "map.js").read_text() + (folder / "county-layer.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    assert "textContent" in script


def test_a_basemap_only_when_configured(app, client, monkeypatch):
    html = client.get("/map?as_of=2010-08-31").get_data(as_text=True)
    assert "L.tileLayer" not in html
    monkeypatch.setitem(
        app.config, "TRACKER_TILES_URL", "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    )
    monkeypatch.setitem(app.config, "TRACKER_TILES_ATTRIBUTION", "Tiles by Example")
    response = client.get("/map?as_of=2010-08-31")
    html = response.get_data(as_text=True)
    assert "L.tileLayer" in html and "Tiles by Example" in html
    assert "https://*.tiles.example.org" in response.headers["Content-Security-Policy"]
    # A download opens offline, so it never asks a tile server.
    download = client.get("/map/download?as_of=2010-08-31").get_data(as_text=True)
    assert "tiles.example.org" not in download
