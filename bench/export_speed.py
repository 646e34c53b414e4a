"""Export every violation of a synthetic database as CSV and XLSX through Kurukan's export path, and time it.

    .venv/bin/python bench/export_speed.py --events 70000 \
        --database-url sqlite:///$PWD/bench/out/exports.sqlite3 --data-dir bench/out/data

Loads the synthetic events first if the database holds no incident (≈1.5 violations per incident, 1.45
incidents per event: 460,000 events give ≈1 M violations). Then, for each format, streams the administrator's
violation export (the same code as the page, the API and `kurukan export`, audit event included) to a file
and samples the process's resident memory every 10 % of the rows: flat samples are what "constant memory in
the number of rows" means. The baseline, measured in the same run, is a plain `csv.writer` over a raw DB-API
cursor reading the same violations joined to their incident, place and type (no access rules, no counts).
"""

from __future__ import annotations

import argparse
import csv
import os
import time

from _common import OUT, configure, vendor

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    """Current (not peak) resident memory: samples over the run show whether it grows with the rows."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def kurukan_export(fmt: str, expected: int) -> tuple[int, float, list[float]]:
    from kurukan.accounts.models import Role, User
    from kurukan.exports import actions

    export = actions.Export(User(role=Role.ADMINISTRATOR, is_active=True), "violations", fmt, via="benchmark")
    samples = [rss_mb()]
    step = max(1, expected // 10)
    mark = step
    target = OUT / f"export.{fmt}"
    cpu = time.process_time()
    start = time.perf_counter()
    with target.open("wb") as out:
        for piece in actions.export_records(export):
            out.write(piece)
            if export.rows_written >= mark:
                samples.append(rss_mb())
                mark += step
    elapsed = time.perf_counter() - start
    samples.append(rss_mb())
    print(f"    CPU time of this process: {time.process_time() - cpu:,.1f} s")
    return export.rows_written, elapsed, samples


BASELINE_SQL = """
SELECT i.public_id, i.start_date, i.end_date, i.date_precision, r.pcode, c.pcode, m.pcode,
       v.id, t.code, v.verification_status
FROM incidents_violation v
JOIN incidents_incident i ON i.id = v.incident_id
JOIN vocabularies_term t ON t.id = v.type_id
LEFT JOIN places_adminunit r ON r.id = i.region_id
LEFT JOIN places_adminunit c ON c.id = i.cercle_id
LEFT JOIN places_adminunit m ON m.id = i.commune_id
ORDER BY i.start_date DESC, i.id DESC, v.id
"""


def baseline() -> tuple[int, float, list[float]]:
    from django.db import connection

    samples = [rss_mb()]
    cpu = time.process_time()
    start = time.perf_counter()
    n = 0
    with (OUT / "baseline.csv").open("w", encoding="utf-8", newline="") as out, connection.cursor() as cursor:
        writer = csv.writer(out)
        writer.writerow(["public_id", "start_date", "end_date", "date_precision", "region_pcode"])
        cursor.execute(BASELINE_SQL)
        while rows := cursor.fetchmany(5000):
            writer.writerows(rows)
            n += len(rows)
            if n % 100_000 < 5000:
                samples.append(rss_mb())
    samples.append(rss_mb())
    print(f"    CPU time of this process: {time.process_time() - cpu:,.1f} s")
    return n, time.perf_counter() - start, samples


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, required=True, help="events to load if the database is empty")
    parser.add_argument("--database-url", help="default: SQLite in --data-dir")
    parser.add_argument("--data-dir", help="keys and default SQLite file (default bench/out/data)")
    parser.add_argument("--formats", default="csv,xlsx")
    args = parser.parse_args()
    configure(args.database_url, args.data_dir)

    from django.core.management import call_command

    from kurukan.incidents.models import Incident, Violation
    from kurukan.incidents.synthetic_loader import load_synthetic

    call_command("migrate", interactive=False, verbosity=0)
    call_command("places", "load", verbosity=0)
    if not Incident.objects.exists():
        start = time.perf_counter()
        stats = load_synthetic(args.events, seed=2024)
        print(f"[{vendor()}] loaded {stats.violations:,} violations in {time.perf_counter() - start:,.0f} s")
    violations = Violation.objects.count()
    print(f"[{vendor()}] {violations:,} violations, {Incident.objects.count():,} incidents")

    n, base, base_rss = baseline()
    print(
        f"[baseline] csv.writer over a raw cursor: {n:,} rows in {base:,.1f} s = {n / base:,.0f} rows/s; "
        f"RSS {min(base_rss):,.0f}–{max(base_rss):,.0f} MB"
    )
    for fmt in args.formats.split(","):
        rows, elapsed, samples = kurukan_export(fmt, violations)
        size = (OUT / f"export.{fmt}").stat().st_size / 2**20
        print(
            f"[{vendor()}] {fmt}: {rows:,} rows in {elapsed:,.1f} s = {rows / elapsed:,.0f} rows/s, {size:,.0f} MB; "
            f"ratio to baseline {(rows / elapsed) / (n / base):.3f}"
        )
        print(f"    RSS at start, every 10 % of rows, end (MB): {' '.join(f'{s:.0f}' for s in samples)}")


if __name__ == "__main__":
    main()
