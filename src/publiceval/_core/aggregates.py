"""Mergeable aggregates: the sufficient statistics every score and standard error is built from.

A block of answers (rows × items, with groups = OPDs, optional strata, PSUs and weights) is
reduced to :class:`Moments`:

* per *cell* (group × stratum): first moments ``Σ z`` and cross moments ``Σ z zᵀ`` of
  ``z = (x_1..x_k, m_1..m_k)`` (the answers, zero where missing, and the observed flags), both
  unweighted and with weights (``Σ w z`` and ``Σ w² z zᵀ``);
* per cell and *observation pattern* (which items a row answered): rows, ``Σ w`` and ``Σ w²``,
  so the number of sampled units of any subset of items is exact;
* per PSU, when the design names PSUs: ``Σ w z`` and the answers per item;
* optionally, answer histograms per group × item × answer code.

Everything is a sum, so two :class:`Moments` of disjoint rows merge by adding (:func:`merge`):
chunks of a file, threads and machines combine exactly, and the statistics have one code path
(:mod:`publiceval._core.estimation` finalises merged moments into means, linearised SEs and df).

The ratio mean of item *j* in group *g* is ``R = Σ w x / Σ w m``; its linearised variable per
row is ``w (x - R m) / W``. A linear combination of item means has linearised variable
``w (aᵀx - bᵀm)`` with ``a = c / W`` and ``b = a R``, so the within-cell sum of squares is the
quadratic form ``eᵀ (Σ w² z zᵀ) e`` with ``e = (a, -b)`` — which is why cross moments suffice.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from .errors import DataError
from .rejects import RejectLog
from .survey import Survey
from .table import AnswerBlock, ResponseTable

__all__ = [
    "MAX_ITEMS",
    "Moments",
    "TableAggregates",
    "accumulate",
    "block_moments",
    "merge",
    "merge_all",
    "select",
    "table_aggregates",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
_T = TypeVar("_T", bound=np.generic)

#: Observation patterns are bit masks in one 64-bit word.
MAX_ITEMS = 64
#: Rows gathered per batch: bounds temporaries (a batch of float64 z is ~rows × 2k × 8 bytes).
BATCH_ROWS = 1 << 17
#: Below this many rows one thread does the work; above it, rows are split across cores.
THREAD_MIN_ROWS = 1 << 20


@dataclass(frozen=True)
class Moments:
    """Sums over rows of one answer block, keyed by group, stratum and PSU; merge by adding.

    Shapes: ``C`` cells (group × stratum), ``P`` (cell, pattern) pairs, ``Q`` PSUs, ``k`` items.
    ``first_w``/``cross_w`` are ``None`` when every weight is exactly 1 (they then equal the
    unweighted sums). ``offset`` was subtracted from each answer before summing (answers are
    ``x + offset``); merging requires equal offsets. Stratum and PSU codes are global: callers
    that build moments of chunks with their own label codes pass ``stratum_ids``/``psu_ids``
    so :func:`merge` can align them.
    """

    n_groups: int
    n_items: int
    offset: FloatArray
    has_strata: bool
    has_psu: bool
    stratum_ids: tuple[str, ...] | None
    psu_ids: tuple[str, ...] | None
    cell_group: IntArray
    cell_stratum: IntArray
    first0: FloatArray
    cross0: FloatArray
    first_w: FloatArray | None
    cross_w: FloatArray | None
    pat_cell: IntArray
    pat_bits: NDArray[np.uint64]
    pat_n: IntArray
    pat_w: FloatArray
    pat_w2: FloatArray
    psu_cell: IntArray
    psu_code: IntArray
    psu_first: FloatArray
    psu_count: IntArray
    w_min: float
    w_max: float
    hist: IntArray | None = None
    """Unweighted rows per group, item and code ``(n_groups, k, codes)`` (code 0: no answer)."""

    @property
    def n_cells(self) -> int:
        """Group × stratum cells with rows."""
        return int(self.cell_group.shape[0])

    @property
    def weighted(self) -> bool:
        """Whether the weights differ between rows (constant weights change no estimate)."""
        return bool(self.w_max > self.w_min)

    @property
    def n_rows(self) -> int:
        """Rows summed."""
        return int(self.pat_n.sum())

    def first(self) -> FloatArray:
        """``Σ w z`` per cell."""
        return self.first0 if self.first_w is None else self.first_w

    def cross(self) -> FloatArray:
        """``Σ w² z zᵀ`` per cell."""
        return self.cross0 if self.cross_w is None else self.cross_w

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (what a worker ships to the reducer)."""
        arrays = [getattr(self, f) for f in self.__dataclass_fields__]
        return sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))


