"""Design variance of linear combinations of ratio means, from merged moments.

The numeric core of :mod:`publiceval._core.estimation`: with ``z = (y, m)`` (answers and
observed flags) summed into :class:`~publiceval._core.moments.Moments`, the linearised
variable of a combination ``Σ a_j y_j - b_j m_j`` has within-cell sums of squares that are
quadratic forms of the cross moments (or, with PSUs, sums over PSU totals). See
:mod:`publiceval._core.moments.model` for the algebra.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..errors import DataError
from .design import VarianceOptions
from .model import FloatArray, Moments
from .segments import segment_sum

__all__ = [
    "RESOLUTION",
    "View",
    "constant_items",
    "design_variance",
    "group_cross",
    "group_sum",
    "mask_bits",
]

#: Relative resolution of a sum of squares computed from moments (far above float64 rounding
#: of ~1e-16 per term, far below any real variation in answers).
RESOLUTION = 1e-11


@dataclass(frozen=True)
class View:
    """What the variance of a linear combination needs, per cell (and per PSU)."""

    cell_group: NDArray[np.int64]
    first: FloatArray
    cross: FloatArray
    """Per cell; empty when ``psu_first`` is set (the variance then comes from PSU totals)."""
    pat_cell: NDArray[np.int64]
    pat_bits: NDArray[np.uint64]
    pat_n: NDArray[np.int64]
    psu_cell: NDArray[np.int64] | None
    psu_first: FloatArray | None
    psu_count: NDArray[np.int64] | None
    cell_stratum: NDArray[np.int64] | None = None
    stratum_units: FloatArray | None = None
    """PSUs of the whole design per stratum code: set for the unconditional domain estimator."""


def group_sum(index: NDArray[np.int64], size: int, values: FloatArray) -> FloatArray:
    """Sum rows of ``values`` (any trailing shape) into ``size`` bins by ``index``."""
    flat = values.reshape(values.shape[0], int(np.prod(values.shape[1:])))
    out = np.zeros((size, flat.shape[1]))
    if index.size and bool(np.all(index[1:] >= index[:-1])):
        # sorted (cells are in group order): one segmented sum, each bin's rows added in
        # order, as bincount adds them
        starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
        out[index[starts]] = segment_sum(flat, starts, np.float64)
        return out.reshape((size, *values.shape[1:]))
    for j in range(flat.shape[1]):
        out[:, j] = np.bincount(index, weights=flat[:, j], minlength=size)
    return out.reshape((size, *values.shape[1:]))


def group_cross(moments: Moments, weighted: bool) -> FloatArray:
    """``Σ w z zᵀ`` (``weighted``) or ``Σ z zᵀ`` per group (``n_groups × 2k × 2k``)."""
    cross = moments.cross1() if weighted else moments.cross0
    if moments.cross_by_group:
        return cross
    return group_sum(moments.cell_group, moments.n_groups, cross)


class _Masks(dict[int, NDArray[np.bool_]]):
    """Per item count k: (k × 2k) True on each item's own two columns (x_j and m_j)."""

    def __missing__(self, k: int) -> NDArray[np.bool_]:
        mask = np.zeros((k, 2 * k), bool)
        mask[np.arange(k), np.arange(k)] = True
        mask[np.arange(k), k + np.arange(k)] = True
        self[k] = mask
        return mask


_ITEM_MASKS = _Masks()


def constant_items(moments: Moments) -> NDArray[np.bool_]:
    """Groups × items whose observed answers are all equal, decided exactly.

    Such an item's linearised deviations are exactly zero (every answer equals the mean), so
    it is left out of variance sums rather than contributing rounding noise. The test
    ``M Σx² = (Σx)²`` uses the unweighted sums, in integers when the answers are integers.
    """
    k = moments.n_items
    g = moments.n_groups
    idx = np.arange(k)
    first = group_sum(moments.cell_group, g, moments.first0)
    sq = (
        moments.cross0[:, idx, idx]
        if moments.cross_by_group
        else group_sum(moments.cell_group, g, moments.cross0[:, idx, idx])
    )
    sx, sm = first[:, :k], first[:, k:]
    parts = (sx, sm, sq)
    if all(bool(np.all((p == np.round(p)) & (np.abs(p) < 2.0**62))) for p in parts):
        big = [np.round(p).astype(np.int64).astype(object) for p in parts]
        same = np.asarray(big[1] * big[2] == big[0] * big[0], dtype=bool)
    else:
        same = sm * sq == sx * sx
    return same & (sm > 0)


