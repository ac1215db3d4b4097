"""Instrument reliability: Cronbach's α per dimension, with Feldt's interval and item diagnostics.

An SKM questionnaire adds up items into one score per *dimension*; that sum means something only
when the items move together. For each dimension this module reports

* Cronbach's α, ``k/(k−1) · (1 − Σ var_j / var_total)``, from the item covariance matrix;
* Feldt's confidence interval (Feldt, Woodruff & Salih 1987):
  ``1 − (1−α)·F_{1−γ/2}`` to ``1 − (1−α)·F_{γ/2}`` with F on (n−1, (n−1)(k−1)) df;
* α if each item were deleted, and each item's *corrected* item–total correlation (with the
  total of the other items), both computed from the same covariance matrix;
* reverse-keyed items (``Item.reverse``) are flipped before anything is computed; an item whose
  corrected item–total correlation is negative gets a note, as it is probably keyed the other
  way round.

Missing answers: ``listwise`` (default) keeps respondents who answered every item of the
dimension; ``pairwise`` estimates each covariance from the respondents who answered both items
(pandas' ``DataFrame.cov``; the Feldt interval then uses the number of respondents with any
answer, as pingouin does). Rows are unweighted: α describes the instrument, not the population.

With ``group`` (the OPD of each row) the covariances are pooled *within* groups: each answer is
centred at its group's mean, so that OPDs that differ in quality do not make the items look
consistent (rows of a good and a bad OPD agree with each other on every item, which α pooled
over rows counts as reliability). Feldt's interval then uses n − groups degrees of freedom.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import PublicevalError

__all__ = ["AlphaResult", "NanPolicy", "cronbach_alpha"]

FloatArray = NDArray[np.float64]
NanPolicy = Literal["listwise", "pairwise"]


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's α of k items with its interval and per-item diagnostics."""

    alpha: float
    low: float
    high: float
    level: float
    n: int
    k: int
    alpha_if_deleted: FloatArray
    """NaN when fewer than three items (α of one item is undefined)."""
    item_total: FloatArray
    """Corrected item–total correlations."""
    covariance: FloatArray


def _covariance(
    y: FloatArray, obs: NDArray[np.bool_], policy: NanPolicy, group: NDArray[np.int64] | None
) -> tuple[FloatArray, int, int]:
    """Item covariances, respondents used, and the degrees of freedom of the sums of squares.

    With ``group`` each answer is centred at its group's mean (pooled within groups: df
    n − groups), so differences *between* groups do not count as consistency of the items.
    """
    k = y.shape[1]
    if policy == "listwise":
        rows = obs.all(axis=1)
        x = y[rows]
        n = int(x.shape[0])
        if group is None:
            xc, dof = x - x.mean(axis=0), n - 1
        else:
            g = group[rows]
            size = int(g.max(initial=-1)) + 1
            count = np.bincount(g, minlength=size)
            sums = np.stack([np.bincount(g, weights=x[:, j], minlength=size) for j in range(k)], 1)
            with np.errstate(invalid="ignore", divide="ignore"):
                means = sums / count[:, None]
            xc, dof = x - means[g], n - int(np.count_nonzero(count))
        if dof < 1:
            return np.full((k, k), np.nan), n, dof
        return (xc.T @ xc) / dof, n, dof
    m = obs.astype(np.float64)
    n = int(obs.any(axis=1).sum())
    if group is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.where(
                m.sum(axis=0) > 0, np.where(obs, y, 0.0).sum(axis=0) / m.sum(axis=0), 0.0
            )
        y0 = np.where(obs, y - centre, 0.0)
        n_jl = m.T @ m
        s_j = y0.T @ m  # [j, l]: sum of y_j over rows answering both
        prod = y0.T @ y0
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = np.where(n_jl > 1, (prod - s_j * s_j.T / n_jl) / (n_jl - 1), np.nan)
        return cov, n, n - 1
    # pooled within groups: each answer centred at its group's item mean (over its answers);
    # each pair's df is its rows minus the groups among them
    size = int(group.max(initial=-1)) + 1
    onehot = np.zeros((y.shape[0], size))
    onehot[np.arange(y.shape[0]), group] = 1.0
    with np.errstate(invalid="ignore", divide="ignore"):
        means = (onehot.T @ np.where(obs, y, 0.0)) / (onehot.T @ m)
    y0 = np.where(obs, y - np.nan_to_num(means)[group], 0.0)
    n_jl = m.T @ m
    groups_jl = np.einsum("ij,il,ig->jlg", m, m, onehot).astype(bool).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = np.where(n_jl - groups_jl >= 1, (y0.T @ y0) / (n_jl - groups_jl), np.nan)
    return cov, n, n - int(np.count_nonzero(np.bincount(group[obs.any(axis=1)])))


def cronbach_alpha(
    data: ArrayLike,
    *,
    observed: ArrayLike | None = None,
    level: float = 0.95,
    nan_policy: NanPolicy = "listwise",
    group: ArrayLike | None = None,
) -> AlphaResult:
    """Cronbach's α of the columns of ``data`` (respondents × items).

    ``observed`` marks answered cells (default: the non-NaN ones). With ``group`` (a code per
    row, e.g. the OPD), α is computed from the pooled within-group covariances, and Feldt's
    interval uses their df (n − groups) in place of n − 1.
    """
    from scipy import stats  # imported here: scipy.stats costs ~0.5 s at start-up

    y = np.asarray(data, dtype=np.float64)
    if y.ndim != 2:
        raise PublicevalError(
            f"cronbach_alpha: expected respondents × items; found {y.ndim}-d data"
        )
    obs = ~np.isnan(y) if observed is None else np.asarray(observed, dtype=bool)
    if obs.shape != y.shape:
        raise PublicevalError(
            f"cronbach_alpha: observed has shape {obs.shape}; expected {y.shape} like the data"
        )
    if nan_policy not in ("listwise", "pairwise"):
        raise PublicevalError(
            f"cronbach_alpha: expected nan_policy 'listwise' or 'pairwise'; found {nan_policy!r}"
        )
    if not 0 < level < 1:
        raise PublicevalError(f"cronbach_alpha: expected 0 < level < 1; found {level}")
    k = y.shape[1]
    if k < 2:
        raise PublicevalError(f"cronbach_alpha: expected at least 2 items; found {k}")
    codes = None if group is None else np.asarray(group, dtype=np.int64).reshape(y.shape[0])
    cov, n, dof = _covariance(np.where(obs, y, 0.0), obs, nan_policy, codes)
    total = cov.sum()
    trace = np.trace(cov)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1.0 - trace / total)
        row = cov.sum(axis=1)
        diag = np.diag(cov)
        rest_var = total - 2.0 * row + diag  # variance of the total without item j
        item_total = (row - diag) / np.sqrt(diag * rest_var)
        if k >= 3:
            aid = (k - 1) / (k - 2) * (1.0 - (trace - diag) / rest_var)
        else:
            aid = np.full(k, np.nan)
    gamma = 1.0 - level
    low = high = float("nan")
    if dof >= 1 and np.isfinite(alpha):
        df1, df2 = dof, dof * (k - 1)
        low = float(1.0 - (1.0 - alpha) * stats.f.isf(gamma / 2.0, df1, df2))
        high = float(1.0 - (1.0 - alpha) * stats.f.isf(1.0 - gamma / 2.0, df1, df2))
    return AlphaResult(
        alpha=float(alpha),
        low=low,
        high=high,
        level=level,
        n=n,
        k=k,
        alpha_if_deleted=np.asarray(aid, dtype=np.float64),
        item_total=np.asarray(item_total, dtype=np.float64),
        covariance=cov,
    )
