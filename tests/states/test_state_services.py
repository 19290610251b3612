"""State progress on several dates, and editing a state's bureau and agreement."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import (
    COUNTY,
    OTHER_COUNTY,
    D,
    activate,
    briefing,
    deferral_request,
    remove,
    schedule,
)
from tracker.audit.models import AuditEvent
from tracker.deferrals.models import Resolution
from tracker.deferrals.queries import open_letter_counts
from tracker.errors import Conflict, DomainError, NotFound
from tracker.extensions import db
from tracker.registry.lookup import get_state
from tracker.registry.services import update_state
from tracker.states import services
from tracker.status.rule import Status, status_as_of

pytestmark = pytest.mark.today(D("2011-01-31"))

THIRD = "48005"


def _texas(day: str):
    (row,) = services.state_progress(D(day), state="TX")
    return row


def test_progress_of_one_state_on_several_dates(app_context):
    schedule(COUNTY, "2010-06-01", "2010-03-01")
    schedule(OTHER_COUNTY, "2010-09-01", "2010-03-01")
    schedule(THIRD, "2010-09-01", "2010-03-01")
    activate(COUNTY, "2010-06-01")
    deferral_request(OTHER_COUNTY, "2010-05-01", resolved_on="2010-08-01")
    remove(THIRD, "2010-07-01")
    deferral_request(THIRD, "2010-07-15", kind="not_receive_results")
    briefing("2010-04-01", jurisdictions=[COUNTY, OTHER_COUNTY])

    real_tx = sum(
        1 for r in status_as_of(D("2010-04-01"), state="TX") if r.status is Status.ACTIVATED
    )
    early = _texas("2010-04-01")
    assert (early.activated, early.planned, early.deferral_pending, early.removed) == (
        real_tx,
        3,
        0,
        0,
    )
    assert (early.open_letters, early.briefed, early.total) == (0, 2, 254)
    assert early.not_scheduled == 254 - 3 - real_tx

    mid = _texas("2010-07-20")
    assert (mid.activated, mid.planned, mid.deferral_pending, mid.removed) == (
        real_tx + 1,
        0,
        1,
        1,
    )
    assert mid.open_letters == 2  # the deferral and the request not to receive results

    late = _texas("2010-08-02")
    assert (late.planned, late.deferral_pending, late.open_letters) == (1, 0, 1)


def test_progress_covers_every_state_and_adds_up_to_the_national_figures(app_context):
    progress = services.state_progress(D("2010-08-31"))
    assert len(progress) == 56
    totals = services.progress_totals(progress)
    rows = status_as_of(D("2010-08-31"))
    assert totals["total"] == len(rows) == 3233
    assert totals["activated"] == sum(1 for r in rows if r.status is Status.ACTIVATED)


def test_open_letters_follow_the_date_they_were_resolved(app_context):
    deferral_request(
        COUNTY, "2010-05-01", resolved_on="2010-06-01", resolution=Resolution.WITHDRAWN
    )
    deferral_request("40001", "2010-05-02")
    assert open_letter_counts(D("2010-04-30")) == {}
    assert open_letter_counts(D("2010-05-15")) == {"48": 1, "40": 1}
    assert open_letter_counts(D("2010-06-01")) == {"40": 1}
    assert open_letter_counts(D("2010-05-15"), by="jurisdiction", fips=[COUNTY]) == {COUNTY: 1}


def _update(code="TX", version=1, **changes):
    values = dict(
        sib_name="Texas DPS Crime Records",
        sib_contact="Chief, 512-555-0100",
        moa_signed_on=D("2009-01-10"),
        moa_terminated_on=None,
        receives_results=True,
    )
    values.update(changes)
    return update_state(code, expected_version=version, **values)


def test_editing_a_state_is_audited_and_version_checked(app_context):
    state = _update()
    assert state.version_id == 2 and state.sib_name == "Texas DPS Crime Records"
    (event,) = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "state.update")
    ).all()
    assert event.entity_id == "TX"
    assert event.before["sib_name"] is None and event.after["moa_signed_on"] == "2009-01-10"
    with pytest.raises(Conflict):
        _update(sib_name="Someone else's edit")
    assert get_state("48").sib_name == "Texas DPS Crime Records"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"moa_signed_on": None, "moa_terminated_on": D("2010-01-01")}, "moa_signed_on"),
        ({"moa_terminated_on": D("2009-01-09")}, "moa_terminated_on"),
        ({"moa_signed_on": D("2011-02-01")}, "moa_signed_on"),
        ({"sib_name": "x" * 201}, "sib_name"),
    ],
)
def test_moa_dates_must_be_in_order_and_not_in_the_future(app_context, changes, field):
    with pytest.raises(DomainError) as caught:
        _update(**changes)
    assert caught.value.field == field
    assert get_state("TX").version_id == 1


def test_termination_on_the_signing_day_is_allowed_and_results_can_stop(app_context):
    state = _update(moa_terminated_on=D("2009-01-10"), receives_results=False)
    assert state.moa_terminated_on == D("2009-01-10") and state.receives_results is False


def test_unknown_state(app_context):
    with pytest.raises(NotFound):
        get_state("ZZ")


def test_a_state_save_racing_another_is_refused(app_context):
    from sqlalchemy import update

    from tracker.registry.models import State

    get_state("TX")
    db.session.execute(update(State.__table__).where(State.fips == "48").values(version_id=2))
    with pytest.raises(Conflict):
        _update()
