"""The workflow state machine: every legal and illegal move, plan changes, stale forms."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.deferrals.samples import log_letter
from tests.factories import COUNTY, D, activate, schedule
from tracker.audit.models import AuditEvent
from tracker.deferrals import letters, queries, workflow
from tracker.deferrals.models import DeferralStatus, Resolution
from tracker.errors import Conflict, DomainError
from tracker.extensions import db
from tracker.plan.models import PlanChange
from tracker.status.rule import Status, status_as_of


def at(status: str):
    """A fresh letter (received 2011-02-22) moved to `status` through the services."""
    request = log_letter()
    if status == "received":
        return request
    workflow.request_meeting(request, D("2011-02-24"))
    if status == "meeting_requested":
        return request
    workflow.hold_meeting(request, D("2011-03-03"))
    if status == "meeting_held":
        return request
    if status == "resolved":
        return workflow.resolve(request, Resolution.PROCEEDS_AS_SCHEDULED, D("2011-03-04"))
    return workflow.withdraw(request, D("2011-03-04"))


STEPS = {
    "request_meeting": lambda r: workflow.request_meeting(r, D("2011-03-05")),
    "hold_meeting": lambda r: workflow.hold_meeting(r, D("2011-03-05")),
    "resolve": lambda r: workflow.resolve(r, "proceeds_as_scheduled", D("2011-03-05")),
    "withdraw": lambda r: workflow.withdraw(r, D("2011-03-05")),
}
LEGAL = {
    "received": {"request_meeting", "withdraw"},
    "meeting_requested": {"hold_meeting", "withdraw"},
    "meeting_held": {"resolve", "withdraw"},
    "resolved": set(),
    "withdrawn": set(),
}
CASES = [(state, step) for state in LEGAL for step in STEPS]


@pytest.mark.parametrize(("state", "step"), CASES)
def test_every_move_from_every_state(app_context, state, step):
    request = at(state)
    version = request.version_id
    if step in LEGAL[state]:
        STEPS[step](request)
        assert request.version_id == version + 1
        expected = {
            "request_meeting": DeferralStatus.MEETING_REQUESTED,
            "hold_meeting": DeferralStatus.MEETING_HELD,
            "resolve": DeferralStatus.RESOLVED,
            "withdraw": DeferralStatus.WITHDRAWN,
        }[step]
        assert request.status is expected
        event = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_id == str(request.id))
            .order_by(AuditEvent.id.desc())
        ).first()
        assert event.action == f"deferral.{step}"
        assert event.before["status"] == state and event.after["status"] == expected.value
    else:
        with pytest.raises(DomainError) as caught:
            STEPS[step](request)
        assert f"is {request.status.label.lower()}" in caught.value.message
        assert "Cannot" in caught.value.message
        assert request.status.value == state
        assert request.version_id == version


def test_steps_record_their_dates_and_who(app_context, app):
    from tracker.auth.services import create_user

    user = create_user("clerk@example.gov", "Clerk", "a long enough password 123", "editor")
    request = log_letter(actor=user)
    workflow.request_meeting(request, D("2011-02-24"), actor=user)
    workflow.hold_meeting(request, D("2011-03-03"), actor=user)
    workflow.resolve(request, "proceeds_as_scheduled", D("2011-03-04"), actor=user)
    assert request.created_by_id == user.id
    assert (request.meeting_requested_on, request.meeting_requested_by_id) == (
        D("2011-02-24"),
        user.id,
    )
    assert (request.meeting_held_on, request.meeting_held_by_id) == (D("2011-03-03"), user.id)
    assert (request.resolved_on, request.resolved_by_id) == (D("2011-03-04"), user.id)
    assert request.resolution is Resolution.PROCEEDS_AS_SCHEDULED


@pytest.mark.parametrize(
    ("state", "step", "on", "message"),
    [
        ("received", "request_meeting", "2011-02-21", "cannot be before 2011-02-22"),
        ("meeting_requested", "hold_meeting", "2011-02-23", "cannot be before 2011-02-24"),
        ("meeting_held", "resolve", "2011-03-02", "cannot be before 2011-03-03"),
        ("meeting_held", "withdraw", "2011-03-02", "cannot be before 2011-03-03"),
        ("received", "request_meeting", None, "Give the date"),
    ],
)
def test_step_dates_cannot_go_back_in_time(app_context, state, step, on, message):
    request = at(state)
    action = getattr(workflow, step)
    args = (
        (request, "proceeds_as_scheduled", D(on) if on else None)
        if step == "resolve"
        else (request, D(on) if on else None)
    )
    with pytest.raises(DomainError) as caught:
        action(*args)
    assert message in caught.value.message


def test_step_dates_cannot_be_in_the_future(app_context):
    request = at("received")
    with pytest.raises(DomainError, match="cannot be in the future"):
        workflow.request_meeting(request, dt.date.today() + dt.timedelta(days=1))


def test_withdrawal_closes_with_resolution_and_date(app_context):
    request = workflow.withdraw(at("meeting_requested"), D("2011-02-25"))
    assert request.status is DeferralStatus.WITHDRAWN
    assert request.resolution is Resolution.WITHDRAWN
    assert request.resolved_on == D("2011-02-25")
    db.session.flush()  # the closed_has_resolution check constraint accepts it


def test_resolve_refuses_withdrawn_as_a_resolution_and_unknown_values(app_context):
    request = at("meeting_held")
    with pytest.raises(DomainError, match="Withdrawn"):
        workflow.resolve(request, Resolution.WITHDRAWN, D("2011-03-04"))
    with pytest.raises(DomainError, match="Choose a resolution"):
        workflow.resolve(request, "shrug", D("2011-03-04"))


def test_date_adjusted_needs_a_new_date_after_the_resolution(app_context):
    request = at("meeting_held")
    with pytest.raises(DomainError, match="Give the new scheduled activation date"):
        workflow.resolve(request, "date_adjusted", D("2011-03-04"))
    with pytest.raises(DomainError, match="must be after the date of the resolution"):
        workflow.resolve(request, "date_adjusted", D("2011-03-04"), adjusted_to=D("2011-03-04"))
    with pytest.raises(DomainError, match="only with “date adjusted”"):
        workflow.resolve(
            request, "proceeds_as_scheduled", D("2011-03-04"), adjusted_to=D("2011-04-12")
        )
    assert request.status is DeferralStatus.MEETING_HELD


def test_date_adjusted_writes_the_linked_plan_change(app_context):
    schedule(COUNTY, "2011-03-15", "2010-12-01")
    request = at("meeting_held")
    workflow.resolve(request, "date_adjusted", D("2011-03-04"), adjusted_to=D("2011-04-12"))
    change = db.session.scalars(
        select(PlanChange).where(PlanChange.deferral_request_id == request.id)
    ).one()
    assert change.scheduled_on == D("2011-04-12")
    assert change.decided_on == D("2011-03-04")
    assert change.source == f"deferral request #{request.id}"
    assert request.adjusted_to == D("2011-04-12")
    assert queries.linked_plan_changes(request) == [change]


def test_removed_from_plan_writes_the_removal(app_context):
    schedule(COUNTY, "2011-03-15", "2010-12-01")
    request = at("meeting_held")
    workflow.resolve(request, "removed_from_plan", D("2011-03-04"), reason="State asked")
    (row,) = status_as_of(D("2011-03-04"), fips=[COUNTY])
    assert row.status is Status.REMOVED
    change = queries.linked_plan_changes(request)[0]
    assert change.reason == "State asked"


def test_proceeds_as_scheduled_leaves_the_plan_alone(app_context):
    schedule(COUNTY, "2011-03-15", "2010-12-01")
    request = at("meeting_held")
    workflow.resolve(request, "proceeds_as_scheduled", D("2011-03-04"))
    assert queries.linked_plan_changes(request) == []
    (row,) = status_as_of(D("2011-03-04"), fips=[COUNTY])
    assert (row.status, row.scheduled_on) == (Status.PLANNED, D("2011-03-15"))


def test_a_refused_plan_change_leaves_the_request_open(app_context):
    schedule(COUNTY, "2011-03-01", "2010-12-01")
    activate(COUNTY, "2011-03-01")
    request = at("meeting_held")
    with pytest.raises(DomainError, match="activated on 2011-03-01"):
        workflow.resolve(request, "date_adjusted", D("2011-03-04"), adjusted_to=D("2011-04-12"))
    assert request.status is DeferralStatus.MEETING_HELD
    assert queries.linked_plan_changes(request) == []


def test_a_stale_form_is_a_conflict_and_changes_nothing(app_context):
    request = at("received")
    rendered_version = request.version_id
    workflow.request_meeting(request, D("2011-02-24"), expected_version=rendered_version)
    with pytest.raises(Conflict, match="changed by someone else"):
        workflow.withdraw(request, D("2011-02-25"), expected_version=rendered_version)
    assert request.status is DeferralStatus.MEETING_REQUESTED


def test_notes_are_appended_and_empty_ones_refused(app_context):
    request = at("received")
    letters.add_note(request, "Called the sheriff's office.")
    letters.add_note(request, "Meeting proposed for next week.")
    with pytest.raises(DomainError, match="Write the note"):
        letters.add_note(request, "   ")
    db.session.refresh(request)
    assert [n.body for n in request.notes] == [
        "Called the sheriff's office.",
        "Meeting proposed for next week.",
    ]


def test_the_case_traced_end_to_end(app_context):
    """Scheduled for 2011-03-15; letter received 2011-02-22; meeting requested 2011-02-24 and
    held 2011-03-03; resolved 2011-03-04 with the date adjusted to 2011-04-12."""
    schedule(COUNTY, "2011-03-15", "2010-12-01")
    request = log_letter()
    workflow.request_meeting(request, D("2011-02-24"))
    workflow.hold_meeting(request, D("2011-03-03"))
    workflow.resolve(request, "date_adjusted", D("2011-03-04"), adjusted_to=D("2011-04-12"))

    def status_on(day: dt.date):
        (row,) = status_as_of(day, fips=[COUNTY])
        return row.status, row.scheduled_on

    day = D("2011-02-15")
    while day <= D("2011-04-20"):
        status, scheduled = status_on(day)
        if day < D("2011-02-22"):
            assert (status, scheduled) == (Status.PLANNED, D("2011-03-15")), day
        elif day < D("2011-03-04"):
            assert (status, scheduled) == (Status.DEFERRAL_PENDING, D("2011-03-15")), day
        else:
            assert (status, scheduled) == (Status.PLANNED, D("2011-04-12")), day
        day += dt.timedelta(days=1)


def test_a_concurrent_step_is_a_conflict_not_an_overwrite(app_context):
    from sqlalchemy import update

    from tracker.deferrals.models import DeferralRequest

    request = at("received")
    # Another editor's step lands between our read and our write.
    db.session.execute(
        update(DeferralRequest)
        .where(DeferralRequest.id == request.id)
        .values(version_id=DeferralRequest.version_id + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(Conflict, match="at the same moment"):
        workflow.request_meeting(request, D("2011-02-24"))
