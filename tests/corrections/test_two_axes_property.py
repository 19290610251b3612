"""Property test: for any history with corrections, status_as_of(as_of, known_at) agrees with
DESIGN's two-axis rule read literally: replay the facts and corrections recorded at or before
known_at, then apply the five steps for as_of."""

from __future__ import annotations

import datetime as dt

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import COUNTY, OTHER_COUNTY
from tracker.deferrals.models import (
    AddressedTo,
    Channel,
    DeferralRequest,
    DeferralStatus,
    RequestKind,
    Resolution,
)
from tracker.plan.models import Activation, PlanChange, PlanChangeKind
from tracker.status.rule import Status, status_as_of

START = dt.date(2009, 1, 1)
# The moment of the i-th write: an hour apart, after every date of the history.
FIRST_MOMENT = dt.datetime(2011, 1, 1, tzinfo=dt.UTC)
COUNTIES = (COUNTY, OTHER_COUNTY)

days = st.integers(min_value=0, max_value=60).map(lambda n: START + dt.timedelta(days=n))
index = st.integers(min_value=0, max_value=5)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("plan"), st.sampled_from(list(PlanChangeKind)), days, days),
        st.tuples(st.just("amend_plan"), index, days, days),
        st.tuples(st.just("void_plan"), index),
        st.tuples(st.just("activate"), days),
        st.tuples(st.just("amend_activation"), days),
        st.tuples(st.just("void_activation")),
        st.tuples(st.just("letter"), days, st.sampled_from(list(RequestKind))),
        st.tuples(st.just("resolve"), index, st.integers(min_value=0, max_value=30)),
        st.tuples(st.just("move"), index),
        st.tuples(st.just("undo"), index),
    ),
    max_size=10,
)


def moment(number: float) -> dt.datetime:
    return FIRST_MOMENT + dt.timedelta(hours=number)


class Literal:
    """The history as an event log: each fact with the moment it was recorded and the moment a
    correction superseded it; each letter as the list of its versions."""

    def __init__(self) -> None:
        self.plans: list[dict] = []  # fips, kind, decided, scheduled, recorded, superseded
        self.activations: list[dict] = []  # activated_on, recorded, superseded
        self.letters: list[list[dict]] = []  # versions: at, fips, received, resolved, kind

    @staticmethod
    def in_force(fact: dict, known: float) -> bool:
        return fact["recorded"] <= known and (
            fact["superseded"] is None or fact["superseded"] > known
        )

    def status(self, fips: str, as_of: dt.date, known: float) -> tuple[Status, bool]:
        """DESIGN's five steps, applied to the facts in force at `known`."""
        for fact in self.activations:
            if fips == COUNTY and self.in_force(fact, known) and fact["activated_on"] <= as_of:
                return Status.ACTIVATED, False
        plans = [
            (number, p)
            for number, p in enumerate(self.plans)
            if p["fips"] == fips and self.in_force(p, known) and p["decided"] <= as_of
        ]
        latest = max(plans, key=lambda item: (item[1]["decided"], item[0]))[1] if plans else None
        if latest and latest["kind"] is PlanChangeKind.REMOVED:
            return Status.REMOVED, False
        scheduled = latest["scheduled"] if latest else None
        past_due = scheduled is not None and scheduled < as_of
        pending = False
        for versions in self.letters:
            known_versions = [v for v in versions if v["at"] <= known]
            if not known_versions:
                continue
            v = known_versions[-1]
            resolved = v["resolved"]
            if (
                v["fips"] == fips
                and v["received"] <= as_of
                and v["kind"] is not RequestKind.NOT_RECEIVE_RESULTS
                and (resolved is None or resolved > as_of)
            ):
                pending = True
        if pending:
            return Status.DEFERRAL_PENDING, past_due
        if latest:
            return Status.PLANNED, past_due
        return Status.NOT_SCHEDULED, False


def _in_force_now(facts: list[dict]) -> list[int]:
    return [number for number, fact in enumerate(facts) if fact["superseded"] is None]


def replay(db, operations) -> Literal:
    """Write each operation at its own moment (the clock travels there) and log it literally."""
    literal = Literal()
    rows: dict[str, list] = {"plans": [], "activations": [], "letters": []}
    for number, op in enumerate(operations, start=1):
        at = moment(number)
        with time_machine.travel(at, tick=False):
            _apply(db, literal, rows, op, number, at)
            db.session.flush()
    return literal


