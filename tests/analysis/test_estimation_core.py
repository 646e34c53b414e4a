"""Hand-computable cases, the refusal of non-estimable models, strata and table building."""

from pathlib import Path

import numpy as np
import pytest

from kurukan.analysis.estimation import (
    CaptureTable,
    InputError,
    Model,
    NotEstimableError,
    estimate_loglinear,
    estimate_stratified,
)
from kurukan.analysis.estimation.identifiability import NO_EXISTENCE, NOT_IDENTIFIABLE, OK, check_model
from kurukan.analysis.estimation.loglinear import all_models, fit_model

DATA = Path(__file__).resolve().parents[1] / "data/mse"


def independent_table(n: float, probs: list[float]) -> CaptureTable:
    """Expected counts of an independence model, exactly (no sampling)."""
    k = len(probs)
    counts = np.zeros(2**k)
    for mask in range(1, 2**k):
        p = 1.0
        for j, q in enumerate(probs):
            p *= q if mask >> j & 1 else 1 - q
        counts[mask] = n * p
    return CaptureTable(tuple("ABCDEFGH"[:k]), np.rint(counts).astype(int))


def test_three_lists_generated_from_independence_recover_their_total():
    t = independent_table(10_000, [0.3, 0.2, 0.5])
    result = estimate_loglinear(t, criterion="main", bootstrap=0)
    assert result.estimate == pytest.approx(10_000, rel=2e-3)
    assert result.ci_low < 10_000 < result.ci_high


def test_independence_with_two_informative_lists_is_lincoln_petersen():
    # with list C independent of A and B, the main-effects fit of the A-B margin is Lincoln-Petersen:
    # N = n_A * n_B / n_AB
    n_a, n_b, n_ab = 300, 200, 60
    t = independent_table(1000, [n_a / 1000, n_b / 1000, 0.5])
    a = t.histories[:, 0] == 1
    b = t.histories[:, 1] == 1
    y = t.cell_counts
    lincoln_petersen = y[a].sum() * y[b].sum() / y[a & b].sum()
    fit = fit_model(3, y, Model())
    assert fit.abundance == pytest.approx(lincoln_petersen, rel=5e-3)
    assert fit.abundance == pytest.approx(n_a * n_b / n_ab, rel=5e-3)


def test_the_artificial_table_of_chan_silverman_vincent_gives_their_three_verdicts():
    t = CaptureTable.from_csv(DATA / "artificial_3lists_identifiability.csv")
    ab, ac, bc = 0b011, 0b101, 0b110
    assert check_model(3, t.cell_counts, Model((ab, ac, bc)).params(3)) == NOT_IDENTIFIABLE
    assert check_model(3, t.cell_counts, Model((ab,)).params(3)) == NO_EXISTENCE
    assert check_model(3, t.cell_counts, Model((ac, bc)).params(3)) == OK


@pytest.mark.parametrize(
    ("model", "words"), [("A:B, A:C, B:C", "not identifiable"), ("A:B", "does not exist")]
)
def test_it_refuses_a_model_the_table_cannot_estimate_with_a_plain_message(model, words):
    t = CaptureTable.from_csv(DATA / "artificial_3lists_identifiability.csv")
    with pytest.raises(NotEstimableError, match=words):
        estimate_loglinear(t, criterion="fixed", model=model, bootstrap=0)


def test_it_refuses_lists_that_never_overlap():
    t = CaptureTable.from_rows(
        [
            {"A": 1, "B": 0, "C": 0, "count": 5},
            {"A": 0, "B": 1, "C": 0, "count": 4},
            {"A": 0, "B": 0, "C": 1, "count": 2},
        ]
    )
    with pytest.raises(NotEstimableError, match="do not overlap"):
        estimate_loglinear(t, bootstrap=0)


def test_hierarchical_model_counts_are_right():
    assert len(all_models(3, 2)) == 8
    assert len(all_models(4, 2)) == 64
    # 4 lists, up to order 3: the downsets of pairs+triples where each triple needs its three pairs
    assert len(all_models(4, 3)) == 113


def test_tables_from_rows_and_from_memberships_agree():
    rows = CaptureTable.from_rows(
        [{"A": 1, "B": 1, "C": 0, "count": 2}, {"A": 0, "B": 0, "C": 1, "count": 1}]
    )
    people = CaptureTable.from_memberships([{"A", "B"}, {"B", "A"}, {"C"}], lists=["A", "B", "C"])
    assert np.array_equal(rows.counts, people.counts)
    assert rows.observed == 3


def test_a_membership_record_on_no_list_is_rejected():
    with pytest.raises(InputError, match="record 2"):
        CaptureTable.from_memberships([{"A"}, set(), {"B"}], lists=["A", "B", "C"])


def test_strata_add_up_and_an_unestimable_stratum_is_reported_not_fatal():
    korea = CaptureTable.from_csv(DATA / "korea_comfort_women_3lists.csv")
    western = CaptureTable.from_csv(DATA / "us_western_site_sex_trafficking_5lists.csv")
    western3 = CaptureTable.from_rows(
        [
            {"A": r["A"], "B": r["B"], "C": r["C"], "count": r["count"]}
            for r in western.rows()
            if r["A"] + r["B"] + r["C"]
        ]
    )
    no_overlap = CaptureTable.from_rows(
        [
            {"A": 1, "B": 0, "C": 0, "count": 5},
            {"A": 0, "B": 1, "C": 0, "count": 4},
            {"A": 0, "B": 0, "C": 1, "count": 2},
        ]
    )
    result = estimate_stratified(
        {"north/2023": korea, "south/2023": western3, "east/2023": no_overlap},
        criterion="main",
        bootstrap=300,
    )
    parts = result.strata
    assert set(parts) == {"north/2023", "south/2023"}
    assert "east/2023" in result.not_estimable
    assert result.total.estimate == pytest.approx(sum(r.estimate for r in parts.values()))
    assert result.total.observed == korea.observed + western3.observed
    assert any("excludes" in w and "east/2023" in w for w in result.total.warnings)
    assert result.total.ci_low < result.total.estimate < result.total.ci_high
    assert result.total.ci_low > max(r.ci_low for r in parts.values())


def test_strata_combine_lcmcr_posterior_draws():
    korea = CaptureTable.from_csv(DATA / "korea_comfort_women_3lists.csv")
    result = estimate_stratified(
        {"a": korea, "b": korea}, method="lcmcr", burnin=300, samples=300, thin=2, chains=2
    )
    assert result.total.estimate == pytest.approx(sum(r.estimate for r in result.strata.values()))
    assert result.total.ci_low < result.total.estimate < result.total.ci_high
