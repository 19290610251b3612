"""Build the national registry and the map geometry in seeds/ from Census-derived packages.

Run it again whenever the sources change; its output is committed, so the app and its tests
never need these (heavy) packages:

    .venv/bin/pip install -e ".[build]"
    .venv/bin/python seeds/build_registry.py

Sources (see seeds/README.md): `bokeh_sampledata.us_counties` (the 2009 TIGER/Line county
equivalents, 3,233 of them, with their shapes) and `addfips` (Census names and FIPS codes,
with the accents the 2009 file dropped).

Output:
- states.csv: fips, postal, name, kind for the 50 states, DC and the five inhabited territories;
- jurisdictions.csv: fips, state_fips, name, full_name, kind for every county equivalent;
- geometry/counties.geojson: every county equivalent, simplified on a shared topology so that
  neighbours still meet along one border, `id` = FIPS;
- geometry/states.geojson: the state outlines, dissolved from those same county shapes.
"""

from __future__ import annotations

import csv
import importlib.resources
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import topojson
from bokeh_sampledata.us_counties import records
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import unary_union

SEEDS = Path(__file__).resolve().parent
GEOMETRY = SEEDS / "geometry"

# Douglas-Peucker tolerance in degrees on the shared arcs (about 1.5 km): county borders stay
# recognisable at state zoom while the whole country stays well under 500 kB gzipped.
SIMPLIFY_DEGREES = 0.012
COORDINATE_DECIMALS = 3  # about 100 m: finer than the simplification, so it loses nothing.

TERRITORIES = {"AS", "GU", "MP", "PR", "VI"}

# The suffix of the Census "detailed name" tells the kind of county equivalent.
KINDS = (
    ("City and Borough", "city_and_borough"),
    ("Census Area", "census_area"),
    ("Municipality", "municipality"),
    ("Municipio", "municipio"),
    ("Borough", "borough"),
    ("County", "county"),
    ("Parish", "parish"),
    ("District", "district"),
    ("Island", "island"),
    ("city", "city"),
)
# County equivalents whose Census name carries no suffix.
KIND_BY_FIPS = {
    "11001": "district",  # District of Columbia
    "32510": "city",  # Carson City, an independent city
    "60030": "island",  # Rose Island
    "60040": "island",  # Swains Island
    "66010": "island",  # Guam
}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def addfips_table(name: str) -> list[dict[str, str]]:
    resource = importlib.resources.files("addfips") / "data" / name
    with resource.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def state_rows(postals: set[str]) -> list[dict[str, str]]:
    """One row per state, DC and territory; addfips lists the official name first."""
    rows: dict[str, dict[str, str]] = {}
    for row in addfips_table("states.csv"):
        if row["postal"] in postals and row["postal"] not in rows:
            kind = "state"
            if row["postal"] == "DC":
                kind = "district"
            elif row["postal"] in TERRITORIES:
                kind = "territory"
            rows[row["postal"]] = {
                "fips": row["fips"],
                "postal": row["postal"],
                "name": row["name"],
                "kind": kind,
            }
    missing = postals - rows.keys()
    if missing:
        sys.exit(f"addfips has no state row for {sorted(missing)}")
    return sorted(rows.values(), key=lambda row: row["fips"])


def accented_names() -> dict[str, str]:
    """FIPS -> the 2010 Census name, which keeps the accents (Doña Ana, Añasco, Mayagüez)."""
    return {
        row["statefp"] + row["countyfp"]: row["name"] for row in addfips_table("counties_2010.csv")
    }


def jurisdiction_row(record: dict, accented: dict[str, str]) -> dict[str, str]:
    full_name = record["detailed_name"].rsplit(",", 1)[0].strip()
    name = record["name"].strip()
    # Restore accents only where the 2010 name is the same name with them (not a rename such as
    # "Brooklyn Borough" for Kings County).
    later = accented.get(record["fips"], "")
    if later != full_name and strip_accents(later) == full_name:
        full_name = later
        name = later[: len(name)] if strip_accents(later[: len(name)]) == name else name
    suffix = full_name[len(name) :].strip() if full_name.startswith(name) else ""
    kind = KIND_BY_FIPS.get(record["fips"]) or next(
        (kind for label, kind in KINDS if suffix == label), "other"
    )
    return {
        "fips": record["fips"],
        "state_fips": record["state_fips"],
        "name": name,
        "full_name": full_name,
        "kind": kind,
    }


