"""The SE floor of bounded answers (why and how: :mod:`publiceval._core.stats.edges`).

Here, in the moments kernel, so that :meth:`ItemEstimates.combine` can give every combination
of item means its floor from each item's own scale.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .model import FloatArray

__all__ = ["PRIOR_ANSWERS", "combination_floor", "se_floor"]

#: Pseudo-answers of the prior, half at each end of the scale (Jeffreys for a share).
PRIOR_ANSWERS = 1.0


def se_floor(
    value: ArrayLike,
    low: float,
    high: float,
    n: ArrayLike,
    fpc: ArrayLike | None = None,
    prior: float = PRIOR_ANSWERS,
) -> FloatArray:
    """Posterior SD of a mean on ``[low, high]`` when ``n`` answers show no spread at ``value``.

    NaN where ``value`` or ``n`` is unknown or ``n`` is not positive.
    """
    width = float(high) - float(low)
    v = np.asarray(value, dtype=np.float64)
    nn = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.clip((v - float(low)) / width, 0.0, 1.0) if width > 0 else np.full(v.shape, 0.5)
        total = nn + prior
        var = (prior / 4.0 + nn * prior / total * (p - 0.5) ** 2) / (total * (total + 1.0))
        var = np.where(nn > 0, var, np.nan)
    if fpc is not None:
        var = var * np.clip(np.asarray(fpc, dtype=np.float64), 0.0, 1.0)
    return np.asarray(np.sqrt(var) * abs(width), dtype=np.float64)


def combination_floor(
    mean: FloatArray,
    low: FloatArray,
    high: FloatArray,
    n: FloatArray,
    coef: FloatArray,
    fpc: FloatArray | None = None,
) -> FloatArray:
    """Floor of ``Σ_j coef_gj · mean_gj`` per group: ``√(Σ_j (coef_gj · floor_gj)²)``.

    The prior is on each item's answers on the item's own scale, independently, so a combination
    (a mean of items, a delta-method gradient of a ratio such as the CSI or IPA) gets the floors
    of its items weighted by its coefficients. ``mean`` and ``n`` are (groups × items).
    """
    floors = np.stack(
        [
            se_floor(mean[:, j], float(low[j]), float(high[j]), n[:, j])
            for j in range(mean.shape[1])
        ],
        axis=1,
    ).reshape(mean.shape)
    used = coef != 0
    terms = np.where(used, coef * np.nan_to_num(floors), 0.0)
    out = np.sqrt((terms * terms).sum(axis=1))
    if fpc is not None:
        out = out * np.sqrt(np.clip(fpc, 0.0, 1.0))
    return np.where(used.any(axis=1), out, np.nan)
