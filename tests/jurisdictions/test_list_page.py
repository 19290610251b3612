"""/jurisdictions: search, filters, as-of date, sort, pagination and who may see it."""

from __future__ import annotations

import pytest

from tests.factories import COUNTY, OTHER_COUNTY, activate, remove, schedule
from tests.jurisdictions.support import FROZEN_NOW, listed_fips
from tests.support.records import write
from tracker.jurisdictions import services
from tracker.jurisdictions.services import JurisdictionQuery, find_jurisdictions
from tracker.status.rule import Status

pytestmark = pytest.mark.today(FROZEN_NOW)

THIRD_COUNTY = "48005"  # Angelina County, TX


@pytest.fixture()
def plan_data(app, database):
    """Three Texas counties: one activated, one planned (past due), one removed."""

    def _write():
        schedule(COUNTY, "2011-03-01", decided_on="2010-12-01")
        activate(COUNTY, "2011-03-01")
        schedule(OTHER_COUNTY, "2011-05-10", decided_on="2011-01-15")
        schedule(THIRD_COUNTY, "2011-08-01", decided_on="2011-02-01")
        remove(THIRD_COUNTY, "2011-04-01")

    write(app, _write)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/jurisdictions")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_viewer_sees_every_jurisdiction_paged_without_edit_controls(signed_in):
    client = signed_in("viewer")
    html = client.get("/jurisdictions").get_data(as_text=True)
    assert "3,233 jurisdictions, showing 1–50" in html
    assert len(listed_fips(html)) == 50
    assert 'name="selected"' not in html
    assert "Reschedule the selected jurisdictions" not in html


def test_editor_gets_a_checkbox_per_row_carrying_its_version(signed_in):
    html = signed_in("editor").get("/jurisdictions?q=48001").get_data(as_text=True)
    assert 'name="selected" id="select-48001" value="48001:' in html
    assert "Reschedule the selected jurisdictions" in html


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("48001", ["48001"]),
        ("anderson", None),
        ("dona ana", ["35013"]),
        ("Doña Ana", ["35013"]),
        ("DOÑA ANA, NM", ["35013"]),
    ],
)
def test_search_by_name_or_fips(signed_in, q, expected):
    html = signed_in("viewer").get("/jurisdictions", query_string={"q": q}).get_data(as_text=True)
    found = listed_fips(html)
    if expected is None:
        assert "48001" in found and len(found) > 1
    else:
        assert found == expected


def test_state_filter_by_postal_code_or_fips(signed_in):
    client = signed_in("viewer")
    for state in ("TX", "48", "tx"):
        html = client.get(f"/jurisdictions?state={state}").get_data(as_text=True)
        assert "254 jurisdictions" in html, state


def test_status_filters_follow_the_as_of_rule(plan_data, signed_in):
    client = signed_in("viewer")

    def found(**args):
        html = client.get("/jurisdictions", query_string={"q": "4800", **args}).get_data(
            as_text=True
        )
        return listed_fips(html)

    assert found(status="activated") == [COUNTY]
    assert found(status="planned") == [OTHER_COUNTY]
    assert found(status="past_due") == [OTHER_COUNTY]
    assert found(status="removed") == [THIRD_COUNTY]
    # Back in time the same counties were all planned, nothing activated or past due.
    assert found(status="planned", as_of="2011-02-15", sort="fips") == [
        COUNTY,
        OTHER_COUNTY,
        THIRD_COUNTY,
    ]
    assert found(status="activated", as_of="2011-02-15") == []
    assert found(status="past_due", as_of="2011-05-10") == []
    assert found(status="past_due", as_of="2011-05-11") == [OTHER_COUNTY]


