"""Victims of two reports of one incident: the prior of a pair given its reports' other links.

Fellegi–Sunter scores a pair against the prior probability that two *random* records match, λ,
which shrinks as the list grows (matches grow with n, pairs with n²): at 100,000 records it is a
few in a million, and only a pair whose evidence multiplies the odds by about a million is linked.
The event comparison (same date, same commune) supplies most of that evidence, but it cannot
tell a victim of the same incident from a co-victim.

Two reports that already share a confidently matched victim (an *anchor*, probability ≥
``ANCHOR``, kept by the one-to-one assignment) describe one incident. For the other pairs of
victims between those two reports, the question is no longer "are two random records one person?"
but "which victim of report B is this victim of report A?". Their prior is then the share of
victim pairs between two reports of one incident that are one person, λ_event, estimated on the
anchored report pairs as Σ min(n_A, n_B) / Σ n_A·n_B (entries per report; an upper bound that
assumes the shorter list is wholly in the longer). The event comparison is dropped for those
pairs, since "same incident" is what the anchor already established, and its Bayes factor is not
counted twice. The pair's match weight becomes

    weight − log2 BF(event) − logit2(λ) + logit2(λ_event)

when that is higher than the original weight; the difference is shown to reviewers as the
evidence of a ``reports`` comparison ("the two reports share another matched victim"), so the
Bayes factors of a pair still multiply, with the prior odds, to its posterior odds. The one-to-one
assignment is then made again on the new probabilities: within two reports of one incident, each
victim is still at most one victim of the other report.

A pair never anchors itself; a report pair's anchors are counted over distinct entries.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .constraints import one_to_one, record_keys

ANCHOR = 0.99
NAME = "reports"
SHARED = "the two reports share another matched victim"
ALONE = "no other matched victim in the two reports"


def _logit2(p: float) -> float:
    return float(np.log2(p / (1 - p)))


def rescore(
    pairs: pd.DataFrame, records: pd.DataFrame, prior: float, event: str
) -> tuple[pd.DataFrame, float]:
    """``pairs`` with context-adjusted ``match_probability``/``match_weight``, ``reports_level``,
    ``reports_bf`` and ``one_to_one`` (re-assigned), sorted strongest first; and λ_event (0 when no
    report pair has an anchor, in which case nothing changes)."""
    out = pairs.copy()
    out[f"{NAME}_level"] = ALONE
    out[f"{NAME}_bf"] = 1.0
    if out.empty or f"{event}_bf" not in out.columns or not 0 < prior < 1:
        return out, 0.0
    lookup = records.set_index("key")
    left, right = record_keys(out, "_l"), record_keys(out, "_r")
    report_l = lookup["report"].reindex(left).to_numpy()
    report_r = lookup["report"].reindex(right).to_numpy()
    entry_l = lookup["entry"].reindex(left).to_numpy()
    entry_r = lookup["entry"].reindex(right).to_numpy()
    first = np.where(report_l < report_r, report_l, report_r)
    second = np.where(report_l < report_r, report_r, report_l)
    report_pair = pd.Series(first, dtype=object) + "\x1f" + pd.Series(second, dtype=object)
    entry_pair = pd.Series(entry_l, dtype=object) + "\x1f" + pd.Series(entry_r, dtype=object)

    strong = (out["match_probability"].to_numpy() >= ANCHOR) & out["one_to_one"].to_numpy()
    anchors = pd.DataFrame({"rp": report_pair[strong], "ep": entry_pair[strong]}).drop_duplicates()
    per_report_pair = anchors.groupby("rp").size()
    if per_report_pair.empty:
        return out, 0.0
    own = entry_pair.isin(set(anchors["ep"])).to_numpy().astype(int)
    others = report_pair.map(per_report_pair).fillna(0).to_numpy() - own

    entries = records.drop_duplicates("entry").groupby("report").size()
    anchored = pd.DataFrame({"rp": report_pair, "a": report_l, "b": report_r})[others > 0]
    anchored = anchored.drop_duplicates("rp")
    if anchored.empty:
        return out, 0.0
    n_a = anchored["a"].map(entries).to_numpy(dtype=float)
    n_b = anchored["b"].map(entries).to_numpy(dtype=float)
    lambda_event = float(np.minimum(n_a, n_b).sum() / (n_a * n_b).sum())
    lambda_event = min(max(lambda_event, prior), 0.5)

    weight = out["match_weight"].to_numpy(dtype=float)
    event_weight = np.log2(out[f"{event}_bf"].to_numpy(dtype=float).clip(min=1e-300))
    context = weight - event_weight - _logit2(prior) + _logit2(lambda_event)
    boost = (others > 0) & (context > weight)
    new_weight = np.where(boost, context, weight)
    out["match_weight"] = np.round(new_weight, 4)
    out["match_probability"] = np.round(1.0 / (1.0 + np.exp2(-new_weight)), 6)
    out.loc[others > 0, f"{NAME}_level"] = SHARED
    out[f"{NAME}_bf"] = np.round(np.exp2(new_weight - weight), 4)
    summary = f"{NAME}: " + out[f"{NAME}_level"] + " (×" + out[f"{NAME}_bf"].map("{:.3g}".format) + ")"
    out["evidence"] = out["evidence"] + "; " + summary
    out = out.sort_values("match_probability", ascending=False, kind="stable").reset_index(drop=True)
    out["one_to_one"] = one_to_one(out, records)
    return out, lambda_event
