"""The probability that an OPD's score belongs to each category of a scheme.

A score of 76.5 sits in band C of PermenPANRB 14/2017, but with a standard error of 1.2 it could
as well be a B. For each OPD the sampling distribution of its estimate (``estimate + se·T``, T
Student's t with the design degrees of freedom, or normal) is spread over the bands: the share
that falls in a band is reported as that band's probability. Read it as the probability, under a
flat prior, that the true score lies in the band; the probabilities of all bands sum to 1.

Mass below the lowest band or above the highest is given to that band (a score cannot leave
the scheme). When the scheme compares scores rounded to a precision, the edges move to where
rounding flips (half a unit below the printed edge), so the probabilities describe the category
the report would print.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import PublicevalError

__all__ = ["BandEdges", "category_probabilities", "effective_edges"]

FloatArray = NDArray[np.float64]


class BandEdges(Protocol):
    """What the kernel needs of a band (a scheme's ``Band`` has it): its lower edge."""

    @property
    def low(self) -> float: ...


def effective_edges(bands: Sequence[BandEdges], precision: int | None = None) -> FloatArray:
    """Inner band edges (ascending) on the unrounded score, given the scheme's precision."""
    lows = [b.low for b in sorted(bands, key=lambda b: b.low)][1:]
    if precision is None:
        return np.asarray(lows, dtype=np.float64)
    quantum = Decimal(1).scaleb(-precision)
    half = Decimal(5).scaleb(-precision - 1)
    return np.asarray(
        [float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_CEILING) - half) for x in lows],
        dtype=np.float64,
    )


def category_probabilities(
    estimate: ArrayLike,
    se: ArrayLike,
    bands: Sequence[BandEdges],
    *,
    df: ArrayLike | None = None,
    precision: int | None = None,
) -> FloatArray:
    """``K × B`` probabilities, columns in band order by ``low`` (worst band first, usually).

    Rows are NaN where the estimate or its SE is unknown (NaN, or ``df < 1``). A zero SE puts
    all mass on the band of the estimate.
    """
    from scipy import stats  # imported here: scipy.stats costs ~0.5 s at start-up

    if not bands:
        raise PublicevalError("category_probabilities: expected at least one band; found none")
    est = np.atleast_1d(np.asarray(estimate, dtype=np.float64))
    s = np.atleast_1d(np.asarray(se, dtype=np.float64))
    if s.shape != est.shape:
        raise PublicevalError(
            f"category_probabilities: expected one SE per estimate; found {s.shape} for {est.shape}"
        )
    if np.any(s < 0):
        raise PublicevalError("category_probabilities: standard errors must not be negative")
    d = np.full(est.shape, np.inf) if df is None else np.asarray(df, dtype=np.float64)
    d = np.where(np.isnan(d), np.inf, d)
    edges = effective_edges(bands, precision)
    unknown = ~np.isfinite(est) | ~np.isfinite(s) | (d < 1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        zed = (edges[None, :] - est[:, None]) / s[:, None]
        dd = np.where(d >= 1, d, np.inf)[:, None]
        cdf = np.where(
            np.isfinite(dd),
            stats.t.cdf(zed, np.where(np.isfinite(dd), dd, 1.0)),
            stats.norm.cdf(zed),
        )
    sure = (est[:, None] < edges[None, :]).astype(np.float64)
    cdf = np.where((s == 0)[:, None], sure, cdf)
    full = np.concatenate([np.zeros((est.size, 1)), cdf, np.ones((est.size, 1))], axis=1)
    probs = np.clip(np.diff(full, axis=1), 0.0, 1.0)
    probs /= probs.sum(axis=1, keepdims=True)
    probs[unknown] = np.nan
    return np.asarray(probs, dtype=np.float64)
