"""The shapes files: content-hashed URLs, cacheable forever, gzipped when accepted."""

from __future__ import annotations

import gzip
import json

from tracker.maps.geometry import shape_file


def url(name: str) -> str:
    return f"/map/shapes/{name}.{shape_file(name).digest}.geojson"


def test_shapes_are_immutable_gzipped_and_tagged(client):
    response = client.get(url("counties"), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.headers["ETag"] == f'"{shape_file("counties").digest}"'
    assert response.mimetype == "application/geo+json"
    assert len(response.data) <= 500_000
    collection = json.loads(gzip.decompress(response.data))
    assert len(collection["features"]) == 3233


def test_plain_bytes_without_gzip_and_304_on_the_etag(client):
    response = client.get(url("states"))
    assert "Content-Encoding" not in response.headers
    assert response.data == shape_file("states").raw
    again = client.get(url("states"), headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_stale_digest_or_unknown_name_is_not_found(client):
    assert client.get("/map/shapes/counties.0000000000000000.geojson").status_code == 404
    assert client.get("/map/shapes/secrets.0000000000000000.geojson").status_code == 404