def unwrap_antimeridian(geometry):
    """Move the Aleutian islands west of 180° next to the rest of Alaska (longitude < -180)."""
    parts = list(geometry.geoms) if isinstance(geometry, MultiPolygon) else [geometry]
    moved = [translate(part, xoff=-360) if part.bounds[0] > 0 else part for part in parts]
    return MultiPolygon(moved) if len(moved) > 1 else moved[0]


def polygonal(geometry):
    """Keep only the polygons: a dissolve can leave stray lines or points along borders."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    polygons = [part for part in getattr(geometry, "geoms", []) if isinstance(part, Polygon)]
    return MultiPolygon(polygons)


def rounded(geometry_json: dict) -> dict:
    def walk(value):
        if isinstance(value, list | tuple):
            if value and isinstance(value[0], int | float):
                return [round(value[0], COORDINATE_DECIMALS), round(value[1], COORDINATE_DECIMALS)]
            return [walk(item) for item in value]
        return value

    return {"type": geometry_json["type"], "coordinates": walk(geometry_json["coordinates"])}


def write_geojson(path: Path, features: list[dict]) -> None:
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n")


def main() -> None:
    counties = records()
    accented = accented_names()
    jurisdictions = [jurisdiction_row(record, accented) for record in counties]
    states = state_rows({record["state"] for record in counties})
    postal_of = {row["fips"]: row["postal"] for row in states}

    with (SEEDS / "states.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["fips", "postal", "name", "kind"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(states)
    with (SEEDS / "jurisdictions.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, ["fips", "state_fips", "name", "full_name", "kind"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(jurisdictions)

    # One topology for the whole country: a border shared by two counties is one arc, simplified
    # once, so both sides move together and no gap or overlap opens between neighbours.
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": record["fips"],
                "properties": {"fips": record["fips"]},
                "geometry": mapping(
                    unwrap_antimeridian(record["geometry"])
                    if record["state"] == "AK"
                    else record["geometry"]
                ),
            }
            for record in counties
        ],
    }
    topology = topojson.Topology(
        collection, prequantize=False, toposimplify=SIMPLIFY_DEGREES, prevent_oversimplify=True
    )
    simplified = json.loads(topology.to_geojson())

    names = {row["fips"]: row for row in jurisdictions}
    county_features = []
    by_state: dict[str, list] = defaultdict(list)
    for feature in simplified["features"]:
        fips = feature["properties"]["fips"]
        geometry = shape(feature["geometry"]).buffer(0)
        by_state[fips[:2]].append(geometry)
        county_features.append(
            {
                "type": "Feature",
                "id": fips,
                "properties": {"name": names[fips]["full_name"], "state": postal_of[fips[:2]]},
                "geometry": rounded(mapping(geometry)),
            }
        )
    county_features.sort(key=lambda feature: feature["id"])
    if len(county_features) != len(jurisdictions):
        sys.exit(f"{len(jurisdictions)} jurisdictions but {len(county_features)} shapes")

    state_features = [
        {
            "type": "Feature",
            "id": postal_of[state_fips],
            "properties": {"name": next(s["name"] for s in states if s["fips"] == state_fips)},
            "geometry": rounded(mapping(polygonal(unary_union(parts).buffer(0)))),
        }
        for state_fips, parts in sorted(by_state.items())
    ]

    GEOMETRY.mkdir(exist_ok=True)
    write_geojson(GEOMETRY / "counties.geojson", county_features)
    write_geojson(GEOMETRY / "states.geojson", state_features)
    print(
        f"{len(states)} states, {len(jurisdictions)} jurisdictions; "
        f"counties.geojson {(GEOMETRY / 'counties.geojson').stat().st_size:,} bytes, "
        f"states.geojson {(GEOMETRY / 'states.geojson').stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
