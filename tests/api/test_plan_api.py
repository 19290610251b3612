"""/api/v1/summary, /api/v1/jurisdictions and /api/v1/jurisdictions/<fips>: public and staff views."""

from __future__ import annotations

import pytest

from tests.factories import COUNTY, OTHER_COUNTY, activate, deferral_request, remove, schedule
from tests.jurisdictions.support import FROZEN_NOW
from tests.support.records import write
from tracker.api.jurisdictions import OPENAPI_PATHS

pytestmark = pytest.mark.today(FROZEN_NOW)

THIRD_COUNTY = "48005"
PUBLIC = {"activated", "planned", "not_scheduled"}
STAFF = PUBLIC | {"removed", "deferral_pending"}


@pytest.fixture()
def plan_data(app, database):
    """County 1 activated; county 2 planned with a pending letter; county 3 removed."""

    def _write():
        schedule(COUNTY, "2011-03-01", decided_on="2010-12-01")
        activate(COUNTY, "2011-03-01")
        schedule(OTHER_COUNTY, "2011-07-12", decided_on="2011-01-15")
        deferral_request(OTHER_COUNTY, "2011-05-02")
        schedule(THIRD_COUNTY, "2011-08-01", decided_on="2011-02-01", reason="First wave")
        remove(THIRD_COUNTY, "2011-04-01", reason="Pending the state's agreement")

    write(app, _write)


def error_of(response, status=400) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    return response.get_json()["error"]


# --- summary ---------------------------------------------------------------------------------


def test_public_summary_counts_only_public_statuses(plan_data, client):
    body = client.get("/api/v1/summary").get_json()
    assert body["as_of"] == "2011-06-01"
    assert set(body["counts"]) == PUBLIC
    assert sum(body["counts"].values()) == body["total"] == 3233
    assert body["states_with_activation"] >= 1


def test_staff_summary_counts_all_five_statuses(plan_data, signed_in):
    body = signed_in("viewer").get("/api/v1/summary").get_json()
    assert set(body["counts"]) == STAFF
    assert sum(body["counts"].values()) == 3233
    assert body["counts"]["removed"] == 1
    assert body["counts"]["deferral_pending"] == 1


def test_summary_follows_the_as_of_date(plan_data, client):
    before = client.get("/api/v1/summary?as_of=2011-02-28").get_json()
    after = client.get("/api/v1/summary?as_of=2011-03-01").get_json()
    assert after["counts"]["activated"] == before["counts"]["activated"] + 1
    assert before["as_of"] == "2011-02-28"


def test_summary_counts_states_and_territories_with_an_activation(app, database, client):
    baseline = client.get("/api/v1/summary").get_json()
    write(app, lambda: activate("72001", "2011-05-01"))  # Adjuntas Municipio, Puerto Rico
    body = client.get("/api/v1/summary").get_json()
    assert body["territories_with_activation"] == baseline["territories_with_activation"] + 1
    assert body["states_with_activation"] == baseline["states_with_activation"]


def test_summary_rejects_a_bad_date(client, database):
    error = error_of(client.get("/api/v1/summary?as_of=31/08/2010"))
    assert error["parameter"] == "as_of"
    assert "YYYY-MM-DD" in error["message"]


# --- list ------------------------------------------------------------------------------------


def test_list_pages_through_a_state(plan_data, client):
    body = client.get("/api/v1/jurisdictions?state=TX&per_page=100&page=2").get_json()
    assert body["total"] == 254
    assert (body["page"], body["per_page"], body["pages"]) == (2, 100, 3)
    assert len(body["items"]) == 100
    assert all(item["state"] == "TX" for item in body["items"])


def test_public_list_hides_internal_statuses(plan_data, client):
    items = client.get("/api/v1/jurisdictions?state=TX&per_page=5").get_json()["items"]
    by_fips = {item["fips"]: item for item in items}
    assert by_fips[COUNTY]["status"] == "activated"
    assert by_fips[COUNTY]["activated_on"] == "2011-03-01"
    assert by_fips[OTHER_COUNTY]["status"] == "planned"  # letter pending: shown as planned
    assert by_fips[OTHER_COUNTY]["scheduled_on"] == "2011-07-12"
    assert by_fips[THIRD_COUNTY]["status"] == "not_scheduled"  # removed: not scheduled
    assert by_fips[THIRD_COUNTY]["scheduled_on"] is None


def test_staff_list_shows_all_statuses_and_filters_by_them(plan_data, signed_in):
    client = signed_in("viewer")
    body = client.get("/api/v1/jurisdictions?status=removed").get_json()
    assert [item["fips"] for item in body["items"]] == [THIRD_COUNTY]
    body = client.get("/api/v1/jurisdictions?status=deferral_pending").get_json()
    assert [item["fips"] for item in body["items"]] == [OTHER_COUNTY]


