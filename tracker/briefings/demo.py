"""Demo briefings: the outreach behind the demo rollout, told so the program's own figures hold.

For every state a SIB pre-activation meeting before its first activation; for most (not all)
jurisdictions a local law-enforcement briefing and an advance notice in the weeks before they
activate; an outreach tour in the spring and summer of 2010 that briefed the first jurisdictions
of states whose activations were still to come (so that by the end of August 2010 about 700
jurisdictions had been briefed across 49 states and one territory); and a few community
meetings. A few activations have no briefing at all, for the data-quality report to find.
Every briefing is is_demo; the bureau names written on states say "(demo)".
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from sqlalchemy import insert, select

from tracker.briefings.models import Briefing, BriefingKind, briefing_jurisdiction, briefing_state
from tracker.db import utcnow
from tracker.extensions import db
from tracker.plan.models import Activation
from tracker.registry.models import Jurisdiction, State, StateKind

BRIEFINGS_SEED = 20090315
STORY_DATE = dt.date(2010, 8, 31)  # tracker.seeding.demo.DEMO_AS_OF
OUTREACH_START = dt.date(2010, 1, 12)
OUTREACH_END = dt.date(2010, 8, 26)
# States (and DC) left out of the 2010 outreach tour: the two whose activations came last.
STATES_WITHOUT_OUTREACH = 2
MATERIALS = ("2008-10", "2009-03", "2009-09", "2010-02", "2010-07", "2011-04", "2012-01")
PRESENTERS = (
    "Regional outreach coordinator (demo)",
    "Program office deployment lead (demo)",
    "Field office liaison (demo)",
    "State outreach team (demo)",
)
COMMUNITY_TOPICS = (
    "Questions from immigrant-rights organisations about how fingerprints are shared",
    "County board public session on the upcoming activation",
    "Meeting with faith and community leaders",
    "Legal-aid providers: what changes at booking",
)


def _materials(day: dt.date) -> str:
    """The briefing deck in use on `day` (the latest version issued by then)."""
    issued = [m for m in MATERIALS if dt.date.fromisoformat(m + "-01") <= day]
    return issued[-1] if issued else MATERIALS[0]


def _weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def seed_demo_briefings(rng: random.Random | None = None) -> None:
    """Write the demo briefings (bulk inserts) and describe each state's bureau and agreement.

    Deterministic for a given `rng` seed. Reads the activations already written by the demo plan
    (and the real ones), so it must run after them.
    """
    rng = rng or random.Random(BRIEFINGS_SEED)
    activations = db.session.execute(
        select(Activation.jurisdiction_fips, Activation.activated_on, Jurisdiction.state_fips)
        .join(Jurisdiction, Jurisdiction.fips == Activation.jurisdiction_fips)
        .order_by(Activation.activated_on, Activation.jurisdiction_fips)
    ).all()
    states = {s.fips: s for s in db.session.scalars(select(State).order_by(State.fips))}
    by_state: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
    for fips, activated_on, state_fips in activations:
        by_state[state_fips].append((fips, activated_on))

    # (held_on, kind, presenter, attendees, notes, [jurisdiction fips], [state fips])
    planned: list[tuple] = []

    # Which states get the 2010 outreach tour: every state or DC whose first activation is after
    # the story date, except the last few; of the territories, only the largest.
    first_activation = {s: rows[0][1] for s, rows in by_state.items()}
    later = [
        s
        for s in sorted(first_activation, key=lambda s: (first_activation[s], s))
        if first_activation[s] > STORY_DATE
    ]
    later_states = [s for s in later if states[s].kind is not StateKind.TERRITORY]
    territories = [s for s in later if states[s].kind is StateKind.TERRITORY]
    outreach = set(later_states[: len(later_states) - STATES_WITHOUT_OUTREACH])
    if territories:
        outreach.add(max(territories, key=lambda s: (len(by_state[s]), s)))

    outreach_span = (OUTREACH_END - OUTREACH_START).days
    for state_fips in sorted(by_state):
        rows = by_state[state_fips]
        state = states[state_fips]
        first_briefed = rows[0][1]
        if state_fips in outreach:
            size = len(rows)
            count = min(size, max(3, min(25, round(size * 0.25))))
            chosen = rows[:count]
            day = OUTREACH_START + dt.timedelta(days=rng.randint(0, outreach_span - 40))
            for start in range(0, len(chosen), 4):
                group = [fips for fips, _ in chosen[start : start + 4]]
                held = _weekday_on_or_before(min(day, OUTREACH_END))
                planned.append(
                    (held, BriefingKind.LOCAL_BRIEFING, rng.choice(PRESENTERS),
                     "Sheriffs, jail administrators and police chiefs of the counties named",
                     "State outreach tour ahead of the state's deployment wave.", group, [])
                )  # fmt: skip
                first_briefed = min(first_briefed, held)
                day += dt.timedelta(days=rng.randint(5, 20))

        # The SIB meeting comes before anything else in the state.
        sib_day = _weekday_on_or_before(first_briefed - dt.timedelta(days=rng.randint(21, 90)))
        planned.append(
            (sib_day, BriefingKind.SIB_MEETING, rng.choice(PRESENTERS),
             f"{state.name} identification bureau director and technical staff",
             "Pre-activation meeting: interoperability, message volumes, results routing.",
             [], [state_fips])
        )  # fmt: skip

        # Pre-activation local briefings and notices, one per group activating together.
        groups: dict[dt.date, list[str]] = defaultdict(list)
        for fips, activated_on in rows:
            groups[activated_on].append(fips)
        for activated_on, members in sorted(groups.items()):
            neither = {f for f in members if rng.random() < 0.03}
            no_local = neither | {f for f in members if rng.random() < 0.06}
            no_notice = neither | {f for f in members if rng.random() < 0.05}
            local = [f for f in members if f not in no_local]
            notice = [f for f in members if f not in no_notice]
            if local:
                held = _weekday_on_or_before(activated_on - dt.timedelta(days=rng.randint(20, 75)))
                planned.append(
                    (held, BriefingKind.LOCAL_BRIEFING, rng.choice(PRESENTERS),
                     "Sheriff's office, jail staff and local police", None, local, [])
                )  # fmt: skip
            if notice:
                held = _weekday_on_or_before(activated_on - dt.timedelta(days=rng.randint(14, 40)))
                planned.append(
                    (held, BriefingKind.ADVANCE_NOTICE, "Program office (demo)",
                     "County executive, sheriff, state identification bureau",
                     f"Written notice of activation on {activated_on.isoformat()}.", notice, [])
                )  # fmt: skip

    # A few community meetings in large early jurisdictions.
    early = [row for row in activations if row[1] <= STORY_DATE]
    for fips, activated_on, _ in rng.sample(early, min(12, len(early))):
        held = _weekday_on_or_before(activated_on - dt.timedelta(days=rng.randint(-60, 60)))
        planned.append(
            (held, BriefingKind.COMMUNITY_MEETING, rng.choice(PRESENTERS),
             "Community organisations and members of the public",
             rng.choice(COMMUNITY_TOPICS), [fips], [])
        )  # fmt: skip

    planned.sort(key=lambda item: (item[0], item[1].value, item[5], item[6]))
    now = utcnow()
    ids = db.session.scalars(
        insert(Briefing).returning(Briefing.id, sort_by_parameter_order=True),
        [
            {
                "held_on": held,
                "kind": kind,
                "presenter": presenter,
                "attendees": attendees,
                "materials_version": _materials(held),
                "notes": notes,
                "is_demo": True,
                "version_id": 1,
                "created_at": now,
                "updated_at": now,
            }
            for held, kind, presenter, attendees, notes, _, _ in planned
        ],
    ).all()
    jurisdiction_links = [
        {"briefing_id": briefing_id, "jurisdiction_fips": fips}
        for briefing_id, item in zip(ids, planned, strict=True)
        for fips in item[5]
    ]
    state_links = [
        {"briefing_id": briefing_id, "state_fips": fips}
        for briefing_id, item in zip(ids, planned, strict=True)
        for fips in item[6]
    ]
    if jurisdiction_links:
        db.session.execute(insert(briefing_jurisdiction), jurisdiction_links)
    if state_links:
        db.session.execute(insert(briefing_state), state_links)
    _describe_states(states, first_activation, rng)
    db.session.flush()


def _describe_states(
    states: dict[str, State], first_activation: dict[str, dt.date], rng: random.Random
) -> int:
    """Bureau names, contacts and agreement dates for states that have none recorded."""
    described = 0
    for fips, state in states.items():
        if state.sib_name is not None:
            continue
        state.sib_name = f"{state.name} State Identification Bureau (demo)"
        state.sib_contact = (
            f"Bureau chief (demo), (555) 01{int(fips):02d}-{rng.randint(1000, 9999)}, "
            f"sib-{state.postal.lower()}@example.gov"
        )
        first = first_activation.get(fips)
        if first is not None and rng.random() < 0.55:
            signed = first - dt.timedelta(days=rng.randint(30, 200))
            state.moa_signed_on = signed
            if first > dt.date(2011, 1, 1) and rng.random() < 0.08:
                state.moa_terminated_on = signed + dt.timedelta(days=rng.randint(200, 500))
                state.receives_results = False
        described += 1
    return described
