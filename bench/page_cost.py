"""What one request of each kind costs the server: SQL queries and CPU time, next to a trivial view.

    KURUKAN_REQUIRE_2FA=0 .venv/bin/python bench/page_cost.py \
        --database-url postgres://postgres@127.0.0.1:5432/kurukan_load --data-dir bench/out/load-pg/data

Reads the database of the load benchmark (bench/load.py: its monitors `load00`…) through the Django test
client (middleware, session, templates: everything but the socket), signed in as `--user`, with the clicks
of bench/load.py: filtered lists, searches, detail pages, the API's list, detail and writes (each write is
rolled back, so the database is left as found). For every kind it prints the database round trips per
request (queries, and on PostgreSQL two more for each server-side cursor), the CPU milliseconds per request
(median of `time.process_time()` of this process — ORM, templates, the database driver; the server's own
work on PostgreSQL is not in it — in the quietest of `--rounds`) and the wall p50, with the ratio of CPU
time to a trivial view behind the same middleware and session. On PostgreSQL on the same machine it also prints
the CPU milliseconds the server process of this connection spent per request (from
/proc/<backend pid>/schedstat): on a small machine the database shares the cores with the web workers, so
both count. `--profile KIND` prints where this process's time goes for that kind (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import configure, vendor  # noqa: E402

KINDS = ("list_filtered", "list", "detail", "api_list", "api_detail", "api_write")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url")
    parser.add_argument("--data-dir")
    parser.add_argument("--user", default="load00")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per kind (after warm-up)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="each kind measured this many times; the lowest median is kept"
    )
    parser.add_argument("--only", default="", help="comma-separated kinds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of each kind's last request"
    )
    parser.add_argument("--profile", default="", help="print a cProfile of this kind's timed requests")
    args = parser.parse_args()
    configure(args.database_url, args.data_dir)

    from django.conf import settings
    from django.db import connection, transaction
    from django.http import HttpResponse
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import include, path

    import kurukan.wsgi  # noqa: F401 — start up as the served process does
    from kurukan.accounts.access import visible_incidents
    from kurukan.accounts.models import User

    def trivial(request):
        return HttpResponse("ok", content_type="text/plain")

    module = type(sys)("page_cost_urls")
    module.urlpatterns = [path("bench-trivial/", trivial), path("", include("kurukan.urls"))]  # type: ignore[attr-defined]
    sys.modules["page_cost_urls"] = module
    settings.ROOT_URLCONF = "page_cost_urls"
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False

    # On PostgreSQL a `QuerySet.iterator()` is a server-side cursor: DECLARE, FETCH and CLOSE, three round
    # trips for what the query log shows as one query. Count them to report round trips.
    cursors = [0]
    plain_chunked_cursor = connection.chunked_cursor

    def counted_chunked_cursor():
        if connection.vendor == "postgresql" and not connection.settings_dict.get(
            "DISABLE_SERVER_SIDE_CURSORS"
        ):
            cursors[0] += 1
        return plain_chunked_cursor()

    connection.chunked_cursor = counted_chunked_cursor  # type: ignore[method-assign]

    # CPU time spent drawing templates (the outermost render of each response), to tell it from the rest.
    from django.template.backends.django import Template as DjangoTemplate

    drawing = [0.0, 0]
    plain_render = DjangoTemplate.render

    def timed_render(self, context=None, request=None):
        drawing[1] += 1
        c0 = time.process_time()
        try:
            return plain_render(self, context, request)
        finally:
            drawing[1] -= 1
            if not drawing[1]:
                drawing[0] += time.process_time() - c0

    DjangoTemplate.render = timed_render  # type: ignore[method-assign]

    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    ids = list(visible_incidents(user).order_by("pk").values_list("public_id", flat=True)[:400])
    rng = random.Random(args.seed)

    def click(kind: str):
        if kind == "trivial":
            return client.get("/bench-trivial/")
        if kind == "list_filtered":
            status = rng.choice(["", "verified", "reported", "pending"])
            year = rng.randint(2013, 2024)
            return client.get(
                f"/incidents/?date_from={year}-01-01&date_to={year}-12-31&verification_status={status}"
            )
        if kind == "list":
            return client.get(f"/incidents/?q={rng.choice(['attaque', 'Mopti', 'enlèvement', ''])}")
        if kind == "detail":
            return client.get(f"/incidents/{rng.choice(ids)}/")
        if kind == "api_list":
            return client.get(f"/api/incidents?limit=25&offset={25 * rng.randint(0, 20)}")
        if kind == "api_detail":
            return client.get(f"/api/incidents/{rng.choice(ids)}")
        body = {
            "title": "Attaque signalée (test de charge)",
            "start_date": f"2024-03-0{rng.randint(1, 9)}",
            "region": f"ML0{rng.randint(1, 9)}",
        }
        with transaction.atomic():
            response = client.post("/api/incidents", json.dumps(body), content_type="application/json")
            transaction.set_rollback(True)
        return response

    def server_cpu_seconds() -> float:
        """CPU time of this connection's PostgreSQL server process (0 where it cannot be read)."""
        if connection.vendor != "postgresql":
            return 0.0
        connection.ensure_connection()
        try:
            with open(f"/proc/{connection.connection.info.backend_pid}/schedstat") as stat:
                return int(stat.read().split()[0]) / 1e9
        except OSError:
            return 0.0

    def measure(kind: str) -> dict:
        for _ in range(3):
            click(kind)
        cpu, wall, queries, server, render = [], [], [], [], []
        profiler = cProfile.Profile(time.process_time) if kind == args.profile else None
        for _ in range(args.requests):
            cursors[0] = 0
            drawing[0] = 0.0
            with CaptureQueriesContext(connection) as captured:
                s0 = server_cpu_seconds()
                if profiler:
                    profiler.enable()
                c0, w0 = time.process_time(), time.perf_counter()
                response = click(kind)
                cpu.append(time.process_time() - c0)
                wall.append(time.perf_counter() - w0)
                if profiler:
                    profiler.disable()
                server.append(server_cpu_seconds() - s0)
                render.append(drawing[0])
            assert response.status_code < 400, (kind, response.status_code, response.content[:300])
            queries.append(len(captured) + 2 * cursors[0])
        if args.show_queries:
            for q in captured.captured_queries:
                print(f"      {q['time']} {q['sql'][:220]}")
        if profiler:
            print(f"--- profile of {kind}, {args.requests} requests")
            profiler.dump_stats(f"bench/out/profile-{kind}.pstats")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return {
            "queries": statistics.mean(queries),
            "cpu_ms": 1000 * statistics.median(cpu),
            "server_cpu_ms": 1000 * statistics.median(server),
            "render_ms": 1000 * statistics.median(render),
            "wall_p50_ms": 1000 * statistics.median(wall),
        }

    kinds = ["trivial", *(k for k in KINDS if not args.only or k in args.only.split(","))]
    # Rounds alternate the kinds, and each keeps its quietest round: on a shared machine, other processes
    # slow this one down (caches, frequency) even in CPU time; they never make it faster.
    results: dict[str, dict] = {}
    for _round in range(args.rounds):
        for kind in kinds:
            row = measure(kind)
            if kind not in results or row["cpu_ms"] < results[kind]["cpu_ms"]:
                results[kind] = row
    baseline = results["trivial"]
    print(f"engine {vendor()}, user {args.user}, {args.rounds} rounds of {args.requests} requests per kind")
    print(
        f"{'kind':<14} {'trips':>8} {'cpu ms':>8} {'templates':>10} {'db cpu ms':>10} {'wall p50':>9}"
        f" {'cpu ÷ trivial':>14}"
    )
    for kind in kinds:
        row = results[kind]
        ratio = row["cpu_ms"] / baseline["cpu_ms"]
        print(
            f"{kind:<14} {row['queries']:>8.1f} {row['cpu_ms']:>8.1f} {row['render_ms']:>10.1f}"
            f" {row['server_cpu_ms']:>10.1f}"
            f" {row['wall_p50_ms']:>9.1f} {ratio:>14.1f}"
        )


if __name__ == "__main__":
    main()
