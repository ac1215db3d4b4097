"""Design-based estimation: ratio means per group and their linearised variances.

Every score that is a linear combination of item means (the Likert mean, the IKM, top-box
shares, the NPS) is estimated here with standard errors by Taylor linearisation under a
stratified cluster design:

PSUs are the user's ``psu`` codes (else each row); the between-PSU variance within a stratum
is ``n_h / (n_h - 1) * sum_p (U_hp - mean_h U)^2``. Each OPD is its own design
(``conditional``: OPD × stratum cells are the strata, df ``#PSUs - #strata`` of the OPD, FPC
with the element fraction, or the PSU fraction under cluster sampling) or a domain of the
whole design (``unconditional``, R's ``svyby``): :mod:`publiceval._core.moments.design`. An
SE that cannot be estimated (one unit, or no degree of freedom) is NaN, never 0.

The rows are first reduced to mergeable :class:`~publiceval._core.moments.Moments`; everything
here is computed from those, so in-memory, chunked and distributed evaluation share one code
path. References: Wolter (2007), ch. 6; Lumley, *Complex Surveys* (2010), §2.3, §2.4 and §3.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from .moments import Moments, accumulate
from .moments import variance as moments_variance
from .moments.design import VarianceOptions, current_variance, stratum_units, variance_options
from .moments.floor import combination_floor
from .moments.intervals import t_interval
from .moments.transform import transform_cross, transform_first
from .moments.variance import View, constant_items, design_variance, group_sum, mask_bits

__all__ = [
    "Design",
    "GroupEstimate",
    "ItemEstimates",
    "VarianceOptions",
    "item_estimates",
    "t_interval",
    "variance_options",
]

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
    fpc: FloatArray | None = None  # 1 − f per group (None: no correction)
    items_effective: FloatArray | None = None
    """``(Σ|c|)² / Σc²`` of the combination's coefficients: how many items it averages."""
    se_floor: FloatArray | None = None
    """The least SE the answers allow (:mod:`publiceval._core.stats.edges`; None: unknown)."""


