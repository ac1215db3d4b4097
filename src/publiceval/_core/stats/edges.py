"""No finite sample is certain: a floor under the standard error of a bounded score.

Eight respondents who all answered 4 on a 1–4 scale have a sample variance of 0, so the
linearised SE is 0 and a t interval has no width — yet nobody would bet that *every* service
user would answer 4. The SE floor is what a weak prior says such a sample still leaves open.

**Prior.** On the score's own scale ``[L, U]`` (rescaled to [0, 1]), ``a₀ = 1`` pseudo-answer,
half at each end: for a share this is Jeffreys' Beta(½, ½) prior (Brown, Cai & DasGupta 2001,
*Statistical Science* 16(2)), for a mean of bounded answers the Dirichlet prior of the Bayesian
bootstrap with that mass at the ends (Rubin 1981; Ferguson 1973). With ``n`` answers all at
``p`` the posterior variance of the mean is

    ( a₀/4 + n·a₀/(n+a₀) · (p − ½)² ) / ( (n+a₀)(n+a₀+1) ),

the least uncertainty ``n`` answers can carry (answers that vary add their own variance, which
the design SE measures). The reported SE is ``max(design SE, floor)``, with ``n`` the Kish
effective sample size and the floor times ``√(1 − f)`` under a finite population correction
(a census, f = 1, is certain). A design SE above the floor — every sample with real spread but
the smallest — is left exactly as it was, so parity with R and samplics is untouched.

At n = 8 all at the top the floor is 0.072 of the scale (0.22 on 1–4 for one item); at n = 30,
0.022; at n = 100, 0.007. The prior is on each item's answers on the item's own scale,
independently, so a score ``Σ c_j·mean_j`` (or a ratio, through its delta-method gradient) has
the floor ``√(Σ (c_j·floor_j)²)`` (:func:`combination_floor`, computed by
:meth:`ItemEstimates.combine` when the items' scales are known); otherwise the score's own scale
stands in, over the √(number of items) it averages.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..moments.floor import PRIOR_ANSWERS, combination_floor, se_floor

__all__ = ["PRIOR_ANSWERS", "combination_floor", "edge_interval", "honest_se", "se_floor"]

FloatArray = NDArray[np.float64]


def honest_se(
    se: ArrayLike,
    value: ArrayLike,
    low: float,
    high: float,
    n: ArrayLike,
    fpc: ArrayLike | None = None,
    items: ArrayLike | None = None,
    floor: ArrayLike | None = None,
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """``max(se, floor)`` where the SE is known (NaN stays NaN) and where the floor was used.

    ``items`` is the effective number of items a score averages (``(Σ|c|)²/Σc²``): the prior
    is on each item's answers, independently, so the floor of an average of k items is the
    one-item floor over √k (a pseudo-respondent is not at the same end on every item).
    ``floor``, when the estimate knows its items' scales, is that floor already computed item
    by item (:func:`combination_floor`, the better one: ratios such as the CSI need it).
    """
    s = np.asarray(se, dtype=np.float64)
    if floor is not None:
        least = np.asarray(floor, dtype=np.float64)
    else:
        least = se_floor(value, low, high, n, fpc)
        if items is not None:
            least = least / np.sqrt(np.maximum(np.asarray(items, dtype=np.float64), 1.0))
    raised = np.isfinite(s) & np.isfinite(least) & (least > s)
    return np.where(raised, least, s), raised


def edge_interval(
    value: ArrayLike,
    low: float,
    high: float,
    n: ArrayLike,
    level: float,
    df: ArrayLike | None = None,
    items: ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Wilson's interval for a score *at* an end of its scale; NaN elsewhere.

    At ``p = 0`` or ``1`` (every answer at one end) the rescaled score is a share of 0 or 1 on
    ``n × items`` answers, and Wilson's score interval (Wilson 1927) is the one that keeps its
    coverage there (Brown, Cai & DasGupta 2001): 8 of 8 at the top is [0.68, 1] of the scale.
    With ``df`` the quantile is Student's t. Between the ends the t interval on the (floored)
    SE is kept.
    """
    from .proportions import wilson_interval

    width = float(high) - float(low)
    v = np.asarray(value, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = (v - float(low)) / width if width > 0 else np.full(v.shape, np.nan)
    edge = (p == 0.0) | (p == 1.0)
    nn = np.asarray(n, dtype=np.float64) * (
        1.0 if items is None else np.maximum(np.asarray(items, dtype=np.float64), 1.0)
    )
    lo, hi = wilson_interval(np.where(edge, p, 0.5), np.where(edge, nn, np.nan), level, df=df)
    lo = np.where(edge, float(low) + width * lo, np.nan)
    hi = np.where(edge, float(low) + width * hi, np.nan)
    return np.asarray(lo, dtype=np.float64), np.asarray(hi, dtype=np.float64)
