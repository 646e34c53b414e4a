"""`python -m kurukan.analysis.synthetic people|incidents --events N --seed S --out FILE.csv`."""

from __future__ import annotations

import argparse
import sys
import time

from .config import SyntheticConfig
from .model import SOURCE_ORGS
from .records import write_incidents_csv, write_people_csv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kurukan.analysis.synthetic",
        description="Write synthetic Malian incident reports (one row per report) or victim records "
        "(one row per victim, with the true person_id) to CSV.",
    )
    parser.add_argument("what", choices=("people", "incidents"), help="which table to write")
    parser.add_argument("--events", type=int, default=5000, help="number of true events (default 5000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", required=True, help="output CSV file")
    parser.add_argument("--start-year", type=int, default=2012)
    parser.add_argument("--end-year", type=int, default=2025)
    parser.add_argument(
        "--name-noise", type=float, default=0.5, help="0 = canonical spellings, 1 = very noisy"
    )
    parser.add_argument("--reports-per-event", type=float, default=1.45, help="mean reports per true event")
    parser.add_argument(
        "--sources", default=",".join(SOURCE_ORGS), help=f"comma-separated subset of {','.join(SOURCE_ORGS)}"
    )
    args = parser.parse_args(argv)
    try:
        config = SyntheticConfig(
            n_events=args.events,
            seed=args.seed,
            start_year=args.start_year,
            end_year=args.end_year,
            name_noise=args.name_noise,
            mean_reports_per_event=args.reports_per_event,
            sources=tuple(s.strip() for s in args.sources.split(",") if s.strip()),
        )
    except ValueError as exc:
        parser.error(str(exc))
    began = time.perf_counter()
    write = write_people_csv if args.what == "people" else write_incidents_csv
    rows = write(args.out, config)
    print(f"{rows} {args.what} rows from {args.events} events written to {args.out} "
          f"in {time.perf_counter() - began:.1f} s", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
