"""The pure builder: rows -> folium.Map, with local Leaflet only, no shapes and no CDN."""

from __future__ import annotations

import datetime as dt
import json
import re

import folium

from tests.maps.support import row
from tracker.maps.builder import (
    MapParams,
    build_map,
    legend_items,
    planned_band,
    render_parts,
)
from tracker.maps.encoding import encode_statuses, script_json, status_document
from tracker.status.rule import Status

AS_OF = dt.date(2010, 8, 31)
ROWS = [
    row("48001", Status.ACTIVATED, activated_on=dt.date(2009, 11, 3)),
    row("48003", Status.PLANNED, name="Andrews County", scheduled_on=dt.date(2010, 9, 15)),
    row("48005", Status.PLANNED, name="Angelina County", scheduled_on=dt.date(2012, 1, 1)),
    row("48007", Status.NOT_SCHEDULED, name="Aransas County"),
]


def params(**changes) -> MapParams:
    values = {
        "as_of": AS_OF,
        "public": True,
        "leaflet_js": "/assets/leaflet/1.9.3/leaflet.js",
        "leaflet_css": "/assets/leaflet/1.9.3/leaflet.css",
        "shapes_urls": {
            "counties": "/map/shapes/counties.0123456789abcdef.geojson",
            "states": "/map/shapes/states.fedcba9876543210.geojson",
        },
    }
    values.update(changes)
    return MapParams(**values)


def whole_page(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def test_builder_returns_a_folium_map_without_tiles_or_cdn_assets():
    fmap = build_map(ROWS, params())
    assert isinstance(fmap, folium.Map)
    html = whole_page(fmap)
    assert re.findall(r"https?://", html) == []
    for cdn in ("jsdelivr", "jquery", "bootstrap", "awesome", "cloudflare", "netdna"):
        assert cdn not in html.lower()
    assert re.findall(r'<script src="([^"]+)"', html) == ["/assets/leaflet/1.9.3/leaflet.js"]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == [
        "/assets/leaflet/1.9.3/leaflet.css"
    ]
    assert "L.tileLayer" not in html
    # Folium's class-wide defaults are untouched: the next plain folium map still works.
    assert any("leaflet" in url for _name, url in folium.Map.default_js)


def test_the_page_parts_hold_no_shapes_and_no_inline_scripts_in_the_header():
    parts = render_parts(build_map(ROWS, params()))
    joined = parts.header + parts.html + parts.script
    assert '"coordinates"' not in joined
    assert "Polygon" not in joined
    assert "<script>" not in parts.header
    assert "user-scalable" not in parts.header
    assert "/map/shapes/counties.0123456789abcdef.geojson" in parts.script
    assert "TrackerMap.attach(" in parts.script
    assert len(joined) < 10_000


def test_tiles_only_when_a_tile_url_is_set():
    html = whole_page(
        build_map(
            ROWS,
            params(
                tiles_url="https://tiles.example.org/{z}/{x}/{y}.png",
                tiles_attribution="Tiles by Example",
            ),
        )
    )
    assert "L.tileLayer" in html
    assert "https://tiles.example.org/{z}/{x}/{y}.png" in html
    assert "Tiles by Example" in html


def test_planned_jurisdictions_are_shaded_by_how_soon():
    assert planned_band(dt.date(2010, 8, 30), AS_OF) == "planned_past_due"
    assert planned_band(AS_OF, AS_OF) == "planned_30"
    assert planned_band(dt.date(2010, 9, 30), AS_OF) == "planned_30"
    assert planned_band(dt.date(2010, 10, 1), AS_OF) == "planned_90"
    assert planned_band(dt.date(2011, 8, 31), AS_OF) == "planned_365"
    assert planned_band(dt.date(2011, 9, 1), AS_OF) == "planned_later"


def test_legend_counts_every_category_and_public_legends_hide_internal_statuses():
    counts = {item["key"]: item["count"] for item in legend_items(ROWS, AS_OF, public=True)}
    assert counts["activated"] == 1
    assert counts["planned_30"] == 1
    assert counts["planned_later"] == 1
    assert counts["not_scheduled"] == 1
    assert "deferral_pending" not in counts and "removed" not in counts
    staff = {item["key"] for item in legend_items(ROWS, AS_OF, public=False)}
    assert {"deferral_pending", "removed"} <= staff
    for item in legend_items(ROWS, AS_OF, public=False):
        assert item["label"] and item["mark"] and item["pattern"]


def test_compact_encoding():
    assert encode_statuses(ROWS) == {
        "48001": ["a", "2009-11-03"],
        "48003": ["p", "2010-09-15"],
        "48005": ["p", "2012-01-01"],
        "48007": ["n"],
    }
    document = status_document(
        ROWS, as_of="2010-08-31", data_version=7, public=True, headline="As of…", names=True
    )
    assert document["headline"] == "As of…"
    assert document["names"]["48003"] == "Andrews County"
    assert document["codes"]["d"] == "deferral_pending"


def test_text_from_the_data_cannot_close_the_script_it_is_inlined_in():
    evil = '</script><script>alert("x")</script><!--'
    rows = [row("48001", Status.NOT_SCHEDULED, name=evil)]
    text = script_json({"name": evil})
    assert "</script" not in text and "<!--" not in text
    assert json.loads(text) == {"name": evil}
    fmap = build_map(
        rows, params(inline_shapes={"counties": '{"type":"FeatureCollection","features":[]}'})
    )
    parts = render_parts(fmap)
    assert "alert" in parts.script  # the name is there, escaped
    assert "<script>alert" not in parts.script and "</script>" not in parts.script
