"""Merging and sub-setting :class:`~publiceval._core.moments.Moments` (every field is a sum)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from ..errors import DataError
from .model import FloatArray, IntArray, Moments
from .segments import segment_sum
from .variance import group_cross

__all__ = ["canonical", "merge", "merge_all", "select"]

_T = TypeVar("_T", bound=np.generic)


class _Groups:
    """Rows with equal keys: a stable lexicographic order (none when already in key order) and
    the start of each run of equal keys; summing runs with ``np.add.reduceat`` adds each key's
    rows in input order, as ``np.add.at`` would, without its per-element cost."""

    def __init__(self, keys: Sequence[NDArray[np.integer]]) -> None:
        n = np.asarray(keys[0]).size
        if n == 0:
            self.order, self.starts = np.zeros(0, np.int64), np.zeros(0, np.int64)
            self.first = self.order
            self.identity = self.ordered = True
            return
        cols = [np.asarray(k) for k in keys]
        change = np.zeros(n, bool)
        change[0] = True
        for c in cols:  # already in key order? (what a single block's moments usually are)
            change[1:] |= c[1:] != c[:-1]
        prev_eq = np.ones(n - 1, bool)
        less = np.zeros(n - 1, bool)
        for c in cols:
            less |= prev_eq & (c[1:] > c[:-1])
            prev_eq &= c[1:] == c[:-1]
        ordered = bool(np.all(less | prev_eq))
        if ordered:
            order: IntArray = np.arange(n, dtype=np.int64)
        else:
            order = np.lexsort(tuple(reversed(cols))).astype(np.int64)
            change[:] = False
            change[0] = True
            for c in cols:
                sc = c[order]
                change[1:] |= sc[1:] != sc[:-1]
        self.order = order
        self.starts = np.flatnonzero(change).astype(np.int64)
        self.first = order[self.starts]
        self.ordered = ordered
        self.identity = ordered and self.starts.size == n

    @property
    def size(self) -> int:
        return int(self.starts.size)

    def sum(self, values: NDArray[_T]) -> NDArray[_T]:
        """Sum rows of ``values`` with equal keys, in input order within a key (as np.add.at)."""
        if self.identity:
            return values
        if values.shape[0] == 0:
            return np.zeros((0, *values.shape[1:]), dtype=values.dtype)
        src = values if self.ordered else values[self.order]
        return segment_sum(src, self.starts)


def canonical(mom: Moments, n_s: int) -> Moments:
    """One entry per cell, per (cell, pattern) and per PSU, in key order."""
    cg = _Groups([mom.cell_group, mom.cell_stratum])
    size = cg.size
    cell_key_old = mom.cell_group * n_s + mom.cell_stratum
    new_key = cell_key_old[cg.first]
    if not cg.identity:
        by_cell = not mom.cross_by_group  # else the cross moments are per group already
        mom = replace(
            mom,
            cell_group=mom.cell_group[cg.first],
            cell_stratum=mom.cell_stratum[cg.first],
            first0=cg.sum(mom.first0),
            cross0=cg.sum(mom.cross0) if by_cell else mom.cross0,
            first_w=None if mom.first_w is None else cg.sum(mom.first_w),
            cross_w=None if mom.cross_w is None else cg.sum(mom.cross_w),
            cross_w1=mom.cross_w1 if mom.cross_w1 is None or not by_cell else cg.sum(mom.cross_w1),
        )
    assert size == mom.n_cells
    # patterns and PSUs refer to cells by key; re-express as (group, stratum) → index later
    pg = _Groups([mom.pat_cell, mom.pat_bits.astype(np.int64)])
    if not pg.identity:
        mom = replace(
            mom,
            pat_cell=mom.pat_cell[pg.first],
            pat_bits=mom.pat_bits[pg.first],
            pat_n=pg.sum(mom.pat_n),
            pat_w=pg.sum(mom.pat_w),
            pat_w2=pg.sum(mom.pat_w2),
        )
    if mom.psu_cell.size:
        qg = _Groups([mom.psu_cell, mom.psu_code])
        if not qg.identity:
            mom = replace(
                mom,
                psu_cell=mom.psu_cell[qg.first],
                psu_code=mom.psu_code[qg.first],
                psu_first=qg.sum(mom.psu_first),
                psu_count=qg.sum(mom.psu_count),
            )
    # store pattern / PSU cells as indices into the cell arrays
    return replace(
        mom,
        pat_cell=np.searchsorted(new_key, mom.pat_cell),
        psu_cell=np.searchsorted(new_key, mom.psu_cell),
    )


# --------------------------------------------------------------------------- merging
def _labels(
    a: tuple[str, ...] | None, b: tuple[str, ...] | None, what: str
) -> tuple[tuple[str, ...] | None, IntArray | None, IntArray | None]:
    """Union of two label tuples and the code maps of each side (None: codes are global)."""
    if a is None and b is None:
        return None, None, None
    if a is None or b is None:
        raise DataError(f"cannot merge moments with and without {what} labels")
    index = {lab: i for i, lab in enumerate(a)}
    union = list(a)
    for lab in b:
        if lab not in index:
            index[lab] = len(union)
            union.append(lab)
    return (
        tuple(union),
        np.arange(len(a), dtype=np.int64),
        np.array([index[lab] for lab in b], dtype=np.int64),
    )


def merge(a: Moments, b: Moments) -> Moments:
    """Moments of the rows of ``a`` and ``b`` together (exact: every field is a sum)."""
    if (a.n_groups, a.n_items, a.has_strata, a.has_psu) != (
        b.n_groups,
        b.n_items,
        b.has_strata,
        b.has_psu,
    ):
        raise DataError(
            "cannot merge moments of different shapes: "
            f"groups {a.n_groups}/{b.n_groups}, items {a.n_items}/{b.n_items}, "
            f"strata {a.has_strata}/{b.has_strata}, PSUs {a.has_psu}/{b.has_psu}"
        )
    if not np.array_equal(a.offset, b.offset):
        raise DataError(f"cannot merge moments with different offsets {a.offset} and {b.offset}")
    s_ids, sa, sb = _labels(a.stratum_ids, b.stratum_ids, "stratum")
    p_ids, pa, pb = _labels(a.psu_ids, b.psu_ids, "PSU")

    def strat(m: Moments, lut: IntArray | None) -> IntArray:
        return m.cell_stratum if lut is None else lut[m.cell_stratum]

    def psu(m: Moments, lut: IntArray | None) -> IntArray:
        return m.psu_code if lut is None else lut[m.psu_code]

    weighted = a.first_w is not None or b.first_w is not None
    by_group = a.cross_by_group or b.cross_by_group
    if by_group:  # per group: the groups' sums add (a per-cell side is summed per group)
        cross0 = group_cross(a, False) + group_cross(b, False)
        cross_w1 = group_cross(a, True) + group_cross(b, True) if weighted else None
        cross_w = None
    else:
        cross0 = np.concatenate([a.cross0, b.cross0])
        cross_w = np.concatenate([a.cross(), b.cross()]) if weighted else None
        cross_w1 = np.concatenate([a.cross1(), b.cross1()]) if weighted else None
    n_a = a.n_cells
    n_s = int(max(strat(a, sa).max(initial=0), strat(b, sb).max(initial=0))) + 1
    cg = np.r_[a.cell_group, b.cell_group]
    cs = np.r_[strat(a, sa), strat(b, sb)]
    hist = None
    if a.hist is not None and b.hist is not None:
        width = max(a.hist.shape[2], b.hist.shape[2])
        hist = np.zeros((a.n_groups, a.n_items, width), np.int64)
        hist[:, :, : a.hist.shape[2]] += a.hist
        hist[:, :, : b.hist.shape[2]] += b.hist
    both = Moments(
        n_groups=a.n_groups,
        n_items=a.n_items,
        offset=a.offset,
        has_strata=a.has_strata,
        has_psu=a.has_psu,
        stratum_ids=s_ids,
        psu_ids=p_ids,
        cell_group=cg,
        cell_stratum=cs,
        first0=np.concatenate([a.first0, b.first0]),
        cross0=cross0,
        first_w=np.concatenate([a.first(), b.first()]) if weighted else None,
        cross_w=cross_w,
        cross_w1=cross_w1,
        pat_cell=(cg * n_s + cs)[np.r_[a.pat_cell, b.pat_cell + n_a]],
        pat_bits=np.r_[a.pat_bits, b.pat_bits],
        pat_n=np.r_[a.pat_n, b.pat_n],
        pat_w=np.r_[a.pat_w, b.pat_w],
        pat_w2=np.r_[a.pat_w2, b.pat_w2],
        psu_cell=(cg * n_s + cs)[np.r_[a.psu_cell, b.psu_cell + n_a]].astype(np.int64),
        psu_code=np.r_[psu(a, pa), psu(b, pb)].astype(np.int64),
        psu_first=np.concatenate([a.psu_first, b.psu_first]),
        psu_count=np.concatenate([a.psu_count, b.psu_count]),
        w_min=min(a.w_min, b.w_min)
        if a.n_rows and b.n_rows
        else (a.w_min if a.n_rows else b.w_min),
        w_max=max(a.w_max, b.w_max)
        if a.n_rows and b.n_rows
        else (a.w_max if a.n_rows else b.w_max),
        hist=hist,
        cross_by_group=by_group,
    )
    return canonical(both, n_s)


def merge_all(parts: Iterable[Moments]) -> Moments:
    """Merge any number of moments (pairwise, so work and memory stay balanced)."""
    items = list(parts)
    if not items:
        raise DataError("nothing to merge: no moments were given")
    while len(items) > 1:
        nxt = [merge(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
        if len(items) % 2:
            nxt.append(items[-1])
        items = nxt
    return items[0]


def select(mom: Moments, items: Sequence[int]) -> Moments:
    """The moments of a subset of the items (e.g. a method's performance items), exactly.

    Observation patterns are re-expressed over the subset, so "rows that answered any of
    these items" stays exact.
    """
    idx = np.asarray(items, dtype=np.int64)
    k = mom.n_items
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= k):
        raise DataError(f"item positions must lie in 0..{k - 1}; found {idx.tolist()}")
    if np.array_equal(idx, np.arange(k)):
        return mom  # every item in its own place: the same moments
    both = np.r_[idx, k + idx]

    def pick2(a: FloatArray | None) -> FloatArray | None:
        return None if a is None else np.ascontiguousarray(a[:, both[:, None], both[None, :]])

    bits = np.zeros(mom.pat_bits.shape[0], np.uint64)
    for t, j in enumerate(idx.tolist()):
        bits |= ((mom.pat_bits >> np.uint64(j)) & np.uint64(1)) << np.uint64(t)
    cross0 = pick2(mom.cross0)
    assert cross0 is not None
    cell_key = mom.cell_group * (int(mom.cell_stratum.max(initial=0)) + 1) + mom.cell_stratum
    n_s = int(mom.cell_stratum.max(initial=0)) + 1
    out = replace(
        mom,
        n_items=int(idx.size),
        offset=mom.offset[idx],
        first0=mom.first0[:, both],
        cross0=cross0,
        first_w=None if mom.first_w is None else mom.first_w[:, both],
        cross_w=pick2(mom.cross_w),
        cross_w1=pick2(mom.cross_w1),
        pat_cell=cell_key[mom.pat_cell],
        pat_bits=bits,
        psu_cell=cell_key[mom.psu_cell],
        psu_first=mom.psu_first[:, both],
        psu_count=mom.psu_count[:, idx],
        hist=None if mom.hist is None else mom.hist[:, idx],
    )
    return canonical(out, n_s)
