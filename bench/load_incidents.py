"""Load N synthetic events (≈1.45 incidents each) into a Kurukan database, and time it.

    .venv/bin/python bench/load_incidents.py --events 700000 \
        --database-url sqlite:///$PWD/bench/out/incidents-1m.sqlite3
    .venv/bin/python bench/load_incidents.py --events 700000 \
        --database-url postgres://postgres@127.0.0.1:5432/kurukan_bench

Migrates, loads Mali's places, then streams the generator into `load_reports` (constant memory: one batch
at a time) with version-history rows. Prints rows/s, peak RSS, elapsed and, as the baseline measured in the
same run, raw `sqlite3.executemany` of the same incident rows into a table with the same schema and indexes.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from _common import configure, peak_rss_mb, vendor

TABLES = [
    "incidents_incident",
    "incidents_violation",
    "people_person",
    "incidents_victim",
    "incidents_groupvictims",
    "incidents_perpetrator",
    "incidents_source",
    "incidents_violation_methods",
    "people_person_categories",
    "incidents_historicalincident",
    "incidents_historicalviolation",
    "people_historicalperson",
    "incidents_historicalvictim",
    "incidents_historicalgroupvictims",
    "incidents_historicalperpetrator",
    "incidents_historicalsource",
]


def count_rows() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for table in TABLES:
            cursor.execute(
                f"SELECT COALESCE(MAX(id), 0) FROM {table}"
                if "historical" not in table
                else f"SELECT COALESCE(MAX(history_id), 0) FROM {table}"
            )
            out[table] = cursor.fetchone()[0]
        return out


def baseline(n_rows: int) -> tuple[int, float]:
    """Raw sqlite3 executemany of the incident rows just loaded, into an empty table with the same DDL."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM incidents_incident ORDER BY id LIMIT {int(n_rows)}")
        columns = [c[0] for c in cursor.description]
        rows = [tuple(_plain(v) for v in row) for row in cursor.fetchall()]
    others = ", ".join(
        f"{c} {'varchar(24) UNIQUE' if c == 'public_id' else ''}" for c in columns if c != "id"
    )
    ddl = [f"CREATE TABLE incidents_incident (id INTEGER PRIMARY KEY AUTOINCREMENT, {others})"]
    with connection.cursor() as cursor:  # the same secondary indexes as the real table
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name='incidents_incident' AND type='index'"
                " AND sql IS NOT NULL"
            )
            ddl += [r[0] for r in cursor.fetchall()]
        else:
            ddl += [
                "CREATE INDEX i1 ON incidents_incident (organisation_id, start_date DESC, id DESC)",
                "CREATE INDEX i2 ON incidents_incident (region_id, start_date DESC)",
                "CREATE INDEX i3 ON incidents_incident (cercle_id, start_date DESC)",
                "CREATE INDEX i4 ON incidents_incident (commune_id, start_date DESC)",
                "CREATE INDEX i5 ON incidents_incident (start_date DESC, id DESC)",
                "CREATE INDEX i6 ON incidents_incident (start_date)",
                "CREATE INDEX i7 ON incidents_incident (status)",
                "CREATE INDEX i8 ON incidents_incident (settlement_id)",
                "CREATE INDEX i9 ON incidents_incident (created_by_id)",
                "CREATE INDEX i10 ON incidents_incident (merged_into_id)",
            ]
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "baseline.sqlite3", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        for statement in ddl:
            db.execute(statement)
        marks = ", ".join("?" * len(columns))
        sql = f"INSERT INTO incidents_incident ({', '.join(columns)}) VALUES ({marks})"
        start = time.perf_counter()
        for i in range(0, len(rows), 5000):
            db.execute("BEGIN")
            db.executemany(sql, rows[i : i + 5000])
            db.execute("COMMIT")
        elapsed = time.perf_counter() - start
        db.close()
    return len(rows), elapsed


def _plain(value):
    import datetime as dt
    import json

    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, required=True, help="true events (≈1.45 incident reports each)")
    parser.add_argument("--database-url", help="default: SQLite in --data-dir")
    parser.add_argument("--data-dir", help="keys and default SQLite file (default bench/out/data)")
    parser.add_argument("--seed", type=int, default=20_24)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--no-history", action="store_true")
    parser.add_argument("--baseline-rows", type=int, default=100_000)
    parser.add_argument(
        "--force", action="store_true", help="load even if the database already holds incidents"
    )
    args = parser.parse_args()
    configure(args.database_url, args.data_dir)

    from django.core.management import call_command
    from tqdm import tqdm

    from kurukan.incidents.models import Incident
    from kurukan.incidents.synthetic_loader import load_synthetic

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("places", "load", verbosity=0)
    print(f"[{vendor()}] migrate + places: {time.perf_counter() - t0:.1f} s")
    if Incident.objects.exists() and not args.force:
        print(f"{Incident.objects.count()} incidents already present: not loading (use --force to add more).")
    else:
        before = count_rows()
        start = time.perf_counter()
        with tqdm(unit=" incidents", desc="load", mininterval=5) as bar:
            stats = load_synthetic(
                args.events,
                seed=args.seed,
                batch_size=args.batch_size,
                progress=bar.update,
                with_history=not args.no_history,
            )
        elapsed = time.perf_counter() - start
        after = count_rows()
        rows = sum(after[t] - before[t] for t in TABLES)
        print(
            f"[{vendor()}] loaded {stats.incidents:,} incidents, {stats.violations:,} violations, "
            f"{stats.people:,} named victims ({stats.victims:,} victims with group counts)"
        )
        print(
            f"[{vendor()}] {rows:,} rows in {len(TABLES)} tables (history included) in {elapsed:,.1f} s: "
            f"{stats.incidents / elapsed:,.0f} incidents/s, {rows / elapsed:,.0f} rows/s, "
            f"peak RSS {peak_rss_mb():,.0f} MB"
        )
        n, base = baseline(min(args.baseline_rows, stats.incidents))
        print(
            f"[baseline] raw sqlite3 executemany of {n:,} of the same incident rows (same indexes): "
            f"{n / base:,.0f} rows/s"
        )
        print(
            f"[ratio] loader incidents/s ÷ baseline incident rows/s = {(stats.incidents / elapsed) / (n / base):.3f};"
            f" loader rows/s ÷ baseline rows/s = {(rows / elapsed) / (n / base):.2f}"
        )


if __name__ == "__main__":
    main()
