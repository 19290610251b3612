"""The county and state shapes built by seeds/build_registry.py, loaded once per process.

The files are static: their content hash names them in URLs, so browsers and proxies may keep
them forever, and a rebuilt file is simply a new URL.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import Response, request

from tracker.resources import runtime_folder

SHAPE_FILES = {"counties": "counties.geojson", "states": "states.geojson"}


@dataclass(frozen=True)
class ShapeFile:
    """One shapes file, ready to serve: raw and gzipped bytes and a content hash."""

    name: str
    raw: bytes
    gzipped: bytes
    digest: str  # first 16 hex digits of the SHA-256 of `raw`


def precompressed_response(
    raw: bytes, gzipped: bytes, etag: str, mimetype: str, headers: dict[str, str]
) -> Response:
    """`raw` (or `gzipped`, when the client accepts gzip) with its ETag, or 304 Not Modified when
    the client already holds that ETag. Used for the shapes files and the status documents."""
    headers = {"ETag": f'"{etag}"', **headers}
    if headers["ETag"] in [
        tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")
    ]:
        return Response(status=304, headers=headers)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        return Response(gzipped, mimetype=mimetype, headers={**headers, "Content-Encoding": "gzip"})
    return Response(raw, mimetype=mimetype, headers=headers)


@cache
def shape_file(name: str) -> ShapeFile:
    """The named shapes file ("counties" or "states"); read and compressed once per process."""
    path: Path = runtime_folder("seeds") / "geometry" / SHAPE_FILES[name]
    raw = path.read_bytes()
    return ShapeFile(
        name=name,
        raw=raw,
        gzipped=gzip.compress(raw, compresslevel=9, mtime=0),
        digest=hashlib.sha256(raw).hexdigest()[:16],
    )


@cache
def county_geometries() -> dict[str, dict]:
    """FIPS -> GeoJSON geometry of every county equivalent (for the GeoJSON export)."""
    collection = json.loads(shape_file("counties").raw)
    return {feature["id"]: feature["geometry"] for feature in collection["features"]}
