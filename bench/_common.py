"""Shared set-up for the incident benchmarks: point Kurukan at a database, create it, start Django."""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def configure(database_url: str | None, data_dir: str | None) -> None:
    """Set the environment Kurukan's settings read, then django.setup(). Call before importing models."""
    OUT.mkdir(parents=True, exist_ok=True)
    data = Path(data_dir) if data_dir else OUT / "data"
    data.mkdir(parents=True, exist_ok=True)
    os.environ["KURUKAN_DATA_DIR"] = str(data)
    if database_url:
        os.environ["KURUKAN_DATABASE_URL"] = database_url
        if database_url.startswith(("postgres://", "postgresql://")):
            _create_pg_database(database_url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kurukan.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from kurukan import crypto

    try:
        crypto.get_keyring()
    except Exception:  # noqa: BLE001 - no key yet: create one in the bench data directory
        call_command("keys", "init", verbosity=0)
        crypto.reset_keyring_cache()


def _create_pg_database(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
