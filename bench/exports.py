"""Export speed: cached CSV throughput against /healthz, and uncached XLSX/PDF generation time.

Usage (from the repository root, after `make install`):

    .venv/bin/python bench/exports.py [--seconds 10] [--clients 4]

It seeds a demo SQLite database in a temporary folder, serves it with `tracker serve --workers 2`
(gunicorn) on 127.0.0.1, and drives each URL with a bounded pool of client threads for the same
number of seconds in the same run, so the ratio is fair whatever the machine. Then it times
build_export() (no cache) for XLSX and PDF of every activated jurisdiction in-process.
Budgets (issue 7): CSV throughput >= 20% of /healthz with p99 <= 50 ms; XLSX median <= 500 ms;
PDF median <= 1.5 s. Exits non-zero when a budget is missed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from support import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
TRACKER = str(ROOT / ".venv" / "bin" / "tracker")
CSV_PATH = "/exports/activated.csv"


def drive(port: int, path: str, seconds: float, clients: int) -> dict:
    """Each client thread sends requests one after another until time is up."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        nonlocal errors
        mine: list[float] = []
        failures = 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failures += 1
            except OSError:
                failures += 1
            finally:
                conn.close()
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors += failures

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
    }


def generation_times(env: dict, runs: int) -> dict:
    """Median seconds to write XLSX and PDF of the whole activated list, uncached."""
    os.environ.update(env)
    from tracker import create_app
    from tracker.dates import today
    from tracker.exports.services import build_export

    app = create_app()
    results = {}
    with app.app_context():
        rows = build_export("activated", "json", today()).row_count
        for fmt in ("xlsx", "pdf"):
            times, cpu = [], []
            for _ in range(runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                build_export("activated", fmt, today())
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
            results[fmt] = statistics.median(times)
            results[f"{fmt}_cpu"] = statistics.median(cpu)
    results["rows"] = rows
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=2, help="one per server worker")
    parser.add_argument("--runs", type=int, default=7, help="XLSX/PDF timing runs")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    env = {
        **os.environ,
        "TRACKER_ENV": "development",
        "TRACKER_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "TRACKER_INSTANCE_PATH": str(folder / "instance"),
        "TRACKER_SECRET_KEY": "bench-secret-key-not-for-production",
    }
    print(f"Seeding a demo database in {folder} ...", file=sys.stderr)
    subprocess.run([TRACKER, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([TRACKER, "seed", "--demo"], env=env, check=True, capture_output=True)

    port = free_port()
    server = subprocess.Popen(
        [TRACKER, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}")
        # Warm both workers' caches (first render of the day's list) before measuring.
        drive(port, CSV_PATH, 2, args.clients)
        drive(port, "/healthz", 1, args.clients)
        health = drive(port, "/healthz", args.seconds, args.clients)
        csv_result = drive(port, CSV_PATH, args.seconds, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)

    try:
        generation = generation_times(env, args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    ratio = csv_result["rps"] / health["rps"]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nMachine: {os.cpu_count()} CPUs, load average {load}")
    print(f"Concurrency: {args.clients} clients, {args.seconds:g} s per URL, gunicorn 2 workers")
    print("| URL | requests | errors | req/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, result in (("/healthz", health), (CSV_PATH, csv_result)):
        print(
            f"| {name} | {result['requests']} | {result['errors']} | {result['rps']:.1f} | "
            f"{result['p50_ms']:.1f} | {result['p99_ms']:.1f} |"
        )
    print(f"\nCSV throughput / healthz throughput: {ratio:.0%} (budget >= 20%)")
    print(f"CSV p99: {csv_result['p99_ms']:.1f} ms (budget <= 50 ms)")
    print(
        f"Uncached generation of {generation['rows']:,} rows, median of {args.runs}: "
        f"XLSX {1000 * generation['xlsx']:.0f} ms (budget <= 500 ms), "
        f"PDF {1000 * generation['pdf']:.0f} ms (budget <= 1500 ms); CPU time: "
        f"XLSX {1000 * generation['xlsx_cpu']:.0f} ms, PDF {1000 * generation['pdf_cpu']:.0f} ms"
    )
    ok = (
        ratio >= 0.2
        and csv_result["p99_ms"] <= 50
        and generation["xlsx"] <= 0.5
        and generation["pdf"] <= 1.5
        and csv_result["errors"] == health["errors"] == 0
    )
    print("All budgets met." if ok else "A budget was missed.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
