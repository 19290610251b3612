"""The demo outreach: SIB meetings first, most jurisdictions briefed, the 2010 reach figures."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker.briefings.models import Briefing, BriefingKind, briefing_state
from tracker.briefings.services import briefing_reach
from tracker.extensions import db
from tracker.plan.models import Activation
from tracker.readiness.services import unbriefed_activations
from tracker.registry.models import Jurisdiction, State
from tracker.seeding.demo import DEMO_AS_OF, seed_demo


def test_demo_tells_the_programs_reach_story(app_context):
    seed_demo()
    reach = briefing_reach(DEMO_AS_OF)
    # "About 700 jurisdictions briefed across 49 states and one U.S. territory."
    assert 650 <= reach.jurisdictions <= 750
    assert (reach.states, reach.territories) == (49, 1)
    assert db.session.scalar(select(func.count()).where(Briefing.is_demo.is_(False))) == 0

    # Every state had its SIB meeting before its first activation.
    first_activation = dict(
        db.session.execute(
            select(Jurisdiction.state_fips, func.min(Activation.activated_on))
            .join(Jurisdiction, Jurisdiction.fips == Activation.jurisdiction_fips)
            .group_by(Jurisdiction.state_fips)
        ).all()
    )
    sib = dict(
        db.session.execute(
            select(briefing_state.c.state_fips, func.min(Briefing.held_on))
            .join(Briefing, Briefing.id == briefing_state.c.briefing_id)
            .where(Briefing.kind == BriefingKind.SIB_MEETING)
            .group_by(briefing_state.c.state_fips)
        ).all()
    )
    assert set(sib) == set(first_activation) and len(sib) == 56
    assert all(sib[state] < first_activation[state] for state in sib)

    # Most jurisdictions were briefed before activating, but not all: the report finds a few.
    missing = unbriefed_activations(DEMO_AS_OF)
    activated_by_then = db.session.scalar(
        select(func.count()).where(Activation.activated_on <= DEMO_AS_OF)
    )
    assert 3 <= len(missing) <= activated_by_then // 10
    assert db.session.scalar(
        select(func.count()).where(Briefing.kind == BriefingKind.COMMUNITY_MEETING)
    )

    # Bureau names are labelled as demo data.
    texas = db.session.get(State, "48")
    assert texas.sib_name.endswith("(demo)")
