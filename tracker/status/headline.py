"""The headline: "As of 31 August 2010: 1,234 of 3,233 county equivalents activated in 31 states".

The overview, the dashboard, its chart, the map page, the downloaded map and the map's script
(which receives the sentence with each date's status document) all say it with these words, and
count the places with an activation the same way: DC with the states, as the program's own
figures did ("N jurisdictions in S states"), territories apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.formatting import count, long_date, plural
from tracker.registry.lookup import territories
from tracker.status.rule import JurisdictionStatus, Status


@dataclass(frozen=True)
class Headline:
    """How far the rollout had come on a date."""

    as_of: dt.date
    activated: int
    total: int
    states: int  # states and DC with at least one activated jurisdiction
    territories: int  # territories with at least one

    @property
    def sentence(self) -> str:
        places = plural(self.states, "state")
        if self.territories:
            places += " and " + plural(self.territories, "territory", "territories")
        return (
            f"As of {long_date(self.as_of)}: {count(self.activated)} of {count(self.total)} "
            f"county equivalents activated in {places}"
        )


def headline(rows: Iterable[JurisdictionStatus], as_of: dt.date) -> Headline:
    """The headline for `as_of` from status rows of that date (every jurisdiction, or one
    state's)."""
    rows = list(rows)
    places = {row.state_postal for row in rows if row.status is Status.ACTIVATED}
    in_territories = len(places & territories())
    return Headline(
        as_of=as_of,
        activated=sum(1 for row in rows if row.status is Status.ACTIVATED),
        total=len(rows),
        states=len(places) - in_territories,
        territories=in_territories,
    )