def test_date_range_filters_are_inclusive(plan_data, signed_in):
    client = signed_in("viewer")

    def found(**args):
        html = client.get(
            "/jurisdictions", query_string={"q": "4800", "sort": "fips", **args}
        ).get_data(as_text=True)
        return listed_fips(html)

    assert found(scheduled_from="2011-03-01", scheduled_to="2011-05-10") == [COUNTY, OTHER_COUNTY]
    assert found(scheduled_from="2011-03-02", scheduled_to="2011-05-10") == [OTHER_COUNTY]
    assert found(scheduled_from="2011-03-01", scheduled_to="2011-05-09") == [COUNTY]
    assert found(activated_from="2011-03-01", activated_to="2011-03-01") == [COUNTY]
    assert found(activated_from="2011-03-02") == []
    # Looking back before the removal, the third county still had its date.
    assert found(as_of="2011-03-15", scheduled_from="2011-07-01") == [THIRD_COUNTY]


def test_sorting(plan_data, app_context):
    def order(sort, direction="asc", q=""):
        query = JurisdictionQuery(
            as_of=FROZEN_NOW.date(), state="TX", q=q, sort=sort, order=direction
        )
        return [row.fips for row in find_jurisdictions(query)]

    assert order("fips")[:3] == ["48001", "48003", "48005"]
    assert order("fips", "desc")[0] == "48507"
    by_name = find_jurisdictions(JurisdictionQuery(as_of=FROZEN_NOW.date(), state="TX"))
    names = [row.name.casefold() for row in by_name]
    assert names == sorted(names) and names[0] == "anderson"
    # Dated rows first (ascending or descending); rows without that date go last either way.
    assert order("scheduled", q="4800") == [COUNTY, OTHER_COUNTY, THIRD_COUNTY, "48007", "48009"]
    assert order("scheduled", "desc", q="4800")[:3] == [OTHER_COUNTY, COUNTY, THIRD_COUNTY]
    assert order("activated", q="4800") == [COUNTY, "48003", "48005", "48007", "48009"]
    # Real activations in Texas (2008-2009) come before the test's 2011 one, newest first.
    assert order("activated", "desc").index(COUNTY) == 0
    assert order("activated").index(COUNTY) > 0
    everyone = JurisdictionQuery(as_of=FROZEN_NOW.date(), sort="state")
    states = [row.state_name for row in find_jurisdictions(everyone)]
    assert states == sorted(states)


def test_pagination(signed_in):
    client = signed_in("viewer")
    first = listed_fips(client.get("/jurisdictions?sort=fips&per_page=10").get_data(as_text=True))
    html = client.get("/jurisdictions?sort=fips&per_page=10&page=2").get_data(as_text=True)
    second = listed_fips(html)
    assert len(first) == len(second) == 10
    assert first[-1] < second[0]
    assert "showing 11–20" in html
    assert "Page 2 of 324" in html
    past_the_end = client.get("/jurisdictions?sort=fips&per_page=10&page=999").get_data(
        as_text=True
    )
    assert "showing 3,231–3,233" in past_the_end
    assert listed_fips(past_the_end)[-1] == "78030"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("as_of=2011-13-01", "as_of must be a date"),
        ("status=bogus", "status must be one of"),
        ("state=ZZ", "state must be a state postal code"),
        ("sort=color", "sort must be one of"),
        ("page=0", "page must be between 1 and 1,000,000"),
        (
            "scheduled_from=2011-05-01&scheduled_to=2011-04-01",
            "scheduled_from must be on or before",
        ),
    ],
)
def test_bad_parameters_are_named_and_refused(signed_in, query, message):
    response = signed_in("viewer").get(f"/jurisdictions?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_status_choices_for_the_public_exclude_internal_statuses():
    assert services.status_choices(public=True) == (
        Status.ACTIVATED.value,
        Status.PLANNED.value,
        Status.NOT_SCHEDULED.value,
        "past_due",
    )
    assert len(services.status_choices()) == 6


def test_a_bad_date_keeps_the_editor_on_the_list_with_the_message(signed_in):
    response = signed_in("editor").get("/jurisdictions?as_of=2011-02-30")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "as_of must be a date written YYYY-MM-DD" in html
    assert "Reschedule the selected jurisdictions" in html  # still the list page
