"""Fresh planner statistics after every migration.

A migration that rebuilds a table (SQLite rebuilds it to add a column) drops its statistics, and a bulk
load leaves them stale: the planner then picks the wrong index and a list of a million incidents takes
seconds instead of milliseconds (measured: 1 ms vs 0.9 s, docs/benchmarks-incidents.md). ANALYZE after
`migrate` costs seconds once (about a minute for a million incidents). Not SQLite's approximate
analysis_limit: sampled statistics misjudged a column that is NULL on every row and led the planner astray.
"""

from __future__ import annotations

from django.db import connections


def analyze(using: str = "default", **kwargs) -> None:
    from kurukan.incidents.search import ensure_index

    ensure_index(using)
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