def test_list_status_filter_and_as_of(plan_data, client):
    body = client.get("/api/v1/jurisdictions?state=48&status=planned&as_of=2011-01-20").get_json()
    assert [item["fips"] for item in body["items"]] == [COUNTY, OTHER_COUNTY]
    assert body["as_of"] == "2011-01-20"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("status=removed", "status"),  # not a public status
        ("status=deferral_pending", "status"),
        ("status=bogus", "status"),
        ("state=ZZ", "state"),
        ("as_of=2011-02-30", "as_of"),
        ("page=0", "page"),
        ("page=two", "page"),
        ("per_page=501", "per_page"),
    ],
)
def test_public_list_names_the_bad_parameter(client, database, query, parameter):
    error = error_of(client.get(f"/api/v1/jurisdictions?{query}"))
    assert error["parameter"] == parameter
    assert error["code"] == "invalid"


def test_staff_may_not_use_an_unknown_status_either(signed_in):
    error = error_of(signed_in("viewer").get("/api/v1/jurisdictions?status=paused"))
    assert error["parameter"] == "status"
    assert "deferral_pending" in error["message"]


# --- one jurisdiction ------------------------------------------------------------------------


def test_public_detail_hides_removals_and_internal_fields(plan_data, client):
    body = client.get(f"/api/v1/jurisdictions/{THIRD_COUNTY}").get_json()
    assert body["status"] == "not_scheduled"
    assert body["scheduled_on"] is None
    # Removed from the plan: the public history is empty, so no old date betrays the removal.
    assert body["plan_history"] == []
    before_removal = client.get(f"/api/v1/jurisdictions/{THIRD_COUNTY}?as_of=2011-02-01")
    (entry,) = before_removal.get_json()["plan_history"]
    assert entry == {
        "kind": "scheduled",
        "scheduled_on": "2011-08-01",
        "decided_on": "2011-02-01",
        "reason_category": "scheduled",
        "is_demo": False,
    }


def test_staff_detail_has_the_whole_history(plan_data, signed_in):
    body = signed_in("viewer").get(f"/api/v1/jurisdictions/{THIRD_COUNTY}").get_json()
    assert body["status"] == "removed"
    assert [entry["kind"] for entry in body["plan_history"]] == ["scheduled", "removed"]
    assert body["plan_history"][1]["reason"] == "Pending the state's agreement"
    assert "recorded_by" in body["plan_history"][1]


def test_pending_deferral_reads_as_planned_for_the_public(plan_data, client, signed_in):
    public = client.get(f"/api/v1/jurisdictions/{OTHER_COUNTY}").get_json()
    assert (public["status"], public["scheduled_on"]) == ("planned", "2011-07-12")
    staff = signed_in("viewer").get(f"/api/v1/jurisdictions/{OTHER_COUNTY}").get_json()
    assert staff["status"] == "deferral_pending"


def test_detail_history_stops_at_the_as_of_date(plan_data, client):
    body = client.get(f"/api/v1/jurisdictions/{COUNTY}?as_of=2010-11-30").get_json()
    assert body["status"] == "not_scheduled"
    assert body["plan_history"] == []
    body = client.get(f"/api/v1/jurisdictions/{COUNTY}?as_of=2011-03-01").get_json()
    assert (body["status"], body["activated_on"]) == ("activated", "2011-03-01")
    assert len(body["plan_history"]) == 1


def test_unknown_jurisdiction_is_a_json_404(client, database):
    error = error_of(client.get("/api/v1/jurisdictions/99999"), status=404)
    assert error["code"] == "not_found"


def test_detail_rejects_a_bad_date(client, database):
    assert (
        error_of(client.get(f"/api/v1/jurisdictions/{COUNTY}?as_of=soon"))["parameter"] == "as_of"
    )


def test_openapi_paths_describe_every_endpoint_with_the_error_response():
    assert set(OPENAPI_PATHS) == {
        "/api/v1/summary",
        "/api/v1/jurisdictions",
        "/api/v1/jurisdictions/{fips}",
    }
    for path in OPENAPI_PATHS.values():
        responses = path["get"]["responses"]
        assert responses["400"] == {"$ref": "#/components/responses/Error"}
    names = {
        p.get("name") or p["$ref"].rsplit("/", 1)[-1]  # a shared parameter, by reference
        for p in OPENAPI_PATHS["/api/v1/jurisdictions"]["get"]["parameters"]
    }
    assert {"as_of", "known_at", "state", "status", "page", "per_page"} <= names
