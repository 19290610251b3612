"""Property test: for any history, status_as_of agrees with DESIGN's rule read literally."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import COUNTY
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
days = st.integers(min_value=0, max_value=60).map(lambda n: START + dt.timedelta(days=n))

plan_changes = st.lists(
    st.tuples(st.sampled_from(list(PlanChangeKind)), days, days),  # kind, decided_on, scheduled_on
    max_size=4,
)
letters = st.lists(
    st.tuples(
        days,  # received_on
        st.one_of(st.none(), st.integers(min_value=0, max_value=30)),  # days until resolved
        st.sampled_from(list(RequestKind)),
    ),
    max_size=3,
)


def expected_status(as_of, changes, activated_on, requests):
    """DESIGN.md's five steps, in order, applied to the raw history."""
    if activated_on is not None and activated_on <= as_of:
        return Status.ACTIVATED, False
    known = [c for c in changes if c[1] <= as_of]
    # Latest decided, ties broken by the order recorded.
    latest = max(enumerate(known), key=lambda item: (item[1][1], item[0]))[1] if known else None
    if latest and latest[0] is PlanChangeKind.REMOVED:
        return Status.REMOVED, False
    scheduled = latest[2] if latest else None
    past_due = scheduled is not None and scheduled < as_of
    pending = any(
        received <= as_of
        and kind is not RequestKind.NOT_RECEIVE_RESULTS
        and (resolved_after is None or received + dt.timedelta(days=resolved_after) > as_of)
        for received, resolved_after, kind in requests
    )
    if pending:
        return Status.DEFERRAL_PENDING, past_due
    if latest:
        return Status.PLANNED, past_due
    return Status.NOT_SCHEDULED, False


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=plan_changes,
    activated_on=st.one_of(st.none(), days),
    requests=letters,
    as_of=days,
)
def test_status_matches_the_rule_for_any_history(
    app_context, changes, activated_on, requests, as_of
):
    from tracker.extensions import db

    savepoint = db.session.begin_nested()
    try:
        for kind, decided_on, scheduled_on in changes:
            db.session.add(
                PlanChange(
                    jurisdiction_fips=COUNTY,
                    kind=kind,
                    scheduled_on=scheduled_on if kind is PlanChangeKind.SCHEDULED else None,
                    decided_on=decided_on,
                    reason="property test",
                    source="test",
                )
            )
            db.session.flush()  # ids follow the order recorded
        if activated_on is not None:
            db.session.add(
                Activation(jurisdiction_fips=COUNTY, activated_on=activated_on, source="test")
            )
        for received_on, resolved_after, kind in requests:
            resolved_on = (
                None if resolved_after is None else received_on + dt.timedelta(days=resolved_after)
            )
            db.session.add(
                DeferralRequest(
                    jurisdiction_fips=COUNTY,
                    letter_date=received_on,
                    received_on=received_on,
                    channel=Channel.LETTER,
                    sender_name="Sheriff",
                    addressed_to=AddressedTo.BOTH,
                    kind=kind,
                    requested_date=received_on + dt.timedelta(days=90)
                    if kind is RequestKind.DEFER
                    else None,
                    status=DeferralStatus.RESOLVED if resolved_on else DeferralStatus.RECEIVED,
                    resolution=Resolution.PROCEEDS_AS_SCHEDULED if resolved_on else None,
                    resolved_on=resolved_on,
                )
            )
        db.session.flush()
        (row,) = status_as_of(as_of, fips=[COUNTY])
        assert (row.status, row.past_due) == expected_status(as_of, changes, activated_on, requests)
    finally:
        savepoint.rollback()
