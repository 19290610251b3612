"""The summary API, the dashboard, the overview and the state pages give the same numbers for the
same date, and those numbers are what counting rows gives."""

from __future__ import annotations

import re

import sqlalchemy as sa
import time_machine

from tests.factories import COUNTY, OTHER_COUNTY, activate, briefing, deferral_request, schedule

DAYS = ("2010-12-01", "2011-02-10", "2011-03-02")


def seed_small_history(app):
    from tracker.extensions import db

    with app.app_context(), time_machine.travel("2011-06-01", tick=False):
        schedule(COUNTY, "2011-02-01", decided_on="2010-11-01")
        schedule(OTHER_COUNTY, "2011-03-15", decided_on="2010-11-01")
        activate(COUNTY, "2011-02-01")
        deferral_request(OTHER_COUNTY, "2011-03-01")
        briefing("2011-01-10", jurisdictions=[COUNTY, OTHER_COUNTY])
        db.session.commit()


def counted_by_hand(app, day: str) -> dict[str, int]:
    """The same figures straight from the tables, without the status rule's code."""
    from tracker.extensions import db

    with app.app_context():
        one = db.session.scalar
        return {
            "activated": one(
                sa.text("SELECT count(*) FROM activation WHERE activated_on <= :d"), {"d": day}
            ),
            "open_deferrals": one(
                sa.text(
                    "SELECT count(*) FROM deferral_request WHERE received_on <= :d "
                    "AND (resolved_on IS NULL OR resolved_on > :d)"
                ),
                {"d": day},
            ),
            "briefed": one(
                sa.text(
                    "SELECT count(DISTINCT bj.jurisdiction_fips) FROM briefing_jurisdiction bj "
                    "JOIN briefing b ON b.id = bj.briefing_id WHERE b.held_on <= :d "
                    "AND b.kind IN ('local_briefing', 'advance_notice')"
                ),
                {"d": day},
            ),
        }


def figure(page: str, label: str) -> int:
    match = re.search(rf"<dt>{label}</dt><dd><span class=\"figure\">([\d,]+)", page)
    return int(match.group(1).replace(",", ""))


def test_every_surface_agrees_with_counting_rows(app, signed_in):
    seed_small_history(app)
    staff = signed_in("viewer")
    client = app.test_client()  # anonymous: a client of its own
    for day in DAYS:
        expected = counted_by_hand(app, day)
        public = client.get(f"/api/v1/summary?as_of={day}").get_json()
        internal = staff.get(f"/api/v1/summary?as_of={day}").get_json()
        dashboard = staff.get(f"/dashboard?as_of={day}").get_data(as_text=True)
        states = staff.get(f"/states?as_of={day}").get_data(as_text=True)

        assert (
            public["counts"]["activated"]
            == internal["counts"]["activated"]
            == expected["activated"]
        )
        assert figure(dashboard, "Activated") == expected["activated"]
        assert (
            public["briefed_jurisdictions"]
            == internal["briefed_jurisdictions"]
            == expected["briefed"]
        )
        assert f"<strong>{expected['briefed']} of 3,233 jurisdictions briefed</strong>" in dashboard
        assert internal["open_deferrals"] == expected["open_deferrals"]
        assert figure(dashboard, "Open") == expected["open_deferrals"]
        assert "open_deferrals" not in public and "overdue_deferrals" not in public
        assert internal["counts"]["deferral_pending"] == figure(dashboard, "Deferral pending")
        assert sum(internal["counts"].values()) == internal["total"] == 3233
        assert states.count("Texas") >= 1
    with time_machine.travel("2011-02-10", tick=False):
        overview = client.get("/").get_data(as_text=True)
    assert (
        f"{counted_by_hand(app, '2011-02-10')['activated']} of 3,233 county equivalents activated in"
        in overview
    )
