"""Load: 60 seconds of mixed public traffic against 2 gunicorn workers on PostgreSQL.

    apt-get install -y wrk
    .venv/bin/python bench/load.py [--seconds 60] [--connections 8]

Starts a throwaway PostgreSQL cluster, migrates and seeds it with the demo rollout, starts
`tracker serve --workers 2` on a loopback port, warms both workers with 10 s of the same traffic,
then lets wrk request the five public URLs in turn for the whole run. Reports requests, errors
(socket errors and non-2xx/3xx answers), p50/p99 latency, and the workers' memory (RSS) before
and after. The server runs with
TRACKER_WORKER_MAX_REQUESTS=0, so the same two workers serve the whole run and "after" measures
the workers that took the load, not fresh replacements. Exits 1 over budget (any error, or a
worker grown by more than 10 %). Traffic goes only to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from support import tracker_server, worker_rss_mib  # noqa: E402

from tests.support.postgres import throwaway_cluster  # noqa: E402

AS_OF = "2010-08-31"
PATHS = (
    "/",
    "/map",
    f"/api/v1/status?as_of={AS_OF}",
    f"/activated?as_of={AS_OF}",
    f"/exports/activated.csv?as_of={AS_OF}",
)
TRACKER = str(Path(sys.executable).with_name("tracker"))

# wrk sends each connection's requests round the list of paths.
WRK_SCRIPT = """
local paths = {%s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def run(seconds: int, connections: int) -> dict:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    with throwaway_cluster(("tracker_load",)) as urls, tempfile.TemporaryDirectory() as instance:
        env = {
            **os.environ,
            "TRACKER_ENV": "production",
            "TRACKER_SECRET_KEY": "load-test-secret-not-for-production",
            "TRACKER_DATABASE_URL": urls["tracker_load"],
            "TRACKER_INSTANCE_PATH": instance,
            "TRACKER_WORKER_MAX_REQUESTS": "0",
        }
        subprocess.run([TRACKER, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([TRACKER, "seed", "--demo"], env=env, check=True, capture_output=True)
        with tracker_server(TRACKER, env, workers=2) as (base, server_pid):
            script = Path(instance) / "paths.lua"
            script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in PATHS))

            def wrk(duration: int) -> str:
                return subprocess.run(
                    ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency",
                     "-s", str(script), base],
                    capture_output=True, text=True, check=True,
                ).stdout  # fmt: skip

            # Warm up with the same concurrent traffic, so that both workers have served (and
            # cached) every URL and "before" is their steady size. Sequential requests alone
            # may all land on one worker: a run warmed that way measured the other worker at
            # 101 MiB before and 118 MiB after, growth that was only its first requests.
            for path in PATHS:
                requests.get(base + path, timeout=30).raise_for_status()
            wrk(10)
            before = worker_rss_mib(server_pid)
            output = wrk(seconds)
            after = worker_rss_mib(server_pid)
    return {**parse_wrk(output), "rss_before_mib": before, "rss_after_mib": after, "raw": output}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)


def parse_wrk(output: str) -> dict:
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return {
        "requests": requests,
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "errors": errors,
        "p50_ms": _ms(re.search(r"50%\s+(\S+)", output).group(1)),
        "p99_ms": _ms(re.search(r"99%\s+(\S+)", output).group(1)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    result = run(args.seconds, args.connections)
    before, after = result["rss_before_mib"], result["rss_after_mib"]
    if set(before) != set(after):
        sys.exit(f"the workers changed during the run ({sorted(before)} -> {sorted(after)})")
    growth = max(after[pid] / before[pid] - 1 for pid in before)
    print(json.dumps({k: v for k, v in result.items() if k != "raw"}, indent=2))
    print(
        f"\n{result['requests']:,} requests in {args.seconds} s "
        f"({result['requests_per_second']:.0f}/s), {result['errors']} errors; "
        f"p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms; "
        f"worker RSS before {sorted(before.values())} MiB, after {sorted(after.values())} MiB "
        f"(largest growth of one worker: {growth:+.1%}; budget within 10%)"
    )
    if result["errors"] or growth > 0.10:
        sys.exit(1)


if __name__ == "__main__":
    main()
