"""Required sample sizes: Krejcie & Morgan (1970) and Slovin.

Indonesian SKM reports justify their sample with the Krejcie & Morgan table; survey apps often
use Slovin's formula. Both are here so an evaluation can say whether an OPD's sample meets the
rule its report claims (see :mod:`publiceval._core.stats.adequacy`).

Both functions accept a scalar or an array of population sizes; ``inf`` (or NaN, "unknown")
means an infinite population.
"""

from __future__ import annotations

from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import PublicevalError

__all__ = ["KM_CHI2", "krejcie_morgan", "slovin"]

#: Chi-square with 1 df at the 95% level, as printed in Krejcie & Morgan (1970).
KM_CHI2 = 3.841


def _population(population: ArrayLike, name: str) -> NDArray[np.float64]:
    pop = np.asarray(population, dtype=np.float64)
    bad = ~np.isnan(pop) & (pop < 1)
    if np.any(bad):
        raise PublicevalError(
            f"{name}: expected population sizes of at least 1 (or inf/NaN for unknown); "
            f"found {pop[bad].ravel()[0]!r}"
        )
    return np.where(np.isnan(pop), np.inf, pop)


@overload
def krejcie_morgan(
    population: float, *, chi2: float = ..., p: float = ..., margin: float = ...
) -> int: ...
@overload
def krejcie_morgan(
    population: NDArray[np.float64] | list[float],
    *,
    chi2: float = ...,
    p: float = ...,
    margin: float = ...,
) -> NDArray[np.int64]: ...
def krejcie_morgan(
    population: ArrayLike,
    *,
    chi2: float = KM_CHI2,
    p: float = 0.5,
    margin: float = 0.05,
) -> int | NDArray[np.int64]:
    """Krejcie & Morgan's sample size ``S = χ²NP(1−P) / (d²(N−1) + χ²P(1−P))``.

    Rounded to the nearest whole respondent (half up), which is how the published table was
    made: N=100 → 80, N=1,000 → 278, N=1,000,000 → 384. An infinite population gives
    ``χ²P(1−P)/d²`` (384 with the defaults).
    """
    if not 0 < p < 1:
        raise PublicevalError(f"krejcie_morgan: expected 0 < p < 1; found p={p}")
    if not 0 < margin < 1:
        raise PublicevalError(f"krejcie_morgan: expected 0 < margin < 1; found margin={margin}")
    if chi2 <= 0:
        raise PublicevalError(f"krejcie_morgan: expected chi2 > 0; found chi2={chi2}")
    pop = _population(population, "krejcie_morgan")
    pq = chi2 * p * (1.0 - p)
    with np.errstate(invalid="ignore"):
        finite = pq * pop / (margin**2 * (pop - 1.0) + pq)
    size = np.where(np.isinf(pop), pq / margin**2, finite)
    out = np.minimum(np.floor(size + 0.5), pop).astype(np.int64)
    return int(out) if out.ndim == 0 else out


@overload
def slovin(population: float, *, margin: float = ...) -> int: ...
@overload
def slovin(
    population: NDArray[np.float64] | list[float], *, margin: float = ...
) -> NDArray[np.int64]: ...
def slovin(population: ArrayLike, *, margin: float = 0.05) -> int | NDArray[np.int64]:
    """Slovin's ``n = N / (1 + N e²)``, rounded up (a fraction of a respondent is one more).

    With e = 0.05: N=1,000 → 286; N=100 → 80. An infinite population gives ``1/e²`` (400).
    """
    if not 0 < margin < 1:
        raise PublicevalError(f"slovin: expected 0 < margin < 1; found margin={margin}")
    pop = _population(population, "slovin")
    with np.errstate(invalid="ignore"):
        size = np.where(np.isinf(pop), 1.0 / margin**2, pop / (1.0 + pop * margin**2))
    # Guard against 285.99999999 style noise before rounding up.
    out = np.minimum(np.ceil(np.round(size, 9)), pop).astype(np.int64)
    return int(out) if out.ndim == 0 else out
