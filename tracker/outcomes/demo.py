"""Deterministic demo statistics for every jurisdiction the demo rollout activates, labelled demo.

Each activated demo jurisdiction reports every month from its activation to December 2012. Its
size (fingerprints a month) follows a log-normal spread, larger for the early, most populous
counties; its own match rate and identification mix vary around the national ones (so the review
sees the over-dispersion real data has); each month's counts are drawn around those, starting
slowly in the first months after activation. A few jurisdictions are planted as outliers in
both directions on each metric, and one very small county has an extreme rate on few cases,
so the review has something to find and something it must not flag. Same seed, same rows.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import select

from tracker.db import bulk_insert, utcnow
from tracker.extensions import db
from tracker.outcomes.models import MonthlyStatistics
from tracker.outcomes.quarters import month_start, next_month
from tracker.plan.models import Activation

DEMO_STATISTICS_SEED = 20110401
DEMO_SOURCE = "demo"
LAST_MONTH = dt.date(2012, 12, 1)
# The large counties the demo plan activates first (tracker.seeding.demo: populous and border).
LARGE_SHARE = 0.02
MATCH_RATE = 0.09  # matches per fingerprint submitted, nationally
IDENTIFIED = 0.85  # identifications per match
LEVEL_MIX = (0.27, 0.15, 0.33, 0.25)  # level 1, 2, 3, no criminal conviction
REMOVED = 0.3  # removals per identification
# Spread between jurisdictions (Beta/Dirichlet concentration: lower is wider).
MATCH_CONCENTRATION = 400
MIX_CONCENTRATION = 800
# Planted outliers are large counties (fingerprints a month), so the review has the cases to see them.
PLANTED_SIZE = 2500.0
# fips -> (level 1, level 2, level 3, no conviction mix, match rate) replacing its own draws.
PLANTED = {
    "32003": ((0.12, 0.08, 0.20, 0.60), None),  # Clark, NV: no-conviction share high
    "47157": ((0.13, 0.09, 0.22, 0.56), None),  # Shelby, TN: no-conviction share high
    "27053": ((0.40, 0.20, 0.34, 0.06), None),  # Hennepin, MN: no-conviction share low
    "12099": (None, 0.21),  # Palm Beach, FL: match rate high
    "55079": (None, 0.025),  # Milwaukee, WI: match rate low
    "39035": ((0.55, 0.10, 0.20, 0.15), None),  # Cuyahoga, OH: Level 1 share high
    "49035": ((0.08, 0.22, 0.42, 0.28), None),  # Salt Lake, UT: Level 1 share low
}
# A very small county whose every identification has no criminal conviction: extreme, but on
# a handful of cases, so the review lists it apart instead of flagging it.
SMALL_EXTREME = "48301"  # Loving, TX


def _reported(month: dt.date) -> dt.datetime:
    """When a month's figures reach the office: the 10th of the next month, in the evening."""
    return dt.datetime.combine(next_month(month) + dt.timedelta(days=9), dt.time(20), dt.UTC)


def _months(activated_on: dt.date) -> list[dt.date]:
    months, month = [], month_start(activated_on)
    while month <= LAST_MONTH:
        months.append(month)
        month = next_month(month)
    return months


def demo_statistics_rows(activations: list[tuple[str, dt.date]]) -> list[dict]:
    """The demo's monthly rows for the given (fips, activated_on), in FIPS and month order."""
    rng = np.random.default_rng(DEMO_STATISTICS_SEED)
    rows = []
    early = sorted(activations, key=lambda a: (a[1], a[0]))[: int(len(activations) * LARGE_SHARE)]
    large = {fips for fips, _ in early}
    for fips, activated_on in sorted(activations):
        months = _months(activated_on)
        size = rng.lognormal(4.3, 1.1) * (25 if fips in large else 1)
        match_rate = rng.beta(
            MATCH_RATE * MATCH_CONCENTRATION, (1 - MATCH_RATE) * MATCH_CONCENTRATION
        )
        mix = rng.dirichlet(np.array(LEVEL_MIX) * MIX_CONCENTRATION)
        planted_mix, planted_rate = PLANTED.get(fips, (None, None))
        mix = np.array(planted_mix) if planted_mix else mix
        match_rate = planted_rate or match_rate
        if fips in PLANTED:
            size = PLANTED_SIZE
        if fips == SMALL_EXTREME:
            size, match_rate, mix = 12.0, 0.12, np.array((0.0, 0.0, 0.0, 1.0))
        if not months:
            continue
        ramp = np.minimum(1.0, 0.4 + 0.1 * np.arange(len(months)))
        submissions = rng.poisson(size * ramp)
        matches = rng.binomial(submissions, match_rate)
        identified = rng.binomial(matches, IDENTIFIED)
        levels = rng.multinomial(identified, mix)
        removed = rng.binomial(identified, REMOVED)
        for index, month in enumerate(months):
            rows.append(
                {
                    "jurisdiction_fips": fips,
                    "month": month,
                    "submissions": int(submissions[index]),
                    "matches": int(matches[index]),
                    "level1": int(levels[index, 0]),
                    "level2": int(levels[index, 1]),
                    "level3": int(levels[index, 2]),
                    "non_criminal": int(levels[index, 3]),
                    "removed": int(removed[index]),
                }
            )
    return rows


def seed_demo_statistics() -> int:
    """Write the demo statistics for every demo activation; returns how many monthly rows."""
    activations = db.session.execute(
        select(Activation.jurisdiction_fips, Activation.activated_on).where(
            Activation.in_force(), Activation.activated_on <= LAST_MONTH
        )
    ).all()
    rows = demo_statistics_rows([(fips, day) for fips, day in activations])
    now = utcnow()
    for row in rows:
        row.update(
            source=DEMO_SOURCE,
            is_demo=True,
            recorded_by_id=None,
            recorded_at=min(_reported(row["month"]), now),
            superseded_at=None,
            superseded_by_id=None,
        )
    bulk_insert(db.session, MonthlyStatistics.__table__, rows)
    return len(rows)
