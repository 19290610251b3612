"""Benchmark: refusing hostile workbooks (budget: each refusal under 1 s and 50 MiB of growth).

Each case is a workbook of a few kilobytes (tests/support/workbooks.py) that describes far more
than it holds: the probe's file (a value at row 1,048,576 and a merged range A2:BL1048576, which
cost 20 s and ~880 MB before the fix), 200,000 merged ranges, 2,000,000 empty cells, a part that
unpacks to 200 MB, 30 MB of shared strings. Each is read by `read_plan_file()` in a fresh Python
process, so the memory growth measured (peak resident set during the read, minus the resident
set before it) belongs to that read alone; a real 3,233-row plan workbook is read the same way
for comparison.

    .venv/bin/python bench/workbook_bombs.py [--runs 5] [--baseline REV]

Prints the median time and the largest growth per case; exits 1 when a hostile case is accepted
or over budget. With --baseline REV (a git revision, e.g. the one before the fix) the probe's file
is also read once by tracker/plan/importing/reader.py as it was at REV, for comparison.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 1.0
BUDGET_MIB = 50.0

# Run in a child process: build the file, then time one read and measure the peak RSS it adds.
# argv: the checkout, the case, and optionally a file holding another version of reader.py.
CHILD = r"""
import importlib.util, json, re, sys, time
sys.path.insert(0, sys.argv[1])
from tests.support import workbooks
if len(sys.argv) > 3:
    spec = importlib.util.spec_from_file_location("baseline_reader", sys.argv[3])
    reader = sys.modules["baseline_reader"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reader)
else:
    from tracker.plan.importing import reader
ImportFileError, read_plan_file = reader.ImportFileError, reader.read_plan_file

def rss_kib(field):
    status = open("/proc/self/status").read()
    return int(re.search(field + r":\s+(\d+) kB", status).group(1))

data = workbooks.CASES[sys.argv[2]]()
before = rss_kib("VmRSS")
# Reset the peak (VmHWM) to now, so the growth measured is the read's alone.
open("/proc/self/clear_refs", "w").write("5")
started = time.perf_counter()
try:
    source = read_plan_file("plan.xlsx", data)
    outcome = f"accepted ({len(source.rows)} rows)"
except ImportFileError as exc:
    outcome = "refused: " + exc.message
seconds = time.perf_counter() - started
growth = (rss_kib("VmHWM") - before) / 1024
print(json.dumps({"bytes": len(data), "seconds": seconds, "mib": growth, "outcome": outcome}))
"""


def run_case(name: str, *reader_file: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT), name, *reader_file],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def baseline(revision: str) -> None:
    """The probe's file read once by the reader as it was at `revision`."""
    import tempfile

    old = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:tracker/plan/importing/reader.py"],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.NamedTemporaryFile(suffix=".py") as copy:
        copy.write(old)
        copy.flush()
        result = run_case("far cell and giant merge (the probe)", copy.name)
    print(
        f"\nThe probe's file with the reader at {revision}: {result['seconds']:.1f} s, "
        f"{result['mib']:,.0f} MiB of growth, {result['outcome'][:70]}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", metavar="REV", help="also read the probe with this reader")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.support.workbooks import CASES, HOSTILE

    failed = False
    print(f"{'case':<44} {'file':>9} {'median':>8} {'max':>8} {'growth':>9}  outcome")
    for name in CASES:
        results = [run_case(name) for _ in range(options.runs)]
        seconds = [r["seconds"] for r in results]
        growth = max(r["mib"] for r in results)
        outcome = results[-1]["outcome"]
        hostile = name in HOSTILE
        over = hostile and (
            statistics.median(seconds) > BUDGET_SECONDS
            or growth > BUDGET_MIB
            or not outcome.startswith("refused")
        )
        failed |= over
        print(
            f"{name:<44} {results[0]['bytes']:>8,}B {statistics.median(seconds) * 1000:>6.0f}ms "
            f"{max(seconds) * 1000:>6.0f}ms {growth:>7.1f}MiB  {outcome[:70]}"
            f"{'  OVER BUDGET' if over else ''}"
        )
    print(
        f"\n{options.runs} runs per case, each in a fresh process; budget for hostile cases: "
        f"median under {BUDGET_SECONDS:.0f} s, growth under {BUDGET_MIB:.0f} MiB."
    )
    if options.baseline:
        baseline(options.baseline)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
