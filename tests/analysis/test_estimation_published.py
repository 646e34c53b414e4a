"""Published multiple-systems estimates, reproduced (shared/data/mse/published_estimates.csv).

Point estimates are deterministic and must match within 2 %. Interval ends come from 1000-sample BCa
bootstraps; their Monte Carlo error is measured in docs/benchmarks-estimation.md. Where the reference
end sits at an extreme bootstrap quantile its spread across seeds exceeds 10 %, and the tolerance here
says so explicitly rather than hiding it behind a chosen seed.
"""

from pathlib import Path

import pytest

from kurukan.analysis.estimation import CaptureTable, estimate_loglinear
from kurukan.analysis.estimation.loglinear import select_criterion, select_main, select_stepwise

DATA = Path(__file__).resolve().parents[2] / "../shared/data/mse"


def table(name: str) -> CaptureTable:
    return CaptureTable.from_csv(DATA / name)


def close(value: float, target: float, tolerance: float) -> bool:
    return abs(value / target - 1) <= tolerance


KOREA = "korea_comfort_women_3lists.csv"
NEWORL8 = "new_orleans_trafficking_8lists_185cases_SparseMSE.csv"
NEWORL8_186 = "new_orleans_trafficking_8lists_186cases_corrected.csv"
NEWORL5 = "new_orleans_trafficking_5lists_185cases_SparseMSE.csv"
NEWORL5_186 = "new_orleans_trafficking_5lists_186cases_corrected.csv"
WESTERN = "us_western_site_sex_trafficking_5lists.csv"
NETHERLANDS6 = "netherlands_trafficking_2010_2015_6lists.csv"


@pytest.mark.parametrize(
    ("name", "how", "expected", "terms"),
    [
        (KOREA, "bic", 157.17, ["b:c", "c:d"]),
        (KOREA, "stepwise", 268.78, ["b:c"]),
        (NEWORL8, "stepwise", 1184, ["D:E"]),
        (NEWORL8, "main", 997, []),
        (NEWORL8_186, "stepwise", 1110.49, ["D:E"]),
        (NEWORL8_186, "bic", 1110, ["D:E"]),  # downhill search, Silverman et al. 2024 Table 6
        (NEWORL5, "stepwise", 1034, []),
        (NEWORL5_186, "stepwise", 981.43, []),
        (NEWORL5_186, "bic", 981, []),
        (WESTERN, "stepwise", 2483.384, ["A:E"]),
        (WESTERN, "main", 2007.1, []),
        (NETHERLANDS6, "main", 52823.5, []),
    ],
)
def test_point_estimates_match_the_published_figures(name, how, expected, terms):
    t = table(name)
    if how == "stepwise":
        sel = select_stepwise(t.n_lists, t.cell_counts)
    elif how == "main":
        sel = select_main(t.n_lists, t.cell_counts)
    else:
        sel = select_criterion(t.n_lists, t.cell_counts, "bic", maxorder=2)
    assert close(sel.fit.abundance, expected, 0.02)
    assert sel.fit.model.term_names(t.lists) == terms


@pytest.mark.parametrize(
    ("name", "options", "low", "high", "low_tolerance"),
    [
        # three lists are cheap: 4000 samples halve the Monte Carlo error of the upper end
        (KOREA, {"criterion": "bic", "ntop": 1, "bootstrap": 4000}, 131, 248, 0.10),
        (KOREA, {"criterion": "bic", "ntop": 2, "bootstrap": 4000}, 130, 348, 0.10),
        (KOREA, {"criterion": "bic", "bootstrap": 4000}, 128, 349, 0.10),
        (NEWORL8, {"criterion": "main"}, 644, 1618, 0.10),
        (WESTERN, {"criterion": "stepwise"}, 1293, 3670, 0.10),
        # lower ends at bootstrap quantiles near 1e-4: seed-to-seed SD 8-15 % (docs/benchmarks-estimation.md)
        (NEWORL5, {"criterion": "stepwise"}, 589, 1703, 0.20),
        (NEWORL8, {"criterion": "stepwise"}, 717, 1657, 0.35),
    ],
)
def test_bca_intervals_match_the_published_intervals(name, options, low, high, low_tolerance):
    options = {"bootstrap": 1000, "seed": 1234, **options}
    result = estimate_loglinear(table(name), **options)
    assert close(result.ci_high, high, 0.10), result
    assert close(result.ci_low, low, low_tolerance), result


@pytest.mark.slow
def test_new_orleans_five_list_bic_bootstrap_over_top_models():
    # Silverman et al. 2024: maxorder 2, all models [397, 1505]; Figure 2 text: upper 97.5 % limit 1544.
    # ntop = 50 of 1024 models keeps this at seconds; the exhaustive run (64 s) gives [480, 1497].
    # The lower end is not reproduced within 10 % (see docs/benchmarks-estimation.md).
    result = estimate_loglinear(table(NEWORL5_186), criterion="bic", maxorder=2, ntop=50, bootstrap=500)
    assert close(result.estimate, 981, 0.02)
    assert close(result.ci_high, 1505, 0.10)
    assert close(result.ci_high, 1544, 0.10)
    assert close(result.ci_low, 397, 0.35)
