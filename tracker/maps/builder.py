"""Rows -> folium.Map: the activation map as a pure function (no Flask, no database).

The map Folium renders holds no shapes and no per-county styles. It is a Leaflet map with our
local Leaflet files (never Folium's CDN defaults), an optional basemap, and one small element
that hands a configuration to tracker/static/maps/map.js: where to fetch the shapes (a versioned,
cacheable file) and the status of a date (/api/v1/status), the legend with this date's counts,
and, for a downloaded map only, the shapes and statuses themselves.

Pages embed the three parts Folium renders (header, html, script) in our own template, which
adds the CSP nonce; `standalone_parts` gives the same parts for the self-contained download.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tracker.maps.encoding import script_json, status_document
from tracker.maps.folium_import import Element, MacroElement, Template, folium
from tracker.status.rule import (
    PUBLIC_STATUSES,
    STAFF_STATUSES,
    JurisdictionStatus,
    Status,
    count_by_status,
)

# Centre and zoom of the first view (the lower 48), and the preset views people jump to.
HOME_CENTER = (38.5, -96.5)
HOME_ZOOM = 4
# name -> (label, [[south, west], [north, east]])
PRESET_VIEWS: dict[str, tuple[str, list[list[float]]]] = {
    "lower48": ("Lower 48", [[24.4, -125.0], [49.4, -66.9]]),
    "alaska": ("Alaska", [[51.2, -179.2], [71.4, -129.9]]),
    "hawaii": ("Hawaii", [[18.9, -160.3], [22.3, -154.8]]),
    "caribbean": ("Puerto Rico & USVI", [[17.8, -67.4], [18.6, -64.5]]),
    "marianas": ("Guam & N. Mariana Is.", [[13.2, 144.6], [20.6, 146.1]]),
    "samoa": ("American Samoa", [[-14.6, -171.1], [-14.1, -168.1]]),
}

# Planned jurisdictions are shaded by how soon they activate (days from the map's date).
PLANNED_BANDS: tuple[tuple[str, str, int | None], ...] = (
    ("planned_past_due", "Planned, date passed", 0),
    ("planned_30", "Planned within 30 days", 30),
    ("planned_90", "Planned in 31–90 days", 90),
    ("planned_365", "Planned in 91–365 days", 365),
    ("planned_later", "Planned more than a year ahead", None),
)

# Legend and map styles: colour, plus a pattern and a one-letter mark so no status depends on
# colour alone (the legend and the table say the status in words too).
STYLES: dict[str, dict[str, str]] = {
    "activated": {"color": "#1f5fa8", "pattern": "solid", "mark": "A"},
    "planned_past_due": {"color": "#8c2d04", "pattern": "cross", "mark": "P!"},
    "planned_30": {"color": "#d94801", "pattern": "dots", "mark": "P1"},
    "planned_90": {"color": "#f16913", "pattern": "dots", "mark": "P2"},
    "planned_365": {"color": "#fd8d3c", "pattern": "dots", "mark": "P3"},
    "planned_later": {"color": "#fdd0a2", "pattern": "dots", "mark": "P4"},
    "not_scheduled": {"color": "#e3e3e3", "pattern": "none", "mark": "N"},
    "deferral_pending": {"color": "#7b3294", "pattern": "stripes", "mark": "D"},
    "removed": {"color": "#4d4d4d", "pattern": "stripes-reverse", "mark": "R"},
}


@dataclass(frozen=True)
class MapParams:
    """Everything about one map except the rows: the date, who looks, and where things live."""

    as_of: dt.date
    public: bool
    # None in a download, which inlines Leaflet itself.
    leaflet_js: str | None
    leaflet_css: str | None
    shapes_urls: Mapping[str, str] = field(default_factory=dict)
    status_url: str | None = "/api/v1/status"
    # The first status the page needs (with names); the page may start fetching it early.
    initial_status_url: str | None = None
    county_url: str | None = "/jurisdictions/{fips}"
    public_list_urls: Mapping[str, str] = field(default_factory=dict)
    state: str | None = None
    tiles_url: str | None = None
    tiles_attribution: str = ""
    compact: bool = False
    # Only for the self-contained download: name -> GeoJSON text, inlined with the statuses.
    inline_shapes: Mapping[str, str] | None = None
    data_version: int = 0
    # Only for the download: the headline sentence the inlined statuses come with.
    headline: str = ""
    # `known_at` as the page was asked for it (None: the records as they stand now); every
    # status the map fetches reads the records at that moment.
    known_at: str | None = None


class TrackerMapFigure(folium.Map):
    """folium.Map whose header carries only the map's size: no viewport meta that blocks zoom,
    no page-wide styles, and no inline script (which our CSP would refuse without a nonce)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>#{{ this.get_name() }} { position: relative; width: 100%; height: 100%; }</style>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map tracker-map-canvas" id={{ this.get_name()|tojson }}
                 role="region" aria-label="Map of activation status by county; the table
                 below gives the same facts"></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{ this.options|tojavascript }}
                }
            );
        {% endmacro %}
        """
    )


class RawHtml(Element):
    """Markup emitted as it is (not parsed as a template: it may be megabytes of GeoJSON)."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.markup = markup

    def render(self, **kwargs) -> str:
        return self.markup


class StatusLayer(MacroElement):
    """Hands the county layer's configuration to map.js (TrackerMap.attach)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            TrackerMap.attach({{ this._parent.get_name() }}, {{ this.config_json }});
        {% endmacro %}
        """
    )

    def __init__(self, config: dict) -> None:
        super().__init__()
        self._name = "StatusLayer"
        self.config_json = script_json(config)


