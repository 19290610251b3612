"""The staff dashboard: figures for any as-of date, for signed-in staff only."""

from __future__ import annotations

import time_machine

from tests.factories import COUNTY, OTHER_COUNTY, activate, briefing, deferral_request, schedule


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_dashboard_counts_follow_the_as_of_date(app, signed_in):
    from tracker.extensions import db

    with app.app_context(), time_machine.travel("2011-06-01", tick=False):
        schedule(COUNTY, "2011-02-01", decided_on="2010-11-01")
        schedule(OTHER_COUNTY, "2011-03-15", decided_on="2010-11-01")
        activate(COUNTY, "2011-02-01")
        deferral_request(OTHER_COUNTY, "2011-03-01")
        briefing("2011-01-10", jurisdictions=[COUNTY])
        db.session.commit()
    client = signed_in("viewer")
    # The real activation records in the seed (2008-2010) are activated by then too.
    page = client.get("/dashboard?as_of=2011-02-10").get_data(as_text=True)
    assert "Program dashboard" in page
    assert "county equivalents activated" in page
    assert "Cumulative activations, actual against plan" in page
    before = client.get("/dashboard?as_of=2010-12-01").get_data(as_text=True)
    assert before != page
    pending = client.get("/dashboard?as_of=2011-03-02").get_data(as_text=True)
    assert '<dt>Deferral pending</dt><dd><span class="figure">1</span>' in pending
    assert '<dt>Deferral pending</dt><dd><span class="figure">0</span>' in page
    # Letters and briefings, counted on the same date.
    assert '<dt>Open</dt><dd><span class="figure">1</span>' in pending
    assert '<dt>Open</dt><dd><span class="figure">0</span>' in page
    assert "<strong>1 of 3,233 jurisdictions briefed</strong>" in page
    assert "<strong>0 of 3,233 jurisdictions briefed</strong>" in before
    assert "Anderson County, TX" in pending  # the letter, among the recent ones


def test_a_bad_date_is_named(signed_in):
    response = signed_in("viewer").get("/dashboard?as_of=31/08/2010")
    assert response.status_code == 400
    assert "as_of must be a date written YYYY-MM-DD" in response.get_data(as_text=True)
