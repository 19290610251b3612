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

from tracker.resources import runtime_folder

SHAPE_FILES = {"counties": "counties.geojson", "states": "states.geojson"}


@dataclass(frozen=True)
class ShapeFile:
    """One shapes file, ready to serve: raw and gzipped bytes and a content hash."""

    name: str
    raw: bytes
    gzipped: bytes
    digest: str  # first 16 hex digits of the SHA-256 of `raw`



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
