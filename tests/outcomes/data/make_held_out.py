"""Writes held_out_2011q1.csv: a quarter of statistics for Texas's 254 counties, kept out of the
method's development and the demo, with outliers planted in both directions on each metric and
one tiny county with an extreme rate on a handful of cases. The test knows only the planted list.

    .venv/bin/python tests/outcomes/data/make_held_out.py

Jurisdictions vary more than chance (each draws its own rates around the national ones), as real
counties do, so the review has to widen its limits and still find the planted ones.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 17_2011
MONTHS = ("2011-01", "2011-02", "2011-03")
TEXAS = [f"48{code:03d}" for code in range(1, 508, 2)]  # every Texas county: 48001 ... 48507
# fips -> (metric, direction): what the planted rates below make of them.
PLANTED = {
    "48029": ("non_criminal_share", "high"),
    "48061": ("non_criminal_share", "high"),
    "48113": ("non_criminal_share", "low"),
    "48141": ("non_criminal_share", "low"),
    "48201": ("match_rate", "high"),
    "48439": ("match_rate", "low"),
    "48453": ("level1_share", "high"),
    "48215": ("level1_share", "low"),
}
SMALL_EXTREME = "48301"  # Loving County: a handful of identifications, all with no conviction
MIX = np.array((0.27, 0.15, 0.33, 0.25))  # level 1, 2, 3, no criminal conviction


def main() -> None:
    rng = np.random.default_rng(SEED)
    rows = []
    for fips in TEXAS:
        size = rng.lognormal(5.0, 1.0) * (20 if fips in PLANTED else 1)
        match_rate = rng.beta(0.09 * 300, 0.91 * 300)
        mix = rng.dirichlet(MIX * 300)
        planted = PLANTED.get(fips)
        if planted == ("non_criminal_share", "high"):
            mix = np.array((0.15, 0.10, 0.25, 0.50))
        elif planted == ("non_criminal_share", "low"):
            mix = np.array((0.35, 0.20, 0.37, 0.08))
        elif planted == ("match_rate", "high"):
            match_rate = 0.18
        elif planted == ("match_rate", "low"):
            match_rate = 0.035
        elif planted == ("level1_share", "high"):
            mix = np.array((0.50, 0.10, 0.20, 0.20))
        elif planted == ("level1_share", "low"):
            mix = np.array((0.09, 0.21, 0.42, 0.28))
        if fips == SMALL_EXTREME:
            size, match_rate, mix = 15.0, 0.1, np.array((0.0, 0.0, 0.0, 1.0))
        for month in MONTHS:
            submissions = int(rng.poisson(size))
            matches = int(rng.binomial(submissions, match_rate))
            identified = int(rng.binomial(matches, 0.85))
            levels = rng.multinomial(identified, mix)
            removed = int(rng.binomial(identified, 0.3))
            rows.append((month, fips, submissions, matches, *map(int, levels), removed))
    with (HERE / "held_out_2011q1.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ("month", "fips", "submissions", "matches", "level1", "level2", "level3",
             "non_criminal", "removed")
        )  # fmt: skip
        writer.writerows(rows)


if __name__ == "__main__":
    main()
