"""Progress against the plan and the projected finish, from status rows."""

from __future__ import annotations

import datetime as dt

from tracker.dashboard.chart import cumulative_chart
from tracker.dashboard.progress import (
    ProgressPoint,
    due_within,
    project_completion,
    rollout_progress,
)
from tracker.status.headline import Headline
from tracker.status.rule import JurisdictionStatus, Status

D = dt.date.fromisoformat


def row(fips, status, scheduled=None, activated=None, past_due=False, name="Anderson County"):
    return JurisdictionStatus(
        fips=fips,
        state_fips=fips[:2],
        state_postal="TX",
        state_name="Texas",
        name=name,
        full_name=name,
        status=status,
        scheduled_on=D(scheduled) if scheduled else None,
        activated_on=D(activated) if activated else None,
        past_due=past_due,
    )


ROWS = [
    row("48001", Status.ACTIVATED, scheduled="2010-01-05", activated="2010-01-05"),
    row("48003", Status.ACTIVATED, scheduled="2010-02-02", activated="2010-02-09"),
    row("48005", Status.PLANNED, scheduled="2010-04-20"),
    row("48007", Status.DEFERRAL_PENDING, scheduled="2010-05-04"),
    row("48009", Status.NOT_SCHEDULED),
]


def test_progress_counts_actual_up_to_the_as_of_date_and_the_plan_beyond_it():
    points = rollout_progress(ROWS, D("2010-03-15"))
    assert points == [
        ProgressPoint(D("2010-01-31"), 1, 1),
        ProgressPoint(D("2010-02-28"), 2, 2),
        ProgressPoint(D("2010-03-31"), 2, 2),
        ProgressPoint(D("2010-04-30"), None, 3),
        ProgressPoint(D("2010-05-31"), None, 4),
    ]


def test_projection_uses_the_pace_of_the_last_90_days():
    projection = project_completion(ROWS, D("2010-03-15"))
    # Two activations in the 90 days before 15 March: 3 remaining at 2/90 a day -> 135 days.
    assert projection.remaining == 3
    assert projection.finish_on == D("2010-03-15") + dt.timedelta(days=135)
    assert round(projection.pace_per_month, 2) == round(2 / 90 * 30, 2)


def test_no_projection_without_recent_activations():
    projection = project_completion(ROWS, D("2011-01-01"))
    assert projection.finish_on is None
    assert projection.remaining == 3


def test_due_within_counts_planned_and_pending_in_the_window():
    assert due_within(ROWS, D("2010-04-01"), 30) == 1
    assert due_within(ROWS, D("2010-04-01"), 60) == 2
    assert due_within(ROWS, D("2010-06-10"), 90) == 0


def test_chart_is_svg_with_a_text_description_and_escapes_nothing_unsafe():
    as_of = D("2010-03-15")
    headline = Headline(as_of=as_of, activated=2, total=5, states=1, territories=0)
    svg = str(
        cumulative_chart(rollout_progress(ROWS, as_of), headline, project_completion(ROWS, as_of))
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "As of 15 March 2010: 2 of 5 county equivalents activated in 1 state;" in svg
    assert 'class="line-actual"' in svg and 'class="line-plan"' in svg
    assert 'class="line-projection"' in svg
    assert "<script" not in svg
