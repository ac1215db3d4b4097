"""Step-down rank confidence sets: parity with an independent implementation, nesting, coverage.

The reference below is written from Mogstad, Romano, Shaikh & Wilhelm (2024), Algorithm 3.1,
without the library's pruning: every ordered pair of every draw is formed, the critical value
of a step is the quantile of the maximum over the pairs not yet rejected, and the loop stops
when a step rejects nothing new. It uses the same random numbers as the library (the standard
draws of the single-step simulation), so the sets must agree exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

from publiceval._core.stats import rank_intervals
from publiceval._core.stats.rank_draws import standard_draws


def _stepdown_reference(est, se, df, draws, seed, level, marginal=False):
    """(low, high, better) by brute force: all K(K−1) ordered pairs of all draws."""
    k = est.size
    z = standard_draws(df, draws, np.random.default_rng(seed))
    x = z * se
    sd = np.sqrt(se[:, None] ** 2 + se[None, :] ** 2)
    tstar = (x[:, :, None] - x[:, None, :]) / sd  # [d, a, b]: a above b by chance
    stat = (est[:, None] - est[None, :]) / sd
    off = ~np.eye(k, dtype=bool)
    families = (
        [off]
        if not marginal
        else [off & ((np.arange(k) == j)[:, None] | (np.arange(k) == j)[None, :]) for j in range(k)]
    )
    rejected = []
    for fam in families:
        rej = np.zeros((k, k), bool)
        while True:
            live = fam & ~rej
            if not live.any():
                break
            c = np.quantile(np.where(live, tstar, -np.inf).max(axis=(1, 2)), level)
            new = live & (stat > c)
            if not new.any():
                break
            rej |= new
        rejected.append(rej)
    if not marginal:
        better = rejected[0]
        return 1 + better.sum(axis=0), k - better.sum(axis=1), better
    low = np.array([1 + rejected[j][:, j].sum() for j in range(k)])
    high = np.array([k - rejected[j][j, :].sum() for j in range(k)])
    return low, high, None


@pytest.mark.parametrize(
    ("k", "spread", "seed"), [(6, 0.05, 1), (10, 0.1, 2), (40, 0.1, 3), (60, 0.4, 4), (50, 2.0, 5)]
)
def test_simultaneous_stepdown_equals_the_independent_implementation(k, spread, seed):
    rng = np.random.default_rng(seed)
    est = rng.normal(3.0, spread, k)
    se = rng.uniform(0.02, 0.08, k)
    df = rng.integers(5, 200, k).astype(float)
    low, high, better = _stepdown_reference(est, se, df, 300, seed, 0.9)
    r = rank_intervals(est, se, df=df, level=0.9, draws=300, seed=seed)
    assert r.stepdown
    np.testing.assert_array_equal(r.low, low)
    np.testing.assert_array_equal(r.high, high)
    np.testing.assert_array_equal(r.better, better)


@pytest.mark.parametrize(("k", "seed"), [(8, 1), (25, 2)])
def test_marginal_stepdown_equals_the_independent_implementation(k, seed):
    rng = np.random.default_rng(seed)
    est = rng.normal(3.0, 0.1, k)
    se = rng.uniform(0.02, 0.08, k)
    df = rng.integers(5, 200, k).astype(float)
    low, high, _ = _stepdown_reference(est, se, df, 300, seed, 0.9, marginal=True)
    r = rank_intervals(est, se, df=df, level=0.9, draws=300, seed=seed, method="marginal")
    np.testing.assert_array_equal(r.low, low)
    np.testing.assert_array_equal(r.high, high)


def test_stepdown_sets_are_nested_in_single_step_ones_and_narrower_in_the_example():
    # the 10-unit example: mean width 2.6 places single-step, 2.4 step-down
    est = np.array([3.30, 3.22, 3.15, 3.10, 3.02, 2.95, 2.90, 2.80, 2.72, 2.60])
    se = np.full(10, 0.04)
    one = rank_intervals(est, se, df=np.full(10, 60.0), seed=7, stepdown=False)
    down = rank_intervals(est, se, df=np.full(10, 60.0), seed=7)
    assert np.all(down.low >= one.low) and np.all(down.high <= one.high)
    width_one = float(np.mean(one.high - one.low + 1))
    width_down = float(np.mean(down.high - down.low + 1))
    assert width_down < width_one
    assert down.steps >= 2 and down.critical[0] < one.critical[0]


def test_stepdown_with_a_full_covariance_equals_the_diagonal_case():
    rng = np.random.default_rng(9)
    est = rng.normal(3.0, 0.08, 12)
    se = rng.uniform(0.02, 0.06, 12)
    a = rank_intervals(est, se, draws=2000, seed=9)
    b = rank_intervals(est, cov=np.diag(se**2), draws=2000, seed=9)
    assert np.abs(a.low - b.low).max() <= 1 and np.abs(a.high - b.high).max() <= 1


def test_simultaneous_stepdown_coverage():
    """All K sets hold together in at least ~95% of samples (fast version: 300 samples)."""
    rng = np.random.default_rng(21)
    k, reps = 10, 300
    theta = np.linspace(3.0, 3.3, k)
    se = np.full(k, 0.05)
    true_rank = 1 + (theta[None, :] > theta[:, None]).sum(axis=1)
    hits = 0
    for _ in range(reps):
        est = theta + se * rng.standard_normal(k)
        r = rank_intervals(est, se, draws=400, seed=int(rng.integers(1 << 30)))
        hits += bool(np.all((r.low <= true_rank) & (true_rank <= r.high)))
    assert hits / reps >= 0.92
