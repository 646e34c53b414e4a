"""Early warning: weekly counts in an area that rise beyond what the area's own history predicts.

Plain Python (NumPy/SciPy), no Django. Every rule reads one area's weekly series (oldest first) and says
whether week ``t`` raises an alert, with its evidence: the count, the expected value and the range beyond
which the rule alerts.

    series = np.array([0, 1, 0, 2, …])                    # incidents per week in one cercle
    acled_signal(series, t)                                # ACLED's published trackers (the baseline)
    model_signal(series, t)                                # the outbreak-detection model (ours)

Rules:

* **ACLED's trackers** (ACLED, "Conflict Alert System" / subnational surge and threat trackers):
  *surge* when the last week is at least twice the average of the four weeks before it; *threat* when the
  last four weeks are at least twice the average four-week count of the past year; each only where its
  baseline is at least one event. An alert is either.
* **Quasi-Poisson model in the manner of Farrington-flexible** (Farrington et al. 1996, *J. R. Stat. Soc. A*
  159:547; Noufaily et al. 2013, *Stat. Med.* 32:1206): a log-linear Poisson regression with over-dispersion
  fitted to the area's past weeks (up to three years before the four weeks under test) with a linear trend
  (when two years are known) and one annual harmonic for the seasons (rainy season, transhumance); weeks
  that were themselves outbreaks are down-weighted (residuals above 2.58 get weight 1/r², as Noufaily et al.
  do) and the model refitted. The predictive distribution of the week's count is a negative binomial with the
  model's mean and variance φμ + μ²·var(log μ) (dispersion plus the uncertainty of the fit); the week alerts
  when its count exceeds the (1 − α/2) quantile, or when the last four weeks' sum exceeds the (1 − α/2)
  quantile of theirs (a sustained rise the single week misses). As in Farrington's method, an alert needs
  at least ``minimum`` events in the week or the four weeks, so that one or two events never alert.

Assumptions: counts of one area are a Poisson process whose rate changes slowly (trend) and with the seasons;
surges are short departures from it. The model needs ``min_history`` weeks before it says anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import nbinom, poisson

WEEKS_PER_YEAR = 52.18


@dataclass(frozen=True)
class Signal:
    rule: str  # "surge", "threat" (ACLED) or "model"
    alert: bool
    observed: int  # the count the rule tested (one week, or four weeks summed)
    expected: float
    upper: float  # the count from which the rule alerts
    window_weeks: int  # 1 or 4: what `observed` covers


# --- ACLED's trackers (the baseline) -----------------------------------------------------------------------


def acled_surge(series: np.ndarray, t: int) -> Signal | None:
    if t < 4:
        return None
    baseline = float(np.mean(series[t - 4 : t]))
    if baseline < 1:
        return None
    observed = int(series[t])
    return Signal("surge", observed >= 2 * baseline, observed, baseline, 2 * baseline, 1)


def acled_threat(series: np.ndarray, t: int) -> Signal | None:
    if t < 55:
        return None
    last_month = int(series[t - 3 : t + 1].sum())
    baseline = float(series[t - 55 : t - 3].sum()) / 13  # 52 weeks before the month, in four-week months
    if baseline < 1:
        return None
    return Signal("threat", last_month >= 2 * baseline, last_month, baseline, 2 * baseline, 4)


def acled_signal(series: np.ndarray, t: int) -> Signal | None:
    """The surge tracker, else the threat tracker; None where neither has a baseline of one event."""
    signals = [s for s in (acled_surge(series, t), acled_threat(series, t)) if s is not None]
    for signal in signals:
        if signal.alert:
            return signal
    return signals[0] if signals else None


# --- the model (ours) ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelConfig:
    alpha: float = 0.01
    history_weeks: int = 156
    min_history: int = 52
    minimum: int = 3
    reweight_above: float = 2.58


def _design(weeks: np.ndarray, with_trend: bool) -> np.ndarray:
    angle = 2 * math.pi * weeks / WEEKS_PER_YEAR
    columns = [np.ones_like(weeks, dtype=float), np.sin(angle), np.cos(angle)]
    if with_trend:
        columns.append(weeks / WEEKS_PER_YEAR)
    return np.column_stack(columns)


def _fit_poisson(x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted Poisson regression by iteratively reweighted least squares; returns (beta, (X'WX)^-1)."""
    beta = np.zeros(x.shape[1])
    beta[0] = math.log(max(float(np.average(y, weights=weights)), 0.05))
    for _ in range(25):
        mu = np.exp(np.clip(x @ beta, -20, 20))
        w = weights * mu
        z = x @ beta + (y - mu) / mu
        xtw = x.T * w
        # A small ridge keeps a series of zeros (or a harmonic with no signal) solvable.
        information = xtw @ x + 1e-6 * np.eye(x.shape[1])
        new = np.linalg.solve(information, xtw @ z)
        if np.max(np.abs(new - beta)) < 1e-7:
            beta = new
            break
        beta = new
    mu = np.exp(np.clip(x @ beta, -20, 20))
    information = (x.T * (weights * mu)) @ x + 1e-6 * np.eye(x.shape[1])
    return beta, np.linalg.inv(information)


