"""Speed of multiple systems estimation on 5 and 4 lists, against one statsmodels GLM fit.

    .venv/bin/python bench/estimation_speed.py

Targets (DESIGN.md): log-linear with bootstrap on 5 lists < 10 s; LCMCR, 10,000 iterations, 4 lists < 60 s.
"""

import time
from pathlib import Path

import statsmodels.api as sm

from kurukan.analysis.estimation import CaptureTable, estimate_lcmcr, estimate_loglinear

DATA = Path(__file__).resolve().parents[1] / "tests/data/mse"


def timed(fn, repeat=1):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    western = CaptureTable.from_csv(DATA / "us_western_site_sex_trafficking_5lists.csv")
    x = sm.add_constant(western.histories.astype(float))
    glm, _ = timed(lambda: sm.GLM(western.cell_counts, x, family=sm.families.Poisson()).fit(), repeat=20)
    print(f"baseline: one statsmodels Poisson GLM fit, 5 lists        {glm * 1e3:8.2f} ms")

    rows = [
        (
            "log-linear stepwise + 1000 BCa bootstrap, 5 lists",
            lambda: estimate_loglinear(western, bootstrap=1000),
        ),
        (
            "log-linear BIC (maxorder 2, top 100) + 1000 bootstrap, 5 lists",
            lambda: estimate_loglinear(western, criterion="bic", maxorder=2, bootstrap=1000),
        ),
        (
            "log-linear main effects + 1000 bootstrap, 5 lists",
            lambda: estimate_loglinear(western, criterion="main"),
        ),
    ]
    western4 = CaptureTable.from_rows(
        [
            {k: r[k] for k in ("A", "B", "C", "D", "count")}
            for r in western.rows()
            if r["A"] + r["B"] + r["C"] + r["D"]
        ]
    )
    rows.append(
        (
            "LCMCR K=10, 10,000 iterations (1 chain), 4 lists",
            lambda: estimate_lcmcr(western4, burnin=5000, samples=1000, thin=5, chains=1),
        )
    )
    rows.append(
        (
            "LCMCR K=10, 10,000 iterations x 4 chains, 4 lists",
            lambda: estimate_lcmcr(western4, burnin=5000, samples=1000, thin=5, chains=4),
        )
    )
    for label, fn in rows:
        seconds, result = timed(fn)
        print(
            f"{label:66s} {seconds:7.2f} s  ({seconds / glm:9.0f} x GLM)  "
            f"N = {result.estimate:,.0f} [{result.ci_low:,.0f}, {result.ci_high:,.0f}]"
        )
    print("(LCMCR counts 500 warm-up sweeps on top of the 10,000.)")


if __name__ == "__main__":
    main()
