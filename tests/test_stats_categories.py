"""Category probabilities: hand values, rounding edges, invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from publiceval._core.errors import PublicevalError
from publiceval._core.schemes import Band, check_bands
from publiceval._core.stats import category_probabilities
from publiceval._core.stats.categories import effective_edges
from publiceval._core.text import Text

# PermenPANRB 14/2017 on the 25–100 scale, as half-open bands.
BANDS = check_bands(
    "permenpan",
    [
        Band(code="D", label=Text(id="Tidak Baik", en="Poor"), low=25, high=65, order=3),
        Band(code="C", label=Text(id="Kurang Baik", en="Fair"), low=65, high=76.61, order=2),
        Band(code="B", label=Text(id="Baik", en="Good"), low=76.61, high=88.31, order=1),
        Band(code="A", label=Text(id="Sangat Baik", en="Very good"), low=88.31, high=100, order=0),
    ],
)


def test_normal_probabilities_by_hand():
    # estimate 76.61 exactly on the C/B edge with SE 1: half C, half B (and a sliver beyond)
    p = category_probabilities([76.61], [1.0], BANDS)[0]
    assert p[2] + p[3] == pytest.approx(0.5, abs=1e-12)
    assert p[1] == pytest.approx(stats.norm.cdf(0) - stats.norm.cdf(65 - 76.61), abs=1e-12)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)


def test_t_distribution_with_design_df():
    p = category_probabilities([80.0], [2.0], BANDS, df=[4.0])[0]
    expected_c = stats.t.cdf((76.61 - 80) / 2, 4) - stats.t.cdf((65 - 80) / 2, 4)
    assert p[1] == pytest.approx(expected_c, abs=1e-12)


def test_rounding_precision_moves_edges_half_a_unit():
    # at precision 2, 76.605 prints as 76.61 (band B): the edge is 76.605
    np.testing.assert_allclose(effective_edges(BANDS, 2), [64.995, 76.605, 88.305])
    assert category_probabilities([76.606], [0.0], BANDS, precision=2)[0].tolist() == [0, 0, 1, 0]
    assert category_probabilities([76.606], [0.0], BANDS)[0].tolist() == [0, 1, 0, 0]
    # a 0-decimal report: 88.31 → shown as 88, compared with edge 88.31 → B; 88.5 → 89 → A
    assert effective_edges(BANDS, 0)[2] == pytest.approx(88.5)


def test_zero_se_is_the_band_of_the_estimate_and_unknown_is_nan():
    p = category_probabilities(
        [65.0, 100.0, 50.0, 70.0], [0.0, 0.0, np.nan, 1.0], BANDS, df=[5, 5, 5, 0.5]
    )
    assert p[0].tolist() == [0, 1, 0, 0]
    assert p[1].tolist() == [0, 0, 0, 1]
    assert np.isnan(p[2]).all() and np.isnan(p[3]).all()


def test_bad_input():
    with pytest.raises(PublicevalError, match="one SE per estimate"):
        category_probabilities([1.0, 2.0], [1.0], BANDS)
    with pytest.raises(PublicevalError, match="negative"):
        category_probabilities([1.0], [-1.0], BANDS)
    with pytest.raises(PublicevalError, match="at least one band"):
        category_probabilities([1.0], [1.0], [])


@settings(max_examples=200, deadline=None)
@given(
    st.floats(0, 130),
    st.floats(0, 30),
    st.one_of(st.none(), st.floats(1, 500)),
    st.one_of(st.none(), st.integers(0, 3)),
)
def test_probabilities_sum_to_one_and_favour_the_estimates_band(est, se, df, precision):
    p = category_probabilities(
        [est], [se], BANDS, df=None if df is None else [df], precision=precision
    )[0]
    assert np.all(p >= 0)
    assert p.sum() == pytest.approx(1.0, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(st.floats(25, 100), st.floats(25, 100), st.floats(0.01, 10))
def test_higher_estimate_never_lowers_the_chance_of_a_better_band(a, b, se):
    lo, hi = sorted([a, b])
    p = category_probabilities([lo, hi], [se, se], BANDS)
    # P(category at least as good as c) rises with the estimate, for every c
    up = np.cumsum(p[:, ::-1], axis=1)
    assert np.all(up[1] >= up[0] - 1e-12)
