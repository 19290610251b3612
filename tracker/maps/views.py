"""Glue between the request and the pure builder: URLs, settings, and the cached page parts.

Rendering Folium's parts, counting by state and writing the headline take a few milliseconds;
they are remembered per data version, date and audience (tracker.status.rule.cached), so the
map page costs well under the 10 ms budget once warm.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, render_template, url_for

from tracker.assets import vendor_path, vendor_url
from tracker.audit.services import data_version
from tracker.cache import cached
from tracker.maps import services
from tracker.maps.builder import (
    PRESET_VIEWS,
    MapParams,
    MapParts,
    build_map,
    legend_items,
    render_parts,
)
from tracker.maps.geometry import SHAPE_FILES, shape_file
from tracker.registry.lookup import state_options
from tracker.security import csp_nonce
from tracker.status.headline import Headline, headline
from tracker.status.rule import Status, cached_status_as_of


@dataclass(frozen=True)
class KnownAt:
    """The records' moment a map reads (`moment`, UTC) and how the request wrote it (`text`,
    which the map's own status requests repeat). Both None: the records as they stand now."""

    moment: dt.datetime | None = None
    text: str | None = None


NOW = KnownAt()


@dataclass(frozen=True)
class MapView:
    """Everything the map templates show for one date and audience."""

    as_of: dt.date
    known_at: dt.datetime | None
    known_at_text: str | None  # as the request wrote it, for the links the page carries
    state: str | None
    public: bool
    compact: bool
    parts: MapParts
    table: tuple[services.StateRow, ...]
    headline: Headline
    statuses: tuple[tuple[str, str], ...]  # (status value, label) shown to this audience
    totals: dict[Status, int]
    first_month: dt.date
    last_month: dt.date
    states: tuple[tuple[str, str, bool], ...]
    views: tuple[tuple[str, str], ...]  # (key, label) of the preset views
    legend: tuple[dict, ...]
    prefetch: tuple[str, ...]  # URLs map.js starts fetching as soon as it loads

    @property
    def months(self) -> int:
        return (self.last_month.year - self.first_month.year) * 12 + (
            self.last_month.month - self.first_month.month
        )

    @property
    def month_index(self) -> int:
        index = (self.as_of.year - self.first_month.year) * 12 + (
            self.as_of.month - self.first_month.month
        )
        return max(0, min(self.months, index))


def shapes_urls() -> dict[str, str]:
    return {
        name: url_for("maps.shapes", name=name, digest=shape_file(name).digest)
        for name in SHAPE_FILES
    }


def _params(
    as_of: dt.date,
    known_at: KnownAt,
    state: str | None,
    public: bool,
    compact: bool,
    **extra,
) -> MapParams:
    config = current_app.config
    county_url = None
    if not public:
        # map.js fills in each county's code.
        county_url = url_for("jurisdictions.show_jurisdiction", fips="00000").replace(
            "00000", "{fips}"
        )
    values = {
        "as_of": as_of,
        "public": public,
        "leaflet_js": vendor_url("leaflet", "leaflet.js"),
        "leaflet_css": vendor_url("leaflet", "leaflet.css"),
        "shapes_urls": shapes_urls(),
        "status_url": url_for("api.map_status"),
        "initial_status_url": url_for(
            "api.map_status", as_of=as_of.isoformat(), names=1, known_at=known_at.text
        ),
        "known_at": known_at.text,
        "county_url": county_url,
        "public_list_urls": {
            "activated": url_for("exports.activated_list"),
            "planned": url_for("exports.planned_list"),
        },
        "state": state,
        "tiles_url": config.get("TRACKER_TILES_URL") or None,
        "tiles_attribution": config.get("TRACKER_TILES_ATTRIBUTION") or "",
        "compact": compact,
    }
    values.update(extra)
    return MapParams(**values)


def map_view(
    as_of: dt.date,
    known_at: KnownAt = NOW,
    *,
    state: str | None,
    public: bool,
    compact: bool,
) -> MapView:
    """The map page's content for `as_of`, as known at `known_at`, as this audience sees it (the
    whole country; `state` only chooses the first view)."""

    def compute() -> MapView:
        rows = cached_status_as_of(as_of, known_at.moment, public=public)
        shown = services.shown_statuses(public)
        summary = headline(rows, as_of)
        first, last = services.rollout_span()
        params = _params(as_of, known_at, state, public, compact)
        table = services.state_table(rows)
        totals = {status: sum(row.counts[status] for row in table) for status in Status}
        return MapView(
            as_of=as_of,
            known_at=known_at.moment,
            known_at_text=known_at.text,
            state=state,
            public=public,
            compact=compact,
            parts=render_parts(build_map(rows, params)),
            table=table,
            headline=summary,
            statuses=tuple((status.value, status.label) for status in shown),
            totals=totals,
            first_month=first,
            last_month=last,
            states=state_options(),
            views=tuple((key, label) for key, (label, _bounds) in PRESET_VIEWS.items()),
            legend=tuple(legend_items(rows, as_of, public)),
            prefetch=(params.shapes_urls["counties"], params.initial_status_url),
        )

    tiles = current_app.config.get("TRACKER_TILES_URL")
    return cached("map_view", (as_of, known_at, state, public, compact, tiles), compute)


def overview_map() -> MapView:
    """The compact map on the overview page: today, the whole country, this visitor's view."""
    from tracker.access import is_staff
    from tracker.dates import today

    return map_view(today(), state=None, public=not is_staff(), compact=True)


def _inline_text(name: str, path: str) -> str:
    with open(vendor_path(name, path), encoding="utf-8") as handle:
        return handle.read()


def _static_text(path: str) -> str:
    with open(f"{current_app.static_folder}/{path}", encoding="utf-8") as handle:
        return handle.read()


def standalone_map(
    as_of: dt.date, known_at: KnownAt = NOW, *, state: str | None, public: bool
) -> str:
    """One HTML document holding everything the map of `as_of`, as known at `known_at`, needs
    (see /map/download)."""
    rows = cached_status_as_of(as_of, known_at.moment, public=public)
    params = _params(
        as_of,
        known_at,
        state,
        public,
        False,
        leaflet_js=None,
        leaflet_css=None,
        shapes_urls={},
        status_url=None,
        initial_status_url=None,
        county_url=None,
        public_list_urls={},
        # A file opened offline cannot reach a tile server either.
        tiles_url=None,
        inline_shapes={name: shape_file(name).raw.decode() for name in SHAPE_FILES},
        data_version=data_version(),
        headline=headline(rows, as_of).sentence,
    )
    parts = render_parts(build_map(rows, params))

    def no_close(text: str) -> str:
        return text.replace("</script", "<\\/script").replace("</style", "<\\/style")

    return render_template(
        "maps/download.html",
        as_of=as_of,
        known_at=known_at.moment,
        headline=params.headline,
        legend=legend_items(rows, as_of, public),
        views=tuple((key, label) for key, (label, _bounds) in PRESET_VIEWS.items()),
        parts=parts,
        leaflet_css=no_close(_inline_text("leaflet", "leaflet.css")),
        leaflet_js=no_close(_inline_text("leaflet", "leaflet.js")),
        map_css=no_close(_static_text("maps/map.css")),
        county_layer_js=no_close(_static_text("maps/county-layer.js")),
        map_js=no_close(_static_text("maps/map.js")),
        nonce=csp_nonce(),
    )