def planned_band(scheduled_on: dt.date | None, as_of: dt.date) -> str:
    """The shade of a planned jurisdiction: date passed, within 30, 90 or 365 days, or later.

    map.js applies the same rule in the browser when the date changes.
    """
    if scheduled_on is None:
        return "planned_later"
    days = (scheduled_on - as_of).days
    if days < 0:
        return "planned_past_due"
    for key, _label, limit in PLANNED_BANDS[1:]:
        if limit is None or days <= limit:
            return key
    return "planned_later"


def legend_items(rows: Sequence[JurisdictionStatus], as_of: dt.date, public: bool) -> list[dict]:
    """The legend, in reading order: each category's label, style and count on `as_of`."""
    counts = count_by_status(rows)
    bands = dict.fromkeys((key for key, _label, _days in PLANNED_BANDS), 0)
    for row in rows:
        if row.status is Status.PLANNED:
            bands[planned_band(row.scheduled_on, as_of)] += 1
    shown = PUBLIC_STATUSES if public else STAFF_STATUSES
    items = [
        {"key": "activated", "label": "Activated", "count": counts[Status.ACTIVATED]},
    ]
    items += [
        {"key": key, "label": label, "count": bands[key]} for key, label, _days in PLANNED_BANDS
    ]
    items.append(
        {"key": "not_scheduled", "label": "Not scheduled", "count": counts[Status.NOT_SCHEDULED]}
    )
    if Status.DEFERRAL_PENDING in shown:
        items.append(
            {
                "key": "deferral_pending",
                "label": "Deferral pending",
                "count": counts[Status.DEFERRAL_PENDING],
            }
        )
    if Status.REMOVED in shown:
        items.append(
            {"key": "removed", "label": "Removed from plan", "count": counts[Status.REMOVED]}
        )
    for item in items:
        item.update(STYLES[item["key"]])
    return items


def map_config(rows: Sequence[JurisdictionStatus], params: MapParams) -> dict:
    """What map.js needs to draw and recolour the map (rows give the legend's counts)."""
    config: dict = {
        "asOf": params.as_of.isoformat(),
        "public": params.public,
        "compact": params.compact,
        "state": params.state,
        "shapesUrls": dict(params.shapes_urls),
        "statusUrl": params.status_url,
        "knownAt": params.known_at,
        "initialStatusUrl": params.initial_status_url,
        "countyUrl": params.county_url,
        "publicListUrls": dict(params.public_list_urls),
        "legend": legend_items(rows, params.as_of, params.public),
        "bands": [[key, days] for key, _label, days in PLANNED_BANDS],
        "views": {key: bounds for key, (_label, bounds) in PRESET_VIEWS.items()},
        "total": len(rows),
    }
    if params.inline_shapes is not None:
        config["inlineShapes"] = {name: shapes_element_id(name) for name in params.inline_shapes}
        config["inlineStatus"] = status_document(
            rows,
            as_of=params.as_of.isoformat(),
            data_version=params.data_version,
            public=params.public,
            headline=params.headline,
            names=True,
        )
    return config


def build_map(rows: Sequence[JurisdictionStatus], params: MapParams) -> folium.Map:
    """The activation map for `rows` (every jurisdiction's status on params.as_of).

    No tiles unless params.tiles_url is set; only local Leaflet JS and CSS are referenced; the
    shapes are fetched by map.js from params.shapes_urls unless params.inline_shapes is given
    (the download).
    """
    fmap = TrackerMapFigure(
        location=HOME_CENTER,
        zoom_start=HOME_ZOOM - 1 if params.compact else HOME_ZOOM,
        tiles=None,
        prefer_canvas=True,
        zoom_snap=0.25,
        zoom_delta=0.5,
        world_copy_jump=False,
    )
    # Per instance, never the class lists Folium shares between maps.
    fmap.default_js = [("leaflet", params.leaflet_js)] if params.leaflet_js else []
    fmap.default_css = [("leaflet_css", params.leaflet_css)] if params.leaflet_css else []
    if params.tiles_url:
        folium.TileLayer(
            tiles=params.tiles_url,
            attr=params.tiles_attribution or "Basemap",
            name="Basemap",
            overlay=False,
            control=False,
        ).add_to(fmap)
    StatusLayer(map_config(rows, params)).add_to(fmap)
    for name, text in (params.inline_shapes or {}).items():
        # A JSON data block, never executed; "</" is escaped so the text cannot end it.
        block = text.replace("</", "<\\/")
        fmap.get_root().html.add_child(
            RawHtml(
                f'<script type="application/json" id="{shapes_element_id(name)}">{block}</script>'
            ),
            name=f"shapes_{name}",
        )
    return fmap


def shapes_element_id(name: str) -> str:
    return f"tracker-shapes-{name}"


@dataclass(frozen=True)
class MapParts:
    """Folium's three rendered parts: head links and styles, the map's div, its script body."""

    header: str
    html: str
    script: str


def render_parts(fmap: folium.Map) -> MapParts:
    """Render the map's Figure and return its parts, for embedding in our own template."""
    figure = fmap.get_root()
    # Our template already declares the charset.
    figure.header._children.pop("meta_http", None)
    figure.render()
    return MapParts(
        header=figure.header.render(), html=figure.html.render(), script=figure.script.render()
    )
