"""What a linkage run returns: scored pairs with their evidence, and entities (clusters)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .constraints import constrained_clusters
from .learning import Learned
from .threshold import ThresholdChoice


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
    ``evidence``, a one-line summary, and ``one_to_one``: whether the pair survives the one-to-one
    assignment between its two reports (see ``constraints``; a pair that does not is never a link).
    ``clusters`` has one row per input record: ``id`` (``source``), ``cluster_id``,
    ``cluster_size``; records that share a cluster_id are taken to be one entity at
    ``match_threshold``.
    """

    pairs: pd.DataFrame
    clusters: pd.DataFrame
    comparisons: list[str]
    match_threshold: float
    pairs_threshold: float
    model: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    # One row per input record: id (source), key, report, entry — the constraints' inputs.
    # Empty: plain connected components.
    records: pd.DataFrame = field(default_factory=pd.DataFrame)
    max_chain: int = 0
    min_density: float = 0.0
    # Expected precision and recall at ``match_threshold`` (``threshold``), and whether it was chosen.
    threshold_choice: ThresholdChoice | None = None
    # What reviewers' decisions changed (``learning``); None when the run was given none.
    learned: Learned | None = None

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
        """The pairs at or above the match threshold (that survive the one-to-one assignment)."""
        kept = self.pairs["match_probability"] >= self.match_threshold
        if "one_to_one" in self.pairs.columns:
            kept &= self.pairs["one_to_one"]
        return self.pairs[kept]

    def clusters_at(self, threshold: float) -> pd.DataFrame:
        """Re-cluster at another threshold without re-running the model, with the same constraints
        (``constraints.constrained_clusters``) as the run itself.

        Only pairs kept in ``pairs`` are known, so ``threshold`` must be ≥ ``pairs_threshold``.
        """
        if threshold < self.pairs_threshold:
            raise ValueError(f"threshold must be at least pairs_threshold ({self.pairs_threshold})")
        if not self.records.empty:
            labels = constrained_clusters(
                self.pairs, self.records, threshold, self.max_chain, self.min_density
            )
            out = self.records.drop(columns=["key", "report", "entry"]).copy()
            out["cluster_id"] = labels.to_numpy()
            out["cluster_size"] = out.groupby("cluster_id")["id"].transform("size")
            return out
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
