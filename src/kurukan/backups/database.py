"""A consistent copy of the database, per engine, and its restore.

- SQLite: the online backup API in one step, a read transaction that sees one instant while writers go on
  (WAL); the raw file is never copied while open. Restored with the same API into the live file, so
  SQLite itself handles the WAL and the page size.
- PostgreSQL: `pg_dump --format=custom` inside an exported REPEATABLE READ snapshot, so the row counts in
  the manifest describe exactly the dumped data; restored with `pg_restore --single-transaction`.
- Fallback when pg_dump is missing or fails: Django's JSON serialisation (natural keys) of every model in one
  REPEATABLE READ transaction, loaded with `loaddata`; this one also restores into another engine.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, connections, transaction

from kurukan.evidence.storage import Spool

from .archive import BackupError

SQLITE, PG_DUMP, JSON = "sqlite3-backup", "pg_dump-custom", "django-json"
MEMBER = {
    SQLITE: "database/kurukan.sqlite3.gz",
    PG_DUMP: "database/kurukan.pgdump",
    JSON: "database/kurukan.json",
}
# Rebuilt by `migrate` on the target; serialising them would clash with the rows migrate creates.
JSON_EXCLUDED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
# A database holding any of these is "in use": restore refuses to overwrite it without --force.
RECORD_MODELS = [
    "accounts.user",
    "accounts.organisation",
    "incidents.incident",
    "people.person",
    "evidence.evidenceitem",
    "audit.auditevent",
]


@dataclass
class Dump:
    format: str
    path: Path | None  # a file in the staging directory, or
    spool: Spool | None  # plaintext kept encrypted under a throw-away key (JSON holds decrypted fields)
    size: int
    counts: dict[str, int]

    def chunks(self) -> Iterator[bytes]:
        if self.spool is not None:
            yield from self.spool.chunks()
            return
        assert self.path is not None
        with self.path.open("rb") as handle:
            while block := handle.read(1024 * 1024):
                yield block


def vendor() -> str:
    return connection.vendor


def _model_tables() -> dict[str, str]:
    return {
        m._meta.label_lower: m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }


def _count(cursor, existing: set[str]) -> dict[str, int]:
    counts = {}
    for label, table in sorted(_model_tables().items()):
        if table in existing:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (table names come from models)
            counts[label] = cursor.fetchone()[0]
    return counts


# --- SQLite ---------------------------------------------------------------------------------------------


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def sqlite_file_if_absent() -> Path | None:
    """The SQLite database file when it does not exist yet (None on PostgreSQL or when it exists)."""
    if connection.vendor != "sqlite":
        return None
    path = _sqlite_path()
    return None if path.exists() else path


def remove_sqlite_file(path: Path) -> None:
    connections.close_all()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def dump_sqlite(staging: Path) -> Dump:
    source_path = _sqlite_path()
    if not source_path.exists():
        raise BackupError(f"No database at {source_path}.")
    snapshot = staging / "kurukan.sqlite3"
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(snapshot)
    try:
        source.backup(target)  # pages=-1: one step, one consistent read transaction
    finally:
        source.close()
    try:
        existing = {row[0] for row in target.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = _count(target.cursor(), existing)
    finally:
        target.close()
    packed = staging / "kurukan.sqlite3.gz"
    with snapshot.open("rb") as raw, gzip.open(packed, "wb", compresslevel=6) as out:
        shutil.copyfileobj(raw, out, 1024 * 1024)
    snapshot.unlink()
    return Dump(SQLITE, packed, None, packed.stat().st_size, counts)


def restore_sqlite(staged: Path) -> None:
    snapshot = staged.with_suffix("")  # kurukan.sqlite3.gz → kurukan.sqlite3
    with gzip.open(staged, "rb") as packed, snapshot.open("wb") as out:
        shutil.copyfileobj(packed, out, 1024 * 1024)
    source = sqlite3.connect(snapshot)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("The database in the archive fails SQLite's integrity check.")
        connections.close_all()
        live = _sqlite_path()
        live.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(live)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


# --- PostgreSQL -----------------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[var] = str(db[key])  # the password goes through the environment, never the command line
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def dump_postgresql(staging: Path) -> Dump:
    pg_dump = shutil.which("pg_dump")
    if pg_dump:
        try:
            return _pg_dump(staging, pg_dump)
        except BackupError as exc:
            print(f"pg_dump failed ({exc}); falling back to Django's JSON dump.", file=sys.stderr)
    return dump_json(staging)


def _pg_dump(staging: Path, pg_dump: str) -> Dump:
    import psycopg
    import psycopg.conninfo

    db = settings.DATABASES["default"]
    out = staging / "kurukan.pgdump"
    params = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
    }
    conninfo = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items() if v})
    with psycopg.connect(conninfo) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
            assert row is not None
            snapshot = row[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            counts = _count(cursor, {row[0] for row in cursor.fetchall()})
            result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(out),
                ],
                env=_pg_env(),
                capture_output=True,
                text=True,
                check=False,
            )
    if result.returncode != 0:
        raise BackupError(result.stderr.strip()[-500:])
    return Dump(PG_DUMP, out, None, out.stat().st_size, counts)


def restore_postgresql(staged: Path) -> None:
    pg_restore = shutil.which("pg_restore")
    if not pg_restore:
        raise BackupError(
            "pg_restore is not installed: install the PostgreSQL client tools of the server's version."
        )
    connections.close_all()
    result = subprocess.run(  # noqa: S603
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            settings.DATABASES["default"]["NAME"],
            str(staged),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed, the database is unchanged: {result.stderr.strip()[-500:]}")


# --- JSON (fallback, and across engines) ----------------------------------------------------------------


class _TextSink:
    def __init__(self, spool: Spool) -> None:
        self.spool = spool

    def write(self, text: str) -> None:
        self.spool.write(text.encode("utf-8"))


def _json_objects() -> Iterator:
    models = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    for model in models:
        if model._meta.label_lower in JSON_EXCLUDED or model._meta.proxy or not model._meta.managed:
            continue
        yield from model._base_manager.order_by(model._meta.pk.name).iterator(chunk_size=2000)


def dump_json(staging: Path) -> Dump:
    spool = Spool(directory=staging)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counts = _count(connection.cursor(), set(connection.introspection.table_names()))
        serializers.serialize(
            "json",
            _json_objects(),
            stream=_TextSink(spool),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
    return Dump(JSON, None, spool, spool.size, counts)


class _SpoolText:
    """What loaddata needs of its "-" input: read() and close()."""

    def __init__(self, spool: Spool) -> None:
        self.spool = spool

    def read(self) -> bytes:
        return b"".join(self.spool.chunks())

    def close(self) -> None:
        pass


def restore_json(staged: Spool, *, force: bool) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    if force:
        call_command("flush", interactive=False, verbosity=0)
    # loaddata reads "-" from sys.stdin. The JSON holds decrypted protected fields (the serialiser reads
    # them through the model), so it stays in an encrypted spool, never in a plaintext file.
    saved = sys.stdin
    try:
        sys.stdin = _SpoolText(staged)  # type: ignore[assignment]
        call_command("loaddata", "-", format="json", verbosity=0)
    finally:
        sys.stdin = saved


# --- common ---------------------------------------------------------------------------------------------


def is_in_use() -> bool:
    """True when the database holds any user, organisation, incident, person, evidence or audit entry."""
    existing = set(connection.introspection.table_names())
    for label in RECORD_MODELS:
        model = apps.get_model(label)
        if model._meta.db_table in existing and model._base_manager.exists():
            return True
    return False


def current_counts() -> dict[str, int]:
    connections.close_all()
    with connection.cursor() as cursor:
        return _count(cursor, set(connection.introspection.table_names()))


def dump(staging: Path) -> Dump:
    if connection.vendor == "sqlite":
        return dump_sqlite(staging)
    if connection.vendor == "postgresql":
        return dump_postgresql(staging)
    return dump_json(staging)


def can_restore(db_format: str) -> bool:
    return db_format == JSON or (db_format, connection.vendor) in {
        (SQLITE, "sqlite"),
        (PG_DUMP, "postgresql"),
    }


def check_restorable(db_format: str) -> None:
    if not can_restore(db_format):
        raise BackupError(
            f"This archive holds a {db_format} copy, which restores only into the same engine "
            f'(this installation uses {connection.vendor}). See docs/backups.md, "Moving between engines".'
        )


def restore(db_format: str, staged: Path | Spool, *, force: bool) -> None:
    check_restorable(db_format)
    if isinstance(staged, Spool):
        restore_json(staged, force=force)
    elif db_format == SQLITE:
        restore_sqlite(staged)
    else:
        restore_postgresql(staged)