# --------------------------------------------------------------------------- building
def accumulate(
    group: NDArray[np.integer],
    n_groups: int,
    x: NDArray[np.number],
    observed: NDArray[np.bool_] | None = None,
    weight: NDArray[np.floating] | None = None,
    *,
    stratum: NDArray[np.integer] | None = None,
    psu: NDArray[np.integer] | None = None,
    offset: Sequence[float] | FloatArray | None = None,
    stratum_ids: tuple[str, ...] | None = None,
    psu_ids: tuple[str, ...] | None = None,
    histograms: bool = False,
    threads: int | None = None,
) -> Moments:
    """Sum the rows of one block into :class:`Moments`.

    ``x`` is (rows × items); where ``observed`` is False the value is ignored. With
    ``observed=None`` ``x`` holds small integer *codes* with 0 for "no answer" (the fast path):
    answers are then ``code + offset`` and, with ``histograms``, answer counts per group, item
    and code are kept.
    Rows are grouped by a counting sort and each cell's cross moments are one matrix product;
    integer codes without weights are summed in float32 where that is exact.
    """
    group = np.asarray(group)
    n, k = x.shape
    if k > MAX_ITEMS:
        raise DataError(f"at most {MAX_ITEMS} items can be estimated together; found {k}")
    if group.shape != (n,):
        raise DataError(f"group codes must have one entry per row ({n}); found {group.shape}")
    if n and (int(group.min()) < 0 or int(group.max()) >= n_groups):
        raise DataError(f"group codes must lie in 0..{n_groups - 1}")
    codes = observed is None
    if codes and x.dtype.kind not in "iu":
        raise DataError(f"without an observed mask, x must hold integer codes; found {x.dtype}")
    off = np.zeros(k) if offset is None else np.asarray(offset, dtype=np.float64).reshape(k)
    w = None if weight is None else np.asarray(weight, dtype=np.float64)
    if w is not None and n and bool(np.all(w == 1.0)):
        w = None
    threads = threads or (min(2, os.cpu_count() or 1) if n >= THREAD_MIN_ROWS else 1)
    parts = np.linspace(0, n, threads + 1).astype(np.int64) if threads > 1 else np.array([0, n])

    def run(a: int, b: int) -> Moments:
        return _accumulate(
            group[a:b].astype(np.int64, copy=False),
            n_groups,
            x[a:b],
            None if observed is None else observed[a:b],
            None if w is None else w[a:b],
            None if stratum is None else np.asarray(stratum)[a:b].astype(np.int64),
            None if psu is None else np.asarray(psu)[a:b].astype(np.int64),
            off,
            stratum_ids,
            psu_ids,
            histograms,
            stratum is not None,
            psu is not None,
        )

    if len(parts) == 2:
        return run(0, n)
    with ThreadPoolExecutor(len(parts) - 1) as pool:
        done = list(pool.map(run, parts[:-1].tolist(), parts[1:].tolist()))
    return merge_all(done)


def _sort_by(key: IntArray, size: int) -> tuple[NDArray[np.integer] | None, IntArray, IntArray]:
    """A stable permutation grouping equal keys (None if already sorted), segment starts, keys."""
    n = key.shape[0]
    if n == 0:
        return None, np.zeros(0, np.int64), np.zeros(0, np.int64)
    if bool(np.all(key[1:] >= key[:-1])):
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]).astype(np.int64)
        return None, starts, key[starts]
    if size <= 4 * n + 1024:
        # counting sort in compiled code: the CSR column order of a (key × row) matrix
        small = np.int32 if max(n, size) < 2**31 else np.int64
        mat = sp.csr_matrix(
            (np.ones(n, np.int8), (key.astype(small), np.arange(n, dtype=small))),
            shape=(size, n),
        )
        counts = np.diff(mat.indptr)
        nz = np.flatnonzero(counts)
        return mat.indices, mat.indptr[:-1][nz].astype(np.int64), nz.astype(np.int64)
    perm = np.argsort(key, kind="stable")
    ks = key[perm]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]]).astype(np.int64)
    return perm, starts, ks[starts]


