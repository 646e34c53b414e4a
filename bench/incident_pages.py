"""Time the incident list (with filters) and detail pages through the full Django stack.

    .venv/bin/python bench/incident_pages.py --database-url sqlite:///$PWD/bench/out/incidents-1m.sqlite3 \
        --requests 30
    .venv/bin/python bench/incident_pages.py --database-url postgres://postgres@127.0.0.1:5432/kurukan_bench

Uses the Django test client (middleware, sessions, 2FA check, templates: everything but the socket), logged
in as a monitor, a coordinator and an administrator of the same organisation (second factor verified through
a static device, as after a real login). For every scenario it prints p50/p95/max in ms, the SQL queries per
request, and the baseline: the very same SQL statements run directly on the DB-API cursor (no ORM, no
template), with the ratio page p50 ÷ SQL p50.

It writes to the database (migrations, the demo users, sessions, audit events of restricted reads): run it
on a copy of a database others use (`cp` the SQLite file; `createdb -T <db> <copy>` on PostgreSQL).
"""

from __future__ import annotations

import argparse
import random
import time

from _common import configure, percentile, vendor

TARGET_MS = 150


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--data-dir")
    parser.add_argument(
        "--requests", type=int, default=30, help="timed requests per scenario (after 2 warm-up)"
    )
    parser.add_argument("--roles", default="monitor,coordinator,administrator")
    parser.add_argument("--only", default="", help="comma-separated scenario name fragments")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="print the query plan of the slowest query")
    args = parser.parse_args()
    configure(args.database_url, args.data_dir)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    from kurukan.accounts.demo import create_demo_users
    from kurukan.accounts.models import Role, User
    from kurukan.incidents.models import Incident
    from kurukan.places.models import AdminUnit
    from kurukan.vocabularies.models import Term

    call_command("migrate", interactive=False, verbosity=0)  # apps added since the data was loaded
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    # Start up as the served process does (kurukan/wsgi.py): views loaded, start-up objects frozen out of
    # the garbage collector's full walks. Without it, one request in ten pays a 115–160 ms collection.
    import kurukan.wsgi  # noqa: F401

    rng = random.Random(args.seed)
    n_incidents = Incident.objects.order_by("-id").values_list("id", flat=True).first() or 0
    print(f"[{vendor()}] {n_incidents:,} incidents (max id); {args.requests} requests per scenario")

    create_demo_users()
    users = {
        "monitor": User.objects.get(username="monitor"),
        "coordinator": User.objects.get(username="verificateur"),
        "administrator": User.objects.get(username="admin"),
    }
    assert users["coordinator"].role == Role.COORDINATOR and users["administrator"].role == Role.ADMINISTRATOR

    def client_for(user) -> Client:
        device, _ = StaticDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    mopti = AdminUnit.objects.current().get(level=1, name="Mopti")
    bandiagara = AdminUnit.objects.current().get(level=2, name="Bandiagara")
    commune = AdminUnit.objects.current().filter(level=3, name="Djenné").first()
    leaf = Term.objects.get(vocabulary="violation_type", code="life.killing_civilians")
    group = Term.objects.get(vocabulary="violation_type", code="liberty")
    child = Term.objects.get(vocabulary="violation_type", code="liberty.abduction")
    perp = Term.objects.get(vocabulary="perpetrator_category", code="nonstate.jnim")
    y2022 = {"date_from": "2022-01-01", "date_to": "2022-12-31"}

    scenarios: list[tuple[str, dict]] = [
        ("list unfiltered p1", {}),
        ("list unfiltered p50", {"page": 50}),
        ("period 2022", y2022),
        ("region Mopti", {"region": mopti.pk}),
        ("cercle Bandiagara", {"place": f"unit:{bandiagara.pk}"}),
        ("commune Djenné", {"place": f"unit:{commune.pk}"}),
        ("type leaf (killing civilians)", {"violation_type": leaf.pk}),
        ("type group (liberty)", {"violation_type": group.pk}),
        ("type leaf rare (abduction)", {"violation_type": child.pk}),
        ("perpetrator JNIM", {"perpetrator_category": perp.pk}),
        ("verification verified", {"verification_status": "verified"}),
        ("verification did_not_occur", {"verification_status": "did_not_occur"}),
        ("text frequent 'enlèvement'", {"q": "enlèvement"}),
        ("text rare village", {"q": "Boumbounkore"}),
        ("Mopti 2022 + killing", {"region": mopti.pk, **y2022, "violation_type": leaf.pk}),
        ("Mopti 2022 + killing p50", {"region": mopti.pk, **y2022, "violation_type": leaf.pk, "page": 50}),
        (
            "Mopti 2022 + JNIM + verified",
            {"region": mopti.pk, **y2022, "perpetrator_category": perp.pk, "verification_status": "verified"},
        ),
        (
            "Bandiagara + liberty p50",
            {"place": f"unit:{bandiagara.pk}", "violation_type": group.pk, "page": 50},
        ),
    ]
    # The list shows its rows with a count capped at PAGE_COUNT_CAP, then asks for the exact count (to
    # COUNT_CAP) in a second, background request: measured too, for the heaviest filters.
    for name in ("type group (liberty)", "Mopti 2022 + killing", "Mopti 2022 + JNIM + verified"):
        params = dict(next(p for n, p in scenarios if n == name))
        scenarios.append((f"{name} — exact count", {**params, "count": "exact"}))
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        scenarios = [s for s in scenarios if any(w in s[0] for w in wanted)]

    raw = connection.connection if connection.connection else None

    def run_raw(statements: list[str]) -> float:
        nonlocal raw
        connection.ensure_connection()
        raw = connection.connection
        start = time.perf_counter()
        cursor = raw.cursor()
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
        cursor.close()
        return (time.perf_counter() - start) * 1000

    results = []

    def measure(role: str, name: str, make_url, client: Client) -> None:
        times, counts, raw_times, slowest = [], [], [], ("", 0.0)
        for i in range(args.requests + 2):
            url = make_url()
            # CaptureQueriesContext keeps Django from clearing its query log between requests; the log holds
            # 9,000 entries, past which every later scenario would count 0 queries. Start each request empty.
            reset_queries()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{name}: HTTP {response.status_code} for {url}")
            if i < 2:
                continue  # warm-up: first request of a scenario pays for cold pages
            if not ctx.captured_queries:  # every page reads the session at least: 0 is a broken query log
                raise SystemExit(f"{name}: no query captured for {url}")
            times.append(elapsed)
            counts.append(len(ctx.captured_queries))
            statements = [
                q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
            ]
            try:
                raw_times.append(run_raw(statements))
            except Exception as exc:  # noqa: BLE001 - a statement Django printed with params we cannot re-run
                raw_times.append(float("nan"))
                print(f"   (baseline skipped: {exc.__class__.__name__})")
            for q in ctx.captured_queries:
                if float(q["time"]) * 1000 > slowest[1]:
                    slowest = (q["sql"], float(q["time"]) * 1000)
        row = {
            "role": role,
            "scenario": name,
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "max": max(times),
            "queries": f"{min(counts)}–{max(counts)}" if min(counts) != max(counts) else str(counts[0]),
            "sql_p50": percentile(raw_times, 50),
        }
        results.append(row)
        flag = "" if row["p95"] < TARGET_MS else "   ← over target"
        print(
            f"{role:<13} {name:<34} p50 {row['p50']:7.1f}  p95 {row['p95']:7.1f}  max {row['max']:7.1f}  "
            f"queries {row['queries']:>5}  SQL p50 {row['sql_p50']:7.1f}  ratio {row['p50'] / row['sql_p50']:5.2f}{flag}",
            flush=True,
        )
        if args.explain and row["p95"] >= TARGET_MS:
            print(f"   slowest query {slowest[1]:.0f} ms: {slowest[0][:1500]}")

    from urllib.parse import urlencode

    roles = [r.strip() for r in args.roles.split(",")]
    for role in roles:
        client = client_for(users[role])
        for name, params in scenarios:
            if (
                role != "monitor"
                and name
                not in {
                    "list unfiltered p1",
                    "Mopti 2022 + killing",
                    "region Mopti",
                    "type group (liberty)",
                    "perpetrator JNIM",
                    "Mopti 2022 + JNIM + verified",
                }
                and not args.only
            ):
                continue
            url = "/incidents/" + ("?" + urlencode(params) if params else "")
            measure(role, name, lambda url=url: url, client)
        # detail pages of random incidents this user can see
        from kurukan.accounts import access

        visible = access.visible_incidents(users[role])
        ids: list[str] = []
        while len(ids) < args.requests + 2:
            pk = rng.randint(1, max(1, n_incidents))
            found = visible.filter(pk__gte=pk).order_by("pk").values_list("public_id", flat=True).first()
            if found:
                ids.append(found)
        pool = iter(ids)
        measure(role, "detail (random incident)", lambda pool=pool: f"/incidents/{next(pool)}/", client)

    over = [r for r in results if r["p95"] >= TARGET_MS]
    print(
        f"\n[{vendor()}] {len(results)} scenarios, {len(over)} with p95 ≥ {TARGET_MS} ms"
        + (": " + "; ".join(f"{r['role']}/{r['scenario']} {r['p95']:.0f}" for r in over) if over else "")
    )
    print(
        "\n| role | scenario | p50 ms | p95 ms | max ms | queries/request | same SQL direct p50 ms | page ÷ SQL |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['role']} | {r['scenario']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['max']:.1f} | {r['queries']} "
            f"| {r['sql_p50']:.1f} | {r['p50'] / r['sql_p50']:.2f} |"
        )


if __name__ == "__main__":
    main()
