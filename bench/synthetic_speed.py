"""How fast the synthetic generator streams reports, in constant memory.

    .venv/bin/python bench/synthetic_speed.py --events 680000   # ≈ 1 M incident reports

Prints reports/s, violations and victims made, peak RSS before and after, and the ratio to a baseline
measured in the same run: reading the same number of rows from the gazetteer CSV with csv.DictReader
(the cost of a trivial streaming loop over real rows).
"""

from __future__ import annotations

import argparse
import csv
import resource
import time

from kurukan.analysis.synthetic import SyntheticConfig, generate
from kurukan.analysis.synthetic.places import SETTLEMENTS_CSV, gazetteer


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(n_rows: int) -> float:
    """Seconds to read n_rows gazetteer rows with csv.DictReader (re-opening the file as needed)."""
    began = time.perf_counter()
    done = 0
    while done < n_rows:
        with SETTLEMENTS_CSV.open(encoding="utf-8", newline="") as f:
            for _row in csv.DictReader(f):
                done += 1
                if done >= n_rows:
                    break
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="true events to generate")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    gazetteer()  # loaded once per process; not part of the streaming rate
    list(generate(SyntheticConfig(n_events=10, seed=args.seed)))  # calibration of the capture model
    rss_before = peak_rss_mb()
    config = SyntheticConfig(n_events=args.events, seed=args.seed)
    reports = violations = victims = 0
    rss_mid = 0.0
    began = time.perf_counter()
    cpu_began = time.process_time()
    for report in generate(config):
        reports += 1
        violations += len(report.violations)
        for v in report.violations:
            victims += len(v.victims)
        if reports == 50_000:
            rss_mid = peak_rss_mb()
    elapsed = time.perf_counter() - began
    cpu = time.process_time() - cpu_began
    rss_after = peak_rss_mb()
    cpu_base = time.process_time()
    base = baseline(reports)
    cpu_base = time.process_time() - cpu_base
    print(f"events:            {args.events:,}")
    print(f"incident reports:  {reports:,}  ({reports / args.events:.2f} per event)")
    print(f"violations:        {violations:,}  ({violations / reports:.2f} per report)")
    print(f"named victims:     {victims:,}  ({victims / violations:.2f} per violation)")
    print(f"wall time:         {elapsed:.1f} s  →  {reports / elapsed:,.0f} reports/s")
    print(
        f"CPU time:          {cpu:.1f} s  →  {reports / cpu:,.0f} reports/s, {victims / cpu:,.0f} victims/s"
    )
    print(
        f"baseline:          {base:.1f} s to read {reports:,} gazetteer rows ({reports / base:,.0f} rows/s)"
    )
    print(f"ratio:             {elapsed / base:.1f} × the baseline (wall), {cpu / cpu_base:.1f} × (CPU)")
    print(f"peak RSS:          {rss_before:.0f} MB before, {rss_mid:.0f} MB after 50k reports,", end=" ")
    print(f"{rss_after:.0f} MB at the end")


if __name__ == "__main__":
    main()
