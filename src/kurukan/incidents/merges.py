"""Merge chains: A merged into B, B into C — A and B both resolve to the root survivor C.

`merged_into` is a tree (each record points at one other, and merges are only ever made between roots,
so no cycle can form); these helpers walk it a level per query, which stays cheap since chains are short.
The one walker of merges, for people and incidents alike: de-duplication, the victim counts of
`incidents.actions` and the capture histories of estimates all resolve roots here. Ids are read in
chunks, so a national list does not put a million ids in one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MAX_DEPTH = 50  # far beyond any real chain; stops a corrupted (cyclic) tree from looping forever
CHUNK = 5000  # ids per query: well under SQLite's and PostgreSQL's limits on bound parameters


def roots_of(model: Any, ids: Iterable[int]) -> dict[int, int]:
    """Each id → the id of the record it is ultimately merged into (itself when not merged)."""
    ids = set(ids)
    parent: dict[int, int | None] = {}
    frontier = ids
    for _depth in range(MAX_DEPTH):
        if not frontier:
            break
        found: dict[int, int | None] = {}
        batch = list(frontier)
        for start in range(0, len(batch), CHUNK):
            rows = model.objects.filter(pk__in=batch[start : start + CHUNK]).values_list(
                "pk", "merged_into_id"
            )
            found.update(rows)
        parent.update(found)
        frontier = {p for p in found.values() if p is not None and p not in parent}
    out = {}
    for start in ids:
        node, steps = start, 0
        while parent.get(node) is not None and steps < MAX_DEPTH:
            node, steps = parent[node], steps + 1  # type: ignore[assignment]
        out[start] = node
    return out


def root_of(model: Any, pk: int) -> int:
    return roots_of(model, [pk])[pk]


def merged_family(model: Any, root_id: int) -> set[int]:
    """The root and every record merged into it, directly or through a chain."""
    family = {root_id}
    frontier = {root_id}
    for _depth in range(MAX_DEPTH):
        batch = list(frontier)
        children: set[int] = set()
        for start in range(0, len(batch), CHUNK):
            chunk = batch[start : start + CHUNK]
            children |= set(model.objects.filter(merged_into_id__in=chunk).values_list("pk", flat=True))
        children -= family
        if not children:
            break
        family |= children
        frontier = children
    return family
