"""Rank confidence sets: exact against brute force, valid, deterministic and fast."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publiceval._core.errors import PublicevalError
from publiceval._core.stats import observed_ranks, rank_intervals
from publiceval._core.stats import ranks as ranks_mod


def _brute(est, se, df, draws, seed, level):
    """All K² pairs of every draw, with the same random numbers as the library."""
    rng = np.random.default_rng(seed)
    z = ranks_mod._standard_draws(df, draws, rng)
    x = se * z
    num = np.abs(x[:, :, None] - x[:, None, :])
    den = np.sqrt(se[:, None] ** 2 + se[None, :] ** 2)
    t = num / den
    c_sim = np.quantile(t.max(axis=(1, 2)), level)
    c_unit = np.quantile(t.max(axis=2), level, axis=0)
    stat = (est[:, None] - est[None, :]) / den
    return c_sim, c_unit, stat


@pytest.mark.parametrize("spread", [1.0, 10.0, 300.0])
def test_pruned_simulation_equals_brute_force(spread):
    rng = np.random.default_rng(7)
    k = 120
    est = rng.normal(3.0, 0.2, k)
    se = 0.02 * np.exp(rng.uniform(0, np.log(spread), k))
    df = rng.integers(3, 300, k).astype(float)
    c_sim, c_unit, stat = _brute(est, se, df, 400, 11, 0.9)
    # the single-step sets (the step-down ones: tests/test_edges_ranks.py)
    one = {"level": 0.9, "draws": 400, "seed": 11, "stepdown": False}
    sim = rank_intervals(est, se, df=df, **one)
    mar = rank_intervals(est, se, df=df, method="marginal", **one)
    assert sim.simultaneous_critical == pytest.approx(c_sim, rel=1e-12)
    np.testing.assert_allclose(mar.critical, c_unit, rtol=1e-12)
    better = stat > c_sim
    np.testing.assert_array_equal(sim.low, 1 + better.sum(axis=0))
    np.testing.assert_array_equal(sim.high, k - better.sum(axis=1))
    np.testing.assert_array_equal(sim.better, better)


def test_hand_example_three_units():
    # Two units far apart and precise, one in between and vague.
    est = np.array([10.0, 0.0, 5.0])
    se = np.array([0.1, 0.1, 100.0])
    r = rank_intervals(est, se, draws=2000, seed=1)
    assert r.observed.tolist() == [1, 3, 2]
    assert r.low.tolist() == [1, 2, 1]
    assert r.high.tolist() == [2, 3, 3]
    assert r.better[0, 1] and not r.better[0, 2] and not r.better[2, 1]


def test_equal_se_critical_value_is_the_studentised_range():
    # For K independent N(0, s²) units, max |Z_j − Z_k| / (s√2) is the range / √2, whose
    # 95% quantile for K = 10 is q(0.95; 10, ∞)/√2 = 4.474/√2 = 3.164 (Tukey's table).
    k = 10
    r = rank_intervals(np.arange(k, dtype=float), np.ones(k), draws=200_000, seed=3)
    assert r.simultaneous_critical == pytest.approx(4.474 / np.sqrt(2), abs=0.02)


def test_marginal_sets_are_nested_in_simultaneous_ones():
    rng = np.random.default_rng(2)
    est = rng.normal(0, 1, 60)
    se = rng.uniform(0.1, 0.5, 60)
    sim = rank_intervals(est, se, seed=5)
    mar = rank_intervals(est, se, seed=5, method="marginal")
    assert np.all(mar.low >= sim.low)
    assert np.all(mar.high <= sim.high)
    assert np.all(mar.critical <= sim.simultaneous_critical + 1e-12)


def test_unknown_se_is_never_told_apart():
    est = np.array([3.0, 2.0, 1.0, 0.0])
    se = np.array([0.01, np.nan, 0.01, 0.01])
    r = rank_intervals(est, se, seed=0)
    assert (r.low[1], r.high[1]) == (1, 4)
    assert not r.better[:, 1].any() and not r.better[1].any()
    assert r.better[0, 2] and r.better[2, 3]


def test_df_below_one_counts_as_unknown():
    r = rank_intervals([2.0, 1.0, 0.0], [0.0, 0.01, 0.01], df=[0.0, 50.0, 50.0], seed=0)
    assert (r.low[0], r.high[0]) == (1, 3)


def test_full_covariance_matches_diagonal_when_diagonal():
    rng = np.random.default_rng(4)
    est = rng.normal(0, 1, 30)
    se = rng.uniform(0.2, 0.4, 30)
    a = rank_intervals(est, se, draws=4000, seed=9)
    b = rank_intervals(est, cov=np.diag(se**2), draws=4000, seed=9)
    # different random streams, same distribution: critical values agree to MC error
    assert a.simultaneous_critical == pytest.approx(b.simultaneous_critical, rel=0.03)


def test_positive_correlation_narrows_the_sets():
    # Strongly correlated estimates have precise differences: ranks are sharper.
    k = 8
    est = np.arange(k, dtype=float) * 0.3
    var = np.full((k, k), 0.95) + 0.05 * np.eye(k)
    corr = rank_intervals(est, cov=var, seed=1)
    indep = rank_intervals(est, cov=np.eye(k), seed=1)
    assert np.sum(corr.high - corr.low) < np.sum(indep.high - indep.low)


def test_determinism_and_seed_dependence():
    rng = np.random.default_rng(0)
    est, se = rng.normal(0, 1, 200), rng.uniform(0.1, 1, 200)
    a = rank_intervals(est, se, seed=42, method="marginal")
    b = rank_intervals(est, se, seed=42, method="marginal")
    c = rank_intervals(est, se, seed=43, method="marginal")
    np.testing.assert_array_equal(a.critical, b.critical)
    assert not np.array_equal(a.critical, c.critical)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"estimate": [1.0, np.nan], "se": [1.0, 1.0]}, "finite"),
        ({"estimate": [1.0, 2.0], "se": [1.0]}, "standard errors"),
        ({"estimate": [1.0, 2.0], "se": [-1.0, 1.0]}, "negative"),
        ({"estimate": [1.0, 2.0]}, "either se"),
        ({"estimate": [1.0, 2.0], "cov": [[1.0, 2.0], [0.0, 1.0]]}, "symmetric"),
        ({"estimate": [1.0, 2.0], "cov": [[1.0, 2.0], [2.0, 1.0]]}, "semi-definite"),
        ({"estimate": [1.0, 2.0], "se": [1.0, 1.0], "method": "bootstrap"}, "method"),
        ({"estimate": [1.0, 2.0], "se": [1.0, 1.0], "level": 1.0}, "level"),
    ],
)
def test_bad_input(kwargs, match):
    with pytest.raises(PublicevalError, match=match):
        rank_intervals(**kwargs)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-5, 5).map(lambda v: round(v, 1)),  # ties happen
            st.floats(0, 2),
        ),
        min_size=1,
        max_size=25,
    ),
    st.sampled_from(["simultaneous", "marginal"]),
)
def test_intervals_contain_the_observed_rank(pairs, method):
    est = np.array([p[0] for p in pairs])
    se = np.array([p[1] for p in pairs])
    r = rank_intervals(est, se, draws=200, seed=0, method=method)
    assert np.all(r.low <= r.observed)
    assert np.all(r.observed <= r.high)
    assert np.all((r.low >= 1) & (r.high <= est.size))
    np.testing.assert_array_equal(r.observed, observed_ranks(est))


def test_coverage_of_simultaneous_rank_sets():
    """All K true ranks fall in their sets jointly in at least ~95% of samples."""
    rng = np.random.default_rng(123)
    k, reps = 12, 300
    theta = np.linspace(0, 1.2, k)
    se = np.full(k, 0.15)
    true_rank = observed_ranks(theta)
    hits = 0
    for _ in range(reps):
        est = theta + se * rng.standard_normal(k)
        r = rank_intervals(est, se, draws=300, seed=int(rng.integers(1 << 30)))
        hits += bool(np.all((r.low <= true_rank) & (true_rank <= r.high)))
    assert hits / reps >= 0.93


def test_no_sampling_error_at_all_ranks_exactly():
    est = np.repeat(np.arange(50.0), 20)  # 1000 units in 50 tied groups, zero SEs
    r = rank_intervals(est, np.zeros(est.size), df=np.full(est.size, 10.0), seed=0)
    np.testing.assert_array_equal(r.low, r.observed)
    np.testing.assert_array_equal(r.high, r.observed + 19)
