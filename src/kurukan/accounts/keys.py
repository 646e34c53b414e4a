"""Key rotation: write the new key first, re-encrypt every encrypted column, then retire old keys.

Order matters: if the process dies half-way, the key file already holds old and new keys, so every row
still opens, and running the rotation again finishes the job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction

from kurukan import crypto
from kurukan.fields import EncryptedTextField


@dataclass(frozen=True)
class FailedValue:
    """Where a value failed its integrity check: never the value itself."""

    table: str
    column: str
    record_id: int

    def __str__(self) -> str:
        return f"{self.table}.{self.column} id={self.record_id}"


@dataclass
class RotationResult:
    new_key_id: str
    reencrypted: int
    retired: list[str]


def encrypted_columns() -> Iterator[tuple[str, str, str, EncryptedTextField]]:
    """(table, pk column, column, field) for every encrypted column, history tables included."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                # Concrete fields are the ones with a column (Django's Field.concrete), primary keys included.
                assert model._meta.pk.column is not None and field.column is not None
                yield model._meta.db_table, model._meta.pk.column, field.column, field


def key_ids_in_use() -> set[str]:
    used: set[str] = set()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, _pk, column, _field in encrypted_columns():
            cursor.execute(f"SELECT {quote(column)} FROM {quote(table)} WHERE {quote(column)} <> ''")  # noqa: S608
            used.update(crypto.key_id_of(value) for (value,) in cursor.fetchall() if value)
    # Evidence files on disk are sealed under a key id too; rotation does not re-encrypt them (yet), so
    # their keys must never be retired while a file still needs them.
    from kurukan.evidence.storage import key_ids_in_use as evidence_key_ids

    return used | evidence_key_ids()


def reencrypt_all(
    ring: crypto.Keyring, progress: Callable[[int], None] | None = None, batch: int = 2000
) -> int:
    quote = connection.ops.quote_name
    done = 0
    for table, pk, column, field in encrypted_columns():
        select = (
            f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} "  # noqa: S608 (names come from models)
            f"WHERE {quote(column)} <> '' AND {quote(column)} NOT LIKE %s AND {quote(pk)} > %s "
            f"ORDER BY {quote(pk)} LIMIT {int(batch)}"
        )
        update = f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(pk)} = %s"  # noqa: S608
        last_pk = 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(select, [f"{ring.active}{crypto.SEPARATOR}%", last_pk])
                rows = cursor.fetchall()
                if not rows:
                    break
                last_pk = rows[-1][0]
                changes = []
                for row_pk, stored in rows:
                    try:
                        plain = crypto.decrypt(stored, field._crypto_context, ring)
                    except crypto.IntegrityError:
                        # A tampered value is left as it is (and keeps failing its check) rather than
                        # being laundered into a valid ciphertext under the new key.
                        continue
                    changes.append((crypto.encrypt(plain, field._crypto_context, ring), row_pk))
                if changes:
                    cursor.executemany(update, changes)
                done += len(changes)
                if progress:
                    progress(len(rows))
    return done


def count_encrypted_values() -> int:
    quote = connection.ops.quote_name
    total = 0
    with connection.cursor() as cursor:
        for table, _pk, column, _field in encrypted_columns():
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)} WHERE {quote(column)} <> ''")  # noqa: S608
            total += cursor.fetchone()[0]
    return total


def verify_all(
    ring: crypto.Keyring, progress: Callable[[int], None] | None = None, batch: int = 2000
) -> tuple[int, list[FailedValue]]:
    """Decrypt every stored value (history rows included) in batches; return how many were read and which
    failed. Read-only: a tampered value is reported, not repaired — the previous version is in history."""
    quote = connection.ops.quote_name
    checked = 0
    failed: list[FailedValue] = []
    for table, pk, column, field in encrypted_columns():
        select = (
            f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} "  # noqa: S608 (names come from models)
            f"WHERE {quote(column)} <> '' AND {quote(pk)} > %s ORDER BY {quote(pk)} LIMIT {int(batch)}"
        )
        last_pk = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(select, [last_pk])
                rows = cursor.fetchall()
            if not rows:
                break
            last_pk = rows[-1][0]
            for row_pk, stored in rows:
                try:
                    crypto.decrypt(stored, field._crypto_context, ring)
                except crypto.IntegrityError:
                    failed.append(FailedValue(table, column, row_pk))
            checked += len(rows)
            if progress:
                progress(len(rows))
    return checked, failed
