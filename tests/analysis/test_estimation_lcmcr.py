"""LCMCR against the LCMCR R package (shared/data/mse/reference_lcmcr.csv: K = 10, Gamma(0.25, 0.25)).

The reference runs 520,000 sweeps per chain; the sampler mixes slowly in the right tail, so shorter runs
here use 8 parallel chains. Medians must be within 3 %, 95 % interval ends within 10 %.
"""

from pathlib import Path

import pytest

from kurukan.analysis.estimation import CaptureTable, estimate_lcmcr

DATA = Path(__file__).resolve().parents[1] / "data/mse"


def close(value: float, target: float, tolerance: float) -> bool:
    return abs(value / target - 1) <= tolerance


def test_korea_matches_the_reference_posterior():
    t = CaptureTable.from_csv(DATA / "korea_comfort_women_3lists.csv")
    r = estimate_lcmcr(t, classes=10, burnin=2000, samples=1000, thin=5, chains=8, seed=1)
    assert close(r.estimate, 138, 0.03)
    assert close(r.ci_low, 124, 0.10)
    assert close(r.ci_high, 204, 0.10)
    assert r.diagnostics["split_rhat"] < 1.05


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "low", "median", "high"),
    [
        ("new_orleans_trafficking_5lists_186cases_corrected.csv", 556, 800, 1277),
        ("us_western_site_sex_trafficking_5lists.csv", 1308, 1831, 2958),
    ],
)
def test_five_list_tables_match_the_reference_posterior(name, low, median, high):
    t = CaptureTable.from_csv(DATA / name)
    r = estimate_lcmcr(t, classes=10, burnin=3000, samples=1000, thin=20, chains=8, seed=1)
    assert close(r.estimate, median, 0.03), r
    assert close(r.ci_low, low, 0.10), r
    assert close(r.ci_high, high, 0.10), r


def test_the_same_seed_gives_the_same_draws():
    t = CaptureTable.from_csv(DATA / "korea_comfort_women_3lists.csv")
    a = estimate_lcmcr(t, burnin=100, samples=100, chains=2, seed=7)
    b = estimate_lcmcr(t, burnin=100, samples=100, chains=2, seed=7)
    assert (a.draws == b.draws).all()
