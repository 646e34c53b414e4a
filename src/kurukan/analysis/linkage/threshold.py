"""The match threshold of maximum expected F1, read from the model's own match probabilities.

With no labelled pairs, a calibrated model still says how many true matches to expect: a pair of
probability p is a match with probability p. For a threshold t, link the pairs at or above t and
build the entities (with the constraints of ``constraints``); the records put in one entity form
pairs, each a true match with the probability the model gave it (0 for a pair it never scored).
Then

    expected true positives  E[TP](t) = Σ p over the record pairs inside entities
    expected precision       E[TP](t) / (number of record pairs inside entities)
    expected recall          E[TP](t) / Σ p over every scored pair (the expected number of matches)

and the threshold kept is the one of highest expected F1 (the ratio of expectations, a close
approximation of the expected ratio when there are many pairs; Lipton, Elkan & Naryanaswamy 2014,
"Optimal thresholding of classifiers to maximize F1 measure", show the optimum of a calibrated
classifier lies at half the F1 it reaches). Reading precision from the *entities* rather than from
the links matters: a low threshold chains records through weak links into entities whose other
pairs the model scored low or never, and that shows as lost expected precision.

Assumption: the probabilities are calibrated. Splink's are not always (EM on blocked pairs, the
conditional-independence assumption of Fellegi–Sunter); reviewers' decisions are what corrects
that, and ``--threshold`` overrides the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .constraints import record_keys

if TYPE_CHECKING:
    from .result import LinkageResult

# Candidate thresholds: a grid (re-clustering at each is the cost); below ½ a link is more likely wrong.
CANDIDATES: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)


@dataclass(frozen=True)
class ThresholdChoice:
    threshold: float
    expected_precision: float
    expected_recall: float

    @property
    def expected_f1(self) -> float:
        total = self.expected_precision + self.expected_recall
        return 2 * self.expected_precision * self.expected_recall / total if total else 0.0


def expected_scores(
    result: LinkageResult, threshold: float, probabilities: np.ndarray | None = None
) -> ThresholdChoice:
    """Expected precision and recall of the entities at ``threshold`` (see the module docstring).
    ``probabilities``: calibrated probabilities of ``result.pairs`` (``learning``), in its order;
    the entities are still built from the run's own probabilities."""
    pairs = result.pairs.assign(
        expected=result.pairs["match_probability"].to_numpy() if probabilities is None else probabilities
    )
    if "one_to_one" in pairs.columns:
        pairs = pairs[pairs["one_to_one"]]
    expected_matches = float(pairs["expected"].sum())
    clusters = result.clusters_at(threshold)
    sizes = clusters["cluster_size"].to_numpy(dtype=np.int64)
    # each entity of size s is counted s times in ``clusters``: s·(s−1)/2 pairs, once
    predicted = float((sizes - 1).sum() / 2)
    if predicted == 0 or expected_matches == 0:
        return ThresholdChoice(threshold, 1.0, 0.0 if expected_matches else 1.0)
    label = pd.Series(clusters["cluster_id"].to_numpy(), index=record_keys(clusters).to_numpy())
    left = label.reindex(record_keys(pairs, "_l").to_numpy()).to_numpy()
    right = label.reindex(record_keys(pairs, "_r").to_numpy()).to_numpy()
    inside = pd.notna(left) & (left == right)
    true_positives = float(pairs["expected"].to_numpy()[inside].sum())
    return ThresholdChoice(threshold, true_positives / predicted, true_positives / expected_matches)


def choose_threshold(
    result: LinkageResult,
    candidates: tuple[float, ...] = CANDIDATES,
    probabilities: np.ndarray | None = None,
) -> ThresholdChoice:
    """The candidate threshold (≥ the run's pairs threshold) of highest expected F1; ties go to the
    higher threshold (fewer links to review for the same expected quality)."""
    usable = [t for t in candidates if t >= result.pairs_threshold] or [max(candidates)]
    best: ThresholdChoice | None = None
    for threshold in usable:
        scores = expected_scores(result, threshold, probabilities)
        if best is None or scores.expected_f1 >= best.expected_f1:
            best = scores
    assert best is not None
    return best
