"""Wilson and logit intervals for proportions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from publiceval._core.errors import PublicevalError
from publiceval._core.stats import effective_n, logit_interval, wilson_interval


def test_wilson_hand_value():
    # 8 of 10: the textbook Wilson interval (0.4902, 0.9433)
    low, high = wilson_interval(0.8, 10)
    assert float(low) == pytest.approx(0.49016, abs=1e-5)
    assert float(high) == pytest.approx(0.94332, abs=1e-5)


@pytest.mark.parametrize(("x", "n"), [(0, 20), (3, 17), (50, 100), (99, 100), (40, 40)])
def test_wilson_agrees_with_statsmodels(x, n):
    low, high = wilson_interval(x / n, n, 0.9)
    ref = proportion_confint(x, n, alpha=0.1, method="wilson")
    assert float(low) == pytest.approx(ref[0], abs=1e-12)
    assert float(high) == pytest.approx(ref[1], abs=1e-12)


def test_logit_by_hand_and_with_df():
    p, se = 0.3, 0.05
    low, high = logit_interval(p, se)
    half = stats.norm.ppf(0.975) * se / (p * (1 - p))
    centre = np.log(p / (1 - p))
    assert float(low) == pytest.approx(1 / (1 + np.exp(-(centre - half))), abs=1e-14)
    assert float(high) == pytest.approx(1 / (1 + np.exp(-(centre + half))), abs=1e-14)
    low_t, high_t = logit_interval(p, se, df=5)
    assert low_t < low and high_t > high


def test_boundaries_and_effective_n():
    low, high = logit_interval(np.array([0.0, 1.0]), np.array([0.0, 0.0]))
    assert low.tolist() == [0.0, 1.0] and high.tolist() == [0.0, 1.0]
    assert float(effective_n(0.5, 0.05)) == pytest.approx(100.0)
    low, high = wilson_interval(0.5, 0)
    assert np.isnan(low) and np.isnan(high)


def test_bad_input():
    with pytest.raises(PublicevalError, match="between 0 and 1"):
        wilson_interval(1.2, 10)
    with pytest.raises(PublicevalError, match="confidence level"):
        logit_interval(0.5, 0.1, level=95)


@given(st.floats(0, 1), st.floats(1, 1e6), st.floats(0, 0.5), st.floats(0.5, 0.999))
def test_intervals_contain_the_estimate_and_stay_in_0_1(p, n, se, level):
    for low, high in (wilson_interval(p, n, level), logit_interval(p, se, level)):
        assert 0.0 <= float(low) <= p <= float(high) <= 1.0