def mask_bits(used: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """Bit mask of the used items, per group."""
    bits = np.zeros(used.shape[0], np.uint64)
    for j in range(used.shape[1]):
        bits |= used[:, j].astype(np.uint64) << np.uint64(j)
    return bits


def design_variance(
    view: View,
    e: FloatArray,
    used: NDArray[np.bool_],
    n_groups: int,
    n_items: int,
    population: FloatArray | None,
    options: VarianceOptions | None = None,
) -> tuple[FloatArray, FloatArray, NDArray[np.int64], FloatArray]:
    """Design variance of ``e``-combinations (groups × q × 2k), df, sampled rows and ``1 − f``
    per group.

    Conditionally on each group (``view.stratum_units`` None), only rows (PSUs) that answered
    at least one ``used`` item count as sampled units; as domains of the whole design, every
    PSU of the design does. Lonely PSUs follow ``options.lonely_psu`` (``certainty`` when no
    options are given: the moments kernel on its own adds no variance it was not asked for).
    """
    g = n_groups
    q = e.shape[1]
    n_cells = view.cell_group.shape[0]
    ub = mask_bits(used)
    pat_counts = (view.pat_bits & ub[view.cell_group[view.pat_cell]]) != 0
    rows_cell = np.bincount(
        view.pat_cell[pat_counts], weights=view.pat_n[pat_counts], minlength=n_cells
    )
    n_rows = np.bincount(view.cell_group, weights=rows_cell, minlength=g).round().astype(np.int64)
    k = n_items
    idx = np.arange(k)
    # one combination per item (item-level SEs): e has a and -b on the item's own columns
    diag = q == k and not np.any(e * ~_ITEM_MASKS[k][None, :, :])
    if diag:
        a, b = e[:, idx, idx], e[:, idx, k + idx]
    if view.psu_first is None and diag:
        n_h = rows_cell
        ac, bc = a[view.cell_group], b[view.cell_group]
        xx = view.cross[:, idx, idx]
        xm = view.cross[:, idx, k + idx]
        mm = view.cross[:, k + idx, k + idx]
        s1 = ac * view.first[:, :k] + bc * view.first[:, k:]
        s2 = ac * ac * xx + 2 * ac * bc * xm + bc * bc * mm
        aa, ba = np.abs(ac), np.abs(bc)
        scale = aa * aa * np.abs(xx) + 2 * aa * ba * np.abs(xm) + ba * ba * np.abs(mm)
    elif view.psu_first is None:
        ec = e[view.cell_group]
        n_h = rows_cell
        s1 = np.einsum("cqa,ca->cq", ec, view.first)
        s2 = np.einsum("cqa,cab,cqb->cq", ec, view.cross, ec, optimize=True)
        ea = np.abs(ec)
        scale = np.einsum("cqa,cab,cqb->cq", ea, np.abs(view.cross), ea, optimize=True)
    else:
        assert view.psu_cell is not None
        assert view.psu_count is not None
        pg = view.cell_group[view.psu_cell]
        counted: NDArray[np.bool_] = np.asarray(
            ((view.psu_count > 0) & used[pg]).any(axis=1), dtype=bool
        )
        pf = view.psu_first
        if diag:
            ap, bp = a[pg], b[pg]
            u = (ap * pf[:, :k] + bp * pf[:, k:]) * counted[:, None]
            ua = np.abs(ap * pf[:, :k]) + np.abs(bp * pf[:, k:])
        else:
            ep = e[pg]
            u = np.einsum("pqa,pa->pq", ep, pf) * counted[:, None]
            ua = np.einsum("pqa,pa->pq", np.abs(ep), np.abs(pf))
        n_h = np.bincount(view.psu_cell, weights=counted, minlength=n_cells)
        # Σu, Σu² and the scale per cell in one pass over the PSUs
        qq = u.shape[1]
        both = np.empty((u.shape[0], 3 * qq))
        both[:, :qq] = u
        np.multiply(u, u, out=both[:, qq : 2 * qq])
        np.multiply(ua, ua, out=both[:, 2 * qq :])
        sums = group_sum(view.psu_cell, n_cells, both)
        s1, s2, scale = sums[:, :qq], sums[:, qq : 2 * qq], sums[:, 2 * qq :]
    opts = options or VarianceOptions(lonely_psu="certainty")
    if view.stratum_units is not None and view.cell_stratum is not None:
        # domains of the whole design: every PSU of the stratum counts, rows of g or not
        units = view.stratum_units[view.cell_stratum]
    else:
        units = np.asarray(n_h, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        ss = s2 - s1 * s1 / units[:, None]
        # a sum of squares below the rounding resolution of the moments it was computed
        # from is zero (e.g. answers that do not vary): report 0, not sqrt(rounding noise)
        ss = np.where(ss > RESOLUTION * scale, ss, 0.0)
        within = np.where(units[:, None] > 1, ss * (units / (units - 1))[:, None], 0.0)
    lone = (units == 1) & (n_h > 0)
    if view.stratum_units is None:
        # a group of one cell has no df: its SE is unknown whatever is done with the cell
        lone &= np.bincount(view.cell_group, weights=n_h > 0, minlength=g)[view.cell_group] > 1
    if lone.any():
        within = _lonely(opts, view, lone, units, s2, scale, within, g)
    fpc = _fpc(opts, view, population, n_rows, np.asarray(n_h, dtype=np.float64), g)
    var = group_sum(view.cell_group, g, within.reshape(n_cells, q)) * fpc[:, None]
    var = np.where(np.isnan(var), np.nan, np.maximum(var, 0.0))
    # one sampled unit (respondent or PSU) of the group: no variance can be estimated from it,
    # whatever the design's df (as domains, its linearised variable is exactly zero)
    own_units = np.bincount(view.cell_group, weights=n_h, minlength=g)
    var[own_units < 2] = np.nan
    if view.stratum_units is not None:
        strata = view.stratum_units > 0
        design_df = float(view.stratum_units.sum() - strata.sum())
        df = np.where(n_rows > 0, design_df, np.nan)
    else:
        n_psu = np.bincount(view.cell_group, weights=n_h, minlength=g)
        n_strata = np.bincount(view.cell_group, weights=n_h > 0, minlength=g)
        df = np.where(n_rows > 0, n_psu - n_strata, np.nan)
    return var, df, n_rows, fpc


def _lonely(
    opts: VarianceOptions,
    view: View,
    lone: NDArray[np.bool_],
    units: FloatArray,
    s2: FloatArray,
    scale: FloatArray,
    within: FloatArray,
    g: int,
) -> FloatArray:
    """Within-stratum variance of strata with one PSU, as R's ``survey.lonely.psu`` does it.

    ``adjust`` centres the lonely PSU at the grand mean of the linearised variable, which is
    zero (it sums to zero over the domain), so it adds its squared total; ``average`` scales
    the other strata's variance up by (strata / strata with a variance); ``certainty`` adds
    nothing; ``fail`` refuses.
    """
    if opts.lonely_psu == "fail":
        raise DataError(
            f"{int(lone.sum())} stratum cell(s) have a single PSU, so their variance cannot be "
            "estimated; choose [statistics] lonely_psu = 'adjust', 'average' or 'certainty'"
        )
    if opts.lonely_psu == "adjust":
        alone = np.where(s2 > RESOLUTION * scale, s2, 0.0)
        return np.where(lone[:, None], alone, within)
    if opts.lonely_psu == "average":
        if view.stratum_units is not None:
            strata = float((view.stratum_units > 0).sum())
            ok = float((view.stratum_units > 1).sum())
            factor = np.full(g, strata / ok if ok else np.nan)
        else:
            has = units > 0
            strata_g = np.bincount(view.cell_group, weights=has, minlength=g)
            ok_g = np.bincount(view.cell_group, weights=has & ~lone, minlength=g)
            with np.errstate(invalid="ignore", divide="ignore"):
                factor = np.where(ok_g > 0, strata_g / ok_g, np.nan)
        scaled: FloatArray = np.where(lone[:, None], 0.0, within) * factor[view.cell_group][:, None]
        return scaled
    certain: FloatArray = np.where(lone[:, None], 0.0, within)
    return certain


def _fpc(
    opts: VarianceOptions,
    view: View,
    population: FloatArray | None,
    n_rows: NDArray[np.int64],
    n_h: FloatArray,
    g: int,
) -> FloatArray:
    """``1 − f`` per group: f the PSU fraction under cluster sampling, else the element one.

    Only for the conditional estimator, whose strata lie inside one group; a group's
    population is not a design stratum's, so domains of the whole design get none.
    """
    fpc = np.ones(g)
    if view.stratum_units is not None:
        return fpc
    if view.psu_first is not None:
        pop, sampled = opts.psu_population, np.bincount(view.cell_group, weights=n_h, minlength=g)
    else:
        pop, sampled = population, n_rows.astype(np.float64)
    if pop is None or np.shape(pop) != (g,):
        return fpc  # populations of other groups (the OPDs', for survey-wide items): none
    size = np.asarray(pop, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        known = np.isfinite(size) & (size > 0)
        return np.where(known, np.clip(1.0 - sampled / size, 0.0, 1.0), 1.0)
