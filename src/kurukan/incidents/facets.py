"""Which kinds of violation an incident holds, as bits on the incident row, so lists filter without joins.

A list filtered by violation type, perpetrator category or verification status must find 25 incidents
among a million in date order. Asking each incident "do you have such a violation?" (a subquery per row)
costs hundreds of milliseconds when matches are common; a bit test on the row itself costs nothing. Each
term of the three vocabularies gets a stable bit (its rank by id within its vocabulary: terms are never
deleted, so ranks never move); a term past the 63rd of its vocabulary gets none, and filters on it fall back
to the subquery. The bits say "this incident has SOME violation of this kind": filters on one kind are
exact with the bit alone; filters combining kinds on the same violation keep the subquery for exactness and
use the bits only to skip incidents that cannot match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from kurukan.vocabularies.models import Term

from .models import Incident, Perpetrator, VerificationStatus, Violation

MAX_BITS = 63  # a signed 64-bit column
VERIFICATION_BITS = {status: 1 << n for n, status in enumerate(VerificationStatus.values)}
BATCH = 5000


@lru_cache(maxsize=8)
def positions(vocabulary: str) -> dict[int, int]:
    """Each term's bit in its vocabulary's column."""
    ids = Term.objects.filter(vocabulary=vocabulary).order_by("pk").values_list("pk", flat=True)
    return {term_id: 1 << n for n, term_id in enumerate(ids) if n < MAX_BITS}


def reset_cache() -> None:
    positions.cache_clear()


def mask_for(vocabulary: str, term_ids: Iterable[int]) -> int | None:
    """The bits of these terms together, or None when one of them has no bit (use the subquery)."""
    bits = positions(vocabulary)
    mask = 0
    for term_id in term_ids:
        if term_id not in bits:
            return None
        mask |= bits[term_id]
    return mask


def having_any(qs: QuerySet[Incident], column: str, mask: int) -> QuerySet[Incident]:
    return qs.alias(**{f"_{column}_hit": F(column).bitand(mask)}).exclude(**{f"_{column}_hit": 0})


def _compute(incident_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    types, verifications, perpetrators = (
        positions("violation_type"),
        VERIFICATION_BITS,
        positions("perpetrator_category"),
    )
    bits: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for incident_id, type_id, status in Violation.objects.filter(incident_id__in=incident_ids).values_list(
        "incident_id", "type_id", "verification_status"
    ):
        row = bits[incident_id]
        row[0] |= types.get(type_id, 0)
        row[2] |= verifications.get(status, 0)
    for incident_id, category_id in Perpetrator.objects.filter(
        violation__incident_id__in=incident_ids
    ).values_list("violation__incident_id", "category_id"):
        bits[incident_id][1] |= perpetrators.get(category_id, 0)
    return {pk: (bits[pk][0], bits[pk][1], bits[pk][2]) for pk in incident_ids}


def refresh(incident_ids: list[int]) -> None:
    """Recompute the bits of these incidents from their violations (after any change to them)."""
    for start in range(0, len(incident_ids), BATCH):
        chunk = incident_ids[start : start + BATCH]
        computed = _compute(chunk)
        quote = connection.ops.quote_name
        table = quote(Incident._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET {quote('type_bits')} = %s, {quote('perpetrator_bits')} = %s, "  # noqa: S608
                f"{quote('verification_bits')} = %s WHERE {quote('id')} = %s",
                [(*computed[pk], pk) for pk in chunk],
            )


def backfill(only_missing: bool = True, progress=None) -> int:
    """Fill the bits of incidents loaded without them (bulk imports, rows older than the columns)."""
    qs = Incident.objects.filter(violation_count__gt=0)
    if only_missing:
        qs = qs.filter(Q(type_bits=0) | Q(verification_bits=0))
    done, last = 0, 0
    while True:
        ids = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return done
        refresh(ids)
        done += len(ids)
        last = ids[-1]
        if progress:
            progress(len(ids))
