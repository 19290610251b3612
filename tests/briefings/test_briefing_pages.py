"""The briefing log, its form, the readiness pages and the staff API, through real requests."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories import COUNTY, OTHER_COUNTY, D, briefing, schedule
from tracker.briefings.models import Briefing
from tracker.extensions import db

pytestmark = pytest.mark.today(D("2010-08-31"))


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Briefing))


def _seed(app, make) -> list[int]:
    with app.app_context():
        ids = [b.id for b in make()]
        db.session.commit()
        return ids


FORM = {
    "held_on": "2010-08-20",
    "kind": "local_briefing",
    "jurisdictions": "48001\nAndrews County, TX",
    "presenter": "Outreach lead",
    "attendees": "Sheriff and jail staff",
    "materials_version": "2010-07",
    "notes": "Went well",
}


@pytest.mark.parametrize(
    "path",
    ["/briefings", "/briefings/new", "/readiness", "/readiness/data-quality", "/briefings/1"],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_api_answers_401_json_to_anonymous_callers(client):
    response = client.get("/api/v1/briefings")
    assert response.status_code == 401
    assert response.get_json()["error"]["status"] == 401


def test_viewer_sees_the_log_but_cannot_log_or_edit(app, signed_in):
    (bid,) = _seed(app, lambda: [briefing("2010-08-01", jurisdictions=[COUNTY])])
    viewer = signed_in("viewer")
    page = viewer.get("/briefings").get_data(as_text=True)
    assert "Anderson County, TX" in page and "Log a briefing" not in page
    assert viewer.get("/briefings/new").status_code == 403
    assert viewer.post("/briefings/new", data=FORM).status_code == 403
    assert viewer.post(f"/briefings/{bid}/edit", data=FORM).status_code == 403
    assert _count(app) == 1


def test_editor_logs_a_briefing_through_the_form(app, signed_in):
    editor = signed_in("editor")
    assert editor.get("/briefings/new").status_code == 200
    response = editor.post(
        "/briefings/new", data={**FORM, "states": ["TX"], "every_jurisdiction_in": ["DE"]}
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    detail = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Anderson County, TX" in detail and "Andrews County, TX" in detail
    assert "Kent County, DE" in detail and "Texas" in detail
    assert "Jurisdictions covered (5)" in detail  # 2 named + Delaware's 3
    assert _count(app) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": "2010-09-01"}, "cannot be in the future"),
        ({"jurisdictions": ""}, "at least one jurisdiction or state"),
        ({"jurisdictions": "Nowhere, TX"}, "Line 1"),
        ({"held_on": "yesterday"}, "Date held"),
    ],
)
def test_bad_input_redisplays_the_form_and_writes_nothing(app, signed_in, changes, message):
    editor = signed_in("editor")
    response = editor.post("/briefings/new", data={**FORM, **changes})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(app) == 0


def test_editor_edits_and_a_stale_form_is_refused(app, signed_in):
    (bid,) = _seed(app, lambda: [briefing("2010-08-01", jurisdictions=[COUNTY])])
    editor = signed_in("editor")
    form = editor.get(f"/briefings/{bid}/edit").get_data(as_text=True)
    assert "48001 Anderson County, TX" in form
    saved = editor.post(
        f"/briefings/{bid}/edit",
        data={**FORM, "jurisdictions": OTHER_COUNTY, "version": "1", "reason": "Wrong county"},
    )
    assert saved.status_code == 303
    stale = editor.post(f"/briefings/{bid}/edit", data={**FORM, "version": "1", "reason": "Typo"})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.get_data(as_text=True)
    with app.app_context():
        kept = db.session.get(Briefing, bid)
        assert [j.fips for j in kept.jurisdictions] == [OTHER_COUNTY]
        assert kept.version_id == 2


def test_list_filters_and_pages(app, signed_in):
    _seed(
        app,
        lambda: (
            [briefing(f"2010-0{month}-01", jurisdictions=[COUNTY]) for month in range(1, 8)]
            + [briefing("2010-08-01", "sib_meeting", states=["OK"])]
        ),
    )
    viewer = signed_in("viewer")
    page = viewer.get("/briefings?state=OK").get_data(as_text=True)
    assert "1 briefing," in page and "States: OK" in page
    page = viewer.get("/briefings?kind=local_briefing&from=2010-03-01&to=2010-05-01").get_data(
        as_text=True
    )
    assert "3 briefings" in page
    paged = viewer.get("/briefings?per_page=3&page=2").get_data(as_text=True)
    assert "Page 2 of 3" in paged
    assert viewer.get("/briefings?from=soon").status_code == 400
    assert viewer.get("/briefings?kind=party").status_code == 400


def test_api_lists_with_filters_and_paging(app, signed_in):
    _seed(
        app,
        lambda: [
            briefing("2010-03-01", jurisdictions=[COUNTY]),
            briefing("2010-04-01", "advance_notice", jurisdictions=["40001"], states=["OK"]),
        ],
    )
    viewer = signed_in("viewer")
    body = viewer.get("/api/v1/briefings").get_json()
    assert body["total"] == 2 and body["page"] == 1
    assert [item["held_on"] for item in body["items"]] == ["2010-04-01", "2010-03-01"]
    assert body["items"][0]["states"] == ["OK"] and body["items"][0]["jurisdictions"] == ["40001"]
    assert viewer.get("/api/v1/briefings?state=TX").get_json()["total"] == 1
    assert viewer.get("/api/v1/briefings?kind=advance_notice").get_json()["total"] == 1
    assert viewer.get("/api/v1/briefings?from=2010-03-02&to=2010-12-31").get_json()["total"] == 1
    paged = viewer.get("/api/v1/briefings?per_page=1&page=2").get_json()
    assert paged["pages"] == 2 and paged["items"][0]["held_on"] == "2010-03-01"
    error = viewer.get("/api/v1/briefings?kind=party")
    assert error.status_code == 400 and error.get_json()["error"]["parameter"] == "kind"
    assert viewer.get("/api/v1/briefings?state=ZZ").get_json()["error"]["parameter"] == "state"


def test_api_is_described_in_openapi_paths():
    from tracker.api.briefings import OPENAPI_PATHS

    operation = OPENAPI_PATHS["/briefings"]["get"]
    # A shared parameter is a reference to components.parameters, named by its last part.
    names = {p.get("name") or p["$ref"].rsplit("/", 1)[-1] for p in operation["parameters"]}
    assert {"state", "kind", "from", "to", "known_at", "page", "per_page"} <= names
    assert operation["responses"]["401"] == {"$ref": "#/components/responses/Error"}


def test_readiness_and_data_quality_pages(app, signed_in):
    def make():
        schedule(COUNTY, "2010-09-10", "2010-06-01")
        return [briefing("2010-08-01", jurisdictions=[COUNTY])]

    _seed(app, make)
    viewer = signed_in("viewer")
    page = viewer.get("/readiness?as_of=2010-08-31").get_data(as_text=True)
    assert "Anderson" in page and "No SIB pre-activation meeting held for its state" in page
    assert "No advance notice given" in page and "1</strong> of 1 upcoming" in page
    assert viewer.get("/readiness?as_of=2010-13-01").status_code == 400
    only_ok = viewer.get("/readiness?as_of=2010-08-31&state=OK").get_data(as_text=True)
    assert "Anderson" not in only_ok and "0</strong> of 0 upcoming" in only_ok
    not_ready = viewer.get("/readiness?as_of=2010-08-31&show=not_ready&state=tx")
    assert "Anderson" in not_ready.get_data(as_text=True)
    assert viewer.get("/readiness?state=ZZ").status_code == 400
    report = viewer.get("/readiness/data-quality?as_of=2010-08-31").get_data(as_text=True)
    assert "Travis County" in report  # a real activation with no briefing recorded
