"""What a linkage run returns: scored pairs with their evidence, and entities (clusters)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


@dataclass(frozen=True)
class Evidence:
    """One comparison's contribution to a pair's score, as a reviewer reads it.

    ``bayes_factor`` = m/u of the level the pair falls in (with the term-frequency adjustment when
    the model uses one): above 1 it is evidence that the records are the same person or incident,
    below 1 evidence that they are not; 1 (an unknown value) is no evidence either way.
    """

    field: str
    level: str
    bayes_factor: float

    @property
    def weight(self) -> float:
        """log2 of the Bayes factor: the points this comparison adds to the match weight."""
        return math.log2(self.bayes_factor) if self.bayes_factor > 0 else -math.inf

    @property
    def supports_match(self) -> bool:
        return self.bayes_factor > 1


@dataclass
class LinkageResult:
    """Scored pairs and clusters of one run.

    ``pairs`` has one row per candidate pair scored at or above ``pairs_threshold``: ``id_l``,
    ``id_r`` (and ``source_l``/``source_r`` when linking two lists), ``match_probability``,
    ``match_weight``, then for each comparison ``<field>_level`` and ``<field>_bf``, and
    ``evidence``, a one-line summary. ``clusters`` has one row per input record: ``id``
    (``source``), ``cluster_id``; records that share a cluster_id are taken to be one entity at
    ``match_threshold``.
    """

    pairs: pd.DataFrame
    clusters: pd.DataFrame
    comparisons: list[str]
    match_threshold: float
    pairs_threshold: float
    model: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def evidence(self, row: int) -> list[Evidence]:
        """Per-comparison evidence for the pair in row ``row`` of ``pairs``, strongest first."""
        record = self.pairs.iloc[row]
        items = [
            Evidence(name, str(record[f"{name}_level"]), float(record[f"{name}_bf"]))
            for name in self.comparisons
        ]
        return sorted(items, key=lambda e: -abs(e.weight))

    def evidence_for_and_against(self, row: int) -> tuple[list[Evidence], list[Evidence]]:
        items = self.evidence(row)
        return [e for e in items if e.bayes_factor > 1], [e for e in items if e.bayes_factor < 1]

    def links(self) -> pd.DataFrame:
        """The pairs at or above the match threshold."""
        return self.pairs[self.pairs["match_probability"] >= self.match_threshold]

    def clusters_at(self, threshold: float) -> pd.DataFrame:
        """Re-cluster (connected components) at another threshold without re-running the model.

        Only pairs kept in ``pairs`` are known, so ``threshold`` must be ≥ ``pairs_threshold``.
        """
        if threshold < self.pairs_threshold:
            raise ValueError(f"threshold must be at least pairs_threshold ({self.pairs_threshold})")
        keys = _record_keys(self.clusters, "")
        index = pd.Index(keys)
        kept = self.pairs[self.pairs["match_probability"] >= threshold]
        left = index.get_indexer(_record_keys(kept, "_l"))
        right = index.get_indexer(_record_keys(kept, "_r"))
        n = len(index)
        graph = coo_matrix((np.ones(len(left)), (left, right)), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        out = self.clusters.drop(columns=["cluster_id", "cluster_size"], errors="ignore").copy()
        # name each cluster after its smallest record key, as Splink does
        representative = pd.Series(keys).groupby(labels).transform("min")
        out["cluster_id"] = representative.to_numpy()
        out["cluster_size"] = out.groupby("cluster_id")["id"].transform("size")
        return out


def _record_keys(frame: pd.DataFrame, suffix: str) -> list[str]:
    ids = frame[f"id{suffix}"].astype(str)
    source = f"source{suffix}"
    if source in frame.columns:
        return (frame[source].astype(str) + "-__-" + ids).tolist()
    return ids.tolist()
