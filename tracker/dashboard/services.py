"""The program dashboard: every figure for one as-of date, gathered from each feature's services.

Nothing is counted here that another feature already counts: plan figures come from the status
rule, letters from the deferrals feature, briefing reach from the briefings feature.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from tracker.briefings.models import Briefing, BriefingVersion
from tracker.briefings.services import BriefingReach, briefing_reach, recent_briefings
from tracker.dashboard.chart import cumulative_chart
from tracker.dashboard.progress import (
    ProgressPoint,
    Projection,
    due_within,
    project_completion,
    rollout_progress,
)
from tracker.deferrals.clocks import letter_counts
from tracker.deferrals.log import LogRow, recent_letters
from tracker.outcomes.services import QuarterOutcomes, quarter_outcomes
from tracker.status.headline import Headline, headline
from tracker.status.rule import Status, cached_status_as_of, count_by_status

DUE_WINDOWS = (30, 60, 90)
RECENT = 8


@dataclass(frozen=True)
class Dashboard:
    as_of: dt.date
    known_at: dt.datetime | None
    headline: Headline
    counts: dict[Status, int]
    past_due: int
    due: dict[int, int]
    progress: list[ProgressPoint]
    projection: Projection
    chart: Markup
    letters: dict[str, int]  # open, overdue, urgent
    reach: BriefingReach
    recent_letters: list[LogRow]
    recent_briefings: list[Briefing | BriefingVersion]  # as kept at known_at
    outcomes: QuarterOutcomes | None  # a quarter's national statistics


def program_dashboard(
    as_of: dt.date, known_at: dt.datetime | None = None, quarter: str | None = None
) -> Dashboard:
    """The staff view of the rollout on `as_of`, as the records stood at `known_at` (default
    now): status counts (all five statuses), where activations stand, what is due in 30/60/90
    days, progress against the plan, the letters open, overdue and urgent, how far the
    briefings reached, and the national statistics of `quarter` (default: the latest begun by
    `as_of`)."""
    rows = cached_status_as_of(as_of, known_at)
    progress = rollout_progress(rows, as_of)
    projection = project_completion(rows, as_of)
    summary = headline(rows, as_of)
    return Dashboard(
        as_of=as_of,
        known_at=known_at,
        headline=summary,
        counts=count_by_status(rows),
        past_due=sum(1 for row in rows if row.past_due),
        due={days: due_within(rows, as_of, days) for days in DUE_WINDOWS},
        progress=progress,
        projection=projection,
        chart=cumulative_chart(progress, summary, projection),
        letters=letter_counts(as_of, known_at),
        reach=briefing_reach(as_of, known_at),
        recent_letters=recent_letters(as_of, RECENT, known_at),
        recent_briefings=recent_briefings(RECENT, as_of, known_at),
        outcomes=quarter_outcomes(as_of, quarter, known_at),
    )
