"""Design-based estimation kernels: ratio means per group and their linearised variances.

Every score that is a linear combination of item means (the Likert mean, the IKM, top-box
shares, the NPS) is estimated here, in one vectorised pass over the rows, with standard errors
by Taylor linearisation under a stratified cluster design:

* the OPD is always part of the stratification (samples are drawn per service unit), crossed
  with the user's strata when given;
* PSUs (clusters) are the user's ``psu`` codes, or each row when none are given;
* the between-PSU variance within each stratum uses the with-replacement formula
  ``n_h / (n_h - 1) * sum_p (U_hp - mean_h U)^2``, times ``1 - f`` when the OPD's population
  size is known (finite population correction, ``f = n / N``);
* design degrees of freedom are ``#PSUs - #strata`` per OPD.

References: Wolter, *Introduction to Variance Estimation* (2007), ch. 6; Lumley, *Complex
Surveys* (2010), §2.3 and §3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

__all__ = ["Design", "GroupEstimate", "ItemEstimates", "item_estimates", "t_interval"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Design:
    """Survey design of the rows: strata, PSUs and per-group population sizes (all optional)."""

    stratum: NDArray[np.int32] | None = None
    psu: NDArray[np.int32] | None = None
    population: FloatArray | None = None
    """Population size per group (NaN where unknown), for the finite population correction."""


@dataclass(frozen=True)
class GroupEstimate:
    """A score per group with its uncertainty; NaN where a group has no data."""

    estimate: FloatArray
    se: FloatArray
    df: FloatArray
    n: NDArray[np.int64]
    n_effective: FloatArray
    deff: FloatArray


@dataclass(frozen=True)
class ItemEstimates:
    """Ratio means per group and item, with what is needed to combine them.

    ``deviations`` holds ``w_i (y_ij - R_gj m_ij) / W_gj`` per row and item, the linearised
    contribution of each row to each item mean; a linear combination of item means has the
    same combination of these as its linearised variable.
    """

    mean: FloatArray
    se: FloatArray
    wsum: FloatArray
    n: NDArray[np.int64]
    df: FloatArray
    group: NDArray[np.int64]
    n_groups: int
    deviations: FloatArray
    rows_observed: NDArray[np.bool_]
    y: FloatArray
    weight: FloatArray
    design: Design
    weighted: bool

    def combine(self, coef: FloatArray, *, renormalize: bool = True) -> GroupEstimate:
        """Estimate ``sum_j coef_j * mean_gj`` per group, with its linearised SE.

        With ``renormalize``, items a group has no answers to are dropped and the remaining
        coefficients rescaled to the same total, so a mean stays a mean.
        """
        coef = np.asarray(coef, dtype=np.float64)
        has = self.wsum > 0
        c = np.where(has, coef[None, :], 0.0)
        if renormalize:
            total = c.sum(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                c = np.where(total > 0, c * (coef.sum() / total), 0.0)
        used = c != 0
        estimate = np.where(
            used.any(axis=1), np.nansum(np.where(used, self.mean, 0.0) * c, axis=1), np.nan
        )
        rows = (self.rows_observed & used[self.group]).any(axis=1)
        u = (self.deviations * c[self.group]).sum(axis=1)[:, None]
        var, df, n = _design_variance(u, self.group, self.n_groups, self.design, rows)
        se = np.sqrt(var[:, 0])
        n_eff = _kish(self.weight, self.group, self.n_groups, rows)
        deff = np.ones(self.n_groups)
        if self.weighted:
            unweighted = item_estimates(
                self.group,
                self.n_groups,
                self.y,
                self.rows_observed,
                None,
                Design(population=self.design.population),
            ).combine(coef, renormalize=renormalize)
            with np.errstate(invalid="ignore", divide="ignore"):
                deff = (se / unweighted.se) ** 2
        empty = ~used.any(axis=1)
        se[empty] = np.nan
        return GroupEstimate(estimate=estimate, se=se, df=df, n=n, n_effective=n_eff, deff=deff)


def item_estimates(
    group: NDArray[np.integer],
    n_groups: int,
    y: FloatArray,
    observed: NDArray[np.bool_],
    weight: FloatArray | None,
    design: Design | None = None,
) -> ItemEstimates:
    """Weighted ratio mean of each item in each group, with design-based SEs.

    ``y`` is (rows × items) with any value where ``observed`` is False; a missing answer
    contributes to neither numerator nor denominator.
    """
    design = design or Design()
    group = np.asarray(group, dtype=np.int64)
    n, k = y.shape
    w = np.ones(n) if weight is None else np.asarray(weight, dtype=np.float64)
    weighted = weight is not None and n > 0 and bool(np.ptp(w) > 0)
    m = observed.astype(np.float64)
    wy = np.where(observed, y, 0.0) * w[:, None]
    wm = m * w[:, None]
    ysum = _group_sum(group, n_groups, wy)
    wsum = _group_sum(group, n_groups, wm)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(wsum > 0, ysum / wsum, np.nan)
        safe_mean = np.nan_to_num(mean)
        inv_w = np.where(wsum > 0, 1.0 / wsum, 0.0)
    deviations = (wy - wm * safe_mean[group]) * inv_w[group]
    var, df, _ = _design_variance(deviations, group, n_groups, design, observed.any(axis=1))
    counts = _group_sum(group, n_groups, m).astype(np.int64)
    se = np.where(wsum > 0, np.sqrt(var), np.nan)
    return ItemEstimates(
        mean=mean,
        se=se,
        wsum=wsum,
        n=counts,
        df=df,
        group=group,
        n_groups=n_groups,
        deviations=deviations,
        rows_observed=observed,
        y=y,
        weight=w,
        design=design,
        weighted=weighted,
    )


def _group_sum(group: NDArray[np.int64], n_groups: int, values: FloatArray) -> FloatArray:
    """Column-wise sums of ``values`` per group: (n_groups × columns)."""
    out = np.zeros((n_groups, values.shape[1]))
    for j in range(values.shape[1]):
        out[:, j] = np.bincount(group, weights=values[:, j], minlength=n_groups)
    return out


def _kish(
    w: FloatArray, group: NDArray[np.int64], n_groups: int, rows: NDArray[np.bool_]
) -> FloatArray:
    sw = np.bincount(group[rows], weights=w[rows], minlength=n_groups)
    sw2 = np.bincount(group[rows], weights=w[rows] ** 2, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sw2 > 0, sw**2 / sw2, 0.0)


def _design_variance(
    u: FloatArray,
    group: NDArray[np.int64],
    n_groups: int,
    design: Design,
    rows: NDArray[np.bool_],
) -> tuple[FloatArray, FloatArray, NDArray[np.int64]]:
    """Variance of the group totals of ``u`` (rows × q) under the design; plus df and n per group.

    Only ``rows`` count as sampled units (rows that contribute nothing are not PSUs).
    """
    idx = np.flatnonzero(rows)
    g = group[idx]
    uu = u[idx]
    q = u.shape[1]
    n_rows = np.bincount(g, minlength=n_groups).astype(np.int64)
    n_s = 1
    gh = g
    if design.stratum is not None and idx.size:
        s = design.stratum[idx].astype(np.int64)
        n_s = int(s.max()) + 1
        gh = g * n_s + s
    if design.psu is not None:
        key = gh * (int(design.psu.max()) + 1 if design.psu.size else 1) + design.psu[idx]
        uniq, psu_of_row = np.unique(key, return_inverse=True)
        psu_of_row = psu_of_row.reshape(-1)
        first = np.zeros(uniq.size, np.int64)
        first[psu_of_row[::-1]] = np.arange(idx.size)[::-1]
        gh_of_psu = gh[first]
        totals = np.stack(
            [np.bincount(psu_of_row, weights=uu[:, j], minlength=uniq.size) for j in range(q)], 1
        )
    else:
        gh_of_psu = gh
        totals = uu
    strata, stratum_of_psu = np.unique(gh_of_psu, return_inverse=True)
    stratum_of_psu = stratum_of_psu.reshape(-1)
    n_h = np.bincount(stratum_of_psu, minlength=strata.size).astype(np.float64)
    s1 = np.stack(
        [
            np.bincount(stratum_of_psu, weights=totals[:, j], minlength=strata.size)
            for j in range(q)
        ],
        1,
    )
    s2 = np.stack(
        [
            np.bincount(stratum_of_psu, weights=totals[:, j] ** 2, minlength=strata.size)
            for j in range(q)
        ],
        1,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        within = np.where(
            n_h[:, None] > 1, (s2 - s1**2 / n_h[:, None]) * (n_h / (n_h - 1))[:, None], 0.0
        )
    group_of_stratum = strata // n_s
    fpc = np.ones(n_groups)
    if design.population is not None:
        pop = np.asarray(design.population, dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            fpc = np.where(np.isfinite(pop) & (pop > 0), np.clip(1.0 - n_rows / pop, 0.0, 1.0), 1.0)
    var = (
        np.stack(
            [
                np.bincount(group_of_stratum, weights=within[:, j], minlength=n_groups)
                for j in range(q)
            ],
            1,
        )
        * fpc[:, None]
    )
    var = np.maximum(var, 0.0)
    n_psu = np.bincount(group_of_stratum, weights=n_h, minlength=n_groups)
    n_strata = np.bincount(group_of_stratum, minlength=n_groups).astype(np.float64)
    df = np.where(n_rows > 0, n_psu - n_strata, np.nan)
    return var, df, n_rows


def t_interval(
    estimate: FloatArray, se: FloatArray, df: FloatArray, level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Two-sided t confidence limits; NaN where df < 1 or the SE is unknown."""
    with np.errstate(invalid="ignore"):
        t = stats.t.ppf(0.5 + level / 2.0, np.where(df >= 1, df, np.nan))
    half = t * se
    return estimate - half, estimate + half
