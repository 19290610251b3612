"""Plan writes: reasons required, no future decisions, one activation, no silent overwrite."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.factories import COUNTY, D, activate, latest_plan_change, schedule
from tracker.audit.models import AuditEvent
from tracker.errors import Conflict, DomainError
from tracker.extensions import db
from tracker.plan import services as plan
from tracker.registry.lookup import get_jurisdiction

NOW = dt.datetime(2011, 6, 1, 12)
pytestmark = pytest.mark.today(NOW)


def test_reschedule_requires_a_reason(app_context):
    with pytest.raises(DomainError, match="reason") as info:
        plan.schedule(COUNTY, D("2011-09-01"), reason="  ", source="test")
    assert info.value.field == "reason"


def test_a_decision_cannot_be_dated_in_the_future(app_context):
    with pytest.raises(DomainError, match="future"):
        plan.schedule(
            COUNTY, D("2011-09-01"), decided_on=D("2011-06-02"), reason="r", source="test"
        )


def test_activation_is_recorded_once_and_never_in_the_future(app_context):
    with pytest.raises(DomainError, match="future"):
        activate(COUNTY, "2011-06-02")
    activate(COUNTY, "2011-05-31")
    with pytest.raises(DomainError, match="already activated"):
        activate(COUNTY, "2011-05-31")


def test_plan_cannot_change_after_activation(app_context):
    activate(COUNTY, "2011-05-02")
    with pytest.raises(DomainError, match="can no longer change"):
        plan.remove_from_plan(COUNTY, reason="r", source="test")


def test_unknown_fips_is_not_found(app_context):
    with pytest.raises(DomainError, match="No jurisdiction"):
        plan.schedule("99999", D("2011-09-01"), reason="r", source="test")


def test_stale_form_is_refused_and_nothing_is_written(app_context):
    version = get_jurisdiction(COUNTY).version_id
    plan.schedule(
        COUNTY, D("2011-09-01"), reason="first editor", source="test", expected_version=version
    )
    with pytest.raises(Conflict, match="changed by someone else"):
        plan.schedule(
            COUNTY, D("2011-10-01"), reason="second editor", source="test", expected_version=version
        )
    assert latest_plan_change(COUNTY).reason == "first editor"


def test_every_plan_write_is_audited(app_context):
    schedule(COUNTY, "2011-09-01", decided_on="2011-05-01")
    activate(COUNTY, "2011-05-31")
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == COUNTY).order_by(AuditEvent.id)
    ).all()
    assert actions == ["plan.schedule", "plan.activate"]
