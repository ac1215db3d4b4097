"""Simulated maxima of standardised differences, the critical values of rank confidence sets.

Split from :mod:`.ranks` (which documents the method): for independent units the maximum over
the K² pairs is found without forming them (see :func:`_simulate_diag`); correlated units form
every pair.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..errors import PublicevalError

__all__ = ["sampling_errors", "simulate_cov", "simulate_diag", "standard_draws"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Number of largest-|z| units per draw whose pairs are evaluated exactly.
_CANDIDATES = 16
#: Target number of float64 cells in one block of pair statistics (memory bound).
_BLOCK = 2_000_000


def standard_draws(df: FloatArray, draws: int, rng: np.random.Generator) -> FloatArray:
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


def simulate_diag(
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
    z = standard_draws(df_all[idx], draws, rng)
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


def simulate_cov(
    sigma: FloatArray, known: BoolArray, draws: int, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    """As :func:`simulate_diag` for correlated Gaussian estimates (all pairs, in blocks)."""
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


def sampling_errors(
    s: FloatArray,
    df: FloatArray,
    sigma: FloatArray | None,
    idx: IntArray,
    draws: int,
    seed: int,
) -> tuple[FloatArray, FloatArray | None, FloatArray]:
    """The draws the simulations above made for units ``idx``, made again from ``seed``.

    Returns the sampling errors ``x`` (draws × |idx|), the standardised draws ``z`` (None for
    a full covariance) and the SDs of the pairwise differences. The same random numbers as
    :func:`simulate_diag` / :func:`simulate_cov`, so a step-down's first step *is* the single
    step.
    """
    rng = np.random.default_rng(seed)
    if sigma is not None:
        sub = sigma[np.ix_(idx, idx)]
        vals, vecs = np.linalg.eigh(sub)
        root = vecs * np.sqrt(np.clip(vals, 0.0, None))
        x = rng.standard_normal((draws, idx.size)) @ root.T
        dg = np.diag(sub)
        return x, None, np.sqrt(np.maximum(dg[:, None] + dg[None, :] - 2 * sub, 0.0))
    si = s[idx]
    sd = np.sqrt(si[:, None] ** 2 + si[None, :] ** 2)
    if not np.any(si > 0):
        return np.zeros((draws, idx.size)), np.zeros((draws, idx.size)), sd
    z = standard_draws(df[idx], draws, rng)
    return z * si, z, sd
