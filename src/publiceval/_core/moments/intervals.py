"""Student's t confidence limits, the interval every linearised estimate gets by default."""

from __future__ import annotations

import numpy as np

from .model import FloatArray

__all__ = ["t_interval"]


def t_interval(
    estimate: FloatArray, se: FloatArray, df: FloatArray, level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Two-sided t confidence limits; NaN where df < 1 or the SE is unknown."""
    # the t quantile from scipy.special, imported on first use: scipy.stats would add ~0.4 s
    # to ``import publiceval`` and scipy.special ~0.2 s (the same function underlies both)
    from scipy.special import stdtrit

    with np.errstate(invalid="ignore"):
        t = stdtrit(np.where(df >= 1, df, np.nan), 0.5 + level / 2.0)
    half = t * se
    return estimate - half, estimate + half
