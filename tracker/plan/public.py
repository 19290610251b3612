"""The plan's history as the public may see it: the dates in force and why, by category only.

Staff see every plan change with its reason, source, deferral link and author. The public view
is defined here, once, and every public answer that shows a plan history uses it:

- only scheduled dates, each with the day it was decided and a reason *category* derived from
  the history itself ("scheduled": the first date given; "rescheduled": a new date replacing the
  one in force), never the reason or source staff typed, a letter reference or who recorded it;
- no removal trail: removals are never shown, and a removal wipes what came before it, so a
  jurisdiction removed from the plan reads as never scheduled (until it is scheduled again, when
  its public history starts afresh) and no old date betrays the removal;
- a change that repeats the date already in force adds nothing and is left out.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.plan.models import PlanChange, PlanChangeKind


class ReasonCategory(enum.StrEnum):
    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    REMOVED = "removed"  # staff only: the public view never holds a removal


@dataclass(frozen=True)
class PublicPlanEntry:
    decided_on: dt.date
    scheduled_on: dt.date
    reason_category: ReasonCategory
    is_demo: bool


def reason_categories(changes: Iterable[PlanChange]) -> list[ReasonCategory]:
    """The category of each change, in the order given (oldest first): a removal is "removed"; a
    date is "rescheduled" when another date was in force just before it, else "scheduled"."""
    categories, in_force = [], None
    for change in changes:
        if change.kind is PlanChangeKind.REMOVED:
            categories.append(ReasonCategory.REMOVED)
            in_force = None
        else:
            rescheduled = in_force is not None
            categories.append(
                ReasonCategory.RESCHEDULED if rescheduled else ReasonCategory.SCHEDULED
            )
            in_force = change.scheduled_on
    return categories


def public_plan_history(changes: Iterable[PlanChange]) -> list[PublicPlanEntry]:
    """The public view of a jurisdiction's plan changes (oldest first, already limited to those
    decided on or before the day asked about): see the module's rules."""
    entries: list[PublicPlanEntry] = []
    for change in changes:
        if change.kind is PlanChangeKind.REMOVED:
            entries.clear()
            continue
        if entries and entries[-1].scheduled_on == change.scheduled_on:
            continue
        category = ReasonCategory.RESCHEDULED if entries else ReasonCategory.SCHEDULED
        entries.append(
            PublicPlanEntry(change.decided_on, change.scheduled_on, category, change.is_demo)
        )
    return entries
