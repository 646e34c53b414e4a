"""Fresh planner statistics after every migration.

A migration that rebuilds a table (SQLite rebuilds it to add a column) drops its statistics, and a bulk
load leaves them stale: the planner then picks the wrong index and a list of a million incidents takes
seconds instead of milliseconds (measured: 1 ms vs 0.9 s, docs/benchmarks-incidents.md). ANALYZE after
`migrate` costs seconds once; SQLite's analysis_limit keeps it approximate and quick on large tables.
"""

from __future__ import annotations

from django.db import connections


def analyze(using: str = "default", **kwargs) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=2000")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
