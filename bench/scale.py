"""Scale: every staff list, the dashboard, the summary and the letter export at 1×, 10× and 100×
the demo's history, on SQLite and on PostgreSQL.

    .venv/bin/python bench/scale.py [--engines sqlite,postgresql] [--repeats 7] [--no-docs]

For each engine it migrates and seeds a fresh database with the demo (1×), then grows it with
bulk inserts (bench/scale_data.py) to 10× and 100×: at 100×, 100,000 letters each with an
attachment's metadata, 1,000,000 audit events, 20,000 briefings, 50,000 plan changes and 100,000
export records, spread over the decade 2009–2018. At each size it serves the database with
`tracker serve --workers 1` on 127.0.0.1, signs in as an administrator, requests every URL below
twice to warm the worker, then times it `--repeats` times in a row and keeps the median; the
letter export is timed to its first byte. At 100× it also downloads every letter as CSV and as
XLSX and reads the worker's peak memory (its high-water mark, reset just before).

Budgets (issue 14), at 100×, one worker: every list, the dashboard and the summary have a
median ≤ 100 ms and ≤ 3× their 1× median; the letter export's first byte comes within 500 ms;
the worker grows by less than 50 MiB exporting 100,000 letters. The table goes into
docs/performance.md (between the scale markers) unless --no-docs; the exit code is 1 when a
budget is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scale_data import SIZES, counts, grow  # noqa: E402
from support import tracker_server  # noqa: E402

from tests.support.postgres import throwaway_cluster  # noqa: E402

TRACKER = str(Path(sys.executable).with_name("tracker"))
DOCS = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"
ADMIN, PASSWORD = "bench-admin@example.gov", "bench password, not for production"
AS_OF = "2010-08-31"
LIST_BUDGET_MS, RATIO_BUDGET, FIRST_BYTE_BUDGET_MS, MEMORY_BUDGET_MIB = 100, 3.0, 500, 50

# (label, path, who): "staff" signed in as an administrator, "public" anonymous. Every staff
# list in its default view, the filters and orders the letter log offers, their API, the
# dashboard and the summary.
PAGES = (
    ("letter log", "/deferrals", "staff"),
    ("letter log, next page", "/deferrals?NEXT", "staff"),
    ("letter log as of 2010-08-31", f"/deferrals?as_of={AS_OF}", "staff"),
    ("letter log, open", "/deferrals?status=open", "staff"),
    ("letter log, search Baker", "/deferrals?q=Baker", "staff"),
    ("letter log, overdue", f"/deferrals?as_of={AS_OF}&overdue=1", "staff"),
    ("letter log, urgent", f"/deferrals?as_of={AS_OF}&urgent=1", "staff"),
    ("letter log, Texas", "/deferrals?state=TX", "staff"),
    ("letter log by jurisdiction", "/deferrals?sort=jurisdiction", "staff"),
    ("letter log by sender", "/deferrals?sort=sender", "staff"),
    ("letter log by status", "/deferrals?sort=status", "staff"),
    ("letters API", "/api/v1/deferrals", "staff"),
    ("letters API, open", f"/api/v1/deferrals?as_of={AS_OF}&status=open", "staff"),
    ("dashboard", "/dashboard", "staff"),
    ("dashboard as of 2010-08-31", f"/dashboard?as_of={AS_OF}", "staff"),
    ("summary (public)", f"/api/v1/summary?as_of={AS_OF}", "public"),
    ("summary (staff)", f"/api/v1/summary?as_of={AS_OF}", "staff"),
    ("jurisdictions", "/jurisdictions", "staff"),
    ("jurisdiction timeline", "/jurisdictions/06075", "staff"),
    ("briefings", "/briefings", "staff"),
    ("briefings API", "/api/v1/briefings", "staff"),
    ("states", "/states", "staff"),
    ("readiness", "/readiness", "staff"),
    ("audit log", "/audit", "staff"),
    ("audit log, one action", "/audit?action=deferral.log", "staff"),
    ("export log", "/exports/log", "staff"),
    ("users", "/admin/users", "staff"),
)
EXPORTS = (
    ("letter export CSV, first byte", "/deferrals/export.csv"),
    ("letter export XLSX, first byte", "/deferrals/export.xlsx"),
)


@contextlib.contextmanager
def database(engine: str, folder: Path) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{folder / 'tracker.sqlite3'}"
        return
    with throwaway_cluster(("tracker_scale",)) as urls:
        yield urls["tracker_scale"]


def tracker_env(url: str, instance: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TRACKER_ENV": "production",
        "TRACKER_SECRET_KEY": "scale-bench-secret-not-for-production",
        "TRACKER_DATABASE_URL": url,
        "TRACKER_INSTANCE_PATH": str(instance),
        "TRACKER_WORKER_MAX_REQUESTS": "0",
    }


def setup(env: dict[str, str]) -> None:
    """Migrate, seed the demo, create the administrator the bench signs in as."""
    for command in (("db", "upgrade"), ("seed", "--demo")):
        subprocess.run([TRACKER, *command], env=env, check=True, capture_output=True)
    subprocess.run(
        [TRACKER, "users", "create", "--email", ADMIN, "--role", "admin"],
        env=env,
        check=True,
        capture_output=True,
        input=f"{PASSWORD}\n{PASSWORD}\n",
        text=True,
    )


def server(env: dict[str, str]):
    return tracker_server(TRACKER, env, workers=1, timeout=120)


def signed_in(base: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/login", timeout=30).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    answer = session.post(
        f"{base}/login",
        data={"email": ADMIN, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 303:
        raise SystemExit(f"could not sign in as {ADMIN}: {answer.status_code}")
    return session


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def memory_kib(pid: int, field: str) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1))


def timed(session: requests.Session, url: str, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        answer = session.get(url, timeout=120)
        times.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            raise SystemExit(f"{url} answered {answer.status_code}")
    return times


def first_byte(session: requests.Session, url: str, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        with session.get(url, timeout=600, stream=True) as answer:
            if answer.status_code != 200:
                raise SystemExit(f"{url} answered {answer.status_code}")
            next(answer.iter_content(1))
            times.append((time.perf_counter() - started) * 1000)
            # Stop here: the rest of the file is not part of this measure.
    return times


def whole_download(session: requests.Session, url: str, pid: int) -> dict:
    """Download the whole file; the worker's memory growth (peak, reset first) and the time."""
    before = memory_kib(pid, "VmRSS")
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets the high-water mark (VmHWM)
    started = time.perf_counter()
    size = 0
    with session.get(url, timeout=1800, stream=True) as answer:
        for chunk in answer.iter_content(64 * 1024):
            size += len(chunk)
    seconds = time.perf_counter() - started
    peak = memory_kib(pid, "VmHWM")
    return {"bytes": size, "seconds": seconds, "growth_mib": (peak - before) / 1024}


