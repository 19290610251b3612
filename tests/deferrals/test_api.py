"""The staff API for deferral letters: filters as the log, and nothing for anonymous callers."""

from __future__ import annotations

from tests.deferrals.samples import log_letter
from tests.factories import COUNTY, D, schedule
from tracker.deferrals import letters, workflow
from tracker.extensions import db


def make(app):
    with app.app_context():
        schedule(COUNTY, "2011-03-15", "2010-12-01")
        request = log_letter(sender_name="Sheriff Api")
        workflow.request_meeting(request, D("2011-02-24"))
        letters.add_note(request, "Meeting proposed.")
        db.session.commit()
        return request.id


def test_anonymous_callers_get_401_and_no_letter(app, client):
    request_id = make(app)
    for url in ("/api/v1/deferrals", f"/api/v1/deferrals/{request_id}"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.get_json()["error"]["status"] == 401
        assert b"Sheriff Api" not in response.data


def test_staff_list_and_detail(app, signed_in):
    request_id = make(app)
    client = signed_in("viewer")
    body = client.get("/api/v1/deferrals?as_of=2011-03-02&status=open&urgent=1").get_json()
    assert body["as_of"] == "2011-03-02" and body["total"] == 1
    (item,) = body["items"]
    assert item["id"] == request_id and item["urgent"] is True and item["overdue"] is False
    assert item["status_as_of"] == "meeting_requested" and item["scheduled_on"] == "2011-03-15"
    assert item["attachments"][0]["media_type"] == "application/pdf"
    assert client.get("/api/v1/deferrals?as_of=2011-03-02&channel=fax").get_json()["total"] == 0

    detail = client.get(f"/api/v1/deferrals/{request_id}").get_json()
    assert detail["notes"][0]["body"] == "Meeting proposed."
    assert detail["steps"][-1]["on"] == "2011-02-24"


def test_api_errors_name_the_parameter(app, signed_in):
    client = signed_in("viewer")
    response = client.get("/api/v1/deferrals?status=lost")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "status"
    assert client.get("/api/v1/deferrals/999999").status_code == 404


def test_the_openapi_document_describes_the_endpoints(app, client):
    from tracker.api import deferrals

    assert set(deferrals.OPENAPI_PATHS) == {"/deferrals", "/deferrals/{request_id}"}
    for path in deferrals.OPENAPI_PATHS.values():
        assert path["get"]["responses"]["401"] == {"$ref": "#/components/responses/Error"}
