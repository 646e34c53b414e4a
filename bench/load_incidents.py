"""Load N synthetic events (≈1.45 incidents each) into a Kurukan database, and time it.

    .venv/bin/python bench/load_incidents.py --events 69000 \
        --database-url sqlite:///$PWD/bench/out/incidents-100k.sqlite3
    .venv/bin/python bench/load_incidents.py --events 69000 \
        --database-url postgres://postgres@127.0.0.1:5432/kurukan_bench_100k

Migrates, loads Mali's places, then streams the generator into `load_reports` (one batch at a time) with
version-history rows. Prints rows/s, the resident memory along the load and its peak, elapsed.

The baseline, measured in the same run, is like for like: a copy of the database taken just before the load
(same schema, indexes, triggers, foreign keys and reference rows, same engine), into which the very rows the
loader wrote — every table it wrote, history included — are inserted raw, with the loader's settings
(SQLite: the connection's PRAGMAs plus the loader's 256 MB cache; PostgreSQL: `synchronous_commit = off`),
in as many transactions as the loader had batches: `executemany` on SQLite (the incident table through a
temporary table in one statement, as the loader does, since its FTS5 triggers flush once per statement),
`COPY` on PostgreSQL. Reading the rows back is not timed. The ratio is loader rows/s ÷ baseline rows/s.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from _common import OUT, configure, peak_rss_mb, vendor

# Every table the loader writes, parents before children (foreign keys are checked at each commit).
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
    "imports_externalid",
    "incidents_historicalincident",
    "incidents_historicalviolation",
    "people_historicalperson",
    "incidents_historicalvictim",
    "incidents_historicalgroupvictims",
    "incidents_historicalperpetrator",
    "incidents_historicalsource",
]


def _key(table: str) -> str:
    return "history_id" if "historical" in table else "id"


def top_ids() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for table in TABLES:
            cursor.execute(f"SELECT COALESCE(MAX({_key(table)}), 0) FROM {table}")  # noqa: S608
            out[table] = cursor.fetchone()[0]
        return out


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Snapshot:
    """A copy of the database as it is before the load: the baseline's target."""

    def __init__(self) -> None:
        from django.db import connection

        self.vendor = connection.vendor
        settings = connection.settings_dict
        if self.vendor == "sqlite":
            self.source = settings["NAME"]
            self.tmp = tempfile.mkdtemp(dir=OUT, prefix="baseline-")
            self.path = str(Path(self.tmp) / "baseline.sqlite3")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [self.path])
            self.init_command = settings.get("OPTIONS", {}).get("init_command", "")
        else:
            self.source = settings["NAME"]
            self.name = f"{self.source}_baseline"
            connection.close()  # a template database must have no other session
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.source}"')

    def _admin(self):
        import psycopg

        return psycopg.connect(self._dsn("postgres"), autocommit=True)

    def _dsn(self, name: str) -> str:
        from django.db import connection

        s = connection.settings_dict
        return f"host={s['HOST'] or '127.0.0.1'} port={s['PORT'] or 5432} user={s['USER']} dbname={name}"

    def insert(self, before: dict[str, int], batches: int) -> tuple[int, float, dict[str, float]]:
        run = self._sqlite if self.vendor == "sqlite" else self._postgres
        return run(before, batches)

    def _sqlite(self, before, batches):
        source = sqlite3.connect(f"file:{self.source}?mode=ro", uri=True)  # raw stored values, no converters
        target = sqlite3.connect(self.path, isolation_level=None)
        for pragma in self.init_command.split(";"):
            if pragma.strip():
                target.execute(pragma)
        target.execute("PRAGMA cache_size=-262144")  # the loader's setting while indexes grow
        target.execute("PRAGMA temp_store=MEMORY")
        rows_total, elapsed, per_table = 0, 0.0, {}
        for table in TABLES:
            key = _key(table)
            columns = [r[1] for r in source.execute(f'PRAGMA table_info("{table}")')]
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            (n,) = source.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {key} > ?", (before[table],)
            ).fetchone()  # noqa: S608
            chunk = max(1, math.ceil(n / batches))
            staged = table == "incidents_incident"
            if staged:
                target.execute(f'CREATE TEMP TABLE stage AS SELECT {names} FROM "{table}" WHERE 0')  # noqa: S608
            last, spent = before[table], 0.0
            while True:
                rows = source.execute(
                    f"SELECT {names} FROM {table} WHERE {key} > ? ORDER BY {key} LIMIT ?",  # noqa: S608
                    (last, chunk),
                ).fetchall()
                if not rows:
                    break
                last = rows[-1][columns.index(key)]
                start = time.perf_counter()
                target.execute("BEGIN IMMEDIATE")
                if staged:
                    target.executemany(f"INSERT INTO temp.stage ({names}) VALUES ({marks})", rows)  # noqa: S608
                    target.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM temp.stage')  # noqa: S608
                    target.execute("DELETE FROM temp.stage")
                else:
                    target.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608
                target.execute("COMMIT")
                spent += time.perf_counter() - start
                rows_total += len(rows)
            per_table[table], elapsed = spent, elapsed + spent
        source.close()
        target.close()
        return rows_total, elapsed, per_table

    def _postgres(self, before, batches):
        import psycopg

        rows_total, elapsed, per_table = 0, 0.0, {}
        with (
            psycopg.connect(self._dsn(self.source)) as source,
            psycopg.connect(self._dsn(self.name), autocommit=True) as target,
        ):
            for table in TABLES:
                key = _key(table)
                cur = source.execute(
                    "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
                    " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                    (table,),
                )
                names = cur.fetchone()[0]
                (n,) = source.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE {key} > %s", (before[table],)
                ).fetchone()  # noqa: S608
                chunk = max(1, math.ceil(n / batches))
                last, spent = before[table], 0.0
                while True:
                    (high,) = source.execute(
                        f"SELECT MAX({key}) FROM (SELECT {key} FROM {table} WHERE {key} > %s"  # noqa: S608
                        f" ORDER BY {key} LIMIT %s) s",
                        (last, chunk),
                    ).fetchone()
                    if high is None:
                        break
                    data = bytearray()
                    with source.cursor().copy(
                        f"COPY (SELECT {names} FROM {table} WHERE {key} > {int(last)} AND {key} <= {int(high)}"  # noqa: S608
                        f" ORDER BY {key}) TO STDOUT"
                    ) as copy:
                        for block in copy:
                            data += block
                    source.commit()
                    start = time.perf_counter()
                    with target.transaction():
                        target.execute("SET LOCAL synchronous_commit = off")
                        with target.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
                            copy.write(bytes(data))
                    spent += time.perf_counter() - start
                    rows_total += data.count(b"\n")
                    last = high
                per_table[table], elapsed = spent, elapsed + spent
        return rows_total, elapsed, per_table

    def drop(self) -> None:
        if self.vendor == "sqlite":
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')


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
    parser.add_argument("--no-baseline", action="store_true", help="time the loader alone")
    parser.add_argument(
        "--force", action="store_true", help="load even if the database already holds incidents"
    )
    args = parser.parse_args()
    configure(args.database_url, args.data_dir)

    from django.core.management import call_command
    from tqdm import tqdm

    from kurukan.accounts.models import Organisation
    from kurukan.incidents.models import Incident
    from kurukan.incidents.synthetic_loader import ORGANISATIONS, load_synthetic

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("places", "load", verbosity=0)
    print(f"[{vendor()}] migrate + places: {time.perf_counter() - t0:.1f} s")
    if Incident.objects.exists() and not args.force:
        print(f"{Incident.objects.count()} incidents already present: not loading (use --force to add more).")
    else:
        for code, (name, short) in ORGANISATIONS.items():  # what load_reports creates first: in the copy too
            Organisation.objects.get_or_create(code=code, defaults={"name": name, "short_name": short})
        snapshot = None if args.no_baseline else Snapshot()
        before = top_ids()
        memory: list[tuple[int, float]] = [(0, current_rss_mb())]
        expected = int(args.events * 1.45)

        def progress(n: int, bar) -> None:
            bar.update(n)
            if bar.n >= len(memory) * expected / 10:  # the resident memory at every tenth of the load
                memory.append((bar.n, current_rss_mb()))

        start = time.perf_counter()
        with tqdm(unit=" incidents", desc="load", mininterval=5) as bar:
            stats = load_synthetic(
                args.events,
                seed=args.seed,
                batch_size=args.batch_size,
                progress=lambda n: progress(n, bar),
                with_history=not args.no_history,
            )
        elapsed = time.perf_counter() - start
        memory.append((stats.incidents, current_rss_mb()))
        after = top_ids()
        written = {t: after[t] - before[t] for t in TABLES}
        rows = sum(written.values())
        print(
            f"[{vendor()}] loaded {stats.incidents:,} incidents, {stats.violations:,} violations, "
            f"{stats.people:,} named victims ({stats.victims:,} victims with group counts)"
        )
        print(
            f"[{vendor()}] {rows:,} rows in {len(TABLES)} tables (history included) in {elapsed:,.1f} s: "
            f"{stats.incidents / elapsed:,.0f} incidents/s, {rows / elapsed:,.0f} rows/s"
        )
        print(
            "[memory] resident MB by incidents loaded: "
            + ", ".join(f"{n:,}: {mb:,.0f}" for n, mb in memory)
            + f"; peak {peak_rss_mb():,.0f} MB"
        )
        if snapshot is not None:
            batches = max(1, math.ceil(stats.incidents / args.batch_size))
            try:
                n, base, per_table = snapshot.insert(before, batches)
            finally:
                snapshot.drop()
            method = "sqlite3 executemany" if vendor() == "sqlite" else "COPY"
            print(
                f"[baseline] raw {method} of the same {n:,} rows into the same {len(TABLES)} tables of a copy of "
                f"the database taken before the load, {batches} transactions: {base:,.1f} s, {n / base:,.0f} rows/s"
                f" (incident table {per_table['incidents_incident']:.1f} s)"
            )
            if n != rows:
                print(f"[baseline] WARNING: {n:,} rows re-inserted, {rows:,} loaded")
            print(f"[ratio] loader rows/s ÷ baseline rows/s = {(rows / elapsed) / (n / base):.2f}")


if __name__ == "__main__":
    main()
