"""The demo letters: deterministic, in every state, consistent with the plan, and a story on
the demo's "today"."""

from __future__ import annotations

import random
import time

from sqlalchemy import select

from tracker.deferrals import clocks
from tracker.deferrals.demo import DEMO_AS_OF, DEMO_DEFERRAL_SEED, seed_demo_deferrals
from tracker.deferrals.models import DeferralRequest, DeferralStatus, Resolution
from tracker.extensions import db
from tracker.plan.models import PlanChange
from tracker.seeding.demo import seed_demo_plan, seed_demo_plan_and_letters
from tracker.status.rule import Status, status_as_of


def letters() -> list[tuple]:
    return list(
        db.session.execute(
            select(
                DeferralRequest.jurisdiction_fips,
                DeferralRequest.received_on,
                DeferralRequest.status,
                DeferralRequest.resolution,
                DeferralRequest.resolved_on,
            ).order_by(DeferralRequest.id)
        )
    )


def test_demo_letters_tell_a_consistent_story(app_context):
    plan = seed_demo_plan(later=True)
    started = time.perf_counter()
    count = seed_demo_deferrals(random.Random(DEMO_DEFERRAL_SEED), later=plan.later)
    assert time.perf_counter() - started < 20
    assert 50 <= count <= 70
    rows = db.session.scalars(select(DeferralRequest)).all()
    assert all(r.is_demo and r.attachments for r in rows)
    assert {r.status for r in rows} == set(DeferralStatus)
    assert {r.resolution for r in rows if r.resolution} == set(Resolution)
    assert len({r.jurisdiction.state_fips for r in rows}) >= 10

    counts = clocks.letter_counts(DEMO_AS_OF)
    assert counts["open"] >= 10 and counts["overdue"] >= 3 and counts["urgent"] >= 3

    # Every plan-changing resolution wrote its linked plan change, decided on the resolution day.
    for request in rows:
        linked = db.session.scalars(
            select(PlanChange).where(PlanChange.deferral_request_id == request.id)
        ).all()
        if request.resolution in (Resolution.DATE_ADJUSTED, Resolution.REMOVED_FROM_PLAN):
            assert [c.decided_on for c in linked] == [request.resolved_on]
            (row,) = status_as_of(request.resolved_on, fips=[request.jurisdiction_fips])
            expected = (
                Status.PLANNED if request.resolution is Resolution.DATE_ADJUSTED else Status.REMOVED
            )
            assert row.status is expected
        else:
            assert linked == []

    # Open letters show as deferral pending on the demo's "today".
    badges = clocks.badges_for(rows, DEMO_AS_OF)
    pending = {r.jurisdiction_fips for r in rows if badges[r.id].open}
    statuses = {row.fips: row.status for row in status_as_of(DEMO_AS_OF, fips=pending)}
    assert set(statuses.values()) <= {Status.DEFERRAL_PENDING, Status.REMOVED}


def test_demo_letters_are_deterministic(app_context):
    seed_demo_plan_and_letters(random.Random(DEMO_DEFERRAL_SEED))
    first = letters()
    db.session.rollback()
    seed_demo_plan_and_letters(random.Random(DEMO_DEFERRAL_SEED))
    assert letters() == first
