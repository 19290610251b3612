"""Third-party front-end assets, served from their XStatic pip packages (never a CDN).

URLs carry the package version, so browsers may cache them forever: a new version is a new URL.
"""

from __future__ import annotations

import importlib

from flask import Blueprint, abort, send_from_directory, url_for

bp = Blueprint("assets", __name__)

# name in our URLs -> the XStatic module that ships it
PACKAGES = {
    "bootstrap": "xstatic.pkg.bootstrap",
    "leaflet": "xstatic.pkg.leaflet",
}

ONE_YEAR = 365 * 24 * 3600


def _package(name: str):
    module_name = PACKAGES.get(name)
    if module_name is None:
        abort(404)
    return importlib.import_module(module_name)


def vendor_url(name: str, path: str) -> str:
    """The versioned URL of a file inside an XStatic package, e.g. ('leaflet', 'leaflet.js')."""
    return url_for("assets.vendor", name=name, version=_package(name).VERSION, filename=path)


def vendor_path(name: str, path: str) -> str:
    """The file on disk behind vendor_url (used when inlining assets into a download)."""
    import os

    return os.path.join(_package(name).BASE_DIR, path)


@bp.route("/assets/<name>/<version>/<path:filename>")
def vendor(name: str, version: str, filename: str):
    package = _package(name)
    if version != package.VERSION:
        abort(404)
    response = send_from_directory(package.BASE_DIR, filename, max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
