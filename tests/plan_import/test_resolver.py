"""Names as public records write them resolve to the right FIPS code, or to a clear error."""

from __future__ import annotations

import csv

import pytest

from tracker.plan.importing.resolver import ResolveError, Resolver, normalise
from tracker.resources import runtime_folder


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    """The resolver over the registry files the database is seeded from."""
    seeds = runtime_folder("seeds")
    with (seeds / "states.csv").open(encoding="utf-8") as handle:
        states = [(r["fips"], r["postal"], r["name"]) for r in csv.DictReader(handle)]
    with (seeds / "jurisdictions.csv").open(encoding="utf-8") as handle:
        jurisdictions = [
            (r["fips"], r["state_fips"], r["name"], r["full_name"], r["kind"])
            for r in csv.DictReader(handle)
        ]
    return Resolver(states, jurisdictions)


@pytest.mark.parametrize(
    ("state", "written", "fips"),
    [
        # Saint / St. / Ste.
        ("MO", "St. Louis County", "29189"),
        ("MO", "Saint Louis County", "29189"),
        ("MO", "ST LOUIS CO", "29189"),
        ("MO", "St. Louis City", "29510"),
        ("MO", "City of St. Louis", "29510"),
        ("MO", "Ste. Genevieve", "29186"),
        ("MO", "Sainte Genevieve County", "29186"),
        ("MO", "St. Genevieve", "29186"),
        ("MN", "Saint Louis", "27137"),
        ("LA", "Saint John the Baptist", "22095"),
        ("LA", "St. John the Baptist Parish", "22095"),
        ("VI", "Saint Croix", "78010"),
        # with or without the kind word
        ("TX", "Anderson", "48001"),
        ("TX", "Anderson County", "48001"),
        ("TX", "County of Anderson", "48001"),
        ("LA", "Webster Parish", "22119"),
        ("LA", "webster", "22119"),
        ("AK", "Matanuska-Susitna Borough", "02170"),
        ("AK", "Hoonah-Angoon Census Area", "02105"),
        ("AK", "Hoonah Angoon", "02105"),
        ("AK", "City and Borough of Juneau", "02110"),
        ("AK", "Juneau Borough", "02110"),
        ("AK", "Anchorage Municipality", "02020"),
        ("AK", "Municipality of Anchorage", "02020"),
        ("PR", "Municipio de Arecibo", "72013"),
        ("PR", "Arecibo Municipio", "72013"),
        ("PR", "Arecibo Municipality", "72013"),
        # independent cities
        ("VA", "City of Alexandria", "51510"),
        ("VA", "Alexandria city", "51510"),
        ("VA", "Alexandria City", "51510"),
        ("VA", "Fairfax County", "51059"),
        ("VA", "Fairfax City", "51600"),
        ("VA", "City of Fairfax", "51600"),
        ("VA", "Charles City", "51036"),
        ("VA", "James City County", "51095"),
        ("MD", "Baltimore City", "24510"),
        ("MD", "City of Baltimore", "24510"),
        ("MD", "Baltimore County", "24005"),
        ("NV", "Carson City", "32510"),
        # hyphens and spaces, missing or extra
        ("FL", "Miami-Dade", "12086"),
        ("FL", "Miami Dade County", "12086"),
        ("FL", "MiamiDade", "12086"),
        ("FL", "  Miami -  Dade  ", "12086"),
        ("AK", "Matanuska Susitna", "02170"),
        # apostrophes
        ("MD", "Prince George's County", "24033"),
        ("MD", "Prince Georges County", "24033"),
        ("MD", "Prince George’s", "24033"),
        ("MD", "St. Mary's", "24037"),
        ("MD", "Saint Marys County", "24037"),
        ("IA", "O'Brien", "19141"),
        ("IA", "OBrien County", "19141"),
        ("IA", "O Brien", "19141"),
        # accents present or absent, any case
        ("NM", "Doña Ana County", "35013"),
        ("NM", "Dona Ana", "35013"),
        ("NM", "DOÑA ANA", "35013"),
        ("PR", "Añasco", "72011"),
        ("PR", "Anasco", "72011"),
        ("PR", "Mayagüez", "72097"),
        ("PR", "Mayaguez Municipio", "72097"),
        ("PR", "rio grande", "72119"),
        # the state as postal code, name or FIPS
        ("tx", "Anderson", "48001"),
        ("Texas", "Anderson", "48001"),
        ("48", "Anderson", "48001"),
        ("Puerto Rico", "Anasco", "72011"),
        ("6", "Los Angeles", "06037"),
        ("Virgin Islands", "St. Thomas", "78030"),
        ("District of Columbia", "District of Columbia", "11001"),
        # the state repeated after the name
        ("TX", "Anderson County, TX", "48001"),
        ("VA", "City of Alexandria, Virginia", "51510"),
        # FIPS codes
        ("TX", "48001", "48001"),
        ("", "48001", "48001"),
        ("", "1001", "01001"),
        ("TX", "1", "48001"),
        ("AL", "001", "01001"),
    ],
)
def test_names_resolve_to_the_right_fips(resolver, state, written, fips):
    assert resolver.resolve(state, written).fips == fips


