"""Import N ACLED-shaped rows through the real import path, and time it against raw sqlite3 executemany.

    .venv/bin/python bench/import_speed.py --rows 1000000
    .venv/bin/python bench/import_speed.py --rows 100000 --database-url postgres://postgres@127.0.0.1:5432/kurukan_bench_import

Writes a CSV of synthetic rows in ACLED's 31-column export shape (our own rows, never ACLED's) to
bench/out/, then runs the same job as `kurukan import FILE --format acled` (parse, map, place matching,
validation, the bulk writer with history rows, external ids, quarantine, audit events per batch). Prints
rows/s and peak RSS; the baseline, in the same run, is raw `sqlite3.executemany` of the same rows (31 text
columns, the CSV parsed by `csv.reader`) into an empty table: what reading and writing the rows costs with no
mapping, no validation, no encryption and no history.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import random
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

from _common import OUT, configure, peak_rss_mb, vendor

HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")
PLACES = [  # (admin1, admin2, admin3 / location) as ACLED writes them: unaccented, 2016+ regions
    ("Mopti", "Djenne", "Djenne"), ("Mopti", "Bandiagara", "Bandiagara"), ("Mopti", "Bankass", "Bankass"),
    ("Mopti", "Koro", "Koro"), ("Mopti", "Douentza", "Douentza"), ("Segou", "Niono", "Niono"),
    ("Segou", "Macina", "Macina"), ("Tombouctou", "Niafunke", "Soumpi"), ("Tombouctou", "Dire", "Dire"),
    ("Tombouctou", "Goundam", "Tonka"), ("Gao", "Ansongo", "Ansongo"), ("Gao", "Bourem", "Bourem"),
    ("Menaka", "Menaka", "Anderamboukane"), ("Kidal", "Tin-Essako", "Tin Essako"),
    ("Taoudenit", "Al-Ourche", "Ber"), ("Koulikoro", "Kati", "Kati"),
]  # fmt: skip
EVENTS = [
    ("Violence against civilians", "Attack", "Civilians targeted"),
    ("Violence against civilians", "Abduction/forced disappearance", "Civilians targeted"),
    ("Violence against civilians", "Sexual violence", "Civilians targeted"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Civilians targeted"),
    ("Battles", "Armed clash", ""),
    ("Protests", "Peaceful protest", ""),
]
ACTORS = [
    ("JNIM: Group for Support of Islam and Muslims", "Rebel group"),
    ("Military Forces of Mali (2021-)", "State forces"),
    ("Islamic State (Sahel)", "Rebel group"),
    ("Dozo Communal Militia (Mali)", "Identity militia"),
    ("Unidentified Armed Group (Mali)", "Political militia"),
]


def place_points() -> dict[tuple[str, str, str], tuple[float, float]]:
    """Each place's point: its unit's centre in the gazetteer (the import checks that a point falls in the
    place the row names; one fixed point for every row would send them all to quarantine)."""
    from kurukan.imports.places import Places
    from kurukan.places.models import AdminUnit

    places, points = Places(), {}
    units = {
        pcode: (lat, lon)
        for pcode, lat, lon in AdminUnit.objects.values_list("pcode", "latitude", "longitude")
    }
    for admin1, admin2, location in PLACES:
        placement = places.resolve(region=admin1, cercle=admin2, commune=location, location=location)
        points[(admin1, admin2, location)] = units.get(placement.commune or placement.cercle) or (14.0, -4.0)
    return points


def write_rows(path: Path, n: int, seed: int, points: dict | None = None) -> None:
    rng = random.Random(seed)
    points = points or {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(n):
            admin1, admin2, location = rng.choice(PLACES)
            latitude, longitude = points.get((admin1, admin2, location), (14.0, -4.0))
            event_type, sub_event, targeted = rng.choice(EVENTS)
            actor, inter = rng.choice(ACTORS)
            year = rng.randint(2012, 2025)
            date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            writer.writerow([
                f"BEN{i:07d}", date, year, rng.choice("112"), "Political violence", event_type, sub_event,
                actor, "", inter, "Civilians (Mali)", "", "Civilians", f"{inter}-Civilians", targeted, 466,
                "Western Africa", "Mali", admin1, admin2, location, location, latitude, longitude, rng.choice("123"),
                "Local source", "Local", f"Synthetic event {i} for the import benchmark.", rng.choice((0, 0, 1, 3)),
                "", 1700000000,
            ])  # fmt: skip


def memory_mb() -> dict[str, float]:
    """Resident memory now, split as Linux counts it: anonymous (Python objects, SQLite's page cache) and
    file-backed (among them the database pages SQLite reads through `mmap_size`)."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "RssAnon", "RssFile"):
                fields[name] = int(value.split()[0]) / 1024
    return fields


class MemorySampler(threading.Thread):
    """Samples the process's resident memory every `every` seconds: its maximum and its course."""

    def __init__(self, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.every, self.samples, self.done = every, [], threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append(memory_mb())
            self.done.wait(self.every)

    def stop(self) -> None:
        self.done.set()
        self.join()
        self.samples.append(memory_mb())

    def report(self) -> str:
        peak = max(self.samples, key=lambda s: s.get("VmRSS", 0))
        tenths = [self.samples[i * (len(self.samples) - 1) // 10] for i in range(11)]
        course = " ".join(f"{s.get('VmRSS', 0):.0f}" for s in tenths)
        return (
            f"RSS at start, every 10 % of the time, end (MB): {course}; highest sample {peak.get('VmRSS', 0):,.0f} MB "
            f"= {peak.get('RssAnon', 0):,.0f} anonymous + {peak.get('RssFile', 0):,.0f} file-backed"
        )


def baseline(path: Path, limit: int) -> tuple[int, float]:
    """Raw sqlite3: the same CSV read with csv.reader, executemany'd into a 31-text-column table."""
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "baseline.sqlite3", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"CREATE TABLE events ({', '.join(f'{c} TEXT' for c in HEADER)})")
        sql = f"INSERT INTO events VALUES ({', '.join('?' * len(HEADER))})"  # noqa: S608
        start = time.perf_counter()
        n = 0
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            batch: list[list[str]] = []
            for row in reader:
                batch.append(row)
                n += 1
                if len(batch) == 500:
                    db.execute("BEGIN")
                    db.executemany(sql, batch)
                    db.execute("COMMIT")
                    batch = []
                if n >= limit:
                    break
            if batch:
                db.execute("BEGIN")
                db.executemany(sql, batch)
                db.execute("COMMIT")
        elapsed = time.perf_counter() - start
        db.close()
    return n, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in bench/out/")
    parser.add_argument("--data-dir", help="keys (default bench/out/data-import)")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--without-statistics-triggers",
        action="store_true",
        help="drop the victims aggregate's triggers first (this fresh database only): their cost, and the "
        "refresh's, is the difference with a run that keeps them; the aggregate is then not kept",
    )
    parser.add_argument("--profile", help="write a cProfile of the import alone (not set-up) to this file")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{OUT / f'import-{args.rows}.sqlite3'}"
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    configure(url, args.data_dir or str(OUT / "data-import"))

    from django.core.management import call_command
    from tqdm import tqdm

    from kurukan.accounts.models import Organisation
    from kurukan.imports.actions import copy_file, start_import
    from kurukan.imports.jobs import run_import

    call_command("migrate", interactive=False, verbosity=0)
    call_command("places", "load", verbosity=0)
    if args.without_statistics_triggers:
        from django.db import connection

        from kurukan.statistics import aggregates

        with connection.schema_editor() as editor:
            aggregates.remove_triggers(editor)
        print(f"statistics triggers dropped: {aggregates.installed_triggers()} left")
    organisation, _ = Organisation.objects.get_or_create(code="bench", defaults={"name": "Benchmark"})
    path = OUT / f"acled-shaped-{args.rows}.csv"
    t0 = time.perf_counter()
    write_rows(path, args.rows, args.seed, place_points())
    print(
        f"wrote {args.rows:,} ACLED-shaped rows ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s"
    )

    job = start_import(
        user=None, organisation=organisation, path=copy_file(path), filename=path.name, format="acled"
    )
    # CPU time, not wall time: on a shared machine a wall-clock profile charges other people's work to
    # whatever line was running when the scheduler switched away.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    print(f"before the import: RSS {memory_mb()}, peak so far {peak_rss_mb():,.0f} MB")
    sampler = MemorySampler()
    if profiler is None:  # cProfile would charge the sampling thread's switches to the import's lines
        sampler.start()
    start, cpu = time.perf_counter(), time.process_time()
    with tqdm(total=100, unit="%", desc="import", mininterval=5) as bar:
        if profiler is not None:
            profiler.enable()
        run_import(job, progress=lambda p: bar.update(max(0, p - bar.n)))
        if profiler is not None:
            profiler.disable()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler is None:
        sampler.stop()
    if profiler is not None:
        profiler.dump_stats(args.profile)
        print(f"profile of the import written to {args.profile} (python -m pstats {args.profile})")
    job.refresh_from_db()
    print(f"[{vendor()}] {job.summary_line} (job {job.status}: {job.stage[:80]})")
    rate = job.rows_read / elapsed
    print(
        f"[{vendor()}] {job.rows_read:,} rows in {elapsed:,.1f} s: {rate:,.0f} rows/s, peak RSS {peak_rss_mb():,.0f} MB"
    )
    if profiler is None:
        print(f"[{vendor()}] {sampler.report()}")
    # CPU seconds of this process (SQLite's work included, PostgreSQL's server not): on a shared machine the
    # wall-clock rate follows the load; this one much less, so it compares runs made at different times.
    print(f"[{vendor()}] CPU {cpu:,.1f} s: {job.rows_read / max(cpu, 1e-9):,.0f} rows per CPU-second")
    n, base = baseline(path, job.rows_read)
    print(f"[baseline] raw sqlite3 executemany of the same {n:,} rows: {n / base:,.0f} rows/s ({base:.1f} s)")
    print(f"ratio: the import runs at {rate / (n / base):.2f}× the raw insert's speed")


if __name__ == "__main__":
    main()
