"""/activated and /planned: the same numbers as the status rule and the overview, per state and
in total, with filters, sorting, row anchors for the map, and links to every export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
import time_machine
from openpyxl import load_workbook

from tests.factories import COUNTY, OTHER_COUNTY, D, activate, schedule
from tracker.exports.sources import activated_rows, planned_rows
from tracker.extensions import db
from tracker.overview.figures import headline_figures
from tracker.status.rule import Status, count_by_status, status_as_of

HARRIS = "48201"
LOS_ANGELES = "06037"
ORANGE = "06059"


@pytest.fixture()
def rollout(app_context):
    """Two Texas counties and Harris County activate; two California counties are planned."""
    with time_machine.travel(dt.datetime(2011, 1, 10, 12), tick=False):
        schedule(COUNTY, "2010-06-01", decided_on="2010-01-04")
        activate(COUNTY, "2010-06-01")
        schedule(OTHER_COUNTY, "2010-09-14", decided_on="2010-01-04")
        activate(OTHER_COUNTY, "2010-09-14")
        activate(HARRIS, "2010-10-05")
        schedule(LOS_ANGELES, "2010-08-27", decided_on="2010-02-01")
        schedule(ORANGE, "2010-11-02", decided_on="2010-02-01")
    db.session.commit()


def _fips_ids(html: str) -> list[str]:
    return re.findall(r'id="fips-(\d{5})"', html)


@pytest.mark.parametrize("day", ["2010-06-01", "2010-09-30", "2010-12-31"])
def test_sources_agree_with_the_status_rule_and_the_overview(rollout, day):
    rows = status_as_of(D(day), public=True)
    counts = count_by_status(rows)
    _columns, activated = activated_rows(D(day))
    _columns, planned = planned_rows(D(day))
    assert len(activated) == counts[Status.ACTIVATED] == headline_figures(D(day)).headline.activated
    assert len(planned) == counts[Status.PLANNED] == headline_figures(D(day)).planned
    assert {r[2] for r in activated} == {r.fips for r in rows if r.status is Status.ACTIVATED}


def test_activated_page_total_and_state_counts_match_the_summary(rollout, client, app):
    response = client.get("/activated?as_of=2010-09-30")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    with app.app_context():
        expected = headline_figures(D("2010-09-30")).headline.activated
        _columns, rows = activated_rows(D("2010-09-30"))
    assert f'<strong id="list-total">{expected:,}</strong>' in html
    assert sorted(_fips_ids(html)) == sorted(r[2] for r in rows)
    assert COUNTY in _fips_ids(html) and OTHER_COUNTY in _fips_ids(html)
    assert HARRIS not in _fips_ids(html)  # activates on 5 October
    texas = sum(1 for r in rows if r[0] == "TX")
    assert re.search(rf'id="state-TX-heading">Texas <span[^>]*>{texas}</span>', html)
    assert "Activated jurisdictions as of 30 September 2010" in html


def test_activated_page_links_to_every_export_with_the_same_parameters(rollout, client):
    html = client.get("/activated?as_of=2010-09-30&state=tx&from=2010-01-01").get_data(as_text=True)
    for fmt in ("csv", "xlsx", "pdf", "json", "geojson"):
        assert f"/exports/activated.{fmt}?as_of=2010-09-30&amp;state=TX&amp;from=2010-01-01" in html


def test_filters_by_state_and_activation_date_range(rollout, client):
    html = client.get(
        "/activated?as_of=2010-12-31&state=TX&from=2010-09-01&to=2010-10-31"
    ).get_data(as_text=True)
    assert _fips_ids(html) == [OTHER_COUNTY, HARRIS]
    assert '<strong id="list-total">2</strong>' in html


def test_sorting_within_a_state(rollout, client, app):
    url = "/activated?as_of=2010-12-31&state=TX&from=2010-06-01&sort="
    assert _fips_ids(client.get(url + "fips").get_data(as_text=True)) == [
        COUNTY,
        OTHER_COUNTY,
        HARRIS,
    ]
    assert _fips_ids(client.get(url + "-date").get_data(as_text=True)) == [
        HARRIS,
        OTHER_COUNTY,
        COUNTY,
    ]
    # Virginia's independent cities are numbered after its counties: name order differs.
    with app.app_context(), time_machine.travel(dt.datetime(2011, 1, 10, 12), tick=False):
        activate("51199", "2010-07-01")  # York County
        activate("51510", "2010-08-01")  # Alexandria city
        db.session.commit()
    virginia = "/activated?as_of=2010-12-31&state=VA&sort="
    assert _fips_ids(client.get(virginia + "fips").get_data(as_text=True)) == ["51199", "51510"]
    assert _fips_ids(client.get(virginia + "name").get_data(as_text=True)) == ["51510", "51199"]


def test_planned_page_shows_scheduled_dates_and_past_due(rollout, client):
    html = client.get("/planned?as_of=2010-09-30&state=CA").get_data(as_text=True)
    assert _fips_ids(html) == [LOS_ANGELES, ORANGE]
    assert "27 August 2010" in html and "2 November 2010" in html
    assert html.count('badge text-bg-warning">Past due') == 1
    assert "/exports/planned.csv?as_of=2010-09-30&amp;state=CA" in html


@pytest.mark.parametrize(
    "query",
    ["as_of=2010-13-01", "state=ZZ", "from=yesterday", "from=2010-10-01&to=2010-09-01", "sort=x"],
)
def test_bad_parameters_are_a_400_naming_the_problem(client, query):
    response = client.get(f"/activated?{query}")
    assert response.status_code == 400
    name = query.split("=")[0]
    assert name in response.get_data(as_text=True)


@pytest.mark.parametrize("day", ["2010-06-01", "2010-09-30", "2010-12-31"])
def test_list_map_summary_and_every_format_agree(rollout, client, day):
    """The same activated set on /activated, the map's status feed, the summary API, the
    activations API and every export format."""
    page = _fips_ids(client.get(f"/activated?as_of={day}").get_data(as_text=True))
    codes = json.loads(client.get(f"/api/v1/status?as_of={day}").data)["statuses"]
    on_map = sorted(fips for fips, value in codes.items() if value[0] == "a")
    summary = client.get(f"/api/v1/summary?as_of={day}").get_json()["counts"]["activated"]
    api = client.get(f"/api/v1/activations?as_of={day}&per_page=500").get_json()
    export = f"/exports/activated.{{}}?as_of={day}"
    csv_rows = list(csv.reader(io.StringIO(client.get(export.format("csv")).data.decode())))
    sheet = load_workbook(io.BytesIO(client.get(export.format("xlsx")).data)).active
    xlsx_fips = [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)]
    json_rows = json.loads(client.get(export.format("json")).data)["rows"]
    features = json.loads(client.get(export.format("geojson")).data)["features"]

    assert sorted(page) == on_map
    assert len(page) == summary == api["total"]
    assert [item["fips"] for item in api["items"]] == on_map
    assert [row[2] for row in csv_rows[1:]] == on_map
    assert xlsx_fips == on_map
    assert [row["fips"] for row in json_rows] == on_map
    assert [feature["id"] for feature in features] == on_map
