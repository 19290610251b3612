"""A deterministic demo deployment, October 2008 to January 2013, labelled as demo data.

The shape follows the program's own description: border and most populous counties first, then
waves state by state, the pace quickening as the program matured, and plans changing along the
way (reschedules with reasons, a few removals that were later put back). Every record written
here has is_demo = true, and the same seed always produces the same rows.

The records carry recording times as the office would have: a plan decision recorded the
afternoon it was decided, an activation recorded on the day or up to ten days later (a backdated
entry), so "as known at" a past moment shows what the records said then. The letters that
change the plan are resolved before the plan's own later changes are written, in the order
things happened (a decision dated before the decision in force is refused).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlalchemy import exists, select

from tracker.audit.services import record
from tracker.briefings.demo import seed_demo_briefings
from tracker.deferrals.demo import seed_demo_deferrals
from tracker.extensions import db
from tracker.outcomes.demo import seed_demo_statistics
from tracker.plan.models import Activation, PlanChange, PlanChangeKind
from tracker.registry.models import Jurisdiction

DEMO_SEED = 20081027
DEMO_START = dt.date(2008, 10, 27)
DEMO_END = dt.date(2013, 1, 22)
# The day the demo's story is told from: letters open, overdue and urgent on this date.
DEMO_AS_OF = dt.date(2010, 8, 31)
DEMO_SOURCE = "demo"

# Counties on the southwest border, activated in the first wave.
BORDER_COUNTIES = (
    "48141", "48229", "48377", "48043", "48443", "48465", "48271", "48323", "48505", "48427",
    "48215", "48061", "06025", "04027", "04023", "04003", "35023", "35029", "35013",
)  # fmt: skip
# The most populous counties (Census 2010), also early.
POPULOUS_COUNTIES = (
    "06037", "17031", "48201", "06059", "36047", "06065", "36081", "32003", "53033", "06071",
    "48029", "06085", "26163", "06001", "36061", "25017", "42101", "36103", "06067", "36005",
    "12099", "36059", "39035", "42003", "26125", "39049", "27053", "12095", "51059", "06013",
    "49035", "24031", "37119", "13121", "29189", "55079", "12103", "15003", "18097", "06019",
    "17043", "47157", "34003", "36029", "24033", "12031", "36119", "06029", "24005",
)  # fmt: skip
# States in the order their waves begin; the rest follow in a seeded shuffle.
LEAD_STATES = ("48", "04", "06", "35", "12", "36", "17", "13", "34", "51")

RESCHEDULE_REASONS = (
    "Jurisdiction requested more time to train booking staff",
    "State identification bureau network upgrade delayed",
    "Deferral meeting: activation date adjusted at the jurisdiction's request",
    "Interoperability testing with the state repository not complete",
    "Wave resequenced to match the state's readiness",
)
REMOVAL_REASONS = (
    "Removed from plan pending a state-level agreement",
    "Removed from plan after a deferral meeting",
)
RESTORE_REASON = "Returned to the plan after the state signed its agreement"
INITIAL_REASON = "Scheduled in the deployment plan"


@dataclass
class DemoCounts:
    plan_changes: int = 0
    activations: int = 0
    monthly_statistics: int = 0
    # Plan changes decided after a jurisdiction's first one, held back by seed_demo_plan(later=True)
    # until the demo letters that precede them are written.
    later: list[PlanChange] = field(default_factory=list)


# Recording times: a decision the same afternoon (office hours, UTC), an activation on the day
# or up to ten days after (a separate generator, so the plan itself is the same as ever).
RECORDING_SEED = DEMO_SEED + 1


def _recorded(day: dt.date, lag_days: int) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(20, 0), tzinfo=dt.UTC) + dt.timedelta(days=lag_days)
    return min(moment, dt.datetime.now(dt.UTC))


def demo_present() -> bool:
    """True when demo records were already seeded (the demo is added once)."""
    return bool(db.session.scalar(select(exists().where(PlanChange.is_demo.is_(True)))))


def _tuesday_on_or_after(day: dt.date) -> dt.date:
    # Activations were switched on mid-week; Tuesdays keep the demo's calendar realistic.
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def _activation_dates(count: int, start: dt.date, end: dt.date) -> list[dt.date]:
    """`count` dates from start to end with a quickening pace (rate grows linearly with time)."""
    span = (end - start).days
    dates = []
    for index in range(count):
        fraction = (index + 1) / count
        day = start + dt.timedelta(days=round(span * fraction**0.5))
        dates.append(min(_tuesday_on_or_after(day), end))
    return dates


def _rollout_order(jurisdictions: list[Jurisdiction], rng: random.Random) -> list[Jurisdiction]:
    by_fips = {j.fips: j for j in jurisdictions}
    early = [by_fips[f] for f in (*BORDER_COUNTIES, *POPULOUS_COUNTIES) if f in by_fips]
    early_codes = {j.fips for j in early}
    states = sorted({j.state_fips for j in jurisdictions})
    rest_states = [s for s in states if s not in LEAD_STATES]
    rng.shuffle(rest_states)
    state_order = [s for s in LEAD_STATES if s in states] + rest_states
    waves: list[Jurisdiction] = []
    for state_fips in state_order:
        members = sorted(
            (j for j in jurisdictions if j.state_fips == state_fips and j.fips not in early_codes),
            key=lambda j: j.fips,
        )
        rng.shuffle(members)
        waves.extend(members)
    return early + waves


def seed_demo_plan(rng: random.Random | None = None, *, later: bool = False) -> DemoCounts:
    """Write the demo plan history and activations for every jurisdiction without a real record.
    With `later`, each jurisdiction's changes after its first are returned (counts.later) rather
    than written, for the caller to write once the letters that come before them are logged."""
    rng = rng or random.Random(DEMO_SEED)
    lags = random.Random(RECORDING_SEED)
    counts = DemoCounts()
    real = set(db.session.scalars(select(Activation.jurisdiction_fips)))
    jurisdictions = [
        j
        for j in db.session.scalars(select(Jurisdiction).order_by(Jurisdiction.fips))
        if j.fips not in real
    ]
    order = _rollout_order(jurisdictions, rng)
    early_count = len([j for j in order if j.fips in set(BORDER_COUNTIES) | set(POPULOUS_COUNTIES)])
    dates = _activation_dates(early_count, DEMO_START + dt.timedelta(days=14), dt.date(2010, 3, 30))
    dates += _activation_dates(len(order) - early_count, dt.date(2009, 9, 1), DEMO_END)

    records: list[object] = []
    for jurisdiction, final_date in zip(order, dates, strict=True):
        lead_days = rng.randint(90, 150)
        first_decided = max(
            DEMO_START - dt.timedelta(days=30), final_date - dt.timedelta(days=lead_days)
        )
        roll = rng.random()
        changes: list[tuple[PlanChangeKind, dt.date | None, dt.date, str]] = []
        if roll < 0.012 and final_date > dt.date(2010, 6, 1):
            # Removed for a while, then returned to the plan.
            removed_on = first_decided + dt.timedelta(days=rng.randint(10, 40))
            restored_on = final_date - dt.timedelta(days=rng.randint(45, 75))
            first_date = removed_on + dt.timedelta(days=rng.randint(30, 60))
            changes.append((PlanChangeKind.SCHEDULED, first_date, first_decided, INITIAL_REASON))
            changes.append((PlanChangeKind.REMOVED, None, removed_on, rng.choice(REMOVAL_REASONS)))
            changes.append(
                (
                    PlanChangeKind.SCHEDULED,
                    final_date,
                    max(restored_on, removed_on + dt.timedelta(days=7)),
                    RESTORE_REASON,
                )
            )
        elif roll < 0.14:
            # Planned earlier, then pushed back to its final date.
            earlier = final_date - dt.timedelta(days=rng.choice((28, 42, 56, 91, 119)))
            first_decided = min(first_decided, earlier - dt.timedelta(days=60))
            moved_on = earlier - dt.timedelta(days=rng.randint(5, 40))
            changes.append((PlanChangeKind.SCHEDULED, earlier, first_decided, INITIAL_REASON))
            changes.append(
                (PlanChangeKind.SCHEDULED, final_date, moved_on, rng.choice(RESCHEDULE_REASONS))
            )
        else:
            changes.append((PlanChangeKind.SCHEDULED, final_date, first_decided, INITIAL_REASON))
        for number, (kind, scheduled_on, decided_on, reason) in enumerate(changes):
            change = PlanChange(
                jurisdiction_fips=jurisdiction.fips,
                kind=kind,
                scheduled_on=scheduled_on,
                decided_on=decided_on,
                reason=reason,
                source=DEMO_SOURCE,
                is_demo=True,
                recorded_at=_recorded(decided_on, 0),
            )
            (counts.later if later and number else records).append(change)
            counts.plan_changes += 1
        records.append(
            Activation(
                jurisdiction_fips=jurisdiction.fips,
                activated_on=final_date,
                source=DEMO_SOURCE,
                is_demo=True,
                recorded_at=_recorded(final_date, lags.choice((0, 0, 0, 1, 2, 3, 7, 10))),
            )
        )
        counts.activations += 1
    db.session.add_all(records)
    db.session.flush()
    return counts


def seed_demo_plan_and_letters(rng: random.Random | None = None) -> DemoCounts:
    """The demo plan and its letters, in the order things happened: first decisions and
    activations, then the letters (whose resolutions change the plan), then the plan's later
    changes."""
    counts = seed_demo_plan(later=True)
    seed_demo_deferrals(rng, later=counts.later)
    db.session.add_all(counts.later)
    db.session.flush()
    return counts


def seed_demo() -> DemoCounts | None:
    """The `tracker seed --demo` step: the whole demo deployment, once. None if already there."""
    if demo_present():
        return None
    counts = seed_demo_plan_and_letters()
    seed_demo_briefings()
    counts.monthly_statistics = seed_demo_statistics()
    record(
        "seed.demo",
        "registry",
        "demo",
        after={
            "plan_changes": counts.plan_changes,
            "activations": counts.activations,
            "monthly_statistics": counts.monthly_statistics,
        },
    )
    return counts
