"""Confidence sets for ranks, from estimates and their (co)variances.

The method follows Mogstad, Romano, Shaikh & Wilhelm, "Inference for Ranks with Applications to
Mobility across Neighbourhoods and Academic Achievement across Countries" (Review of Economic
Studies, 2024): build confidence intervals for the pairwise differences ``θ_j − θ_k`` that hold
simultaneously, then count, for each unit, how many others are significantly above it and how
many significantly below. With ``a_j`` units significantly better and ``b_j`` significantly
worse, the rank of ``j`` lies in ``[1 + a_j, K − b_j]``.

* ``simultaneous``: one critical value, the (1−α) quantile of ``max_{j≠k} |T_jk|`` over all
  pairs, so all K intervals hold together with probability ≥ 1−α (the right choice for a league
  table, where readers compare every unit with every other).
* ``marginal``: one critical value per unit, the quantile of ``max_{k≠j} |T_jk|``, so each
  interval on its own holds with probability ≥ 1−α (narrower; for "where does my OPD stand").

The critical values are simulated from the estimates' sampling distribution: ``N(0, Σ)``, or,
for independent units with design degrees of freedom, independent ``se_j · t(df_j)``. A plain
bootstrap of ranks is *not* used: it is inconsistent when units are (nearly) tied (Hall & Miller
2009, Annals of Statistics 37(6B)); the projection from simultaneous intervals is valid whatever
the true configuration.

For independent units the maximum over the K² pairs is found without forming all of them: for
standardised draws ``z``, ``|T_jk| ≤ (s_j|z_j| + s_k|z_k|)/√(s_j²+s_k²)``, so only pairs with a
unit among the few largest ``|z|`` of a draw can be the maximum; draws (or units) where the bound
cannot certify the maximum are computed in full. The result is exact, not an approximation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import PublicevalError
from .rank_draws import sampling_errors
from .rank_draws import simulate_cov as _simulate_cov
from .rank_draws import simulate_diag as _simulate_diag
from .rank_draws import standard_draws as _standard_draws  # noqa: F401 (tests use it)
from .stepdown import stepdown_marginal, stepdown_simultaneous

__all__ = ["RankIntervals", "observed_ranks", "rank_intervals"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
RankMethod = Literal["simultaneous", "marginal"]


@dataclass(frozen=True)
class RankIntervals:
    """Rank confidence sets for K units (rank 1 = highest estimate).

    ``better[k, j]`` is True when unit ``k`` is significantly above unit ``j`` under the
    *simultaneous* intervals, whatever ``method`` the intervals use; tiers and warnings rely on
    it because it is one consistent family of comparisons.
    """

    low: IntArray
    high: IntArray
    observed: IntArray
    method: RankMethod
    level: float
    critical: FloatArray
    """The critical value used for each unit (the same number for ``simultaneous``)."""
    simultaneous_critical: float
    better: BoolArray
    draws: int
    seed: int
    stepdown: bool = False
    """Step-down sets (:mod:`.stepdown`); ``critical`` then holds each unit's last step."""
    steps: int = 1
    """Critical values computed for the simultaneous family (1 for single-step)."""


def observed_ranks(estimate: ArrayLike) -> IntArray:
    """Competition ranks, highest first (1 2 2 4)."""
    est = np.asarray(estimate, dtype=np.float64)
    order = np.sort(est)[::-1]
    # rank = 1 + number of strictly larger values
    return (np.searchsorted(-order, -est, side="left") + 1).astype(np.int64)


