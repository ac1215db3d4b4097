"""Pairwise comparisons with Holm, and tiers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests

from publiceval._core.errors import PublicevalError
from publiceval._core.stats import holm, pairwise_comparisons, rank_intervals, tiers


def test_holm_agrees_with_statsmodels():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 0.2, 50)
    ref = multipletests(p, method="holm")[1]
    np.testing.assert_allclose(holm(p), ref, rtol=0, atol=1e-15)


def test_holm_hand_example_and_nan():
    # p sorted 0.01, 0.02, 0.04 with m=3: 0.03, 0.04, max(0.04, 0.04) = 0.04
    assert holm([0.04, 0.01, np.nan, 0.02]).tolist()[:2] == pytest.approx([0.04, 0.03])
    assert np.isnan(holm([0.04, 0.01, np.nan, 0.02])[2])


def test_pairwise_welch_by_hand():
    pc = pairwise_comparisons([3.0, 2.5], [0.1, 0.2], df=[10.0, 20.0])
    v1, v2 = 0.01, 0.04
    df = (v1 + v2) ** 2 / (v1**2 / 10 + v2**2 / 20)
    t = 0.5 / np.sqrt(v1 + v2)
    assert pc.df[0] == pytest.approx(df)
    assert pc.p_value[0] == pytest.approx(2 * stats.t.sf(t, df))
    assert pc.p_holm[0] == pytest.approx(pc.p_value[0])


def test_pairwise_matrix_and_untestable_pairs():
    pc = pairwise_comparisons([5.0, 0.0, 2.5, 1.0], [0.1, 0.1, 0.1, np.nan])
    mat = pc.matrix(4)
    assert mat[0, 1] and mat[0, 2] and mat[2, 1]
    assert not mat[3].any() and not mat[:, 3].any()
    assert np.isnan(pc.p_value[(pc.first == 0) & (pc.second == 3)]).all()


def test_tiers_by_hand():
    # A > C, B > C, C > D; A and B indistinguishable: tiers 1, 1, 2, 3
    better = np.zeros((4, 4), bool)
    better[0, 2] = better[1, 2] = better[2, 3] = better[0, 3] = True
    assert tiers(better).tolist() == [1, 1, 2, 3]


def test_tiers_refuse_cycles_and_bad_shapes():
    with pytest.raises(PublicevalError, match="asymmetric"):
        tiers(np.ones((2, 2), bool))
    cyc = np.zeros((3, 3), bool)
    cyc[0, 1] = cyc[1, 2] = cyc[2, 0] = True
    with pytest.raises(PublicevalError, match="cycle"):
        tiers(cyc)
    with pytest.raises(PublicevalError, match="square"):
        tiers(np.zeros((2, 3), bool))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-3, 3), st.floats(0.01, 1)), min_size=2, max_size=30))
def test_tier_one_is_the_set_whose_rank_interval_reaches_one(pairs):
    est = np.array([p[0] for p in pairs])
    se = np.array([p[1] for p in pairs])
    r = rank_intervals(est, se, draws=200, seed=1)
    t = tiers(r.better)
    np.testing.assert_array_equal(t == 1, r.low == 1)
    # within a tier nobody is significantly above anybody
    same = t[:, None] == t[None, :]
    assert not (r.better & same).any()
    # below tier 1, each unit has someone significantly above it in the tier just above
    for j in np.flatnonzero(t > 1):
        assert (r.better[:, j] & (t == t[j] - 1)).any()
