"""Accuracy of a linkage against known truth: pairwise and cluster-level (B-cubed) scores.

Pairwise precision and recall count record pairs put in one cluster (predicted) against pairs that
share a true entity id (Christen 2012, *Data Matching*, ch. 7). B-cubed (Bagga & Baldwin 1998)
averages, over records, the share of a record's predicted cluster that is truly its entity
(precision) and the share of its true entity that landed in its cluster (recall); it weighs every
record equally, where pairwise scores are dominated by large entities.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairs_within(labels: pd.Series) -> int:
    sizes = labels.value_counts().to_numpy(dtype=np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def pairwise_scores(predicted: pd.Series, truth: pd.Series) -> Scores:
    """Pairwise precision/recall of a clustering (``predicted`` cluster ids) against ``truth`` ids,
    both aligned on the same records."""
    frame = pd.DataFrame({"p": predicted.to_numpy(), "t": truth.to_numpy()})
    predicted_pairs = _pairs_within(frame["p"])
    true_pairs = _pairs_within(frame["t"])
    both = frame.groupby(["p", "t"]).size().to_numpy(dtype=np.int64)
    agreed = int((both * (both - 1) // 2).sum())
    precision = agreed / predicted_pairs if predicted_pairs else 1.0
    recall = agreed / true_pairs if true_pairs else 1.0
    return Scores(precision, recall)


def bcubed_scores(predicted: pd.Series, truth: pd.Series) -> Scores:
    frame = pd.DataFrame({"p": predicted.to_numpy(), "t": truth.to_numpy()})
    joint = frame.groupby(["p", "t"])["p"].transform("size").to_numpy(dtype=float)
    cluster = frame.groupby("p")["p"].transform("size").to_numpy(dtype=float)
    entity = frame.groupby("t")["t"].transform("size").to_numpy(dtype=float)
    return Scores(float(np.mean(joint / cluster)), float(np.mean(joint / entity)))
