"""Run every benchmark in bench/, one after the other, as `make bench` does.

Each script prints its own figures and the command that reproduces them; docs/performance.md
collects the write-up. The scripts share the machine, so they run in sequence, never at once.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = (
    "status_as_of.py",
    "import_plan.py",
    "workbook_bombs.py",
    "exports.py",
    "outcomes.py",
    "map_bench.py",
    "load.py",
    "scale.py",
)


def main() -> int:
    failed = []
    for name in SCRIPTS:
        print(f"\n=== bench/{name} ===", flush=True)
        if subprocess.run([sys.executable, str(BENCH / name)], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nOver budget or failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