def next_page(session: requests.Session, base: str) -> str:
    html = session.get(f"{base}/deferrals", timeout=60).text
    return re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")


def side_by_side(small: dict[str, str], large: dict[str, str], repeats: int, downloads: bool):
    """Time every URL on the 1× server and the larger one in turn, request by request, so
    both see the same machine (other work on it slows both alike); medians for each."""
    results = {which: {"pages": {}, "exports": {}, "downloads": {}} for which in ("small", "large")}
    with server(small) as (small_base, _), server(large) as (large_base, master):
        sites = {
            "small": (small_base, signed_in(small_base), requests.Session()),
            "large": (large_base, signed_in(large_base), requests.Session()),
        }
        measures = [(label, path, who, timed) for label, path, who in PAGES]
        measures += [(label, path, "staff", first_byte) for label, path in EXPORTS]
        for label, path, who, how in measures:
            section = "pages" if how is timed else "exports"
            urls = {}
            for which, (base, staff, public) in sites.items():
                session = public if who == "public" else staff
                url = base + (next_page(staff, base) if path == "/deferrals?NEXT" else path)
                urls[which] = (session, url)
                how(session, url, 2)  # warm: the worker's caches, the database's pages
            samples = {"small": [], "large": []}
            for _ in range(repeats):
                for which, (session, url) in urls.items():
                    samples[which] += how(session, url, 1)
            for which, values in samples.items():
                results[which][section][label] = statistics.median(values)
        if downloads:
            staff = sites["large"][1]
            pid = worker_pid(master)
            for fmt in ("csv", "xlsx"):
                results["large"]["downloads"][fmt] = whole_download(
                    staff, f"{large_base}/deferrals/export.{fmt}", pid
                )
    return results["small"], results["large"]


