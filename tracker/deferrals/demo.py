"""Demo deferral letters, fitted to the demo plan so the story holds together.

About sixty letters across the country, each with a small e-mail attachment, written through
the real services (so the rules and the audit apply):
- "date adjusted" letters go to jurisdictions whose demo plan was pushed back: the resolution
  writes the plan change to the date the plan later shows, before the plan's own reschedule;
- "removed from plan" letters go to jurisdictions the demo plan removed for a while;
- others proceed as scheduled or are withdrawn before the activation date;
- on the demo's "today" (DEMO_AS_OF, 2010-08-31) some letters are open, some overdue (no
  meeting requested in time) and some urgent (activation within the urgent window), and about
  ten stay open to this day in every open workflow state.
The same plan and seed always give the same letters.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from tracker.calendar.services import business_days_after
from tracker.deferrals import letters, workflow
from tracker.deferrals.attachments import Upload
from tracker.deferrals.models import DeferralRequest, RequestKind, Resolution
from tracker.extensions import db
from tracker.plan.models import Activation, PlanChange, PlanChangeKind
from tracker.registry.models import Jurisdiction

DEMO_DEFERRAL_SEED = 20100831
DEMO_AS_OF = dt.date(2010, 8, 31)

SENDERS = (
    ("Pat Alvarez", "Sheriff"),
    ("Jordan Baker", "Chief of Police"),
    ("Morgan Chen", "County Executive"),
    ("Casey Dubois", "County Attorney"),
    ("Riley Evans", "Chair, Board of Commissioners"),
    ("Taylor Fujimoto", "Undersheriff"),
    ("Jamie Garcia", "Jail Administrator"),
    ("Avery Hughes", "County Manager"),
    ("Quinn Ibarra", "Sheriff"),
    ("Drew Jackson", "Chief Deputy"),
)
REASONS = {
    RequestKind.DEFER: "asks for more time to train booking staff and test the new livescan link",
    RequestKind.NOT_ACTIVATE: "asks not to activate until the county board has held a hearing",
    RequestKind.NOT_RECEIVE_RESULTS: "asks not to receive the identification results",
}


@dataclass
class _History:
    """One jurisdiction's demo plan: its changes in decision order, and its activation day."""

    changes: list[tuple[PlanChangeKind, dt.date | None, dt.date]] = field(default_factory=list)
    activated_on: dt.date | None = None

    @property
    def simple(self) -> bool:
        return len(self.changes) == 1

    @property
    def pushed_back(self) -> bool:
        kinds = [c[0] for c in self.changes]
        return kinds == [PlanChangeKind.SCHEDULED] * 2 and self.changes[0][1] != self.changes[1][1]

    @property
    def removed_once(self) -> bool:
        return [c[0] for c in self.changes][:2] == [
            PlanChangeKind.SCHEDULED,
            PlanChangeKind.REMOVED,
        ]


def _histories(later: Sequence[PlanChange] = ()) -> dict[str, _History]:
    """Each demo jurisdiction's plan history (with the `later` changes not yet written)."""
    histories: dict[str, _History] = defaultdict(_History)
    rows = db.session.execute(
        select(
            PlanChange.jurisdiction_fips,
            PlanChange.kind,
            PlanChange.scheduled_on,
            PlanChange.decided_on,
        )
        .where(PlanChange.is_demo.is_(True))
        .order_by(PlanChange.jurisdiction_fips, PlanChange.decided_on, PlanChange.id)
    )
    for fips, kind, scheduled_on, decided_on in rows:
        histories[fips].changes.append((kind, scheduled_on, decided_on))
    for change in later:
        histories[change.jurisdiction_fips].changes.append(
            (change.kind, change.scheduled_on, change.decided_on)
        )
    for history in histories.values():
        history.changes.sort(key=lambda c: c[2])
    for fips, activated_on in db.session.execute(
        select(Activation.jurisdiction_fips, Activation.activated_on).where(
            Activation.is_demo.is_(True)
        )
    ):
        if fips in histories:
            histories[fips].activated_on = activated_on
    return {fips: h for fips, h in histories.items() if h.activated_on is not None}


