"""Writing and checking the audit chain. Call `record()` inside the transaction of the change it logs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import GENESIS, AuditEvent

# Keys that must never reach the log, whatever a caller passes: the log is shown to auditors.
FORBIDDEN_DETAIL_KEYS = {"name", "given_name", "family_name", "phone", "id_number", "address", "narrative"}
_PG_LOCK_ID = 52_42_2023


def record(
    action: str,
    *,
    user: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    **details: Any,
) -> AuditEvent:
    leaked = FORBIDDEN_DETAIL_KEYS & details.keys()
    if leaked:
        raise ValueError(f"Identifying data may not be written to the audit log: {sorted(leaked)}")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
    with transaction.atomic():
        # One writer at a time extends the chain. SQLite already serialises writers (IMMEDIATE
        # transactions); PostgreSQL needs an explicit lock, held until the transaction ends.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_ID])
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        event = AuditEvent(
            sequence=(last["sequence"] + 1) if last else 1,
            at=timezone.now(),
            user=user if getattr(user, "is_authenticated", False) else None,
            username=getattr(user, "username", "") or "",
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=details,
            previous_hash=last["hash"] if last else GENESIS,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    problem: str


def verify_chain(batch_size: int = 5000) -> Iterator[ChainProblem]:
    """Walk the chain in order; report every entry whose hash, link or numbering is wrong."""
    previous_hash = GENESIS
    expected_sequence = 1
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if event.sequence != expected_sequence:
            yield ChainProblem(event.sequence, f"missing or reordered entries before {event.sequence}")
        if event.previous_hash != previous_hash:
            yield ChainProblem(event.sequence, "link to the previous entry is broken")
        if event.compute_hash() != event.hash:
            yield ChainProblem(event.sequence, "entry was altered after it was written")
        previous_hash = event.hash
        expected_sequence = event.sequence + 1
