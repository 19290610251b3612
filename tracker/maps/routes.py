"""/map (the activation map), its versioned shapes files and the self-contained download."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, render_template

from tracker.access import is_staff
from tracker.maps import views
from tracker.maps.forms import MapForm
from tracker.maps.geometry import SHAPE_FILES, precompressed_response, shape_file

bp = Blueprint("maps", __name__)

ONE_YEAR = 365 * 24 * 3600


def map_params() -> tuple[dt.date, views.KnownAt, str | None]:
    """The map's date, moment and state; a bad value is a 400 naming the parameter."""
    form = MapForm().checked()
    known_at = views.KnownAt(form.known_at.data, form.known_at._value() or None)
    return form.as_of.data, known_at, form.state.data


@bp.get("/map")
def show_map():
    as_of, known_at, state = map_params()
    view = views.map_view(as_of, known_at, state=state, public=not is_staff(), compact=False)
    return render_template("maps/map.html", view=view)


@bp.get("/map/shapes/<name>.<digest>.geojson")
def shapes(name: str, digest: str):
    """A shapes file at its content-hashed URL: cacheable forever, gzipped when accepted."""
    if name not in SHAPE_FILES:
        abort(404)
    shapes_file = shape_file(name)
    if digest != shapes_file.digest:
        abort(404)
    return precompressed_response(
        shapes_file.raw,
        shapes_file.gzipped,
        shapes_file.digest,
        "application/geo+json",
        {"Cache-Control": f"public, max-age={ONE_YEAR}, immutable", "Vary": "Accept-Encoding"},
    )


@bp.get("/map/download")
def download_map():
    """The map of one date as a single HTML file: Leaflet, our script, the shapes and the
    statuses inlined, so it opens with no server and no network."""
    as_of, known_at, state = map_params()
    html = views.standalone_map(as_of, known_at, state=state, public=not is_staff())
    filename = f"activation-map-{as_of.isoformat()}{'-' + state if state else ''}.html"
    response = Response(html, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response
