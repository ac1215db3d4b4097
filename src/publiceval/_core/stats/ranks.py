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

__all__ = ["RankIntervals", "observed_ranks", "rank_intervals"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
RankMethod = Literal["simultaneous", "marginal"]

#: Number of largest-|z| units per draw whose pairs are evaluated exactly.
_CANDIDATES = 16
#: Target number of float64 cells in one block of pair statistics (memory bound).
_BLOCK = 2_000_000


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


def _standard_draws(df: FloatArray, draws: int, rng: np.random.Generator) -> FloatArray:
    """``draws × K`` standardised draws: t(df_j) where df_j is finite, N(0, 1) otherwise."""
    z = rng.standard_normal((draws, df.size))
    finite = np.isfinite(df)
    if finite.any():
        dfs = df[finite]
        chi = rng.chisquare(dfs, size=(draws, dfs.size))
        z[:, finite] = z[:, finite] / np.sqrt(chi / dfs)
    return z


def _abs_t(z_a: FloatArray, s_a: FloatArray, z_b: FloatArray, s_b: FloatArray) -> FloatArray:
    """|s_a z_a − s_b z_b| / √(s_a² + s_b²), 0 where both SEs are zero (broadcasting)."""
    num = np.subtract(s_a * z_a, s_b * z_b)
    np.abs(num, out=num)
    den = np.add(s_a * s_a, s_b * s_b)
    np.sqrt(den, out=den)
    # where both SEs are zero the numerator is zero too, and stays so
    np.divide(num, den, out=num, where=den > 0)
    return num


def _full_rows(z: FloatArray, s: FloatArray, rows_d: IntArray, rows_j: IntArray) -> FloatArray:
    """max_k |T_jk| (k ≠ j) for the given (draw, unit) pairs, computed over all k."""
    out = np.empty(rows_d.size)
    step = max(1, _BLOCK // max(1, s.size))
    for a in range(0, rows_d.size, step):
        d = rows_d[a : a + step]
        j = rows_j[a : a + step]
        t = _abs_t(z[d, j][:, None], s[j][:, None], z[d], s[None, :])
        t[np.arange(d.size), j] = 0.0
        out[a : a + step] = t.max(axis=1)
    return out


def _top(values: FloatArray, m: int) -> tuple[IntArray, FloatArray]:
    """Per row, the indices of the ``m`` largest values and the (m+1)-th largest value."""
    neg = -values
    top = np.argpartition(neg, m - 1, axis=1)[:, :m].astype(np.int64)
    nxt = -np.partition(neg, m, axis=1)[:, m]
    return top, nxt


def _simulate_diag(
    s_all: FloatArray,
    df_all: FloatArray,
    known: BoolArray,
    draws: int,
    rng: np.random.Generator,
    *,
    units: bool,
) -> tuple[FloatArray, FloatArray]:
    """Per draw the max |T| over all pairs, and (with ``units``) per draw and unit the max over
    that unit's pairs (zeros otherwise)."""
    k_all = s_all.size
    idx = np.flatnonzero(known)
    unit_max = np.zeros((draws, k_all))
    k = idx.size
    if k < 2:
        return np.zeros(0), unit_max
    s = s_all[idx]
    if not np.any(s > 0):
        # no sampling error anywhere: every standardised difference is 0 (or a sure one)
        return np.zeros(draws), unit_max
    z = _standard_draws(df_all[idx], draws, rng)
    if k <= 2 * _CANDIDATES + 1:
        # small K: all pairs, in blocks of draws
        rows = np.empty((draws, k))
        step = max(1, _BLOCK // (k * k))
        for a in range(0, draws, step):
            zz = z[a : a + step]
            t = _abs_t(zz[:, :, None], s[None, :, None], zz[:, None, :], s[None, None, :])
            rows[a : a + step] = t.max(axis=2)
        unit_max[:, idx] = rows
        return rows.max(axis=1), unit_max
    m = _CANDIDATES if units else _CANDIDATES // 2
    az = np.abs(z)
    ax = az * s
    # candidates: the largest standardised draws, and (for unit maxima) the largest raw ones
    cand, zeta = _top(az, m)
    xi = np.full(draws, np.inf)
    if units:
        cand_x, xi = _top(ax, m)
        cand = np.concatenate([cand, cand_x], axis=1)
    mc = cand.shape[1]
    cand_rows = np.empty((draws, mc))  # exact max over each candidate's full row
    col_max = np.empty((draws, k))  # max over candidates, per unit
    step = max(1, _BLOCK // (mc * k))
    arange_k = np.arange(k)
    for a in range(0, draws, step):
        zz = z[a : a + step]
        cc = cand[a : a + step]
        zc = np.take_along_axis(zz, cc, axis=1)
        t = _abs_t(zc[:, :, None], s[cc][:, :, None], zz[:, None, :], s[None, None, :])
        t[cc[:, :, None] == arange_k[None, None, :]] = 0.0
        cand_rows[a : a + step] = t.max(axis=2)
        col_max[a : a + step] = t.max(axis=1)
    if not units:
        # Only the overall maximum is needed. A pair of two non-candidates has
        # |T| <= (s_j + s_k) zeta / √(s_j² + s_k²) <= √2 zeta: certify draw by draw.
        best = cand_rows.max(axis=1)
        bad = np.flatnonzero(best < np.sqrt(2.0) * zeta * (1 + 1e-12))
        if bad.size:
            fd = np.repeat(bad, k)
            fj = np.tile(arange_k, bad.size)
            best[bad] = _full_rows(z, s, fd, fj).reshape(bad.size, k).max(axis=1)
        return best, unit_max
    is_cand = np.zeros((draws, k), dtype=bool)
    np.put_along_axis(is_cand, cand, True, axis=1)
    # Bound for the pairs of unit j with non-candidates k, which have |z_k| <= zeta and
    # |x_k| = s_k |z_k| <= xi:  |T_jk| <= (|x_j| + min(s_k zeta, xi)) / √(s_j² + s_k²),
    # maximised over s_k in [s_min, s_max]. Below r = xi / zeta this is the maximum over
    # θ = atan(s_k / s_j) of |z_j| cos θ + zeta sin θ; above r it decreases in s_k.
    smin, smax = float(s.min()), float(s.max())
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(zeta > 0, xi / zeta, np.inf)
    upper = np.clip(r, smin, smax)[:, None]
    th_lo = np.arctan2(smin, s)[None, :]
    th_hi = np.arctan2(upper, s[None, :])
    th = np.clip(np.arctan2(zeta[:, None], az), th_lo, th_hi)
    piece1 = az * np.cos(th) + zeta[:, None] * np.sin(th)
    with np.errstate(divide="ignore", invalid="ignore"):
        den = np.sqrt(s[None, :] ** 2 + upper**2)
        piece2 = np.where(den > 0, (ax + xi[:, None]) / den, np.inf)
    piece2 = np.where(r[:, None] < smax, piece2, 0.0)
    bound = np.maximum(piece1, piece2) * (1 + 1e-12) + 1e-300
    rows = col_max
    np.put_along_axis(rows, cand, cand_rows, axis=1)
    fail = ~is_cand & (rows < bound)
    if fail.any():
        fd, fj = np.nonzero(fail)
        rows[fd, fj] = _full_rows(z, s, fd.astype(np.int64), fj.astype(np.int64))
    unit_max[:, idx] = rows
    return rows.max(axis=1), unit_max


def _simulate_cov(
    sigma: FloatArray, known: BoolArray, draws: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    """As :func:`_simulate_diag` for correlated Gaussian estimates (all pairs, in blocks)."""
    k_all = sigma.shape[0]
    idx = np.flatnonzero(known)
    unit_max = np.zeros((draws, k_all))
    k = idx.size
    if k < 2:
        return np.zeros(0), unit_max
    sub = sigma[np.ix_(idx, idx)]
    vals, vecs = np.linalg.eigh(sub)
    if vals.min() < -1e-9 * max(1.0, float(np.abs(vals).max())):
        raise PublicevalError(
            "rank_intervals: the covariance matrix must be positive semi-definite; "
            f"its smallest eigenvalue is {vals.min():.3g}"
        )
    root = vecs * np.sqrt(np.clip(vals, 0.0, None))
    x = rng.standard_normal((draws, k)) @ root.T
    dg = np.diag(sub)
    sd = np.sqrt(np.maximum(dg[:, None] + dg[None, :] - 2 * sub, 0.0))
    rows = np.empty((draws, k))
    step = max(1, _BLOCK // (k * k))
    for a in range(0, draws, step):
        xx = x[a : a + step]
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.abs(xx[:, :, None] - xx[:, None, :]) / sd[None]
        t = np.where(sd[None] > 0, t, 0.0)
        rows[a : a + step] = t.max(axis=2)
    unit_max[:, idx] = rows
    return rows.max(axis=1), unit_max
