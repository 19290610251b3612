"""/jurisdictions/<fips>: status as of a date, the full timeline, and the editors' plan forms."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import COUNTY, D, activate, deferral_request, remove, schedule
from tests.jurisdictions.support import FROZEN_NOW, new_client, status_line
from tests.support.records import audit_count, read, version_of, write
from tracker.audit.models import AuditEvent
from tracker.briefings.models import Briefing, BriefingKind
from tracker.deferrals.models import Resolution
from tracker.extensions import db
from tracker.plan.models import Activation, PlanChange
from tracker.registry.models import Jurisdiction, State

pytestmark = pytest.mark.today(FROZEN_NOW)


def plan_changes(app, fips: str = COUNTY) -> list[tuple]:
    return read(
        app,
        lambda: [
            (c.kind.value, c.scheduled_on, c.decided_on, c.reason, c.source)
            for c in db.session.scalars(
                select(PlanChange)
                .where(PlanChange.jurisdiction_fips == fips)
                .order_by(PlanChange.id)
            )
        ],
    )


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(f"/jurisdictions/{COUNTY}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_unknown_jurisdiction_is_not_found(signed_in):
    assert signed_in("viewer").get("/jurisdictions/99999").status_code == 404


def test_timeline_tells_the_whole_story(app, signed_in, make_user):
    editor_email = make_user("editor")

    def _write():
        from tracker.auth.models import User

        editor = db.session.scalar(select(User).where(User.email == editor_email))
        schedule(COUNTY, "2011-03-15", decided_on="2010-12-01")
        letter = deferral_request(
            COUNTY,
            "2011-02-22",
            resolved_on="2011-03-04",
            resolution=Resolution.DATE_ADJUSTED,
            sender_name="Sheriff Ann Example",
        )
        from tracker.plan import services as plan

        plan.schedule(
            COUNTY,
            D("2011-04-12"),
            decided_on=D("2011-03-04"),
            reason="Deferral meeting outcome",
            source="Meeting minutes",
            deferral_request_id=letter.id,
            actor=editor,
        )
        activate(COUNTY, "2011-04-12")
        state_briefing = Briefing(held_on=D("2010-10-05"), kind=BriefingKind.SIB_MEETING)
        state_briefing.states.append(db.session.get(State, "48"))
        local = Briefing(
            held_on=D("2010-11-09"),
            kind=BriefingKind.LOCAL_BRIEFING,
            presenter="Program office",
            is_demo=True,
        )
        local.jurisdictions.append(db.session.get(Jurisdiction, COUNTY))
        elsewhere = Briefing(held_on=D("2010-11-10"), kind=BriefingKind.ADVANCE_NOTICE)
        elsewhere.states.append(db.session.get(State, "06"))
        db.session.add_all([state_briefing, local, elsewhere])
        return letter.id

    letter_id = write(app, _write)
    html = signed_in("viewer").get(f"/jurisdictions/{COUNTY}").get_data(as_text=True)
    assert status_line(html) == "As of 1 June 2011: Activated on 12 April 2011"
    order = [
        "2010-10-05",  # state briefing
        "2010-11-09",  # local briefing
        "2010-12-01",  # first schedule
        "2011-02-22",  # letter received
        "2011-03-04",  # reschedule after the meeting
        "2011-04-12",  # activation
    ]
    positions = [html.index(f'<time datetime="{day}">') for day in order]
    assert positions == sorted(positions)
    assert "2010-11-10" not in html  # a briefing for another state
    assert "Scheduled for 2011-03-15" in html and "Scheduled for 2011-04-12" in html
    assert "Deferral meeting outcome" in html and "Meeting minutes" in html
    assert editor_email in html  # who recorded the reschedule
    assert f"Letter #{letter_id} received by email" in html
    assert "Sheriff Ann Example" in html and f"Letter #{letter_id} closed: Date adjusted" in html
    assert "Briefing: SIB pre-activation meeting" in html
    assert "Briefing: Local law-enforcement briefing" in html
    assert html.count('<span class="badge demo-badge">demo</span>') == 1
    # The letter links to its page when the deferral pages are installed, else plain text.
    linked = f'href="/deferrals/{letter_id}"' in html
    assert linked is ("deferrals.show_deferral" in app.view_functions)


def test_status_as_of_another_date(app, signed_in):
    write(app, lambda: schedule(COUNTY, "2011-03-15", decided_on="2010-12-01"))
    client = signed_in("viewer")
    before = client.get(f"/jurisdictions/{COUNTY}?as_of=2010-11-30").get_data(as_text=True)
    assert status_line(before) == "As of 30 November 2010: Not scheduled"
    assert "Today (1 June 2011): Planned, scheduled for 15 March 2011 <span" in before
    assert "past due</span>" in before
    on = client.get(f"/jurisdictions/{COUNTY}?as_of=2010-12-01").get_data(as_text=True)
    assert status_line(on) == "As of 1 December 2010: Planned, scheduled for 15 March 2011"
    assert client.get(f"/jurisdictions/{COUNTY}?as_of=tomorrow").status_code == 400


def test_viewer_sees_no_forms_and_cannot_post(signed_in):
    client = signed_in("viewer")
    html = client.get(f"/jurisdictions/{COUNTY}").get_data(as_text=True)
    assert "Change the plan" not in html
    for action in ("reschedule", "remove", "activate"):
        assert client.post(f"/jurisdictions/{COUNTY}/{action}", data={}).status_code == 403


def test_anonymous_cannot_post(client):
    response = client.post(f"/jurisdictions/{COUNTY}/reschedule", data={})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_editor_reschedules_with_a_reason(app, signed_in):
    client = signed_in("editor")
    html = client.get(f"/jurisdictions/{COUNTY}").get_data(as_text=True)
    assert 'id="reschedule-form"' in html
    version = version_of(app, Jurisdiction, COUNTY)
    response = client.post(
        f"/jurisdictions/{COUNTY}/reschedule",
        data={
            "reschedule-version": version,
            "reschedule-scheduled_on": "2011-09-13",
            "reschedule-decided_on": "2011-05-20",
            "reschedule-reason": "State bureau asked for September",
            "reschedule-source": "Letter from the SIB",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/jurisdictions/{COUNTY}")
    assert plan_changes(app) == [
        (
            "scheduled",
            D("2011-09-13"),
            D("2011-05-20"),
            "State bureau asked for September",
            "Letter from the SIB",
        )
    ]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Schedule changed." in page
    assert status_line(page) == "As of 1 June 2011: Planned, scheduled for 13 September 2011"
    assert version_of(app, Jurisdiction, COUNTY) == version + 1


def test_reschedule_needs_a_reason_and_writes_nothing_without_one(app, signed_in):
    client = signed_in("editor")
    before = audit_count(app)
    response = client.post(
        f"/jurisdictions/{COUNTY}/reschedule",
        data={
            "reschedule-version": version_of(app, Jurisdiction, COUNTY),
            "reschedule-scheduled_on": "2011-09-13",
            "reschedule-decided_on": "2011-05-20",
            "reschedule-reason": "  ",
        },
    )
    assert response.status_code == 400
    assert "Give the reason for this change." in response.get_data(as_text=True)
    assert plan_changes(app) == []
    assert audit_count(app) == before


def test_a_future_decision_date_is_refused_on_the_field(app, signed_in):
    response = signed_in("editor").post(
        f"/jurisdictions/{COUNTY}/reschedule",
        data={
            "reschedule-version": version_of(app, Jurisdiction, COUNTY),
            "reschedule-scheduled_on": "2011-09-13",
            "reschedule-decided_on": "2011-06-02",
            "reschedule-reason": "Too early",
        },
    )
    assert response.status_code == 400
    assert "The decision date cannot be in the future." in response.get_data(as_text=True)
    assert plan_changes(app) == []


def test_editor_removes_from_the_plan(app, signed_in):
    write(app, lambda: schedule(COUNTY, "2011-09-01", decided_on="2011-01-01"))
    client = signed_in("editor")
    response = client.post(
        f"/jurisdictions/{COUNTY}/remove",
        data={
            "remove-version": version_of(app, Jurisdiction, COUNTY),
            "remove-decided_on": "2011-05-31",
            "remove-reason": "Pending a state agreement",
        },
    )
    assert response.status_code == 303
    assert plan_changes(app)[-1] == (
        "removed",
        None,
        D("2011-05-31"),
        "Pending a state agreement",
        "staff entry",
    )
    page = client.get(f"/jurisdictions/{COUNTY}").get_data(as_text=True)
    assert status_line(page) == "As of 1 June 2011: Removed from plan"


def test_editor_records_an_activation_and_the_forms_go_away(app, signed_in):
    write(app, lambda: schedule(COUNTY, "2011-05-24", decided_on="2011-01-01"))
    client = signed_in("editor")
    response = client.post(
        f"/jurisdictions/{COUNTY}/activate",
        data={
            "activate-version": version_of(app, Jurisdiction, COUNTY),
            "activate-activated_on": "2011-05-24",
        },
    )
    assert response.status_code == 303
    dates = read(
        app,
        lambda: db.session.scalars(
            select(Activation.activated_on).where(Activation.jurisdiction_fips == COUNTY)
        ).all(),
    )
    assert dates == [D("2011-05-24")]
    page = client.get(f"/jurisdictions/{COUNTY}").get_data(as_text=True)
    assert status_line(page) == "As of 1 June 2011: Activated on 24 May 2011"
    assert 'id="reschedule-form"' not in page and 'id="activate-form"' not in page
    # Looking back before the activation, a past plan decision can still be recorded...
    earlier = client.get(f"/jurisdictions/{COUNTY}?as_of=2011-03-01").get_data(as_text=True)
    assert 'id="reschedule-form"' in earlier and 'id="activate-form"' not in earlier
    assert 'value="2011-03-01"' in earlier  # decided-on defaults to the date being viewed
    # ...but not one dated on or after it.
    refused = client.post(
        f"/jurisdictions/{COUNTY}/reschedule",
        data={
            "reschedule-version": version_of(app, Jurisdiction, COUNTY),
            "reschedule-scheduled_on": "2011-07-01",
            "reschedule-decided_on": "2011-05-30",
            "reschedule-reason": "Too late",
        },
    )
    assert refused.status_code == 400
    assert "its plan can no longer change" in refused.get_data(as_text=True)


def test_activation_in_the_future_is_refused(app, signed_in):
    response = signed_in("editor").post(
        f"/jurisdictions/{COUNTY}/activate",
        data={
            "activate-version": version_of(app, Jurisdiction, COUNTY),
            "activate-activated_on": "2011-06-02",
        },
    )
    assert response.status_code == 400
    assert "An activation date cannot be in the future." in response.get_data(as_text=True)
    assert not read(
        app,
        lambda: db.session.scalars(
            select(Activation).where(Activation.jurisdiction_fips == COUNTY)
        ).all(),
    )


def test_two_editors_cannot_overwrite_each_other(app, make_user):
    """Both open the page at the same version; the second to submit is refused, unchanged."""
    first = new_client(app, make_user, "editor")
    second = new_client(app, make_user, "editor")
    pages = [c.get(f"/jurisdictions/{COUNTY}").get_data(as_text=True) for c in (first, second)]
    version = version_of(app, Jurisdiction, COUNTY)
    for html in pages:
        assert f'name="reschedule-version" type="hidden" value="{version}"' in html

    def post(client, day, reason):
        return client.post(
            f"/jurisdictions/{COUNTY}/reschedule",
            data={
                "reschedule-version": version,
                "reschedule-scheduled_on": day,
                "reschedule-decided_on": "2011-05-20",
                "reschedule-reason": reason,
            },
        )

    assert post(first, "2011-09-13", "first editor").status_code == 303
    audit_before = audit_count(app)
    refused = post(second, "2011-10-11", "second editor")
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert "was changed by someone else since you opened this page" in html
    assert "Nothing was saved" in html
    assert [change[3] for change in plan_changes(app)] == ["first editor"]
    assert audit_count(app) == audit_before
    # The refused form keeps what was typed, now against the version on screen.
    assert "second editor" in html
    assert f'name="reschedule-version" type="hidden" value="{version + 1}"' in html
    # Removal and activation forms are version-checked the same way.
    stale_remove = second.post(
        f"/jurisdictions/{COUNTY}/remove",
        data={"remove-version": version, "remove-decided_on": "2011-05-20", "remove-reason": "x"},
    )
    stale_activate = second.post(
        f"/jurisdictions/{COUNTY}/activate",
        data={"activate-version": version, "activate-activated_on": "2011-05-20"},
    )
    assert stale_remove.status_code == stale_activate.status_code == 409
    assert len(plan_changes(app)) == 1
    assert not read(
        app,
        lambda: db.session.scalars(
            select(Activation).where(Activation.jurisdiction_fips == COUNTY)
        ).all(),
    )


def test_plan_writes_are_audited_as_the_editor(app, signed_in, make_user):
    client = signed_in("editor")
    client.post(
        f"/jurisdictions/{COUNTY}/remove",
        data={
            "remove-version": version_of(app, Jurisdiction, COUNTY),
            "remove-decided_on": "2011-05-31",
            "remove-reason": "Pending a state agreement",
        },
    )
    event = read(
        app,
        lambda: db.session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == COUNTY).order_by(AuditEvent.id)
        ).all()[-1],
    )
    assert event.action == "plan.remove"
    assert event.actor_label.startswith("editor")


def test_removed_then_restored_shows_every_step(app, signed_in):
    def _write():
        schedule(COUNTY, "2011-03-15", decided_on="2010-12-01")
        remove(COUNTY, "2011-01-10", reason="Awaiting the state's agreement")
        schedule(COUNTY, "2011-07-12", decided_on="2011-02-01", reason="Agreement signed")

    write(app, _write)
    client = signed_in("viewer")
    html = client.get(f"/jurisdictions/{COUNTY}?as_of=2011-01-20").get_data(as_text=True)
    assert status_line(html) == "As of 20 January 2011: Removed from plan"
    for text in ("Removed from the plan", "Awaiting the state&#39;s agreement", "Agreement signed"):
        assert text in html
    assert "after 2011-01-20" in html  # the later restore is marked as after the viewed date


def test_a_race_lost_at_the_database_is_a_conflict_too(app, signed_in, monkeypatch):
    """Between the version check and the write another transaction may commit first; SQLAlchemy
    then raises StaleDataError, which the page reports like any stale form."""
    from sqlalchemy.orm.exc import StaleDataError

    from tracker.jurisdictions import routes

    def lose_the_race(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'jurisdiction' expected to update 1 row")

    monkeypatch.setattr(routes.plan, "schedule", lose_the_race)
    response = signed_in("editor").post(
        f"/jurisdictions/{COUNTY}/reschedule",
        data={
            "reschedule-version": version_of(app, Jurisdiction, COUNTY),
            "reschedule-scheduled_on": "2011-09-13",
            "reschedule-decided_on": "2011-05-20",
            "reschedule-reason": "Raced",
        },
    )
    assert response.status_code == 409
    assert "changed by someone else at the same moment" in response.get_data(as_text=True)
    assert plan_changes(app) == []


def test_an_open_letter_shows_its_clocks_on_the_jurisdiction_page(app, signed_in):
    def _write():
        schedule(COUNTY, "2011-03-10", decided_on="2010-12-01")
        deferral_request(COUNTY, "2011-02-22")  # a Tuesday: meeting due by 1 March

    write(app, _write)
    client = signed_in("viewer")
    late = client.get(f"/jurisdictions/{COUNTY}?as_of=2011-03-02").get_data(as_text=True)
    assert "OVERDUE" in late and "URGENT" in late
    early = client.get(f"/jurisdictions/{COUNTY}?as_of=2011-02-23").get_data(as_text=True)
    assert "OVERDUE" not in early and "URGENT" not in early