def copy_database(engine: str, url: str, folder: Path) -> str:
    """A second database holding what `url` holds (to grow, while the first stays 1×)."""
    if engine == "sqlite":
        target = folder / "grown.sqlite3"
        source = sqlite3.connect(sa.make_url(url).database)
        with sqlite3.connect(target) as copy:
            source.backup(copy)
        source.close()
        return f"sqlite:///{target}"
    address = sa.make_url(url)
    admin = sa.create_engine(address.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE tracker_grown TEMPLATE {address.database}")
    admin.dispose()
    return address.set(database="tracker_grown").render_as_string(hide_password=False)


def run(engine: str, repeats: int) -> dict:
    print(f"\n== {engine} ==", flush=True)
    by_size = {}
    with tempfile.TemporaryDirectory() as folder, database(engine, Path(folder)) as url:
        small = tracker_env(url, Path(folder) / "instance")
        started = time.perf_counter()
        setup(small)
        print(f"seeded the demo in {time.perf_counter() - started:.0f} s", flush=True)
        grown_url = copy_database(engine, url, Path(folder))
        large = tracker_env(grown_url, Path(folder) / "instance-grown")
        bulk = sa.create_engine(grown_url)
        with bulk.connect() as connection:
            demo = counts(connection)
        for name, size in SIZES.items():
            if size is None:
                continue
            started = time.perf_counter()
            held = grow(bulk, size)
            print(f"grew to {name} in {time.perf_counter() - started:.0f} s: {held}", flush=True)
            beside, result = side_by_side(small, large, repeats, downloads=name == "100x")
            by_size[name] = {**result, "counts": held}
            by_size[f"1x beside {name}"] = {**beside, "counts": demo}
            print(f"{name}: {result}\n1x beside it: {beside}", flush=True)
        bulk.dispose()
    # The 1x figures the ratios use are those measured beside 100x.
    by_size["1x"] = by_size["1x beside 100x"]
    return by_size


def verdicts(results: dict) -> list[str]:
    """The budgets missed, in words (none: every budget met)."""
    missed = []
    for engine, by_size in results.items():
        small, large = by_size["1x"], by_size["100x"]
        for label, ms in large["pages"].items():
            if ms > LIST_BUDGET_MS:
                missed.append(f"{engine}: {label} {ms:.1f} ms > {LIST_BUDGET_MS} ms at 100x")
            ratio = ms / small["pages"][label]
            if ratio > RATIO_BUDGET:
                missed.append(f"{engine}: {label} {ratio:.1f}x its 1x time (> {RATIO_BUDGET}x)")
        first = large["exports"]["letter export CSV, first byte"]
        if first > FIRST_BYTE_BUDGET_MS:
            missed.append(f"{engine}: CSV first byte {first:.0f} ms > {FIRST_BYTE_BUDGET_MS} ms")
        for fmt, download in large["downloads"].items():
            if download["growth_mib"] >= MEMORY_BUDGET_MIB:
                missed.append(
                    f"{engine}: {fmt} of every letter grew the worker by "
                    f"{download['growth_mib']:.1f} MiB (>= {MEMORY_BUDGET_MIB})"
                )
    return missed


def table(results: dict, repeats: int) -> str:
    engines = list(results)
    lines = [
        f"Median of {repeats} requests after 2 warm-ups, one worker, signed in as an "
        "administrator (the summary also anonymously); ms. Ratio: 100× over 1×.",
        "",
        "| URL | " + " | ".join(f"{e} 1× | 10× | 100× | ratio" for e in engines) + " |",
        "|---|" + "---:|---:|---:|---:|" * len(engines),
    ]
    first_engine = results[engines[0]]
    labels = [*first_engine["1x"]["pages"], *first_engine["1x"]["exports"]]
    for label in labels:
        cells = []
        for engine in engines:
            values = [
                results[engine][size]["pages"].get(
                    label, results[engine][size]["exports"].get(label)
                )
                for size in ("1x", "10x", "100x")
            ]
            cells += [f"{v:.1f}" for v in values] + [f"{values[2] / values[0]:.1f}×"]
        path = next((p for lbl, p, _ in PAGES if lbl == label), None) or dict(EXPORTS)[label]
        lines.append(
            f"| {label} (`{path.replace('?NEXT', '?after=…')}`) | " + " | ".join(cells) + " |"
        )
    lines += ["", "Rows held at each size:", ""]
    lines.append(
        "| engine | size | letters | attachments | audit events | briefings | plan changes | export records |"
    )
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for engine in engines:
        for size in ("1x", "10x", "100x"):
            held = results[engine][size]["counts"]
            lines.append(
                f"| {engine} | {size} | "
                + " | ".join(
                    f"{held[k]:,}"
                    for k in (
                        "letters",
                        "attachments",
                        "audit_events",
                        "briefings",
                        "plan_changes",
                        "export_records",
                    )
                )
                + " |"
            )
    lines += ["", "Every letter (100×) downloaded whole, the worker's peak memory growth:", ""]
    lines.append("| engine | format | bytes | seconds | worker growth |")
    lines.append("|---|---|---:|---:|---:|")
    for engine in engines:
        for fmt, download in results[engine]["100x"]["downloads"].items():
            lines.append(
                f"| {engine} | {fmt} | {download['bytes']:,} | {download['seconds']:.1f} | "
                f"{download['growth_mib']:.1f} MiB |"
            )
    return "\n".join(lines)


def write_docs(text: str) -> None:
    page = DOCS.read_text()
    start, end = page.index(BEGIN) + len(BEGIN), page.index(END)
    DOCS.write_text(page[:start] + "\n" + text + "\n" + page[end:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--no-docs", action="store_true", help="print the table only")
    args = parser.parse_args()
    results = {engine: run(engine, args.repeats) for engine in args.engines.split(",")}
    text = table(results, args.repeats)
    missed = verdicts(results)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    text = f"Run {stamp}: `.venv/bin/python bench/scale.py`.\n\n{text}\n\n" + (
        "Every budget met." if not missed else "Missed:\n\n" + "\n".join(f"- {m}" for m in missed)
    )
    print("\n" + text)
    if not args.no_docs:
        write_docs(text)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