class _Writer:
    """Writes demo letters through the services, never the same jurisdiction twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self.names = {
            fips: name
            for fips, name in db.session.execute(select(Jurisdiction.fips, Jurisdiction.full_name))
        }
        self.count = 0

    def pick(self, candidates: list[str], count: int) -> list[str]:
        pool = sorted(set(candidates) - self.used)
        chosen = self.rng.sample(pool, min(count, len(pool)))
        self.used.update(chosen)
        return chosen

    def letter(
        self,
        fips: str,
        received_on: dt.date,
        kind: RequestKind,
        requested_date: dt.date | None = None,
    ) -> DeferralRequest:
        rng = self.rng
        channel = rng.choice(("email", "email", "letter", "fax"))
        letter_date = received_on - dt.timedelta(
            days={"email": 0, "fax": rng.randint(0, 1), "letter": rng.randint(2, 5)}[channel]
        )
        name, title = rng.choice(SENDERS)
        place = self.names[fips]
        agency = f"{place} {'Sheriff' if 'Sheriff' in title else 'Government'}"
        if "Sheriff" in title:
            agency += "'s Office"
        reason = REASONS[kind]
        body = (
            f"From: {name} <{title.lower().split(',')[0].replace(' ', '.')}@example.gov>\r\n"
            "To: Program Office <program.office@example.gov>\r\n"
            f"Subject: {place}: activation date\r\n"
            f"Date: {letter_date.strftime('%a, %d %b %Y')} 09:00:00 -0500\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Demo data. {place} {reason}"
            + (f", until {requested_date.isoformat()}" if requested_date else "")
            + f".\r\n\r\n{name}\r\n{title}\r\n"
        )
        self.count += 1
        return letters.log_request(
            jurisdiction=fips,
            letter_date=letter_date,
            received_on=received_on,
            channel=channel,
            sender_name=name,
            sender_title=title,
            sender_agency=agency,
            addressed_to=rng.choice(("both", "both", "office", "sib")),
            kind=kind,
            requested_date=requested_date,
            summary=f"{place} {reason}.",
            uploads=[Upload(f"letter-{fips}-{received_on.isoformat()}.eml", body.encode())],
            is_demo=True,
        )

    def meeting(self, request: DeferralRequest, requested: dt.date, held: dt.date | None) -> None:
        workflow.request_meeting(request, requested)
        if held is not None:
            workflow.hold_meeting(request, held)


def _closed_before(
    w: _Writer,
    fips: str,
    received: dt.date,
    deadline: dt.date,
    kind: RequestKind,
    requested_date: dt.date | None,
    resolution: Resolution,
    adjusted_to: dt.date | None = None,
) -> bool:
    """A letter that goes the whole way and closes on or before `deadline` (False: no room)."""
    meeting_requested = business_days_after(received, w.rng.randint(1, 4))
    held = meeting_requested + dt.timedelta(days=w.rng.randint(3, 8))
    closed = held + dt.timedelta(days=w.rng.randint(0, 3))
    if closed > deadline:
        return False
    request = w.letter(fips, received, kind, requested_date)
    if resolution is Resolution.WITHDRAWN:
        stage = w.rng.randint(0, 2)
        if stage >= 1:
            w.meeting(request, meeting_requested, held if stage == 2 else None)
        workflow.withdraw(request, closed)
        return True
    w.meeting(request, meeting_requested, held)
    workflow.resolve(request, resolution, closed, adjusted_to=adjusted_to)
    return True


def seed_demo_deferrals(
    rng: random.Random | None = None, *, later: Sequence[PlanChange] = ()
) -> int:
    """Write the demo letters; returns how many. Call after the demo plan is seeded, with its
    `later` changes still to be written (tracker.seeding.demo.seed_demo_plan_and_letters)."""
    rng = rng or random.Random(DEMO_DEFERRAL_SEED)
    histories = _histories(later)
    w = _Writer(rng)
    as_of = DEMO_AS_OF
    days = dt.timedelta

    # Resolved "date adjusted": the plan was pushed back; the letter's resolution comes first.
    pushed = [f for f, h in histories.items() if h.pushed_back]
    for fips in w.pick(pushed, 14)[:10]:
        (_, earlier, first_decided), (_, final, moved_on) = histories[fips].changes
        received = moved_on - days(rng.randint(22, 32))
        if received <= first_decided:
            continue
        _closed_before(
            w,
            fips,
            received,
            moved_on - days(1),
            RequestKind.DEFER,
            final,
            Resolution.DATE_ADJUSTED,
            adjusted_to=final,
        )

    # Resolved "removed from plan": the demo plan removed these for a while.
    removed = [f for f, h in histories.items() if h.removed_once]
    for fips in w.pick(removed, 8):
        (_, _, first_decided), (_, _, removed_on) = histories[fips].changes[:2]
        received = max(first_decided + days(1), removed_on - days(rng.randint(18, 28)))
        _closed_before(
            w,
            fips,
            received,
            removed_on,
            RequestKind.NOT_ACTIVATE,
            None,
            Resolution.REMOVED_FROM_PLAN,
        )

    simple = {f: h for f, h in histories.items() if h.simple}

    def window(start: dt.date, end: dt.date) -> list[str]:
        return [f for f, h in simple.items() if start <= h.activated_on <= end]

    # Closed before activation across the rollout: proceeds as scheduled, or withdrawn.
    spread = window(dt.date(2009, 3, 1), dt.date(2012, 12, 31))
    for index, fips in enumerate(w.pick(spread, 30)):
        final = simple[fips].activated_on
        received = final - days(rng.randint(25, 50))
        if received <= simple[fips].changes[0][2]:
            continue
        if index < 14:
            kind, requested, resolution = (
                RequestKind.DEFER,
                final + days(rng.choice((28, 56, 91))),
                Resolution.PROCEEDS_AS_SCHEDULED,
            )
        elif index < 17:
            kind, requested, resolution = (
                RequestKind.NOT_RECEIVE_RESULTS,
                None,
                Resolution.PROCEEDS_AS_SCHEDULED,
            )
        else:
            kind, requested, resolution = (
                RequestKind.DEFER,
                final + days(rng.choice((28, 56))),
                Resolution.WITHDRAWN,
            )
        _closed_before(w, fips, received, final - days(1), kind, requested, resolution)

    # Urgent on DEMO_AS_OF: activation within the urgent window; these stay open to this day.
    urgent = window(as_of + days(1), as_of + days(14))
    for index, fips in enumerate(w.pick(urgent, 6)):
        final = simple[fips].activated_on
        received = as_of - days(rng.randint(3, 12))
        request = w.letter(
            fips, received, RequestKind.DEFER, final + days(rng.choice((42, 63, 91)))
        )
        if index % 3 >= 1:
            w.meeting(
                request,
                business_days_after(received, 1),
                business_days_after(received, 2) if index % 3 == 2 else None,
            )

    # Overdue on DEMO_AS_OF: no meeting requested within the business-day window.
    later = window(as_of + days(21), as_of + days(120))
    for index, fips in enumerate(w.pick(later, 5)):
        final = simple[fips].activated_on
        received = as_of - days(rng.randint(12, 30))
        request = w.letter(fips, received, RequestKind.NOT_ACTIVATE, None)
        if index >= 3:  # a late meeting after the demo's "today", then a resolution
            w.meeting(request, as_of + days(2), as_of + days(9))
            workflow.resolve(request, Resolution.PROCEEDS_AS_SCHEDULED, as_of + days(10))

    # Open on DEMO_AS_OF, meeting requested in time, resolved before activation.
    for fips in w.pick(later, 6):
        final = simple[fips].activated_on
        received = as_of - days(rng.randint(1, 6))
        request = w.letter(fips, received, RequestKind.DEFER, final + days(35))
        w.meeting(request, business_days_after(received, 2), as_of + days(rng.randint(3, 9)))
        workflow.resolve(request, Resolution.PROCEEDS_AS_SCHEDULED, as_of + days(12))

    db.session.flush()
    return w.count