def _upper(mean: float, variance: float, level: float) -> float:
    if mean <= 0:
        return 0.0
    if variance <= mean * 1.0001:
        return float(poisson.ppf(level, mean))
    n = mean * mean / (variance - mean)
    return float(nbinom.ppf(level, n, n / (n + mean)))


def model_signal(series: np.ndarray, t: int, config: ModelConfig | None = None) -> Signal | None:
    """The quasi-Poisson outbreak model's verdict on week t (None while the history is too short)."""
    config = config or ModelConfig()
    # The four weeks under test stay out of the fit: a rise under way would raise its own baseline.
    end = t - 3
    start = max(0, end - config.history_weeks)
    if end - start < config.min_history:
        return None
    y = series[start:end].astype(float)
    weeks = np.arange(start, end, dtype=float)
    x = _design(weeks, with_trend=(end - start) >= 104)
    weights = np.ones_like(y)
    beta, covariance = _fit_poisson(x, y, weights)
    mu = x @ beta
    for _ in range(2):
        mu = np.exp(np.clip(x @ beta, -20, 20))
        residuals = (y - mu) / np.sqrt(np.maximum(mu, 1e-9))
        # Past outbreaks would raise the baseline and hide the next one: weigh them down.
        weights = np.where(residuals > config.reweight_above, 1.0 / np.maximum(residuals, 1.0) ** 2, 1.0)
        beta, covariance = _fit_poisson(x, y, weights)
    mu = np.exp(np.clip(x @ beta, -20, 20))
    dof = max(1.0, float(weights.sum()) - x.shape[1])
    phi = max(1.0, float(np.sum(weights * (y - mu) ** 2 / np.maximum(mu, 1e-9))) / dof)

    level = 1 - config.alpha / 2
    ahead = _design(np.arange(t - 3, t + 1, dtype=float), with_trend=x.shape[1] == 4)
    eta = ahead @ beta
    means = np.exp(eta)
    week_mean = float(means[-1])
    week_var = phi * week_mean + week_mean**2 * float(ahead[-1] @ covariance @ ahead[-1])
    month_mean = float(means.sum())
    gradient = means @ ahead  # d(Σμ)/dβ
    month_var = phi * month_mean + float(gradient @ covariance @ gradient)
    week = Signal("model", False, int(series[t]), week_mean, _upper(week_mean, week_var, level), 1)
    month = Signal(
        "model",
        False,
        int(series[t - 3 : t + 1].sum()),
        month_mean,
        _upper(month_mean, month_var, level),
        4,
    )
    for signal in (week, month):
        if signal.observed > signal.upper and signal.observed >= config.minimum:
            return Signal("model", True, signal.observed, signal.expected, signal.upper, signal.window_weeks)
    return week
