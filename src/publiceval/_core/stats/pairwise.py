"""Pairwise comparisons of OPD scores, with Holm's control of the familywise error rate.

Each pair is tested with ``T = (θ_j − θ_k)/√(se_j² + se_k²)`` (independent samples), on Student's
t with Welch–Satterthwaite degrees of freedom from the design df of the two scores, or on the
normal when no df is given. The p-values of all K(K−1)/2 pairs are adjusted by Holm's step-down
method (Holm 1979), which controls the chance of *any* false "A differs from B" at α without
assuming independence between the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import PublicevalError

__all__ = ["PairwiseComparisons", "holm", "pairwise_comparisons"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def holm(p: ArrayLike) -> FloatArray:
    """Holm-adjusted p-values (NaN stays NaN and is not counted in the family)."""
    pv = np.asarray(p, dtype=np.float64)
    out = np.full(pv.shape, np.nan)
    ok = np.isfinite(pv)
    vals = pv[ok]
    m = vals.size
    if m == 0:
        return out
    if np.any((vals < 0) | (vals > 1)):
        raise PublicevalError("holm: expected p-values between 0 and 1")
    order = np.argsort(vals, kind="stable")
    scaled = (m - np.arange(m)) * vals[order]
    adj = np.minimum(1.0, np.maximum.accumulate(scaled))
    res = np.empty(m)
    res[order] = adj
    out[ok] = res
    return out


@dataclass(frozen=True)
class PairwiseComparisons:
    """All pairs ``first < second`` (indices into the inputs) with their tests."""

    first: IntArray
    second: IntArray
    difference: FloatArray
    """``θ_first − θ_second``."""
    se: FloatArray
    df: FloatArray
    p_value: FloatArray
    p_holm: FloatArray
    significant: NDArray[np.bool_]
    level: float

    def matrix(self, k: int) -> NDArray[np.bool_]:
        """``better[a, b]``: unit ``a`` is significantly above unit ``b`` after Holm."""
        out = np.zeros((k, k), dtype=bool)
        up = self.significant & (self.difference > 0)
        down = self.significant & (self.difference < 0)
        out[self.first[up], self.second[up]] = True
        out[self.second[down], self.first[down]] = True
        return out


def pairwise_comparisons(
    estimate: ArrayLike, se: ArrayLike, *, df: ArrayLike | None = None, level: float = 0.95
) -> PairwiseComparisons:
    """Test every pair of units and adjust by Holm; a pair with an unknown SE is not tested."""
    from scipy import stats  # imported here: scipy.stats costs ~0.5 s at start-up

    est = np.asarray(estimate, dtype=np.float64)
    s = np.asarray(se, dtype=np.float64)
    if est.ndim != 1 or s.shape != est.shape:
        raise PublicevalError(
            f"pairwise_comparisons: expected equal-length 1-d estimates and SEs; "
            f"found {est.shape} and {s.shape}"
        )
    if not 0 < level < 1:
        raise PublicevalError(f"pairwise_comparisons: expected 0 < level < 1; found {level}")
    k = est.size
    d = np.full(k, np.inf) if df is None else np.asarray(df, dtype=np.float64)
    d = np.where(np.isnan(d), np.inf, d)
    known = np.isfinite(est) & np.isfinite(s) & (d >= 1)
    a, b = np.triu_indices(k, 1)
    diff = est[a] - est[b]
    va, vb = s[a] ** 2, s[b] ** 2
    var = va + vb
    se_d = np.sqrt(var)
    with np.errstate(invalid="ignore", divide="ignore"):
        # Welch–Satterthwaite; an infinite df contributes nothing to the denominator
        denom = np.where(np.isfinite(d[a]), va**2 / d[a], 0.0) + np.where(
            np.isfinite(d[b]), vb**2 / d[b], 0.0
        )
        df_d = np.where(denom > 0, var**2 / denom, np.inf)
        t = diff / se_d
    testable = known[a] & known[b]
    t = np.where(se_d > 0, t, np.where(diff == 0, 0.0, np.inf))
    p = np.where(
        np.isfinite(df_d),
        2.0 * stats.t.sf(np.abs(t), np.where(np.isfinite(df_d), df_d, 1.0)),
        2.0 * stats.norm.sf(np.abs(t)),
    )
    p = np.where(testable, np.clip(p, 0.0, 1.0), np.nan)
    p_adj = holm(p)
    return PairwiseComparisons(
        first=a.astype(np.int64),
        second=b.astype(np.int64),
        difference=diff,
        se=se_d,
        df=df_d,
        p_value=p,
        p_holm=p_adj,
        significant=np.nan_to_num(p_adj, nan=1.0) < 1.0 - level,
        level=level,
    )
