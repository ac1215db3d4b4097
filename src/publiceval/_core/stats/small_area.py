"""Small-area estimates: empirical-Bayes (Fay–Herriot) shrinkage of OPD scores.

An OPD with 8 respondents has a direct score so noisy that it is first or last of a league table
by chance as often as by merit. The Fay–Herriot model (Fay & Herriot 1979, *JASA* 74) treats
each direct score as the true score plus sampling error, and the true scores as varying around
a regression on what is known of the OPDs (the city mean, or their tags):

    y_g = θ_g + e_g,  e_g ~ N(0, D_g)   (D_g = the design variance, taken as known)
    θ_g = x_gᵀβ + v_g,  v_g ~ N(0, A)

The empirical-Bayes estimate is ``γ_g y_g + (1 − γ_g) x_gᵀβ̂`` with ``γ_g = Â/(Â + D_g)``: an
OPD with a precise direct score keeps it, a noisy one moves toward the regression. ``A`` is
estimated by REML (Fisher scoring, as R's ``sae::eblupFH``, truncated at 0) and the MSE by
Prasad & Rao (1990) with the REML correction of Datta & Lahiri (2000):
``g1 + g2 + 2·g3`` where ``g1 = γD`` (the shrunken posterior variance), ``g2`` the
uncertainty of β̂ and ``g3 = D²/(A+D)³ · Var(Â)``, ``Var(Â) = 2 / Σ (A+D)⁻²``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import PublicevalError

__all__ = ["SmallArea", "fay_herriot"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class SmallArea:
    """Fay–Herriot fit: EB estimates with their root MSE, per area."""

    estimate: FloatArray
    rmse: FloatArray
    weight: FloatArray
    """γ: the weight on the direct estimate (1: kept, 0: replaced by the synthetic one)."""
    synthetic: FloatArray
    """``x_gᵀβ̂``: the regression's prediction."""
    variance: float
    """Â, the variance of the true scores around the regression."""
    beta: FloatArray
    iterations: int


def _reml(y: FloatArray, d: FloatArray, x: FloatArray) -> tuple[float, int]:
    """REML estimate of A by Fisher scoring (truncated at 0)."""
    n, p = x.shape
    resid = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    a = max(float(resid @ resid) / max(n - p, 1) - float(d.mean()), 0.0)
    for it in range(1, 101):
        vinv = 1.0 / (a + d)
        xv = x * vinv[:, None]
        proj = np.diag(vinv) - xv @ np.linalg.solve(x.T @ xv, xv.T)
        py = proj @ y
        score = -0.5 * np.trace(proj) + 0.5 * float(py @ py)
        info = 0.5 * float(np.sum(proj * proj.T))
        step = score / info if info > 0 else 0.0
        new = max(a + step, 0.0)
        if abs(new - a) <= 1e-10 * max(1.0, a):
            return new, it
        a = new
    return a, 100


def _full_rank(x: FloatArray) -> FloatArray:
    """The columns of ``x`` that add to its rank, in order (tags that all areas share, or that
    complement each other, say nothing the intercept does not)."""
    keep: list[int] = []
    for j in range(x.shape[1]):
        if np.linalg.matrix_rank(x[:, [*keep, j]]) > len(keep):
            keep.append(j)
    return x[:, keep]


def fay_herriot(direct: ArrayLike, se: ArrayLike, x: ArrayLike | None = None) -> SmallArea:
    """Fit the Fay–Herriot model to direct estimates with known SEs (``x``: the covariates,
    default an intercept only: shrinkage toward the precision-weighted mean)."""
    y = np.asarray(direct, dtype=np.float64)
    s = np.asarray(se, dtype=np.float64)
    m = y.size
    design = np.ones((m, 1)) if x is None else np.asarray(x, dtype=np.float64).reshape(m, -1)
    if s.shape != y.shape or not (np.all(np.isfinite(y)) and np.all(np.isfinite(s))):
        raise PublicevalError("fay_herriot: expected finite estimates with one finite SE each")
    if np.any(s <= 0):
        raise PublicevalError("fay_herriot: every sampling SE must be positive")
    design = _full_rank(design)
    p = design.shape[1]
    if m < p + 2:
        raise PublicevalError(f"fay_herriot: {m} areas are too few for {p} covariate(s)")
    d = s * s
    a, iterations = _reml(y, d, design)
    vinv = 1.0 / (a + d)
    xv = design * vinv[:, None]
    cov_beta = np.linalg.pinv(design.T @ xv)
    beta = cov_beta @ (xv.T @ y)
    synthetic = design @ beta
    gamma = a / (a + d)
    estimate = gamma * y + (1.0 - gamma) * synthetic
    g1 = gamma * d
    g2 = (1.0 - gamma) ** 2 * np.einsum("ij,jk,ik->i", design, cov_beta, design)
    var_a = 2.0 / float(np.sum(vinv**2))
    g3 = d * d * vinv**3 * var_a
    mse = g1 + g2 + 2.0 * g3
    return SmallArea(
        estimate=estimate,
        rmse=np.sqrt(mse),
        weight=gamma,
        synthetic=synthetic,
        variance=a,
        beta=beta,
        iterations=iterations,
    )
