"""Benchmark: ten years of monthly statistics import in under 30 s, and a quarter's review of all
3,233 jurisdictions answers with a median of at most 200 ms, on SQLite and on PostgreSQL.

For each engine: a fresh database (SQLite file; PostgreSQL in a throwaway cluster) migrated and
seeded with the national registry, every jurisdiction activated in January 2003, then
- a CSV of 120 months x 3,233 jurisdictions (387,960 rows; deterministic figures) is imported with
  `tracker import stats FILE` through Flask's CLI runner (reading, checking every row, writing,
  committing), timed once from the command's start to its end;
- the review of 2012-Q4 is timed --runs times, after one warm-up run: the computation alone
  (tracker.outcomes.review.review_quarter: the quarter's sums in SQL, the three funnels, the
  dispositions), the whole page cold (GET /reviews/2012-Q4 signed in, the computed-results cache
  emptied first, as after an import or a disposition: the computation, three funnel plots of
  3,233 linked points and their tables) and warm (the review cached), each with its median. The
  budget holds the cold page.

    .venv/bin/python bench/outcomes.py [--runs 15] [--engines sqlite,postgresql]
                                       [--import-budget-s 30] [--review-budget-ms 200]

Exits 1 when a median or the import is over budget.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.apps import PASSWORD, make_app, migrate_and_seed  # noqa: E402
from tests.support.postgres import throwaway_cluster  # noqa: E402

FIRST_MONTH = dt.date(2003, 1, 1)
MONTHS = 120
QUARTER = "2012-Q4"


def months() -> list[dt.date]:
    result, month = [], FIRST_MONTH
    for _ in range(MONTHS):
        result.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return result


def write_statistics(path: Path, fips_codes: list[str]) -> int:
    """Every jurisdiction's every month, figures varying by jurisdiction and month."""
    rows = 0
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ("month", "fips", "submissions", "matches", "level1", "level2", "level3",
             "non_criminal", "removed")
        )  # fmt: skip
        for index, fips in enumerate(fips_codes):
            size = 40 + (index * 7919) % 900
            for m, month in enumerate(months()):
                submissions = size + (m * 31 + index) % 97
                matches = submissions * (6 + (index + m) % 7) // 100
                identified = matches * 85 // 100
                level1 = identified * (20 + index % 13) // 100
                level2 = identified * 15 // 100
                non_criminal = identified * (18 + (index * 3 + m) % 17) // 100
                level3 = identified - level1 - level2 - non_criminal
                removed = identified * 3 // 10
                writer.writerow(
                    (f"{month:%Y-%m}", fips, submissions, matches, level1, level2, level3,
                     non_criminal, removed)
                )  # fmt: skip
                rows += 1
    return rows


def activate_everyone() -> list[str]:
    from sqlalchemy import insert, select

    from tracker.extensions import db
    from tracker.plan.models import Activation
    from tracker.registry.models import Jurisdiction

    fips_codes = list(db.session.scalars(select(Jurisdiction.fips).order_by(Jurisdiction.fips)))
    activated = set(db.session.scalars(select(Activation.jurisdiction_fips)))
    db.session.execute(
        insert(Activation),
        [
            {"jurisdiction_fips": fips, "activated_on": dt.date(2003, 1, 6), "source": "bench"}
            for fips in fips_codes
            if fips not in activated
        ],
    )
    # The seeded real activations are later than 2003; the bench's months start with theirs.
    db.session.execute(Activation.__table__.update().values(activated_on=dt.date(2003, 1, 6)))
    db.session.commit()
    return fips_codes


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def bench_engine(name: str, url: str, tmp: Path, runs: int) -> dict[str, float]:
    from tracker.auth.services import create_user
    from tracker.extensions import db
    from tracker.outcomes.quarters import Quarter
    from tracker.outcomes.review import review_quarter

    app = make_app(url, tmp / f"instance-{name}")
    migrate_and_seed(app)
    with app.app_context():
        fips_codes = activate_everyone()
        create_user("bench@example.gov", "Bench", PASSWORD, "viewer")
        db.session.commit()
    data = tmp / "ten-years.csv"
    if not data.exists():
        rows = write_statistics(data, fips_codes)
        print(f"wrote {rows:,} monthly rows ({data.stat().st_size / 2**20:.1f} MiB)")
    runner = app.test_cli_runner()
    started = time.perf_counter()
    result = runner.invoke(args=["import", "stats", str(data)])
    import_s = time.perf_counter() - started
    if result.exit_code != 0:
        print(result.output[-2000:])
        raise SystemExit(f"{name}: the import failed")
    print(f"{name}: {result.stdout.splitlines()[0]}")
    print(f"{name}: import of ten years: {import_s:.1f} s")

    quarter = Quarter.parse(QUARTER)
    computed, computed_cpu = [], []
    with app.app_context():
        review_quarter(quarter)
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            review = review_quarter(quarter)
            computed.append(time.perf_counter() - started)
            computed_cpu.append(time.process_time() - started_cpu)
        db.session.remove()
    assert review.totals.jurisdictions == len(fips_codes)
    client = app.test_client()
    client.post("/login", data={"email": "bench@example.gov", "password": PASSWORD})
    cold, cold_cpu, warm = [], [], []
    size = 0
    for index in range(runs + 1):
        # Cold: the computed-results cache emptied, as after an import or a disposition.
        app.extensions.pop("tracker_computed_cache", None)
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/reviews/{QUARTER}")
        elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        assert response.status_code == 200, response.status_code
        size = len(response.data)
        started = time.perf_counter()
        client.get(f"/reviews/{QUARTER}")
        again = time.perf_counter() - started
        if index:  # the first run warms imports and the templates
            cold.append(elapsed)
            cold_cpu.append(elapsed_cpu)
            warm.append(again)
    with app.app_context():
        db.engine.dispose()
    figures = {"import_s": import_s, "page_ms": median_ms(cold)}
    print(f"{name}: review of {QUARTER} for {len(fips_codes):,} jurisdictions, {runs} runs each:")
    for label, wall, cpu in (
        ("computation (review_quarter)", computed, computed_cpu),
        ("page, cold (cache emptied)", cold, cold_cpu),
        ("page, warm (review cached)", warm, None),
    ):
        line = f"  {label:<30} median {median_ms(wall):5.0f} ms   min {min(wall) * 1000:5.0f} ms"
        if cpu:
            line += f"   CPU median {median_ms(cpu):5.0f} ms"
        print(line)
    print(f"  the page is {size / 2**20:.1f} MiB of HTML")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--import-budget-s", type=float, default=30.0)
    parser.add_argument("--review-budget-ms", type=float, default=200.0)
    options = parser.parse_args(argv)
    engines = options.engines.split(",")
    over = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        results = {}
        if "sqlite" in engines:
            results["sqlite"] = bench_engine(
                "sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", tmp, options.runs
            )
        if "postgresql" in engines:
            with throwaway_cluster(("tracker_outcomes_bench",)) as urls:
                results["postgresql"] = bench_engine(
                    "postgresql", urls["tracker_outcomes_bench"], tmp, options.runs
                )
    for engine, figures in results.items():
        if figures["import_s"] > options.import_budget_s:
            over.append(f"{engine} import {figures['import_s']:.1f} s")
        if figures["page_ms"] > options.review_budget_ms:
            over.append(f"{engine} review page (cold) {figures['page_ms']:.0f} ms")
    if over:
        print("OVER budget: " + "; ".join(over))
        return 1
    print(
        f"within budget: import under {options.import_budget_s:g} s and cold review page median "
        f"at most {options.review_budget_ms:g} ms on {', '.join(results)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
