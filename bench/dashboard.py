"""Time every query of the statistics dashboard, live on the database, next to DuckDB on the same data.

    .venv/bin/python bench/dashboard.py --database-url sqlite:///$PWD/bench/out/stats-100k.sqlite3
    .venv/bin/python bench/dashboard.py --database-url postgres://postgres@127.0.0.1:5432/kurukan_stats_bench

For each figure the dashboard shows (`counting.table` with the page's measure and breakdown, over every
record, documented violations), it prints p50/p95 in ms over --repeats runs, read from the victims
aggregate (what the product does, `statistics/aggregates.py`) and, unless --skip-live, counted live from
every victim record (`table(..., live=True)`), checking both give the same rows. Before timing it writes
the aggregate's pending rows (`aggregates.refresh`, timed: after `migrate` on an older database that is the
whole build). The baseline, measured in the same run: the tables the figure reads are copied into an
in-memory DuckDB, and the same count, written in plain SQL, is timed there; the script checks that DuckDB
finds the same total, and prints the ratio Kurukan (aggregated) p95 ÷ DuckDB p95. Last, the whole dashboard
page (Django test client, as an administrator).
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from _common import configure, percentile, vendor

TARGET_MS = 500
TABLES = {
    "incidents_incident": "id, region_id, start_date, date_precision, status, merged_into_id",
    "incidents_violation": "id, incident_id, type_id, counted_by, verification_status",
    "incidents_victim": "id, violation_id, person_id, age_at_time",
    "incidents_groupvictims": "id, violation_id, women, men, girls, boys, unknown",
    "incidents_perpetrator": "id, violation_id, category_id",
    "incidents_source": "id, incident_id",
    "people_person": "id, sex, birth_year, merged_into_id",
    "people_person_categories": "id, person_id, term_id",
    "vocabularies_term": "id, code, parent_id, vocabulary",
    "places_adminunit": "id, pcode",
}

TEXT = {"date_precision", "status", "counted_by", "verification_status", "sex", "code", "vocabulary", "pcode"}

COUNTED = """
WITH v AS (
  SELECT v.id, v.incident_id, v.type_id, i.region_id, i.start_date, i.date_precision
  FROM incidents_violation v JOIN incidents_incident i ON i.id = v.incident_id
  WHERE i.merged_into_id IS NULL AND i.status <> 'draft' AND v.verification_status <> 'did_not_occur'
    AND EXISTS (SELECT 1 FROM incidents_source s WHERE s.incident_id = v.incident_id)
)"""
PEOPLE = """
  SELECT DISTINCT vi.violation_id, COALESCE(p3.merged_into_id, p2.merged_into_id, p.merged_into_id, p.id) AS person,
         {fields}
  FROM incidents_victim vi JOIN v ON v.id = vi.violation_id JOIN people_person p ON p.id = vi.person_id
  LEFT JOIN people_person p2 ON p2.id = p.merged_into_id LEFT JOIN people_person p3 ON p3.id = p2.merged_into_id"""
AGE = "COALESCE(vi.age_at_time, year(v.start_date) - p.birth_year)"
AGE_GROUP = f"""CASE WHEN {AGE} < 18 THEN 'child' WHEN {AGE} < 60 THEN 'adult' WHEN {AGE} >= 60 THEN 'older'
  WHEN EXISTS (SELECT 1 FROM people_person_categories pc JOIN vocabularies_term c ON c.id = pc.term_id
               WHERE pc.person_id = vi.person_id AND c.code = 'child' AND c.vocabulary = 'victim_category')
  THEN 'child' ELSE 'unknown' END"""
GROUPS = """
  SELECT {g} AS f, 'female' AS sex, SUM(women) AS n FROM incidents_groupvictims gv JOIN v ON v.id = gv.violation_id GROUP BY 1
  UNION ALL SELECT {g}, 'male', SUM(men) FROM incidents_groupvictims gv JOIN v ON v.id = gv.violation_id GROUP BY 1
  UNION ALL SELECT {c}, 'female', SUM(girls) FROM incidents_groupvictims gv JOIN v ON v.id = gv.violation_id GROUP BY 1
  UNION ALL SELECT {c}, 'male', SUM(boys) FROM incidents_groupvictims gv JOIN v ON v.id = gv.violation_id GROUP BY 1
  UNION ALL SELECT {u}, 'unknown', SUM(unknown) FROM incidents_groupvictims gv JOIN v ON v.id = gv.violation_id GROUP BY 1"""

# name → (measure, by, DuckDB SQL giving (codes…, n) rows whose n add up to the total)
FIGURES = {
    "incidents (total)": ("incidents", [], COUNTED + " SELECT COUNT(DISTINCT incident_id) FROM v"),
    "violations by region × type category": (
        "violations",
        ["region", "violation_category"],
        COUNTED
        + """ SELECT r.pcode, COALESCE(t3.code, t2.code, t.code), COUNT(*) FROM v
        LEFT JOIN places_adminunit r ON r.id = v.region_id JOIN vocabularies_term t ON t.id = v.type_id
        LEFT JOIN vocabularies_term t2 ON t2.id = t.parent_id LEFT JOIN vocabularies_term t3 ON t3.id = t2.parent_id
        GROUP BY 1, 2""",
    ),
    "violations by perpetrator category": (
        "violations",
        ["perpetrator_category"],
        COUNTED
        + """ SELECT c.code, COUNT(DISTINCT v.id) FROM v LEFT JOIN incidents_perpetrator pe ON pe.violation_id = v.id
        LEFT JOIN vocabularies_term c ON c.id = pe.category_id GROUP BY 1""",
    ),
    "victims (total)": (
        "victims",
        [],
        COUNTED
        + f""" SELECT (SELECT COUNT(*) FROM ({PEOPLE.format(fields="1 AS one")}))
        + (SELECT COALESCE(SUM(women + men + girls + boys + unknown), 0) FROM incidents_groupvictims gv
           JOIN v ON v.id = gv.violation_id)""",
    ),
    "victims by year": (
        "victims",
        ["year"],
        COUNTED
        + f""" SELECT f, SUM(n) FROM (
          SELECT f, COUNT(*) AS n FROM ({PEOPLE.format(fields="CASE WHEN v.date_precision <> 'unknown' THEN year(v.start_date) END AS f")}) GROUP BY 1
          UNION ALL SELECT CASE WHEN v.date_precision <> 'unknown' THEN year(v.start_date) END,
            SUM(women + men + girls + boys + unknown) FROM incidents_groupvictims gv JOIN v ON v.id = gv.violation_id GROUP BY 1
        ) GROUP BY 1""",
    ),
    "victims by age group × sex": (
        "victims",
        ["age_group", "sex"],
        COUNTED
        + f""" SELECT f, sex, SUM(n) FROM (
          SELECT f, sex, COUNT(*) AS n FROM ({PEOPLE.format(fields=AGE_GROUP + " AS f, p.sex AS sex")}) GROUP BY 1, 2
          UNION ALL {GROUPS.format(g="'adult'", c="'child'", u="'unknown'")}
        ) GROUP BY 1, 2""",
    ),
}
# Figures of the page with no DuckDB twin here: timed, printed without a ratio.
OTHERS = {
    "violations (total)": ("violations", []),
    "children (total)": ("victims-children", []),
    "victims by month": ("victims", ["month"]),
    "violations: State / non-State": ("violations", ["violation_or_abuse"]),
    "victims by child/adult": ("victims", ["child"]),
    "victims by type category × sex": ("victims", ["violation_category", "sex"]),
    "victims by victim category": ("victims", ["victim_category"]),
    "grave violations by quarter (MRM, verified)": ("mrm-grave", ["quarter", "grave_violation"]),
}


def _copy_to_duckdb(tmp: Path):
    import duckdb
    from django.db import connection

    duck = duckdb.connect()
    start = time.perf_counter()
    for table, columns in TABLES.items():
        path = tmp / f"{table}.csv"
        with connection.cursor() as cursor, path.open("w", newline="") as out:
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 (constant names)
            writer = csv.writer(out)
            writer.writerow([c.strip() for c in columns.split(",")])
            while rows := cursor.fetchmany(20_000):
                writer.writerows(rows)
        names = [c.strip() for c in columns.split(",")]
        types = {c: "VARCHAR" if c in TEXT else "DATE" if c == "start_date" else "BIGINT" for c in names}
        duck.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header=true, types={types})")
    return duck, time.perf_counter() - start


def _time(run, repeats: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--data-dir")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--skip-live", action="store_true", help="time the aggregated figures only")
    args = parser.parse_args()
    configure(args.database_url, args.data_dir)

    from dataclasses import replace

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from kurukan.accounts.models import Organisation, Role, User
    from kurukan.incidents.models import Incident
    from kurukan.statistics import aggregates
    from kurukan.statistics.counting import NO_FILTERS, table

    call_command("migrate", interactive=False, verbosity=0)
    start = time.perf_counter()
    refreshed = aggregates.refresh()
    print(f"[aggregate] wrote the rows of {refreshed:,} violations in {time.perf_counter() - start:.1f} s")
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    settings.REQUIRE_2FA = False  # the page is timed, not the login
    import kurukan.wsgi  # noqa: F401  (start up as the served process does)

    db = vendor()
    print(
        f"[{db}] {Incident.objects.count():,} incidents; {args.repeats} runs per figure; target p95 < {TARGET_MS} ms"
    )

    def run_figure(measure: str, by: list[str], live: bool = False):
        filters = NO_FILTERS
        if measure == "victims-children":
            measure, filters = "victims", replace(NO_FILTERS, children_only=True)
        if measure == "mrm-grave":
            measure, filters = (
                "mrm",
                replace(NO_FILTERS, children_only=True, grave_only=True, level="verified"),
            )
        return table(measure, by=by, filters=filters, live=live)

    with tempfile.TemporaryDirectory() as tmp:
        duck_db, load_s = _copy_to_duckdb(Path(tmp))
        print(f"[duckdb] copied the {len(TABLES)} tables the figures read into memory in {load_s:.1f} s")
        print(f"{'figure':<46} {'p50':>7} {'p95':>7} {'live p95':>9} {'duckdb p95':>11} {'ratio':>6}  total")
        worst = 0.0
        figures = [(name, m, b, sql) for name, (m, b, sql) in FIGURES.items()]
        figures += [(name, m, b, None) for name, (m, b) in OTHERS.items()]
        for name, measure, by, sql in figures:
            times, result = _time(lambda m=measure, b=by: run_figure(m, b), args.repeats)
            p95 = percentile(times, 95)
            worst = max(worst, p95)
            live = "—"
            checks = []
            if not args.skip_live:
                live_times, live_result = _time(lambda m=measure, b=by: run_figure(m, b, True), args.repeats)
                live = f"{percentile(live_times, 95):.0f}"
                if live_result.as_dict() != result.as_dict():
                    checks.append("≠ LIVE")
            duck, ratio = "—", "—"
            if sql is not None:
                duck_times, rows = _time(lambda q=sql: duck_db.execute(q).fetchall(), args.repeats)
                duck_total = sum(row[-1] or 0 for row in rows)
                duck_p95 = percentile(duck_times, 95)
                duck, ratio = f"{duck_p95:.1f}", f"{p95 / duck_p95:.1f}x"
                rows_total = sum(row["value"] for row in result.rows)  # rows: a breakdown may repeat
                if duck_total != rows_total:
                    checks.append(f"≠ duckdb {duck_total:,} (rows {rows_total:,})")
            print(
                f"{name:<46} {percentile(times, 50):7.0f} {p95:7.0f} {live:>9} {duck:>11} {ratio:>6}"
                f"  {result.total:,} {' '.join(checks) or '='}"
            )
    admin = User.objects.filter(role=Role.ADMINISTRATOR).first() or User.objects.create_user(
        "bench-admin", role=Role.ADMINISTRATOR, organisation=Organisation.objects.first()
    )
    client = Client()
    client.force_login(admin)
    page_times, _response = _time(lambda: client.get("/statistics/"), max(3, args.repeats // 2))
    print(
        f"{'whole dashboard page (every figure above)':<46} {percentile(page_times, 50):8.0f} {percentile(page_times, 95):8.0f}"
    )
    verdict = "meets" if worst < TARGET_MS else "does NOT meet"
    print(f"[{db}] slowest figure p95 {worst:,.0f} ms: {verdict} the {TARGET_MS} ms target")


if __name__ == "__main__":
    main()
