"""Step-down rank confidence sets (Mogstad, Romano, Shaikh & Wilhelm 2024, Algorithm 3.1).

The single-step sets of :mod:`.ranks` compare every standardised difference with one critical
value, the quantile of the maximum over *all* ordered pairs. Once some pairs are told apart,
the step-down refines it (Romano & Wolf 2005): the critical value is recomputed as the
quantile of the maximum over the ordered pairs *not yet* rejected, which is smaller, and the
loop repeats until nothing new is rejected. The family-wise error rate stays at α, and the
sets are never wider than the single-step ones (the first step *is* the single step). This is
the default of the authors' R package ``csranks`` (``stepdown = TRUE``).

Here an ordered pair ``(a, b)`` is the one-sided hypothesis "θ_a ≤ θ_b", rejected when
``T_ab = (θ̂_a − θ̂_b)/σ_ab`` exceeds the critical value; the maximum simulated is that of
``(X_a − X_b)/σ_ab`` over the remaining ordered pairs, ``X`` the simulated sampling errors.

* ``simultaneous``: one family of all K(K−1) ordered pairs; all sets hold jointly.
* ``marginal``: per unit j, the family of the pairs involving j (csranks' ``simul = FALSE``).

For independent units and few rejections the maximum is found by the same candidate bound as
in :mod:`.ranks` (only pairs with one of the largest ``|z|`` of a draw can exceed
``√2·ζ``); when many pairs are rejected the remaining ones are evaluated as a list. Either
way the maximum is exact.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["stepdown_marginal", "stepdown_simultaneous"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Float64 cells per block of pair statistics (memory bound).
_BLOCK = 2_000_000
#: Largest-|z| units per draw whose pairs are evaluated exactly.
_CANDIDATES = 16


def _pair_max(x: FloatArray, inv_sd: FloatArray, allowed: BoolArray) -> FloatArray:
    """Per draw, max over the allowed ordered pairs of ``(x_a − x_b)/sd_ab`` (0/0 counts 0).

    Dense K×K blocks when many pairs are open, a list of pairs when few are.
    """
    out = np.full(x.shape[0], -np.inf)
    a, b = np.nonzero(allowed)
    k = allowed.shape[0]
    if a.size == 0:
        return out
    if a.size * 8 < k * k:
        w = inv_sd[a, b]
        step = max(1, _BLOCK // a.size)
        for lo in range(0, x.shape[0], step):
            xx = x[lo : lo + step]
            out[lo : lo + step] = ((xx[:, a] - xx[:, b]) * w).max(axis=1)
        return out
    mask = np.where(allowed, 0.0, -np.inf)
    step = max(1, _BLOCK // (k * k))
    for lo in range(0, x.shape[0], step):
        xx = x[lo : lo + step]
        t = (xx[:, :, None] - xx[:, None, :]) * inv_sd + mask
        out[lo : lo + step] = t.reshape(t.shape[0], -1).max(axis=1)
    return out


def _candidate_max(
    z: FloatArray, s: FloatArray, inv_sd: FloatArray, allowed: BoolArray
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Per draw, the max over allowed ordered pairs that involve a candidate unit, and whether
    the bound certifies it as the max over *all* allowed pairs (independent units)."""
    draws, k = z.shape
    m = min(_CANDIDATES, k - 1)
    neg = -np.abs(z)
    cand = np.argpartition(neg, m - 1, axis=1)[:, :m]
    zeta = -np.partition(neg, m, axis=1)[:, m]
    x = z * s
    fwd_mask = np.where(allowed, 0.0, -np.inf)  # [c, b]: c above b may be tested
    back_mask = np.ascontiguousarray(fwd_mask.T)  # [c, b]: b above c may be tested
    best = np.full(draws, -np.inf)
    step = max(1, _BLOCK // (m * k))
    for lo in range(0, draws, step):
        cc = cand[lo : lo + step]
        xx = x[lo : lo + step]
        xc = np.take_along_axis(xx, cc, axis=1)[:, :, None]
        up = (xc - xx[:, None, :]) * inv_sd[cc]  # block × m × k
        v = np.maximum(up + fwd_mask[cc], -up + back_mask[cc])
        best[lo : lo + step] = v.reshape(v.shape[0], -1).max(axis=1)
    # a pair of two non-candidates has |T| <= (s_a|z_a| + s_b|z_b|)/σ_ab <= √2 ζ
    sure = best >= np.sqrt(2.0) * zeta * (1 + 1e-12)
    return best, sure


def _family_max(
    x: FloatArray,
    inv_sd: FloatArray,
    allowed: BoolArray,
    z: FloatArray | None,
    s: FloatArray | None,
) -> FloatArray:
    """Per draw, the exact max of ``(x_a − x_b)/sd_ab`` over the allowed ordered pairs."""
    k = allowed.shape[0]
    if z is None or s is None or k <= 2 * _CANDIDATES + 1:
        return _pair_max(x, inv_sd, allowed)
    best, sure = _candidate_max(z, s, inv_sd, allowed)
    bad = np.flatnonzero(~sure)
    if bad.size:
        best[bad] = _pair_max(x[bad], inv_sd, allowed)
    return best


def _inverse(sd: FloatArray) -> FloatArray:
    """``1/sd`` with 0 where sd is 0 (two units without sampling error never differ by chance)."""
    with np.errstate(divide="ignore"):
        return np.where(sd > 0, 1.0 / np.where(sd > 0, sd, 1.0), 0.0)


def stepdown_simultaneous(
    stat: FloatArray,
    sd: FloatArray,
    x: FloatArray,
    allowed: BoolArray,
    level: float,
    *,
    first: float | None = None,
    z: FloatArray | None = None,
    s: FloatArray | None = None,
) -> tuple[BoolArray, list[float]]:
    """Rejected ordered pairs (``[a, b]``: a significantly above b) and each step's critical value.

    ``stat[a, b]`` is the observed T, ``sd`` the SDs of the differences, ``x`` (draws × K) the
    simulated sampling errors, ``allowed`` the pairs that may be tested (known SEs, a ≠ b).
    ``z`` and ``s`` (standardised draws and SEs of independent units) enable the fast bound;
    ``first`` is the first step's critical value when already known (the single-step one).
    """
    rejected = np.zeros_like(allowed)
    crit: list[float] = []
    inv_sd = _inverse(sd)
    while True:
        open_pairs = allowed & ~rejected
        if not open_pairs.any():
            break
        if first is not None and not crit:
            c = first
        else:
            c = float(np.quantile(_family_max(x, inv_sd, open_pairs, z, s), level))
        crit.append(c)
        new = open_pairs & (stat > c)
        if not new.any():
            break
        rejected |= new
    return rejected, crit


def stepdown_marginal(
    stat: FloatArray, sd: FloatArray, x: FloatArray, allowed: BoolArray, level: float
) -> tuple[BoolArray, BoolArray, FloatArray]:
    """Per unit j, a step-down over the pairs involving j.

    Returns ``above[k, j]`` (k rejected as above j in j's family), ``below[j, b]`` (j above b
    in j's family) and each unit's final critical value. Costs draws × K² per step.
    """
    k = stat.shape[0]
    above = np.zeros((k, k), dtype=bool)
    below = np.zeros((k, k), dtype=bool)
    crit = np.full(k, np.inf)
    inv_sd = _inverse(sd)
    active: BoolArray = np.asarray(allowed.any(axis=0) | allowed.any(axis=1), dtype=bool)
    while active.any():
        fwd = allowed & ~below  # (j, b) still open in j's family
        back = allowed & ~above  # (k, j) still open in j's family
        unit_max = np.full((x.shape[0], k), -np.inf)
        step = max(1, _BLOCK // (k * k))
        fwd_mask = np.where(fwd, 0.0, -np.inf)
        back_mask = np.where(back.T, 0.0, -np.inf)
        for lo in range(0, x.shape[0], step):
            xx = x[lo : lo + step]
            t = (xx[:, :, None] - xx[:, None, :]) * inv_sd
            # [d, j, b]: j's family, both directions
            unit_max[lo : lo + step] = np.maximum(t + fwd_mask, -t + back_mask).max(axis=2)
        q = np.asarray(np.quantile(unit_max, level, axis=0), dtype=np.float64)
        c: FloatArray = np.where(active & np.isfinite(q), q, crit)
        crit = np.where(active, c, crit)
        new_above = back & (stat > c[None, :]) & active[None, :]
        new_below = fwd & (stat > c[:, None]) & active[:, None]
        above |= new_above
        below |= new_below
        active = np.asarray(new_above.any(axis=0) | new_below.any(axis=1), dtype=bool)
    return above, below, crit