@dataclass(frozen=True)
class ItemEstimates:
    """Ratio means per group and item, with what is needed to combine them.

    Built from :class:`~publiceval._core.moments.Moments`, so it is the same whether the rows
    were in memory, in chunks or on a cluster. Answers are ``alpha + beta * (x + offset)``
    where ``x`` is what the moments summed (identity by default); this lets one set of moments
    of raw answer codes serve reverse-coded items and rescaled scores.
    """

    mean: FloatArray
    se: FloatArray
    wsum: FloatArray
    n: NDArray[np.int64]
    df: FloatArray
    n_groups: int
    moments: Moments
    population: FloatArray | None = None
    design: Design = field(default_factory=Design)
    group: NDArray[np.int64] | None = None
    """Row-level inputs, kept (by reference) only when built by :func:`item_estimates`."""
    rows_observed: NDArray[np.bool_] | None = None
    y: FloatArray | None = None
    weight: FloatArray | None = None
    _shifted: tuple[FloatArray, FloatArray, FloatArray] | None = None
    variance: VarianceOptions = field(default_factory=VarianceOptions)
    """How the variances were computed, ``domain`` resolved for these moments."""
    fpc: FloatArray | None = None
    """``1 − f`` per group (the finite population correction applied to the variances)."""
    bounds: tuple[FloatArray, FloatArray] | None = None
    """Lowest and highest possible answer per item, for the SE floor (None: unknown)."""

    @property
    def weighted(self) -> bool:
        """Whether the weights differ between rows."""
        return self.moments.weighted

    @classmethod
    def from_moments(
        cls,
        moments: Moments,
        *,
        population: FloatArray | None = None,
        alpha: FloatArray | None = None,
        beta: FloatArray | None = None,
        variance: VarianceOptions | None = None,
        bounds: tuple[FloatArray, FloatArray] | None = None,
    ) -> ItemEstimates:
        """Finalise merged moments into item means, SEs and df per group.

        ``variance`` defaults to the options of the evaluation being scored (see
        :func:`variance_options`). An SE that cannot be estimated (fewer than one design
        degree of freedom, e.g. one respondent) is NaN, never 0.
        """
        opts = variance or current_variance()
        opts = replace(opts, domain=opts.resolved(moments))
        k = moments.n_items
        a = np.zeros(k) if alpha is None else np.asarray(alpha, np.float64)
        b = np.ones(k) if beta is None else np.asarray(beta, np.float64)
        a0 = a + b * moments.offset
        first_all = moments.first().sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.where(
                first_all[k:] > 0,
                np.round((a0 * first_all[k:] + b * first_all[:k]) / first_all[k:]),
                0.0,
            )
        shifted = (a0 - centre, b, centre)
        tmp = cls(
            mean=np.zeros(0),
            se=np.zeros(0),
            wsum=np.zeros(0),
            n=np.zeros(0, np.int64),
            df=np.zeros(0),
            n_groups=moments.n_groups,
            moments=moments,
            population=population,
            design=Design(population=population),
            _shifted=shifted,
            variance=opts,
        )
        g = moments.n_groups
        first = tmp._weighted_view.first
        tot = group_sum(moments.cell_group, g, first)
        ysum, wsum = tot[:, :k], tot[:, k:]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(wsum > 0, ysum / wsum, np.nan)
            inv_w = np.where(wsum > 0, 1.0 / wsum, 0.0)
        r0 = np.nan_to_num(ratio)
        # e = (a, -b) per item: one combination per item
        e = np.zeros((g, k, 2 * k))
        idx = np.arange(k)
        vary = ~constant_items(moments)
        e[:, idx, idx] = inv_w * vary
        e[:, idx, k + idx] = -inv_w * r0 * vary
        used = np.ones((g, k), bool)
        var, df, _, fpc = design_variance(tmp._weighted_view, e, used, g, k, population, opts)
        counts = group_sum(moments.cell_group, g, moments.first0[:, k:]).round().astype(np.int64)
        out = cls(
            mean=ratio + centre,
            se=np.where((wsum > 0) & (df[:, None] >= 1), np.sqrt(var), np.nan),
            wsum=wsum,
            n=counts,
            df=df,
            n_groups=g,
            moments=moments,
            population=population,
            design=Design(population=population),
            _shifted=shifted,
            variance=opts,
            fpc=fpc,
            bounds=bounds,
        )
        # the same moments, transform and domain: the view already built (a cached property)
        out.__dict__["_weighted_view"] = tmp._weighted_view
        return out

    # ------------------------------------------------------------------ views
    @cached_property
    def _weighted_view(self) -> View:
        m = self.moments
        assert self._shifted is not None
        a, b, _ = self._shifted
        return View(
            cell_group=m.cell_group,
            first=transform_first(m.first(), a, b),
            # with PSUs the variance comes from PSU totals: the cells' cross moments are unused
            cross=np.zeros((0, 2 * m.n_items, 2 * m.n_items))
            if m.has_psu
            else transform_cross(m.cross(), a, b),
            pat_cell=m.pat_cell,
            pat_bits=m.pat_bits,
            pat_n=m.pat_n,
            psu_cell=m.psu_cell if m.has_psu else None,
            psu_first=transform_first(m.psu_first, a, b) if m.has_psu else None,
            psu_count=m.psu_count if m.has_psu else None,
            cell_stratum=m.cell_stratum,
            stratum_units=stratum_units(m) if self.variance.domain == "unconditional" else None,
        )

    @cached_property
    def _constant(self) -> NDArray[np.bool_]:
        return constant_items(self.moments)

    def _weight_sums(self, used: NDArray[np.bool_]) -> tuple[FloatArray, FloatArray]:
        """``Σ w`` and ``Σ w²`` per group over the rows that answered a used item."""
        m = self.moments
        ub = mask_bits(used)
        pg = m.cell_group[m.pat_cell]
        counts = (m.pat_bits & ub[pg]) != 0
        sw = np.bincount(pg[counts], weights=m.pat_w[counts], minlength=self.n_groups)
        sw2 = np.bincount(pg[counts], weights=m.pat_w2[counts], minlength=self.n_groups)
        return sw.astype(np.float64), sw2.astype(np.float64)

    def _kish(self, used: NDArray[np.bool_]) -> FloatArray:  # Kish's effective n
        sw, sw2 = self._weight_sums(used)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(sw2 > 0, sw**2 / sw2, 0.0)

    def _srs_variance(
        self, c: FloatArray, used: NDArray[np.bool_], n: NDArray[np.int64]
    ) -> FloatArray:
        """Variance of the estimator from a simple random sample of ``n`` rows: the weighted
        variance of the linearised residuals over ``n − 1`` (R's ``deff = "replace"``)."""
        m, k, g = self.moments, self.moments.n_items, self.n_groups
        tot = group_sum(m.cell_group, g, self._weighted_view.first)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(tot[:, k:] > 0, tot[:, :k] / tot[:, k:], 0.0)
            a = np.where((tot[:, k:] > 0) & ~self._constant, c / tot[:, k:], 0.0)
        e = np.concatenate([a, -a * ratio], axis=1)
        # the transform is linear: sum the cells of each group first, then transform
        assert self._shifted is not None
        cross = transform_cross(moments_variance.group_cross(m, True), *self._shifted[:2])
        ss = np.einsum("ga,gab,gb->g", e, cross, e)
        sw, _ = self._weight_sums(used)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(n > 1, sw * np.maximum(ss, 0.0) / (n - 1), np.nan)

    def _combine_view(
        self, view: View, has: NDArray[np.bool_], coef: FloatArray, renormalize: bool
    ) -> tuple[
        FloatArray, FloatArray, FloatArray, FloatArray, NDArray[np.int64], NDArray[np.bool_]
    ]:
        k = self.moments.n_items
        g = self.n_groups
        coef2 = np.broadcast_to(coef, (g, k)) if coef.ndim == 1 else coef
        c = np.where(has, coef2, 0.0)
        if renormalize:
            total = c.sum(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                c = np.where(total > 0, c * (coef2.sum(axis=1, keepdims=True) / total), 0.0)
        used = c != 0
        tot = group_sum(view.cell_group, g, view.first)
        ysum, wsum = tot[:, :k], tot[:, k:]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(wsum > 0, ysum / wsum, 0.0)
            a = np.where((wsum > 0) & ~self._constant, c / wsum, 0.0)
        e = np.concatenate([a, -a * ratio], axis=1)[:, None, :]
        var, df, n, fpc = design_variance(
            view, e, used, self.n_groups, self.moments.n_items, self.population, self.variance
        )
        se = np.where(df >= 1, np.sqrt(var[:, 0]), np.nan)
        return c, se, df, fpc, n, used

    def combine(self, coef: FloatArray, *, renormalize: bool = True) -> GroupEstimate:
        """Estimate ``sum_j coef_j * mean_gj`` per group, with its linearised SE.

        With ``renormalize``, items a group has no answers to are dropped and the remaining
        coefficients rescaled to the same total, so a mean stays a mean. ``coef`` may also be
        (groups × items), a coefficient row per group (e.g. a delta-method gradient).
        """
        coef = np.asarray(coef, dtype=np.float64)
        k = self.moments.n_items
        if coef.shape not in ((k,), (self.n_groups, k)):
            raise ValueError(
                f"coef must have shape ({k},) or ({self.n_groups}, {k}); found {coef.shape}"
            )
        c, se, df, fpc, n, used = self._combine_view(
            self._weighted_view, self.wsum > 0, coef, renormalize
        )
        estimate = np.where(
            used.any(axis=1), np.nansum(np.where(used, self.mean, 0.0) * c, axis=1), np.nan
        )
        n_eff = self._kish(used)
        deff = np.ones(self.n_groups)
        # clustering and stratification change the variance too, not only weights
        if self.weighted or self.moments.has_psu or self.moments.has_strata:
            v_srs = self._srs_variance(c, used, n) * fpc
            with np.errstate(invalid="ignore", divide="ignore"):
                # undefined (NaN) when the reference variance is zero: constant answers
                deff = np.where(v_srs > 0, se**2 / v_srs, np.nan)
        se = se.copy()
        se[~used.any(axis=1)] = np.nan
        floor = None
        if self.bounds is not None:
            n_item = self.n * (n_eff / np.maximum(n, 1))[:, None]  # Kish's share, per item
            floor = combination_floor(self.mean, *self.bounds, n_item, c, fpc)
        with np.errstate(invalid="ignore", divide="ignore"):
            k_eff = np.abs(c).sum(axis=1) ** 2 / (c * c).sum(axis=1)
        return GroupEstimate(
            estimate=estimate,
            se=se,
            df=df,
            n=n,
            n_effective=n_eff,
            deff=deff,
            fpc=fpc,
            items_effective=np.where(np.isfinite(k_eff), k_eff, 1.0),
            se_floor=floor,
        )

    @cached_property
    def deviations(self) -> FloatArray:
        """``w_i (y_ij - R_gj m_ij) / W_gj`` per row and item: each row's linearised share.

        Only available when built from rows (:func:`item_estimates`); (rows × items) float64.
        """
        if self.y is None or self.group is None or self.rows_observed is None:
            raise ValueError("deviations need the rows; these estimates were built from moments")
        w = np.ones(self.y.shape[0]) if self.weight is None else self.weight
        with np.errstate(invalid="ignore", divide="ignore"):
            inv_w = np.where(self.wsum > 0, 1.0 / self.wsum, 0.0)
        safe = np.nan_to_num(self.mean)
        y = np.where(self.rows_observed, self.y, 0.0)
        out: FloatArray = (
            (y - self.rows_observed * safe[self.group]) * w[:, None] * inv_w[self.group]
        )
        return out


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
    group64: NDArray[np.int64] = np.asarray(group, dtype=np.int64)
    y = np.asarray(y)
    observed = np.asarray(observed, dtype=bool)
    n, k = y.shape
    # subtract one observed answer per item before summing: constant answers then sum to
    # exact zeros, so their variance is exactly zero rather than rounding noise
    offset = np.zeros(k)
    if n:
        first = observed.argmax(axis=0)
        seen = observed[first, np.arange(k)]
        offset = np.where(seen, y[first, np.arange(k)], 0.0).astype(np.float64)
    moments = accumulate(
        group64,
        n_groups,
        y,
        observed,
        weight,
        stratum=design.stratum,
        psu=design.psu,
        offset=offset,
    )
    est = ItemEstimates.from_moments(moments, population=design.population)
    return ItemEstimates(
        mean=est.mean,
        se=est.se,
        wsum=est.wsum,
        n=est.n,
        df=est.df,
        n_groups=n_groups,
        moments=moments,
        population=design.population,
        design=design,
        group=group64,
        rows_observed=observed,
        y=y,
        weight=None if weight is None else np.asarray(weight, np.float64),
        _shifted=est._shifted,
        variance=est.variance,
        fpc=est.fpc,
    )