def rank_intervals(
    estimate: ArrayLike,
    se: ArrayLike | None = None,
    *,
    cov: ArrayLike | None = None,
    df: ArrayLike | None = None,
    level: float = 0.95,
    method: RankMethod = "simultaneous",
    draws: int = 1000,
    seed: int = 0,
    stepdown: bool = True,
) -> RankIntervals:
    """Rank confidence sets for every unit.

    :param estimate: K point estimates (higher is better).
    :param se: K standard errors of independent estimates; NaN or inf marks a unit whose
        uncertainty is unknown (it is then never significantly different from anyone).
    :param cov: a full K×K covariance matrix instead of ``se`` (correlated estimates).
    :param df: design degrees of freedom per unit (independent case only); NaN or inf for
        a normal sampling distribution.
    :param level: confidence level of the sets.
    :param method: ``"simultaneous"`` (all sets hold jointly) or ``"marginal"`` (each alone).
    :param draws: simulation draws for the critical values.
    :param seed: random seed; the same inputs and seed give the same sets.
    :param stepdown: step-down sets (the csranks default, never wider) or single-step ones.
    """
    est = np.asarray(estimate, dtype=np.float64)
    if est.ndim != 1:
        raise PublicevalError(
            f"rank_intervals: expected a 1-d array of estimates; found {est.ndim}-d"
        )
    k = est.size
    if not np.all(np.isfinite(est)):
        raise PublicevalError("rank_intervals: every estimate must be a finite number")
    if not 0 < level < 1:
        raise PublicevalError(f"rank_intervals: expected 0 < level < 1; found {level}")
    if method not in ("simultaneous", "marginal"):
        raise PublicevalError(
            f"rank_intervals: expected method 'simultaneous' or 'marginal'; found {method!r}"
        )
    if draws < 10:
        raise PublicevalError(f"rank_intervals: expected at least 10 draws; found {draws}")
    if (se is None) == (cov is None):
        raise PublicevalError("rank_intervals: give either se (independent units) or cov")
    rng = np.random.default_rng(seed)
    observed = observed_ranks(est)
    sigma: FloatArray | None = None
    s = d = np.zeros(0)
    if cov is not None:
        sigma = _check_cov(cov, k)
        known = np.isfinite(np.diag(sigma))
        stat = _pair_stat_cov(est, sigma)
        sim_max, unit_max = _simulate_cov(sigma, known, draws, rng)
    else:
        s = np.asarray(se, dtype=np.float64)
        if s.shape != (k,):
            raise PublicevalError(
                f"rank_intervals: expected {k} standard errors; found shape {s.shape}"
            )
        if np.any(s < 0):
            raise PublicevalError("rank_intervals: standard errors must not be negative")
        d = np.full(k, np.inf) if df is None else np.asarray(df, dtype=np.float64)
        if d.shape != (k,):
            raise PublicevalError(f"rank_intervals: expected {k} df values; found shape {d.shape}")
        known = np.isfinite(s) & ~(np.isfinite(d) & (d < 1))
        d = np.where(np.isnan(d), np.inf, d)
        stat = _pair_stat_diag(est, np.where(known, s, np.inf))
        sim_max, unit_max = _simulate_diag(s, d, known, draws, rng, units=method == "marginal")
    if sim_max.size:
        c_sim = float(np.quantile(sim_max, level))
        c_unit = np.quantile(unit_max, level, axis=0)
    else:
        c_sim = np.inf
        c_unit = np.full(k, np.inf)
    c_unit = np.where(known, c_unit, np.inf)
    better = stat > c_sim  # stat[k, j] = T for "k above j"
    if method == "simultaneous":
        above = better.sum(axis=0)
        below = better.sum(axis=1)
        crit = np.full(k, c_sim)
    else:
        # unit j's own critical value governs both directions of its comparisons
        above = (stat > c_unit[None, :]).sum(axis=0)
        below = (stat > c_unit[:, None]).sum(axis=1)
        crit = c_unit
    steps = 1
    idx = np.flatnonzero(known)
    if stepdown and idx.size >= 2:
        x, z, sd = sampling_errors(s, d, sigma, idx, draws, seed)
        sub = np.ix_(idx, idx)
        allowed = ~np.eye(idx.size, dtype=bool)
        z_s = (z, s[idx]) if sigma is None and z is not None else (None, None)
        rej, crits = stepdown_simultaneous(
            stat[sub], sd, x, allowed, level, first=c_sim, z=z_s[0], s=z_s[1]
        )
        better = np.zeros((k, k), dtype=bool)
        better[sub] = rej
        steps = len(crits)
        if method == "simultaneous":
            above, below = better.sum(axis=0), better.sum(axis=1)
            crit = np.full(k, crits[-1])
        else:
            up, down, c_last = stepdown_marginal(stat[sub], sd, x, allowed, level)
            above, below = np.zeros(k, np.int64), np.zeros(k, np.int64)
            above[idx], below[idx] = up.sum(axis=0), down.sum(axis=1)
            crit = np.full(k, np.inf)
            crit[idx] = c_last
    low = (1 + above).astype(np.int64)
    high = (k - below).astype(np.int64)
    return RankIntervals(
        low=low,
        high=high,
        observed=observed,
        method=method,
        level=level,
        critical=crit,
        simultaneous_critical=c_sim,
        better=better,
        draws=draws,
        seed=seed,
        stepdown=stepdown and idx.size >= 2,
        steps=steps,
    )


def _check_cov(cov: ArrayLike, k: int) -> FloatArray:
    sigma = np.asarray(cov, dtype=np.float64)
    if sigma.shape != (k, k):
        raise PublicevalError(
            f"rank_intervals: expected a {k}×{k} covariance matrix; found shape {sigma.shape}"
        )
    if not np.allclose(sigma, sigma.T, equal_nan=True):
        raise PublicevalError("rank_intervals: the covariance matrix must be symmetric")
    return sigma


def _pair_stat_diag(est: FloatArray, s: FloatArray) -> FloatArray:
    """``T[k, j] = (θ_k − θ_j) / √(s_k² + s_j²)``; 0 where undefined or a variance is unknown."""
    diff = est[:, None] - est[None, :]
    v = s**2
    den = np.sqrt(v[:, None] + v[None, :])
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(np.isfinite(den), diff / den, 0.0)
        # zero variance on both sides: a sure difference when the estimates differ
        t = np.where(den == 0, np.sign(diff) * np.inf, t)
    t = np.nan_to_num(t, nan=0.0, posinf=np.inf, neginf=-np.inf)
    np.fill_diagonal(t, 0.0)
    return t


def _pair_stat_cov(est: FloatArray, sigma: FloatArray) -> FloatArray:
    dg = np.diag(sigma)
    var = dg[:, None] + dg[None, :] - 2 * sigma
    diff = est[:, None] - est[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        den = np.sqrt(np.maximum(var, 0.0))
        t = np.where(np.isfinite(den) & (den > 0), diff / den, 0.0)
        t = np.where(den == 0, np.sign(diff) * np.inf, t)
    t = np.where(np.isfinite(var), t, 0.0)
    np.fill_diagonal(t, 0.0)
    return t