@pytest.mark.parametrize(
    ("state", "written", "candidates"),
    [
        ("MD", "Baltimore", ["24005", "24510"]),
        ("VA", "Fairfax", ["51059", "51600"]),
        ("MO", "St. Louis", ["29189", "29510"]),
        ("VA", "Richmond", ["51159", "51760"]),
    ],
)
def test_ambiguous_names_list_every_candidate_and_pick_none(resolver, state, written, candidates):
    with pytest.raises(ResolveError) as info:
        resolver.resolve(state, written)
    assert info.value.field == "jurisdiction"
    assert "ambiguous" in info.value.message
    for fips in candidates:
        assert fips in info.value.message
    assert repr(normalise(written)) in info.value.message


@pytest.mark.parametrize(
    ("state", "written", "field", "fragment"),
    [
        ("TX", "Andersen County", "jurisdiction", "Did you mean 'Anderson County'"),
        ("TX", "Gotham", "jurisdiction", "looked up as 'gotham'"),
        ("VA", "Baltimore City", "jurisdiction", "No jurisdiction in Virginia"),
        ("XX", "Anderson", "state", "'XX' is not a state"),
        ("", "Anderson", "state", "Give the state"),
        ("TX", "", "jurisdiction", "blank"),
        ("VA", "48001", "jurisdiction", "Anderson County, TX, not in Virginia"),
        ("", "99999", "jurisdiction", "No jurisdiction has FIPS code 99999"),
        ("", "123", "jurisdiction", "not a FIPS code"),
        ("VA", "Anderson County, TX", "jurisdiction", "No jurisdiction in Virginia"),
        ("TX", "123456", "jurisdiction", "not a FIPS code"),
    ],
)
def test_unknown_names_are_errors_saying_what_was_tried(resolver, state, written, field, fragment):
    with pytest.raises(ResolveError) as info:
        resolver.resolve(state, written)
    assert info.value.field == field
    assert fragment in info.value.message


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Prince George's", "prince georges"),
        ("Doña Ana", "dona ana"),
        ("Ste. Genevieve", "sainte genevieve"),
        ("Miami-Dade", "miami dade"),
        ("ST. LOUIS", "saint louis"),
        ("Lake & Peninsula", "lake and peninsula"),
    ],
)
def test_normalise(written, normalised):
    assert normalise(written) == normalised


def test_every_full_name_resolves_to_itself(resolver):
    for entry in resolver.jurisdictions.values():
        assert resolver.resolve(entry.state_postal, entry.full_name).fips == entry.fips


def test_the_database_registry_gives_the_same_resolver(app_context, resolver):
    from_database = Resolver.from_database()
    assert from_database.jurisdictions == resolver.jurisdictions
    assert from_database.resolve("MD", "Baltimore City").fips == "24510"
