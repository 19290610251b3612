"""Third-party front-end assets, served by the app from the wheels that ship them (never a CDN).

Bootstrap's CSS comes from the copy bundled in Bootstrap-Flask, Leaflet from xstatic-leaflet;
both install from wheels with plain pip. URLs carry the upstream version, so browsers may cache
them forever: a new version is a new URL.

Bootstrap-Flask's own `bootstrap.load_css()` (with BOOTSTRAP_SERVE_LOCAL) would link an
unversioned `/bootstrap/static/…` URL that cannot be cached that way, so its extension is not
registered; only its files are used. Its WTForms macros (`render_field`, `render_form`) are not
used either: they tie neither help text nor errors to the control (no ids, `aria-describedby` or
`aria-invalid`) and have no error summary, all of which templates/_macros/forms.html does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from flask import Blueprint, abort, send_from_directory, url_for

bp = Blueprint("assets", __name__)

ONE_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class VendorPackage:
    """A front-end library on disk: the folder its files are served from, and its version."""

    folder: Path
    version: str


@cache
def vendor_packages() -> dict[str, VendorPackage]:
    """Name in our URLs -> the installed library behind it."""
    from flask_bootstrap import Bootstrap5
    from xstatic.pkg import leaflet

    return {
        "bootstrap": VendorPackage(
            Path(str(files("flask_bootstrap") / "static" / Bootstrap5.static_folder)),
            Bootstrap5.bootstrap_version,
        ),
        "leaflet": VendorPackage(Path(leaflet.BASE_DIR), leaflet.VERSION),
    }


def _package(name: str) -> VendorPackage:
    package = vendor_packages().get(name)
    if package is None:
        abort(404)
    return package


def vendor_url(name: str, path: str) -> str:
    """The versioned URL of a library's file, e.g. ('leaflet', 'leaflet.js')."""
    return url_for("assets.vendor", name=name, version=_package(name).version, filename=path)


def vendor_path(name: str, path: str) -> Path:
    """The file on disk behind vendor_url (used when inlining assets into a download)."""
    return _package(name).folder / path


@bp.route("/assets/<name>/<version>/<path:filename>")
def vendor(name: str, version: str, filename: str):
    package = _package(name)
    if version != package.version:
        abort(404)
    response = send_from_directory(package.folder, filename, max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
