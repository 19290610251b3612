"""/states and /states/<postal>: who may see and edit, and what the pages show."""

from __future__ import annotations

import pytest

from tests.factories import COUNTY, D, briefing, schedule
from tracker.extensions import db
from tracker.registry.models import State

pytestmark = pytest.mark.today(D("2011-01-31"))


EDIT = {
    "sib_name": "Texas DPS Crime Records",
    "sib_contact": "Chief, 512-555-0100",
    "moa_signed_on": "2009-01-10",
    "moa_terminated_on": "",
    "receives_results": "y",
    "version": "1",
}


@pytest.mark.parametrize("path", ["/states", "/states/TX", "/states/TX/edit"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_list_shows_all_56_with_progress(signed_in):
    viewer = signed_in("viewer")
    page = viewer.get("/states?as_of=2010-08-31").get_data(as_text=True)
    assert page.count('href="/states/') == 56
    assert "Puerto Rico" in page and "All 56" in page and "3,233" in page
    assert viewer.get("/states?as_of=31/08/2010").status_code == 400


def test_state_page_shows_bureau_progress_jurisdictions_and_briefings(app, signed_in):
    with app.app_context():
        schedule(COUNTY, "2010-09-10", "2010-06-01")
        briefing("2010-08-01", "sib_meeting", states=["TX"], presenter="Deployment lead")
        db.session.commit()
    viewer = signed_in("viewer")
    page = viewer.get("/states/TX?as_of=2010-08-31").get_data(as_text=True)
    assert "Texas" in page and "Anderson County" in page and "Planned" in page
    assert "SIB pre-activation meeting" in page and "Deployment lead" in page
    assert "Edit bureau and agreement" not in page
    assert viewer.get("/states/48").status_code == 301
    assert viewer.get("/states/ZZ").status_code == 404


def test_viewer_cannot_edit(app, signed_in):
    viewer = signed_in("viewer")
    assert viewer.get("/states/TX/edit").status_code == 403
    assert viewer.post("/states/TX/edit", data=EDIT).status_code == 403
    with app.app_context():
        assert db.session.get(State, "48").sib_name is None


def test_editor_edits_a_state_and_a_stale_form_is_refused(app, signed_in):
    editor = signed_in("editor")
    assert "Edit bureau and agreement" in editor.get("/states/TX").get_data(as_text=True)
    response = editor.post("/states/TX/edit", data=EDIT)
    assert response.status_code == 303
    page = editor.get("/states/TX").get_data(as_text=True)
    assert "Texas DPS Crime Records" in page and "10 January 2009" in page
    stale = editor.post("/states/TX/edit", data={**EDIT, "sib_name": "Overwrite"})
    assert stale.status_code == 409
    with app.app_context():
        assert db.session.get(State, "48").sib_name == "Texas DPS Crime Records"


def test_moa_order_is_explained_on_the_form(app, signed_in):
    editor = signed_in("editor")
    response = editor.post("/states/TX/edit", data={**EDIT, "moa_terminated_on": "2008-12-31"})
    assert response.status_code == 400
    assert "on or after the date it was signed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(State, "48").version_id == 1
