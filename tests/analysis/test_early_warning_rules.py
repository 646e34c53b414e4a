"""Early-warning rules on series whose answer can be worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import poisson

from kurukan.analysis.early_warning import acled_signal, acled_surge, acled_threat, model_signal


def test_acled_surge_fires_at_twice_the_four_week_average():
    assert acled_surge(np.array([2, 2, 2, 2, 4]), 4).alert
    signal = acled_surge(np.array([2, 2, 2, 2, 3]), 4)
    assert not signal.alert
    assert (signal.expected, signal.upper, signal.observed) == (2.0, 4.0, 3)


def test_acled_surge_says_nothing_where_the_baseline_is_under_one_event():
    assert acled_surge(np.array([0, 1, 0, 1, 9]), 4) is None


def test_acled_threat_compares_the_last_four_weeks_with_the_year_before():
    year = [1] * 52  # 4 events per four-week month
    assert acled_threat(np.array(year + [2, 2, 2, 2]), 55).alert  # 8 ≥ 2 × 4
    assert not acled_threat(np.array(year + [2, 2, 2, 1]), 55).alert  # 7 < 8
    signal = acled_signal(np.array(year + [1, 1, 1, 1]), 55)
    assert signal is not None and not signal.alert


def flat(level: int, weeks: int = 104) -> list[int]:
    return [level] * weeks


def test_the_model_alerts_above_the_poisson_quantile_of_a_flat_history():
    # Two events every week for two years: the model expects 2. A Poisson(2) stays at or under 6 in 99.5 %
    # of weeks (α/2 with the default α); the uncertainty of a mean fitted on 101 weeks widens that to 7.
    assert poisson.ppf(0.995, 2) == 6
    quiet = model_signal(np.array(flat(2) + [7]), 104)
    loud = model_signal(np.array(flat(2) + [8]), 104)
    assert quiet.expected == pytest.approx(2, rel=0.02)
    assert quiet.upper == 7
    assert not quiet.alert
    assert loud.alert and loud.observed == 8 and loud.window_weeks == 1


def test_in_a_quiet_area_three_events_alert_and_two_do_not():
    assert model_signal(np.array(flat(0) + [3]), 104).alert
    assert not model_signal(np.array(flat(0) + [2]), 104).alert


def test_a_sustained_rise_alerts_on_the_four_weeks_when_no_single_week_does():
    series = np.array(flat(2) + [5, 5, 5, 5])
    single = model_signal(np.array(flat(2) + [5]), 104)
    assert not single.alert  # 5 is within a Poisson(2)'s range for one week
    signal = model_signal(series, 107)
    assert signal.alert and signal.window_weeks == 4 and signal.observed == 20


def test_the_model_needs_a_year_of_history():
    assert model_signal(np.array(flat(2, 30) + [9]), 30) is None


def test_the_expected_count_follows_the_seasons():
    weeks = np.arange(156)
    series = np.rint(3 * np.exp(0.8 * np.sin(2 * math.pi * weeks / 52.18))).astype(int)
    peak, trough = 156 + 13 - 52, 156 + 39 - 52  # a quarter and three quarters into the third year
    assert model_signal(series, peak).expected > 2 * model_signal(series, trough).expected
    # The seasonal high itself is what the history predicts: no alert.
    assert not model_signal(series, peak).alert


def test_a_past_outbreak_does_not_hide_the_next_one():
    history = flat(1)
    history[40:43] = [15, 18, 12]
    assert model_signal(np.array(history + [7]), 104).alert
