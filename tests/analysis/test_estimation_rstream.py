"""R's random numbers (kurukan.analysis.estimation.rstream), checked against R 4.2.2 output.

The expected values were printed by R 4.2.2 (Debian r-base-core 4.2.2.20221110-2), default generator
(Mersenne-Twister, Inversion, sample.kind Rejection), with:

    set.seed(1234); runif(5)
    set.seed(42); c(rbinom(200, 185, 0.3), rbinom(200, 37, 0.05), rbinom(200, 1000, 0.7),
                    rbinom(200, 60, 0.51), rbinom(300, 5000, 0.002), rbinom(100, 100000, 0.4))
    set.seed(7); rmultinom(50, 8234, c(3000, 2000, 1000, 0, 500, 1200, 300, 234))
    z <- read.csv("new_orleans_trafficking_8lists_185cases_SparseMSE.csv")
    set.seed(1234); for (j in 1:1000) rmultinom(1, 185, z$count)   # SparseMSE::estimatepopulation
"""

from pathlib import Path

import numpy as np
import pytest

from kurukan.analysis.estimation import CaptureTable, estimate_loglinear
from kurukan.analysis.estimation.bootstrap import r_samples
from kurukan.analysis.estimation.rstream import RRandom, r_multinomial_samples, tidy_order

DATA = Path(__file__).resolve().parents[1] / "data/mse"


def test_uniforms_match_r_after_set_seed():
    expected = [
        0.11370341130532324,
        0.62229940481483936,
        0.60927473288029432,
        0.62337944167666137,
        0.86091538355685771,
    ]
    assert RRandom(1234).runif(5).tolist() == expected


def test_binomials_match_r_in_both_regimes():
    # inversion (n p < 30) and BTPE (n p >= 30), p above and below 1/2, large n
    rng = RRandom(42)
    draws = []
    for n, p, size in [
        (185, 0.3, 200),
        (37, 0.05, 200),
        (1000, 0.7, 200),
        (60, 0.51, 200),
        (5000, 0.002, 300),
        (100000, 0.4, 100),
    ]:
        draws += [rng.rbinom(n, p) for _ in range(size)]
    b = np.array(draws)
    assert b[:8].tolist() == [53, 59, 58, 71, 56, 51, 54, 56]
    assert b[200:208].tolist() == [1, 1, 3, 1, 2, 3, 2, 1]
    assert b[400:405].tolist() == [674, 697, 685, 689, 716]
    assert b[600:605].tolist() == [22, 27, 30, 35, 26]
    assert b[800:805].tolist() == [10, 17, 8, 7, 12]
    assert b[1100:1105].tolist() == [40109, 39985, 40194, 40006, 40193]
    assert int((b * np.arange(1, b.size + 1)).sum()) == 4679300891


def test_multinomials_match_r_including_a_zero_category():
    m = r_multinomial_samples(np.array([3000, 2000, 1000, 0, 500, 1200, 300, 234]), 50, 7)
    assert m[0].tolist() == [3112, 1963, 953, 0, 474, 1208, 293, 231]
    assert m[49].tolist() == [2934, 2004, 1032, 0, 530, 1172, 298, 264]


def test_the_sparsemse_bootstrap_tables_are_reproduced_draw_for_draw():
    t = CaptureTable.from_csv(DATA / "new_orleans_trafficking_8lists_185cases_SparseMSE.csv")
    counts = np.array([c for _, c in t.rows_as_given])
    draws = r_multinomial_samples(counts, 1000, 1234)
    assert draws[0].tolist() == [19, 1, 2, 1, 2, 1, 1, 0, 71, 0, 2, 0, 41, 1, 5, 0, 5, 3, 30]
    assert draws[999].tolist() == [28, 2, 0, 0, 1, 1, 5, 3, 76, 0, 2, 0, 30, 3, 2, 1, 4, 6, 21]
    weights = np.arange(1, draws.size + 1).reshape(draws.shape)
    assert int((draws * weights).sum()) == 1757662953
    assert int((draws**2).sum()) == 7360524
    # mapped onto cells, every sample keeps the observed total
    cells = r_samples(t.n_lists, t.rows_as_given, 5, 1234)
    assert (cells.sum(axis=1) == t.observed).all()
    assert cells[0, 0] == 19  # history A alone, the first input row


def test_full_table_order_is_the_reference_packages():
    assert tidy_order(3).tolist() == [1, 2, 4, 3, 5, 6, 7]
    assert tidy_order(5)[:10].tolist() == [1, 2, 4, 8, 16, 3, 5, 9, 17, 6]


def test_an_unknown_stream_is_refused():
    t = CaptureTable.from_csv(DATA / "korea_comfort_women_3lists.csv")
    with pytest.raises(ValueError, match="random number stream"):
        estimate_loglinear(t, rng="mt")
