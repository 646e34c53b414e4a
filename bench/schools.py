"""Schools closed on date D by cercle, at 20,000 schools and about 200,000 status entries.

Loads synthetic schools in every commune (kurukan.analysis.synthetic.schools, about ten entries per school)
once per database, then times `kurukan.statistics.schools.closed_on(D, "cercle")` on dates spread over
2014–2025: p50 / p95 / max in ms. Baselines measured in the same run:
- the same SQL on the DB-API cursor (what the ORM and the row building cost on top);
- the naive query that finds each school's latest decisive entry with NOT EXISTS (what `ends_on` saves).

    .venv/bin/python bench/schools.py                       # SQLite in bench/out/schools.sqlite3
    .venv/bin/python bench/schools.py --database-url postgres://postgres@127.0.0.1:5432/kurukan_schools_bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import OUT, configure, vendor  # noqa: E402

NAIVE = """
SELECT s.cercle_id, COUNT(*), SUM(COALESCE(e.pupils_affected, s.pupils_girls + s.pupils_boys))
FROM schools_statuschange e JOIN schools_school s ON s.id = e.school_id
WHERE e.closed = TRUE AND e.starts_on <= %s AND NOT EXISTS (
    SELECT 1 FROM schools_statuschange later
    WHERE later.school_id = e.school_id AND later.closed IS NOT NULL AND later.starts_on <= %s
      AND later.starts_on > e.starts_on)
GROUP BY s.cercle_id
"""


def _ms(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"p50 {statistics.median(ordered):7.1f}  p95 {p95:7.1f}  max {ordered[-1]:7.1f} ms"


def _timed(function, days) -> list[float]:
    times = []
    for day in days:
        start = time.perf_counter()
        function(day)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=f"sqlite:///{OUT / 'schools.sqlite3'}")
    parser.add_argument("--data-dir")
    parser.add_argument("--schools", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--naive-requests", type=int, default=5)
    args = parser.parse_args()
    configure(args.database_url, args.data_dir)

    from django.core.management import call_command
    from django.db import connection

    from kurukan.analysis.synthetic.places import gazetteer
    from kurukan.schools.models import School, StatusChange
    from kurukan.schools.synthetic import load_synthetic_schools
    from kurukan.statistics.schools import SchoolFilters, closed_on, grouped_in_force

    call_command("migrate", verbosity=0)
    call_command("places", "load", verbosity=0)
    if School.objects.count() < args.schools:
        start = time.perf_counter()
        load = load_synthetic_schools(
            list(gazetteer().by_commune),
            limit=args.schools - School.objects.count(),
            per_commune=28.5,
            churn=30,
            checks_per_year=12,
            seed=5,
        )
        print(f"loaded {load.schools} schools, {load.entries} entries in {time.perf_counter() - start:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    n_schools, n_entries = School.objects.count(), StatusChange.objects.count()
    closed_now = closed_on(dt.date(2024, 1, 31), by=None).total
    print(f"{vendor()}: {n_schools} schools, {n_entries} status entries, {closed_now} closed on 2024-01-31")

    rng = random.Random(52_42)
    days = [dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(0, 11 * 365)) for _ in range(args.requests)]
    closed_on(days[0], "cercle")  # warm the caches once, as a running server has them

    orm = _timed(lambda day: closed_on(day, "cercle"), days)

    def raw(day: dt.date) -> None:
        text, values = grouped_in_force(day, "cercle", SchoolFilters()).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(text, values)
            cursor.fetchall()

    cursor_times = _timed(raw, days)

    def naive(day: dt.date) -> None:
        with connection.cursor() as cursor:  # Django's cursors take %s on both databases
            cursor.execute(NAIVE, [day, day])
            cursor.fetchall()

    naive_times = _timed(naive, days[: args.naive_requests])
    print(f"closed on D by cercle (statistics.schools.closed_on): {_ms(orm)}")
    print(f"baseline, the same SQL on the DB-API cursor:          {_ms(cursor_times)}")
    print(f"baseline, latest entry per school with NOT EXISTS:     {_ms(naive_times)}")
    p95 = sorted(orm)[max(0, round(0.95 * len(orm)) - 1)]
    p95_cursor = sorted(cursor_times)[max(0, round(0.95 * len(cursor_times)) - 1)]
    print(
        f"ratio p95 closed_on / cursor SQL: {p95 / p95_cursor:.2f}; "
        f"median naive / closed_on: {statistics.median(naive_times) / statistics.median(orm):.1f}×"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
