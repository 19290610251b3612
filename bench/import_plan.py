"""Benchmark: a dry run of a plan file holding every jurisdiction (budget: median <= 2 s).

Seeds a fresh SQLite database with the national registry (the same migrate-and-seed path the
tests use), writes a 3,233-row CSV plan (one row per jurisdiction, names and dates written the
many ways public records write them: "Saint"/"St.", "City of X", "County of X", accents
dropped, state as postal code or name, ISO, US and spelled-out dates), then times
`tracker import plan FILE --dry-run` through Flask's CLI runner, and reports the median.

    .venv/bin/python bench/import_plan.py [--runs 7] [--budget-s 2]

Exits 1 when the median is over budget, or when the dry run reports anything but clean rows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PREFIXED = {"city": "City of", "county": "County of", "parish": "Parish of"}


def written_name(index: int, name: str, full_name: str, kind: str) -> str:
    """One of several ways a document writes the jurisdiction, chosen by row."""
    style = index % 4
    if style == 0:
        return full_name
    if style == 1 and kind in PREFIXED:
        return f"{PREFIXED[kind]} {name}"
    if style == 2:
        plain = unicodedata.normalize("NFKD", full_name)
        plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
        return plain.upper().replace("ST. ", "SAINT ")
    return full_name.replace("St. ", "St ").replace("-", " ")


def written_date(index: int, day: dt.date) -> str:
    return (
        day.isoformat(),
        f"{day.month}/{day.day}/{day.year}",
        f"{day:%B} {day.day}, {day.year}",
        f"{day.month}/{day.day}/{day:%y}",
    )[index % 4]


def write_plan(path: Path) -> int:
    from sqlalchemy import select

    from tracker.extensions import db
    from tracker.plan.models import Activation
    from tracker.registry.models import Jurisdiction

    activated = {
        fips: day
        for fips, day in db.session.execute(
            select(Activation.jurisdiction_fips, Activation.activated_on)
        )
    }
    jurisdictions = db.session.scalars(select(Jurisdiction).order_by(Jurisdiction.fips)).all()
    start = dt.date(2011, 1, 4)
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["State", "Jurisdiction", "Scheduled On", "Activated On", "Reason"])
        for index, jurisdiction in enumerate(jurisdictions):
            state = jurisdiction.state.postal if index % 2 else jurisdiction.state.name
            name = written_name(
                index, jurisdiction.name, jurisdiction.full_name, jurisdiction.kind.value
            )
            if jurisdiction.fips in activated:
                dates = ["", written_date(index, activated[jurisdiction.fips])]
            else:
                scheduled = start + dt.timedelta(weeks=index % 100)
                dates = [written_date(index, scheduled), ""]
            writer.writerow([state, name, *dates, "National plan, wave by wave"])
    return len(jurisdictions)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="how many dry runs to time")
    parser.add_argument("--budget-s", type=float, default=2.0, help="median budget, seconds")
    options = parser.parse_args(argv)

    from tests.support.apps import make_app, migrate_and_seed

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", Path(tmp))
        started = time.perf_counter()
        migrate_and_seed(app)
        print(f"seeded the national registry in {time.perf_counter() - started:.1f} s")
        plan_file = Path(tmp) / "national-plan.csv"
        with app.app_context():
            rows = write_plan(plan_file)
        runner = app.test_cli_runner()
        timings = []
        summary = ""
        for _ in range(options.runs + 1):
            started = time.perf_counter()
            result = runner.invoke(args=["import", "plan", str(plan_file), "--dry-run"])
            timings.append(time.perf_counter() - started)
            if result.exit_code != 0:
                print(result.output)
                return 1
            summary = result.stdout.splitlines()[0]
        timings = timings[1:]  # the first run warms imports and caches
        from tracker.extensions import db

        with app.app_context():
            engine = db.engine.dialect.name
            db.engine.dispose()
    median = statistics.median(timings)
    print(f"{engine}: dry run of a {rows:,}-row plan file ({plan_file.name}), {options.runs} runs")
    print(f"  {summary}")
    print(f"  median {median:.2f} s   min {min(timings):.2f} s   max {max(timings):.2f} s")
    expected = f"{rows} rows: "
    if not summary.startswith(expected) or not summary.endswith(" 0 errors"):
        print("the dry run did not report every row clean")
        return 1
    verdict = "within" if median <= options.budget_s else "OVER"
    print(f"median {median:.2f} s: {verdict} the {options.budget_s:g} s budget")
    return 0 if median <= options.budget_s else 1


if __name__ == "__main__":
    raise SystemExit(main())
