"""Constraints from how the records arise, applied between scoring and clustering.

A source document (a monitor's report, a list, an interview) is written by one person who knows
whom they are counting:

* **Distinct entries of one report are distinct people.** A report that names two victims counted
  two people. It may list one victim under several violations (killed *and* tortured); those
  records carry the same name, sex and age, and form one *entry* (``prepare`` computes ``entry``).
  Two records of one report are never scored as a pair (every blocking rule requires different
  reports), the records of one entry are joined without scoring, and two entries of one report
  never end in one cluster.
* **One-to-one between two reports.** A victim of report A is at most one victim of report B. Of the
  scored pairs between the entries of two reports, a greedy assignment keeps, strongest first, a
  pair only if neither entry is already assigned to an entry of the other's report
  (``one_to_one``). Greedy rather than optimal (Hungarian) assignment: blocks are a handful of
  victims, ties are rare, and the greedy choice is the one a reviewer can follow.
* **Clusters never hold two entries of one report.** Links at or above the threshold are added
  strongest first (Kruskal's order); a link that would put two entries of one report in one
  component is dropped. This is the rule "split such components by removing their weakest links":
  of the links that close a conflicting path, the weakest is the one left out.

For incidents a record is its own report and entry, so the report constraints do not bind; the
constraint there is on link density (``split_sparse``): a component holding more records than
``max_chain`` is kept whole only if its links are dense enough to be one event reported many times
rather than a chain of similar events.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

# Record key in a run linking two lists: source and id, as Splink names records.
SEPARATOR = "-__-"


def record_keys(frame: pd.DataFrame, suffix: str = "") -> pd.Series:
    ids = frame[f"id{suffix}"].astype(str)
    source = f"source{suffix}"
    if source in frame.columns:
        return frame[source].astype(str) + SEPARATOR + ids
    return ids


def one_to_one(pairs: pd.DataFrame, records: pd.DataFrame) -> np.ndarray:
    """For each scored pair (rows of ``pairs``, sorted by probability, strongest first), whether the
    greedy one-to-one assignment between the two reports keeps it. ``records`` has ``key``,
    ``report`` and ``entry`` per record."""
    n = len(pairs)
    if n == 0 or records.empty:
        return np.ones(n, dtype=bool)
    lookup = records.set_index("key")
    left = record_keys(pairs, "_l")
    right = record_keys(pairs, "_r")
    entry_l = lookup["entry"].reindex(left).to_numpy()
    entry_r = lookup["entry"].reindex(right).to_numpy()
    report_l = lookup["report"].reindex(left).to_numpy()
    report_r = lookup["report"].reindex(right).to_numpy()
    order = np.argsort(-pairs["match_probability"].to_numpy(), kind="stable")
    assigned: dict[tuple[object, object], object] = {}  # (entry, other report) → the entry it took
    keep = np.zeros(n, dtype=bool)
    for i in order:
        a, b, ra, rb = entry_l[i], entry_r[i], report_l[i], report_r[i]
        took_a = assigned.get((a, rb))
        took_b = assigned.get((b, ra))
        if (took_a is None or took_a == b) and (took_b is None or took_b == a):
            assigned[(a, rb)] = b
            assigned[(b, ra)] = a
            keep[i] = True
    return keep


def constrained_clusters(
    pairs: pd.DataFrame,
    records: pd.DataFrame,
    threshold: float,
    max_chain: int = 0,
    min_density: float = 0.0,
) -> pd.Series:
    """Cluster id (the smallest record key of the cluster) per record of ``records`` (by ``key``).

    Entries are joined; then kept pairs at or above ``threshold`` are added strongest first, except
    a pair that would put two entries of one report in one cluster. With ``max_chain``, components
    larger than it whose link density is below ``min_density`` are split (``split_sparse``).
    """
    keys = records["key"].to_numpy()
    n = len(keys)
    entry_codes, _ = pd.factorize(records["entry"])
    report_codes, _ = pd.factorize(records["report"])
    parent = np.arange(n)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    # reports present in each component, with the entry each holds: report → entry
    members: dict[int, dict[int, int]] = {i: {int(report_codes[i]): int(entry_codes[i])} for i in range(n)}

    def union(a: int, b: int) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return True
        small, large = (ra, rb) if len(members[ra]) <= len(members[rb]) else (rb, ra)
        big = members[large]
        for report, entry in members[small].items():
            if big.get(report, entry) != entry:
                return False
        big.update(members.pop(small))
        parent[small] = large
        return True

    # the records of one entry are one person
    first_of_entry = pd.Series(np.arange(n)).groupby(entry_codes).transform("min").to_numpy()
    for i in np.nonzero(first_of_entry != np.arange(n))[0]:
        union(int(i), int(first_of_entry[i]))

    links = pairs[pairs["match_probability"] >= threshold]
    if "one_to_one" in links.columns:
        links = links[links["one_to_one"]]
    index = pd.Index(keys)
    left = index.get_indexer(record_keys(links, "_l"))
    right = index.get_indexer(record_keys(links, "_r"))
    probability = links["match_probability"].to_numpy()
    order = np.argsort(-probability, kind="stable")
    accepted = np.zeros(len(links), dtype=bool)
    for i in order:
        if left[i] >= 0 and right[i] >= 0:
            accepted[i] = union(int(left[i]), int(right[i]))
    labels = np.array([find(i) for i in range(n)])
    if max_chain:
        labels = split_sparse(
            labels, left[accepted], right[accepted], probability[accepted], max_chain, min_density
        )
    representative = pd.Series(keys).groupby(labels).transform("min")
    return pd.Series(representative.to_numpy(), index=pd.Index(keys, name="key"))


def split_sparse(
    labels: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    probability: np.ndarray,
    max_chain: int,
    min_density: float,
) -> np.ndarray:
    """Split components larger than ``max_chain`` records whose link density (links ÷ possible
    pairs) is below ``min_density``, by dropping their weakest tenth of links (at least one) until
    every part is small or dense. Reports of one event are mostly linked to each other directly; a
    long, thin chain of pairwise links between similar events (same commune, week after week) is
    not an event. ``labels`` are record positions (as union–find roots), so new labels start at n."""
    labels = labels.copy()
    sizes = np.bincount(labels, minlength=len(labels))
    suspect = np.nonzero(sizes > max_chain)[0]
    next_label = len(labels)
    for root in suspect:
        mine = labels[left] == root
        next_label = _split(
            np.nonzero(labels == root)[0],
            (left[mine], right[mine], probability[mine]),
            labels,
            next_label,
            max_chain,
            min_density,
        )
    return labels


def _split(
    nodes: np.ndarray,
    links: tuple[np.ndarray, np.ndarray, np.ndarray],
    labels: np.ndarray,
    next_label: int,
    max_chain: int,
    min_density: float,
) -> int:
    """Label the parts of one component (``nodes``, joined by ``links``: left, right, probability)
    from ``next_label`` on, in place; returns the next free label."""
    stack = [(nodes, *links)]
    while stack:
        nodes, left, right, probability = stack.pop()
        size = len(nodes)
        if size <= max_chain or len(left) >= min_density * size * (size - 1) / 2:
            labels[nodes] = next_label
            next_label += 1
            continue
        weakest = np.argsort(probability, kind="stable")[: max(1, len(probability) // 10)]
        keep = np.ones(len(probability), dtype=bool)
        keep[weakest] = False
        left, right, probability = left[keep], right[keep], probability[keep]
        local = pd.Index(nodes)
        li, ri = local.get_indexer(left), local.get_indexer(right)
        graph = coo_matrix((np.ones(len(li)), (li, ri)), shape=(size, size))
        count, parts = connected_components(graph, directed=False)
        if count == 1:
            stack.append((nodes, left, right, probability))
            continue
        part_of_link = parts[li]
        for part in range(count):
            mine = part_of_link == part
            stack.append((nodes[parts == part], left[mine], right[mine], probability[mine]))
    return next_label
