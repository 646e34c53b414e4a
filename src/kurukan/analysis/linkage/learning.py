"""Learning from reviewers: confirmed and rejected pairs correct the model's m and its calibration.

Two corrections, each with its assumption (the first only with ``LinkageConfig(learn_m=True)``: on the
synthetic data it lowers F1, see docs/benchmarks-linkage.md):

* **m from confirmed pairs.** A confirmed pair is a true match, so the level it falls in, comparison by
  comparison, is a draw from m (Splink's ``estimate_m_from_pairwise_labels``). EM's m and the
  reviewers' are blended with ``PRIOR_PAIRS`` pseudo-pairs for EM's: with 50 decisions EM still
  weighs most, with 1,000 the reviewers do. Caveat: reviewers see the pairs the queue shows (above
  its minimum probability), so their matches are the easier ones; m of the disagreeing levels is
  under-estimated from them alone, which the blend tempers.
* **Calibration from every decision.** The queue picks pairs by score, so among reviewed pairs of
  one score the share confirmed is an unbiased estimate of P(match | score) — whatever the choice
  of pairs. A logistic regression of the decision on the match weight, shrunk towards the model's
  own calibration (slope 1, intercept 0 in log-odds; a ridge penalty of ``SHRINK`` per parameter),
  gives calibrated probabilities, and the threshold of maximum expected F1 is read from them
  (``threshold``). Platt (1999), "Probabilistic outputs for support vector machines".

No Django here: the duplicates app turns the review queue's decisions into ``Reviews``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

# EM's m counts as this many confirmed pairs in the blend.
PRIOR_PAIRS = 200
# Fewer decisions than this leave the model as EM made it.
MIN_CONFIRMED = 10
MIN_EACH_FOR_CALIBRATION = 5
SHRINK = 2.0
LN2 = math.log(2)


@dataclass(frozen=True)
class Reviews:
    """Record id pairs decided by reviewers (one list de-duplicated: ids of that list)."""

    confirmed: Sequence[tuple[str, str]] = ()
    rejected: Sequence[tuple[str, str]] = ()

    def __len__(self) -> int:
        return len(self.confirmed) + len(self.rejected)


@dataclass
class Learned:
    """What the decisions changed, for the page that shows it."""

    n_confirmed: int = 0
    n_rejected: int = 0
    m_from_reviews: bool = False
    # comparison → {level label: (m before, m after)} for levels whose m moved by more than 0.01
    m_changes: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)
    calibration: tuple[float, float] | None = None  # slope, intercept on log-odds; None: not fitted


def _labels_frame(pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(list(pairs), columns=["unique_id_l", "unique_id_r"]).astype(str)
    return frame[frame["unique_id_l"] != frame["unique_id_r"]].drop_duplicates()


def m_from_reviews(
    linker: Any, trained: dict[str, Any], reviews: Reviews, learned: Learned
) -> dict[str, Any]:
    """``trained`` with m blended with the m of the confirmed pairs (see the module docstring).
    ``linker`` is a Splink linker on the same records and model, used to compare the pairs."""
    confirmed = _labels_frame(reviews.confirmed)
    if len(confirmed) < MIN_CONFIRMED:
        return trained
    table = linker.table_management.register_table(confirmed, "__kurukan_reviews", overwrite=True)
    linker.training.estimate_m_from_pairwise_labels(table)
    from_labels = linker.misc.save_model_to_json()
    weight = len(confirmed) / (len(confirmed) + PRIOR_PAIRS)
    blended = _blend(trained, from_labels, weight, learned)
    learned.m_from_reviews = True
    return blended


def _blend(trained: dict, from_labels: dict, weight: float, learned: Learned) -> dict:
    out = {**trained, "comparisons": []}
    for before, after in zip(trained["comparisons"], from_labels["comparisons"], strict=True):
        levels = []
        changes = {}
        for level, labelled in zip(before["comparison_levels"], after["comparison_levels"], strict=True):
            m_em, m_lab = level.get("m_probability"), labelled.get("m_probability")
            if m_em is None or level.get("is_null_level") or level.get("fix_m_probability"):
                levels.append(level)
                continue
            # a level no confirmed pair fell in: the reviewers say m is small there, not zero
            m_lab = m_lab if m_lab is not None else 0.0
            m_new = max((1 - weight) * m_em + weight * m_lab, 1e-6)
            if abs(m_new - m_em) > 0.01:
                changes[level["label_for_charts"]] = (round(m_em, 4), round(m_new, 4))
            levels.append({**level, "m_probability": m_new})
        out["comparisons"].append({**before, "comparison_levels": levels})
        if changes:
            learned.m_changes[before["output_column_name"]] = changes
    return out


def fit_calibration(pairs: pd.DataFrame, reviews: Reviews) -> tuple[float, float] | None:
    """Slope and intercept (log-odds) of P(confirmed | match weight) over the decided pairs that the
    run scored; None when either kind of decision is too rare to fit."""
    decided = _decisions(pairs, reviews)
    if decided is None:
        return None
    logit = decided["match_weight"].to_numpy(dtype=float) * LN2
    y = decided["confirmed"].to_numpy(dtype=float)

    def loss(theta: np.ndarray) -> float:
        z = theta[0] * logit + theta[1]
        # log(1 + e^z) − y·z, computed without overflow
        nll = np.logaddexp(0.0, z) - y * z
        return float(nll.sum() + SHRINK * ((theta[0] - 1.0) ** 2 + theta[1] ** 2))

    fitted = minimize(loss, np.array([1.0, 0.0]), method="BFGS")
    slope, intercept = (float(v) for v in fitted.x)
    return round(slope, 4), round(intercept, 4)


def _decisions(pairs: pd.DataFrame, reviews: Reviews) -> pd.DataFrame | None:
    if len(reviews.confirmed) < MIN_EACH_FOR_CALIBRATION or len(reviews.rejected) < MIN_EACH_FOR_CALIBRATION:
        return None
    labels = pd.concat(
        [
            _labels_frame(reviews.confirmed).assign(confirmed=1),
            _labels_frame(reviews.rejected).assign(confirmed=0),
        ]
    )
    keys = _unordered(labels["unique_id_l"], labels["unique_id_r"]).to_numpy()
    labels = labels.assign(key=keys).drop_duplicates("key", keep="last").set_index("key")["confirmed"]
    scored = pairs.assign(key=_unordered(pairs["id_l"].astype(str), pairs["id_r"].astype(str)).to_numpy())
    decided = scored[scored["key"].isin(labels.index)]
    decided = decided.assign(confirmed=decided["key"].map(labels))
    each = decided["confirmed"].value_counts()
    if each.get(1, 0) < MIN_EACH_FOR_CALIBRATION or each.get(0, 0) < MIN_EACH_FOR_CALIBRATION:
        return None
    return decided


def _unordered(left: pd.Series, right: pd.Series) -> pd.Series:
    left, right = left.to_numpy(dtype=object), right.to_numpy(dtype=object)
    low = np.where(left < right, left, right)
    high = np.where(left < right, right, left)
    return pd.Series(low, dtype=object) + "\x1f" + pd.Series(high, dtype=object)


def calibrated(pairs: pd.DataFrame, calibration: tuple[float, float]) -> np.ndarray:
    """Calibrated match probabilities of ``pairs`` (same order)."""
    slope, intercept = calibration
    z = slope * pairs["match_weight"].to_numpy(dtype=float) * LN2 + intercept
    return 1.0 / (1.0 + np.exp(-z))
