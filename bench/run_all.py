"""`make bench`: every benchmark once, at a size a shared 2-core machine finishes in minutes.

    .venv/bin/python bench/run_all.py            # the quick set
    .venv/bin/python bench/run_all.py --full     # the sizes docs/benchmarks.md reports (hours)
    .venv/bin/python bench/run_all.py --only import_speed,estimation_speed

Each script prints its own figures and its ratio to a baseline measured in the same run; this runner only
runs them one after the other (never in parallel: they would measure each other), with the same Python,
and says at the end which ones failed. Scratch databases go to bench/out/.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

# (script, quick arguments, full arguments)
BENCHMARKS: list[tuple[str, list[str], list[str]]] = [
    ("import_speed", ["--rows", "20000"], ["--rows", "1000000"]),
    (
        "load_incidents",
        ["--events", "7000", "--database-url", f"sqlite:///{OUT / 'run-all-incidents.sqlite3'}", "--force"],
        ["--events", "690000", "--database-url", f"sqlite:///{OUT / 'incidents-1m.sqlite3'}"],
    ),
    (
        "incident_pages",
        ["--database-url", f"sqlite:///{OUT / 'run-all-incidents.sqlite3'}", "--requests", "5"],
        ["--database-url", f"sqlite:///{OUT / 'incidents-1m.sqlite3'}", "--requests", "20"],
    ),
    ("synthetic_speed", ["--events", "20000"], ["--events", "680000"]),
    ("estimation_speed", [], []),
    (
        "estimation_coverage",
        ["--replicates", "10", "--workers", "1"],
        ["--replicates", "100", "--workers", "2"],
    ),
    ("linkage_quality", ["--sizes", "10000"], []),
]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="the sizes of docs/benchmarks.md")
    parser.add_argument("--only", default="", help="comma-separated script names")
    args = parser.parse_args()
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    OUT.mkdir(parents=True, exist_ok=True)
    failed, timings = [], []
    for script, quick, full in BENCHMARKS:
        if only and script not in only:
            continue
        command = [sys.executable, str(HERE / f"{script}.py"), *(full if args.full else quick)]
        print(f"\n=== {script}: {' '.join(command[1:])}", flush=True)
        start = time.perf_counter()
        if subprocess.run(command, cwd=HERE.parent).returncode != 0:
            failed.append(script)
        timings.append((script, time.perf_counter() - start))
    print("\n=== done")
    for script, seconds in timings:
        print(f"{script:<22} {seconds:8.1f} s{'  FAILED' if script in failed else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