def _accumulate(
    group: IntArray,
    n_groups: int,
    x: NDArray[np.number],
    observed: NDArray[np.bool_] | None,
    w: FloatArray | None,
    stratum: IntArray | None,
    psu: IntArray | None,
    offset: FloatArray,
    stratum_ids: tuple[str, ...] | None,
    psu_ids: tuple[str, ...] | None,
    histograms: bool,
    has_strata: bool,
    has_psu: bool,
) -> Moments:
    n, k = x.shape
    k2 = 2 * k
    n_s = int(stratum.max()) + 1 if stratum is not None and n else 1
    cell_key = group * n_s + stratum if stratum is not None else group
    n_p = int(psu.max()) + 1 if psu is not None and n else 1
    key = cell_key * n_p + psu if psu is not None else cell_key
    perm, seg, seg_key = _sort_by(key, n_groups * n_s * n_p)
    seg_cell = seg_key // n_p
    hist_width = 0
    if observed is None and histograms:
        hist_width = int(x.max()) + 1 if n else 1
    hist = np.zeros((n_groups, k, max(hist_width, 1)), np.int64) if hist_width else None
    hist_offs = (np.arange(k) * hist_width).astype(np.int32 if k * hist_width < 2**15 else np.int64)

    # cells: runs of segments with the same cell key
    cell_first_seg = np.flatnonzero(np.r_[True, seg_cell[1:] != seg_cell[:-1]]) if seg.size else seg
    cells = seg_cell[cell_first_seg] if seg.size else np.zeros(0, np.int64)
    c_start = seg[cell_first_seg] if seg.size else seg
    c_end = np.r_[c_start[1:], n].astype(np.int64) if c_start.size else c_start
    n_cells = cells.size
    first0 = np.zeros((n_cells, k2))
    cross0 = np.zeros((n_cells, k2, k2))
    first_w = np.zeros((n_cells, k2)) if w is not None else None
    cross_w = np.zeros((n_cells, k2, k2)) if w is not None else None
    pat_parts: list[tuple[IntArray, NDArray[np.uint64], IntArray, FloatArray, FloatArray]] = []
    psu_parts: list[tuple[IntArray, FloatArray, IntArray]] = []
    diag = np.arange(k)
    pattern_top = 1 << k if k <= 12 else 0

    # batches of whole cells (a huge cell is split; its pieces add up)
    pieces: list[tuple[int, int, int]] = []
    for ci, (s, e) in enumerate(zip(c_start.tolist(), c_end.tolist(), strict=True)):
        while e - s > BATCH_ROWS:
            pieces.append((ci, s, s + BATCH_ROWS))
            s += BATCH_ROWS
        pieces.append((ci, s, e))
    batches: list[list[tuple[int, int, int]]] = []
    total = BATCH_ROWS + 1
    for piece in pieces:
        size = piece[2] - piece[1]
        if total + size > BATCH_ROWS:
            batches.append([])
            total = 0
        batches[-1].append(piece)
        total += size
    for batch in batches:
        a, b = batch[0][1], batch[-1][2]
        nb = b - a
        rows = None if perm is None else perm[a:b]
        xb = x[a:b] if rows is None else np.take(x, rows, axis=0)
        wb = None if w is None else (w[a:b] if rows is None else w[rows])
        if observed is None:
            mb = xb > 0
            top = int(xb.max()) if nb else 0
            # integer sums stay exact in float32 while every partial sum is below 2**24
            big = max((p[2] - p[1] for p in batch), default=0)
            exact32 = top * top * big < (1 << 24) and k <= 24
            z = np.empty((nb, k2), np.float32 if exact32 else np.float64)
            z[:, :k] = xb
            z[:, k:] = mb
        else:
            mb = observed[a:b] if rows is None else np.take(observed, rows, axis=0)
            z = np.empty((nb, k2), np.float64)
            z[:, :k] = np.where(mb, xb - offset, 0.0)
            z[:, k:] = mb
        pow2 = (2.0 ** np.arange(k)).astype(z.dtype)
        bits_f = z[:, k:] @ pow2 if k <= 52 else None
        bits = bits_f.astype(np.int64).astype(np.uint64) if bits_f is not None else _bits(mb)
        zw = None if wb is None else z.astype(np.float64) * wb[:, None]
        for ci, s, e in batch:
            s -= a
            e -= a
            zz = z[s:e]
            xx = zz.T @ zz
            cross0[ci] += xx
            first0[ci, :k] += xx[diag, k + diag]
            first0[ci, k:] += xx[k + diag, k + diag]
            bs = bits[s:e]
            ws = None if wb is None else wb[s:e]
            if zw is not None and first_w is not None and cross_w is not None and ws is not None:
                zs = zw[s:e]
                cross_w[ci] += zs.T @ zs
                first_w[ci] += ws @ zz
            if pattern_top:
                cnt = np.bincount(bs.astype(np.int64), minlength=pattern_top)
                nz = np.flatnonzero(cnt)
                sw: FloatArray = cnt[nz].astype(np.float64)
                sw2 = sw
                if ws is not None:
                    sw = _fsum(bs.astype(np.int64), ws, pattern_top)[nz]
                    sw2 = _fsum(bs.astype(np.int64), ws * ws, pattern_top)[nz]
                pat_parts.append(
                    (np.full(nz.size, ci, np.int64), nz.astype(np.uint64), cnt[nz], sw, sw2)
                )
            else:
                pat_parts.append(_patterns(np.full(e - s, ci, np.int64), bs, ws))
            if hist is not None:
                g = int(cells[ci] // n_s)
                hk = (xb[s:e] + hist_offs).ravel()
                hist[g] += np.bincount(hk, minlength=k * hist_width).reshape(k, hist_width)
        if psu is not None:
            # PSU segments inside this batch
            lo = int(np.searchsorted(seg, a, side="right")) - 1
            hi = int(np.searchsorted(seg, b, side="left"))
            starts = np.maximum(seg[lo:hi], a) - a
            src = zw if zw is not None else z.astype(np.float64)
            psu_parts.append(
                (
                    seg_key[lo:hi],
                    np.add.reduceat(src, starts, axis=0),
                    np.add.reduceat(mb, starts, axis=0, dtype=np.int64),
                )
            )

    if pat_parts:
        pc = np.concatenate([p[0] for p in pat_parts])
        pb_ = np.concatenate([p[1] for p in pat_parts])
        pn = np.concatenate([p[2] for p in pat_parts]).astype(np.int64)
        pw = np.concatenate([p[3] for p in pat_parts])
        pw2 = np.concatenate([p[4] for p in pat_parts])
    else:
        pc, pn = np.zeros(0, np.int64), np.zeros(0, np.int64)
        pb_ = np.zeros(0, np.uint64)
        pw, pw2 = np.zeros(0), np.zeros(0)
    if psu_parts:
        pkey = np.concatenate([p[0] for p in psu_parts])
        pfirst = np.concatenate([p[1] for p in psu_parts])
        pcount = np.concatenate([p[2] for p in psu_parts])
    else:
        pkey, pfirst, pcount = np.zeros(0, np.int64), np.zeros((0, k2)), np.zeros((0, k), np.int64)
    mom = Moments(
        n_groups=n_groups,
        n_items=k,
        offset=offset,
        has_strata=has_strata,
        has_psu=has_psu,
        stratum_ids=stratum_ids,
        psu_ids=psu_ids,
        cell_group=cells // n_s,
        cell_stratum=cells % n_s,
        first0=first0,
        cross0=cross0,
        first_w=first_w,
        cross_w=cross_w,
        pat_cell=cells[pc] if pc.size else pc,
        pat_bits=pb_,
        pat_n=pn,
        pat_w=pw,
        pat_w2=pw2,
        psu_cell=pkey // n_p,
        psu_code=pkey % n_p,
        psu_first=pfirst,
        psu_count=pcount,
        w_min=float(w.min()) if w is not None and n else 1.0,
        w_max=float(w.max()) if w is not None and n else 1.0,
        hist=hist,
    )
    # patterns and PSUs split across batches appear twice: one entry per key
    return _canonical(mom, n_s)


def _bits(mb: NDArray[np.bool_]) -> NDArray[np.uint64]:
    out = np.zeros(mb.shape[0], np.uint64)
    for j in range(mb.shape[1]):
        out |= mb[:, j].astype(np.uint64) << np.uint64(j)
    return out


def _patterns(
    cell: IntArray, bits: NDArray[np.uint64], w: FloatArray | None
) -> tuple[IntArray, NDArray[np.uint64], IntArray, FloatArray, FloatArray]:
    """Rows, Σw and Σw² per (cell, observation pattern) of one batch."""
    if cell.size == 0:
        z = np.zeros(0)
        return np.zeros(0, np.int64), np.zeros(0, np.uint64), np.zeros(0, np.int64), z, z
    c0 = int(cell.min())
    span = int(cell.max()) - c0 + 1
    top = int(bits.max()) + 1
    if span * top <= 4 * cell.size + 4096:
        key = (cell - c0) * top + bits.astype(np.int64)
        cnt = np.bincount(key, minlength=span * top)
        nz = np.flatnonzero(cnt)
        sw = cnt[nz].astype(np.float64) if w is None else _fsum(key, w, span * top)[nz]
        sw2 = sw if w is None else _fsum(key, w * w, span * top)[nz]
        return (
            (nz // top + c0).astype(np.int64),
            (nz % top).astype(np.uint64),
            cnt[nz].astype(np.int64),
            sw,
            sw2,
        )
    both = np.stack([cell.astype(np.uint64), bits], axis=1)
    uniq, inv = np.unique(both, axis=0, return_inverse=True)
    inv = inv.reshape(-1)
    cnt = np.bincount(inv, minlength=uniq.shape[0])
    ww = np.ones(cell.size) if w is None else w
    return (
        uniq[:, 0].astype(np.int64),
        uniq[:, 1].astype(np.uint64),
        cnt.astype(np.int64),
        _fsum(inv, ww, uniq.shape[0]),
        _fsum(inv, ww * ww, uniq.shape[0]),
    )


def _fsum(index: NDArray[np.integer], weights: FloatArray, size: int) -> FloatArray:
    """Weighted bincount, typed as float."""
    return np.asarray(np.bincount(index, weights=weights, minlength=size), dtype=np.float64)


def _reduce(keys: Sequence[NDArray[np.integer]]) -> tuple[IntArray, IntArray]:
    """Unique rows of the key columns (lexicographic) and, per input row, its unique index."""
    if keys[0].size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort(tuple(reversed([np.asarray(k) for k in keys])))
    sorted_keys = [np.asarray(k)[order] for k in keys]
    change = np.zeros(order.size, bool)
    change[0] = True
    for sk in sorted_keys:
        change[1:] |= sk[1:] != sk[:-1]
    idx = np.cumsum(change) - 1
    inv = np.empty(order.size, np.int64)
    inv[order] = idx
    return order[change], inv


def _sum_by(inv: IntArray, size: int, values: NDArray[_T]) -> NDArray[_T]:
    out: NDArray[_T] = np.zeros((size, *values.shape[1:]), dtype=values.dtype)
    np.add.at(out, inv, values)
    return out


def _canonical(mom: Moments, n_s: int) -> Moments:
    """One entry per cell, per (cell, pattern) and per PSU, in key order."""
    first_idx, inv = _reduce([mom.cell_group, mom.cell_stratum])
    size = first_idx.size
    cell_key_old = mom.cell_group * n_s + mom.cell_stratum
    new_key = cell_key_old[first_idx]
    needs = size != mom.n_cells or not bool(np.all(inv == np.arange(inv.size)))
    if needs:
        mom = replace(
            mom,
            cell_group=mom.cell_group[first_idx],
            cell_stratum=mom.cell_stratum[first_idx],
            first0=_sum_by(inv, size, mom.first0),
            cross0=_sum_by(inv, size, mom.cross0),
            first_w=None if mom.first_w is None else _sum_by(inv, size, mom.first_w),
            cross_w=None if mom.cross_w is None else _sum_by(inv, size, mom.cross_w),
        )
    # patterns and PSUs refer to cells by key; re-express as (group, stratum) → index later
    pf, pinv = _reduce([mom.pat_cell, mom.pat_bits.astype(np.int64)])
    if pf.size != mom.pat_cell.size:
        ps = pf.size
        mom = replace(
            mom,
            pat_cell=mom.pat_cell[pf],
            pat_bits=mom.pat_bits[pf],
            pat_n=_sum_by(pinv, ps, mom.pat_n),
            pat_w=_sum_by(pinv, ps, mom.pat_w),
            pat_w2=_sum_by(pinv, ps, mom.pat_w2),
        )
    else:
        mom = replace(
            mom,
            pat_cell=mom.pat_cell[pf],
            pat_bits=mom.pat_bits[pf],
            pat_n=mom.pat_n[pf],
            pat_w=mom.pat_w[pf],
            pat_w2=mom.pat_w2[pf],
        )
    if mom.psu_cell.size:
        qf, qinv = _reduce([mom.psu_cell, mom.psu_code])
        qs = qf.size
        mom = replace(
            mom,
            psu_cell=mom.psu_cell[qf],
            psu_code=mom.psu_code[qf],
            psu_first=_sum_by(qinv, qs, mom.psu_first),
            psu_count=_sum_by(qinv, qs, mom.psu_count),
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
        cross0=np.concatenate([a.cross0, b.cross0]),
        first_w=np.concatenate([a.first(), b.first()]) if weighted else None,
        cross_w=np.concatenate([a.cross(), b.cross()]) if weighted else None,
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
    )
    return _canonical(both, n_s)


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
    both = np.r_[idx, k + idx]

    def pick2(a: FloatArray | None) -> FloatArray | None:
        return None if a is None else a[:, both][:, :, both]

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
        pat_cell=cell_key[mom.pat_cell],
        pat_bits=bits,
        psu_cell=cell_key[mom.psu_cell],
        psu_first=mom.psu_first[:, both],
        psu_count=mom.psu_count[:, idx],
        hist=None if mom.hist is None else mom.hist[:, idx],
    )
    return _canonical(out, n_s)


# --------------------------------------------------------------------------- tables
@dataclass(frozen=True)
class TableAggregates:
    """Mergeable aggregates of a whole :class:`~publiceval._core.table.ResponseTable`.

    ``per_opd`` sums the raw answer codes of every per-OPD item (code = answer - scale min + 1,
    0 = no answer) by OPD, stratum and PSU; ``survey_wide`` does the same for survey-wide
    items in one group. With the reject log and the respondents seen, this is everything an
    evaluation needs, and two of them merge exactly (:meth:`merged`).
    """

    survey: Survey
    per_opd: Moments
    survey_wide: Moments
    rejects: RejectLog
    respondents: tuple[NDArray[np.uint64], ...] | None
    """Per merged part, the sorted distinct 64-bit hashes of the respondent ids with a used row
    (None: only counted). 8 bytes a respondent per part, the same in every process; parts are
    only combined when the count is asked for, so merging copies nothing."""
    source: str | None = None
    respondent_count: int = 0

    @property
    def n_respondents(self) -> int:
        """Distinct respondents with at least one used row.

        Across merged parts this counts distinct id hashes: two different ids would have to
        share a 64-bit hash to be undercounted (odds about n² / 2⁶⁵, ~1e-6 at 5 million).
        """
        if self.respondents is None:
            return self.respondent_count
        if len(self.respondents) == 1:
            return int(self.respondents[0].shape[0])
        both = np.concatenate(self.respondents)
        both.sort()
        return int(np.count_nonzero(both[1:] != both[:-1]) + (1 if both.size else 0))

    def merged(self, other: TableAggregates) -> TableAggregates:
        """Aggregates of both tables' rows (they must be of the same survey)."""
        if other.survey != self.survey:
            raise DataError("cannot merge aggregates of different surveys")
        if self.respondents is None or other.respondents is None:
            raise DataError(
                "cannot merge aggregates built with respondents=False: distinct respondents "
                "across parts need their ids"
            )
        return TableAggregates(
            survey=self.survey,
            per_opd=merge(self.per_opd, other.per_opd),
            survey_wide=merge(self.survey_wide, other.survey_wide),
            rejects=self.rejects.merged(other.rejects),
            respondents=self.respondents + other.respondents,
            source=self.source if self.source == other.source else None,
        )


_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def hash_ids(ids: NDArray[np.object_] | NDArray[np.str_]) -> NDArray[np.uint64]:
    """A 64-bit hash of each id's text (splitmix64 over its code points; stable across runs)."""
    text = np.asarray(ids).astype(str)
    n = text.shape[0]
    width = text.dtype.itemsize // 4
    h = np.full(n, np.uint64(width), np.uint64)
    if n == 0 or width == 0:
        return h
    points = np.ascontiguousarray(text).view(np.uint32).reshape(n, width)
    with np.errstate(over="ignore"):
        for i in range(width):
            h = (h ^ points[:, i].astype(np.uint64)) + _MIX[0]
            h = (h ^ (h >> np.uint64(30))) * _MIX[1]
            h = (h ^ (h >> np.uint64(27))) * _MIX[2]
            h ^= h >> np.uint64(31)
    return h


def _block_codes(block: AnswerBlock, survey: Survey) -> tuple[NDArray[np.int8], FloatArray]:
    """Answer codes (answer - scale min + 1; 0 = no answer) and the offset back to answers."""
    mins = np.array([survey.scale_of(i).min for i in block.items], dtype=np.int64)
    tops = np.array([survey.scale_of(i).max for i in block.items], dtype=np.int64)
    if block.items and int((tops - mins).max()) + 1 > 127:
        raise DataError("answer scales with more than 127 points cannot be aggregated as codes")
    codes = block.values - (mins - 1).astype(np.int8)
    np.multiply(codes, block.observed, out=codes)  # 0 where not answered (no mask indexing)
    return codes.astype(np.int8, copy=False), (mins - 1).astype(np.float64)


def block_moments(
    block: AnswerBlock,
    survey: Survey,
    n_groups: int,
    *,
    stratum_ids: tuple[str, ...] | None = None,
    psu_ids: tuple[str, ...] | None = None,
    threads: int | None = None,
) -> Moments:
    """Moments (with histograms) of an answer block's raw codes, grouped by ``block.opd``.

    A survey-wide block (``opd == -1``) is summed as one group.
    """
    codes, offset = _block_codes(block, survey)
    group = np.maximum(block.opd, 0) if n_groups == 1 else block.opd
    return accumulate(
        group,
        n_groups,
        codes,
        None,
        block.weight,
        stratum=block.stratum,
        psu=block.psu,
        offset=offset,
        stratum_ids=stratum_ids if block.stratum is not None else None,
        psu_ids=psu_ids if block.psu is not None else None,
        histograms=True,
        threads=threads,
    )


def table_aggregates(
    table: ResponseTable, *, threads: int | None = None, respondents: bool = True
) -> TableAggregates:
    """Reduce a validated table to mergeable aggregates.

    With ``respondents=False`` distinct respondents are only counted (cheaper for a table
    scored on its own; such aggregates cannot be merged).
    """
    survey = table.survey
    ids = {"stratum_ids": table.stratum_ids, "psu_ids": table.psu_ids}
    codes = np.concatenate([table.per_opd.respondent, table.survey_wide.respondent])
    used = np.flatnonzero(np.bincount(codes, minlength=len(table.respondent_ids)))
    return TableAggregates(
        survey=survey,
        per_opd=block_moments(table.per_opd, survey, len(survey.opds), threads=threads, **ids),
        survey_wide=block_moments(table.survey_wide, survey, 1, threads=threads, **ids),
        rejects=table.rejects,
        respondents=(np.unique(hash_ids(table.respondent_ids[used])),) if respondents else None,
        source=table.source,
        respondent_count=int(used.size),
    )
