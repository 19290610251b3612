"""Benchmark: the status of every jurisdiction as of a date, and as known at a moment (budget:
median <= 30 ms on SQLite for each).

Seeds a fresh SQLite database with the national registry and the demo deployment plan (the same
migrate-and-seed path the tests use), then times tracker.status.rule.status_as_of() for all
3,233 jurisdictions on many dates spread across the rollout, uncached, and reports the median
of the per-date best of --repeats runs (wall clock; process CPU time shown alongside): as known
now, and as known at the end of each date (known_at: the records as they stood that day; the
demo records its facts when they were decided or shortly after, so these differ).

    .venv/bin/python bench/status_as_of.py [--dates 200] [--repeats 3] [--budget-ms 30]
                                           [--database-url URL]

With --database-url the script measures that (already seeded) database instead of a fresh one.
Exits 1 when the median is over budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIRST_DAY = dt.date(2008, 6, 1)
LAST_DAY = dt.date(2013, 6, 30)


def spread_dates(count: int) -> list[dt.date]:
    """`count` dates evenly spread from before the first activation to after the last."""
    span = (LAST_DAY - FIRST_DAY).days
    return [
        FIRST_DAY + dt.timedelta(days=round(i * span / max(1, count - 1))) for i in range(count)
    ]


def end_of(day: dt.date) -> dt.datetime:
    """The end of `day` in UTC (what known_at=YYYY-MM-DD means, near enough for timing)."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)


def measure(
    dates: list[dt.date], *, public: bool, repeats: int, known: bool = False
) -> tuple[list[float], list[float], int]:
    """Per date, the best of `repeats` runs: wall-clock and process CPU milliseconds.

    Best-of-N (as timeit does) filters out pauses caused by other processes on a shared machine;
    every date is still a cold computation (status_as_of has no cache of its own).
    """
    from tracker.status.rule import status_as_of

    wall, cpu = [], []
    rows = 0
    for day in dates:
        best_wall = best_cpu = float("inf")
        for _ in range(repeats):
            started, started_cpu = time.perf_counter(), time.process_time()
            rows = len(status_as_of(day, end_of(day) if known else None, public=public))
            best_wall = min(best_wall, time.perf_counter() - started)
            best_cpu = min(best_cpu, time.process_time() - started_cpu)
        wall.append(best_wall * 1000)
        cpu.append(best_cpu * 1000)
    return wall, cpu, rows


def report(label: str, timings: list[float]) -> float:
    median = statistics.median(timings)
    p90 = statistics.quantiles(timings, n=10)[-1] if len(timings) > 1 else timings[0]
    print(
        f"{label:<34} median {median:6.1f} ms   p90 {p90:6.1f} ms   "
        f"min {min(timings):6.1f} ms   max {max(timings):6.1f} ms"
    )
    return median


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dates", type=int, default=200, help="how many dates to time")
    parser.add_argument("--repeats", type=int, default=3, help="runs per date; the best counts")
    parser.add_argument("--budget-ms", type=float, default=30.0, help="median budget")
    parser.add_argument("--database-url", help="measure this seeded database instead")
    options = parser.parse_args(argv)

    from tests.support.apps import make_app, migrate_and_seed

    with tempfile.TemporaryDirectory() as tmp:
        url = options.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = make_app(url, Path(tmp))
        if not options.database_url:
            started = time.perf_counter()
            migrate_and_seed(app, demo=True)
            print(f"seeded registry and demo plan in {time.perf_counter() - started:.1f} s")
        from tracker.extensions import db

        with app.app_context():
            dates = spread_dates(options.dates)
            measure(dates[:5], public=False, repeats=1)  # warm connection and statement caches
            staff, staff_cpu, rows = measure(dates, public=False, repeats=options.repeats)
            public, _, _ = measure(dates, public=True, repeats=options.repeats)
            known, known_cpu, _ = measure(dates, public=False, repeats=options.repeats, known=True)
            print(
                f"{db.engine.dialect.name}: status of {rows:,} jurisdictions on "
                f"{len(dates)} dates, {dates[0]} to {dates[-1]}, best of {options.repeats} each"
            )
            median = report("status_as_of, staff (wall clock)", staff)
            report("status_as_of, staff (CPU time)", staff_cpu)
            report("status_as_of, public (wall clock)", public)
            known_median = report("known_at, staff (wall clock)", known)
            report("known_at, staff (CPU time)", known_cpu)
            db.session.remove()
            db.engine.dispose()
    worst = max(median, known_median)
    for label, value in (("as_of", median), ("known_at", known_median)):
        verdict = "within" if value <= options.budget_ms else "OVER"
        print(f"{label} median {value:.1f} ms: {verdict} the {options.budget_ms:g} ms budget")
    return 0 if worst <= options.budget_ms else 1


if __name__ == "__main__":
    raise SystemExit(main())