def _apply(db, literal: Literal, rows: dict, op: tuple, number: int, at: dt.datetime) -> None:
    name = op[0]
    if name in ("plan", "amend_plan"):
        if name == "amend_plan":
            live = _in_force_now(literal.plans)
            if not live:
                return
            old = live[op[1] % len(live)]
            literal.plans[old]["superseded"] = number
            rows["plans"][old].superseded_at = at
            db.session.flush()  # the old fact leaves "in force" before the new one enters
            fips, kind = literal.plans[old]["fips"], literal.plans[old]["kind"]
            decided, scheduled = op[2], op[3]
        else:
            kind, decided, scheduled = op[1], op[2], op[3]
            fips = COUNTIES[decided.day % 2]
        scheduled = scheduled if kind is PlanChangeKind.SCHEDULED else None
        literal.plans.append(
            {
                "fips": fips,
                "kind": kind,
                "decided": decided,
                "scheduled": scheduled,
                "recorded": number,
                "superseded": None,
            }
        )
        row = PlanChange(
            jurisdiction_fips=fips,
            kind=kind,
            scheduled_on=scheduled,
            decided_on=decided,
            reason="property test",
            source="test",
            recorded_at=at,
        )
        db.session.add(row)
        rows["plans"].append(row)
    elif name in ("activate", "amend_activation", "void_activation"):
        live = _in_force_now(literal.activations)
        if (name == "activate") == bool(live):
            return  # at most one activation in force: record one, or correct the one there is
        if live:
            literal.activations[live[0]]["superseded"] = number
            rows["activations"][live[0]].superseded_at = at
            db.session.flush()
        if name != "void_activation":
            literal.activations.append(
                {"activated_on": op[1], "recorded": number, "superseded": None}
            )
            row = Activation(
                jurisdiction_fips=COUNTY, activated_on=op[1], source="test", recorded_at=at
            )
            db.session.add(row)
            rows["activations"].append(row)
    elif name == "void_plan":
        live = _in_force_now(literal.plans)
        if live:
            old = live[op[1] % len(live)]
            literal.plans[old]["superseded"] = number
            rows["plans"][old].superseded_at = at
    elif name == "letter":
        received, kind = op[1], op[2]
        fips = COUNTIES[received.day % 2]
        letter = DeferralRequest(
            jurisdiction_fips=fips,
            letter_date=received,
            received_on=received,
            channel=Channel.LETTER,
            sender_name="Sheriff",
            addressed_to=AddressedTo.BOTH,
            kind=kind,
            requested_date=received + dt.timedelta(days=90) if kind is RequestKind.DEFER else None,
            status=DeferralStatus.RECEIVED,
        )
        db.session.add(letter)
        rows["letters"].append(letter)
        literal.letters.append(
            [{"at": number, "fips": fips, "received": received, "resolved": None, "kind": kind}]
        )
    elif literal.letters:
        which = op[1] % len(literal.letters)
        letter, last = rows["letters"][which], dict(literal.letters[which][-1])
        if name == "resolve" and last["resolved"] is None:
            last["resolved"] = last["received"] + dt.timedelta(days=op[2])
            letter.status = DeferralStatus.RESOLVED
            letter.resolution = Resolution.PROCEEDS_AS_SCHEDULED
            letter.resolved_on = last["resolved"]
        elif name == "undo" and last["resolved"] is not None:
            last["resolved"] = None
            letter.status = DeferralStatus.RECEIVED
            letter.resolution = None
            letter.resolved_on = None
        elif name == "move":
            last["fips"] = OTHER_COUNTY if last["fips"] == COUNTY else COUNTY
            letter.jurisdiction_fips = last["fips"]
        else:
            return
        last["at"] = number
        literal.letters[which].append(last)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=operations,
    checks=st.lists(
        st.tuples(st.integers(min_value=0, max_value=11), days), min_size=1, max_size=4
    ),
)
def test_status_matches_the_two_axis_rule_for_any_history(app_context, history, checks):
    from tracker.extensions import db

    savepoint = db.session.begin_nested()
    try:
        literal = replay(db, history)
        for known, as_of in checks:
            # Half an hour after the known-th write (before the next one), or now.
            known_at = moment(known + 0.5) if known <= len(history) else None
            rows = status_as_of(as_of, known_at, fips=COUNTIES)
            horizon = known + 0.5 if known_at is not None else float("inf")
            got = {row.fips: (row.status, row.past_due) for row in rows}
            expected = {fips: literal.status(fips, as_of, horizon) for fips in COUNTIES}
            assert got == expected, (history, known_at, as_of)
    finally:
        savepoint.rollback()
