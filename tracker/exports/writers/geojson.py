"""GeoJSON (RFC 7946): one Feature per row with its county shape and the row as properties.

The collection carries the as-of date and generation time as foreign members; GIS tools such as
QGIS ignore them and read the features. A jurisdiction without a shape keeps a null geometry,
which RFC 7946 allows, rather than disappearing from the count.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from tracker.exports.table import Column, ExportMeta, Row, json_value, neutralise
from tracker.maps.geometry import county_geometries


def write(columns: Sequence[Column], rows: Sequence[Row], meta: ExportMeta) -> bytes:
    shapes = county_geometries()
    fips_index = [c.key for c in columns].index("fips")
    features = []
    for row in rows:
        properties = {
            c.key: neutralise(json_value(value)) for c, value in zip(columns, row, strict=True)
        }
        properties["status"] = meta.list_name
        properties["as_of"] = meta.as_of.isoformat()
        features.append(
            {
                "type": "Feature",
                "id": row[fips_index],
                "geometry": shapes.get(row[fips_index]),
                "properties": properties,
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": f"{meta.list_name}-{meta.as_of.isoformat()}",
        "title": meta.title,
        "as_of": meta.as_of.isoformat(),
        "generated_at": meta.generated_iso,
        "source": meta.source,
        "filters": dict(sorted(meta.filters.items())),
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
