"""Building :class:`~publiceval._core.moments.Moments` from rows: counting sort, batched products."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.typing import NDArray

from ..errors import DataError
from .merge import canonical, merge_all
from .model import BATCH_ROWS, MAX_ITEMS, THREAD_MIN_ROWS, FloatArray, IntArray, Moments
from .pieces import add_histograms, bits_of, group_cross, patterns, piece_cross
from .segments import segment_sum

__all__ = ["accumulate"]

#: Below this many rows the pass runs without limiting BLAS threads (limiting costs ~1 ms).
_BLAS_LIMIT_ROWS = 1 << 16


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
    cell_cross: bool = True,
) -> Moments:
    """Sum the rows of one block into :class:`Moments`.

    ``x`` is (rows × items); where ``observed`` is False the value is ignored. With
    ``observed=None`` ``x`` holds small integer *codes* with 0 for "no answer" (the fast path):
    answers are then ``code + offset`` and, with ``histograms``, answer counts per group, item
    and code are kept.
    Rows are grouped by a counting sort and each cell's cross moments are one matrix product;
    integer codes without weights are summed in float32 where that is exact.
    With PSUs, ``cell_cross=False`` keeps cross moments per group only
    (:attr:`Moments.cross_by_group`): one product per group, not per cell.
    """
    if not cell_cross and psu is None:
        raise DataError("cross moments per group only (cell_cross=False) need PSUs")
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
            cell_cross,
        )

    if len(parts) == 2 and n < _BLAS_LIMIT_ROWS:
        return run(0, n)
    # the matrix products run on one BLAS thread each: they are many and small (per cell, or
    # tall and thin per group), and a multi-threaded BLAS beside other work (two Python
    # threads, or other processes) oversubscribes the cores and slows the pass by up to an
    # order of magnitude (benchmarks: `python -m benchmarks blas`; per group at 1M rows under
    # load: 0.05 s on one BLAS thread, 0.3-1.2 s with free ones)
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    with threadpool_limits(limits=1, user_api="blas"):
        if len(parts) == 2:
            return run(0, n)
        with ThreadPoolExecutor(len(parts) - 1) as pool:
            done = list(pool.map(run, parts[:-1].tolist(), parts[1:].tolist()))
    return merge_all(done)


def _sort_by(key: IntArray, size: int) -> tuple[NDArray[np.integer] | None, IntArray, IntArray]:
    """A permutation grouping equal keys (None if already sorted), segment starts, keys."""
    n = key.shape[0]
    if n == 0:
        return None, np.zeros(0, np.int64), np.zeros(0, np.int64)
    if bool(np.all(key[1:] >= key[:-1])):
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]).astype(np.int64)
        return None, starts, key[starts]
    if size <= 4 * n + 1024:
        # counting sort in compiled code: the CSR column order of a (key × row) matrix
        import scipy.sparse as sp  # on first use: it is a large import

        small = np.int32 if max(n, size) < 2**31 else np.int64
        mat = sp.csr_matrix(
            (np.ones(n, np.int8), (key.astype(small), np.arange(n, dtype=small))),
            shape=(size, n),
        )
        counts = np.diff(mat.indptr)
        nz = np.flatnonzero(counts)
        return mat.indices, mat.indptr[:-1][nz].astype(np.int64), nz.astype(np.int64)
    perm = np.argsort(key)  # rows of a key in any (deterministic) order: 3-4x a stable sort
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
    cell_cross: bool = True,
) -> Moments:
    n, k = x.shape
    k2 = 2 * k
    n_s = int(stratum.max()) + 1 if stratum is not None and n else 1
    cell_key = group * n_s + stratum if stratum is not None else group
    n_p = int(psu.max()) + 1 if psu is not None and n else 1
    key = cell_key * n_p + psu if psu is not None else cell_key
    perm, seg, seg_key = _sort_by(key, n_groups * n_s * n_p)
    seg_cell = seg_key // n_p
    hist_width = (int(x.max()) + 1 if n else 1) if observed is None and histograms else 0
    hist = np.zeros((n_groups, k, hist_width), np.int64) if hist_width else None
    hist_offs = (np.arange(k) * hist_width).astype(np.int32 if k * hist_width < 2**15 else np.int64)

    # cells: runs of segments with the same cell key
    cell_first_seg = np.flatnonzero(np.r_[True, seg_cell[1:] != seg_cell[:-1]]) if seg.size else seg
    cells = seg_cell[cell_first_seg] if seg.size else np.zeros(0, np.int64)
    c_start = seg[cell_first_seg] if seg.size else seg
    c_end = np.r_[c_start[1:], n].astype(np.int64) if c_start.size else c_start
    n_cells = cells.size
    # pieces: cells, a huge one split into pieces of at most BATCH_ROWS rows (they add up)
    n_split = np.maximum(1, -(-(c_end - c_start) // BATCH_ROWS))
    piece_cell = np.repeat(np.arange(n_cells, dtype=np.int64), n_split)
    cell_first_piece = np.r_[0, np.cumsum(n_split)[:-1]].astype(np.int64)
    p_start = c_start[piece_cell] + (np.arange(piece_cell.size) - cell_first_piece[piece_cell]) * (
        BATCH_ROWS
    )
    p_end = np.minimum(p_start + BATCH_ROWS, c_end[piece_cell])
    n_pieces = piece_cell.size
    # batches of whole pieces: those starting in the same window of BATCH_ROWS rows
    bid = p_start // BATCH_ROWS
    b_first = np.flatnonzero(np.r_[True, bid[1:] != bid[:-1]]) if n_pieces else p_start
    b_bounds = np.r_[b_first, n_pieces].astype(np.int64)

    weighted = w is not None
    width = 2 * k2 if weighted else k2
    # per piece: Σ z zᵀ, and with weights Σ w² z zᵀ, Σ w z zᵀ and Σ w z
    cross0 = np.zeros((n_pieces, k2, k2))
    cross_w = np.zeros((n_pieces, k2, k2)) if weighted else None
    cross_w1 = np.zeros((n_pieces, k2, k2)) if weighted else None
    pfirst_w = np.zeros((n_pieces, k2)) if weighted else None
    if not cell_cross:  # per group: Σ z zᵀ and Σ w z zᵀ; first moments per piece
        cross0 = np.zeros((n_groups, k2, k2))
        cross_w1 = np.zeros((n_groups, k2, k2)) if weighted else None
        cross_w = None
        pfirst0 = np.zeros((n_pieces, k2))
    pat_parts: list[tuple[IntArray, NDArray[np.uint64], IntArray, FloatArray, FloatArray]] = []
    psu_parts: list[tuple[IntArray, FloatArray, IntArray]] = []
    for p0, p1 in zip(b_bounds[:-1].tolist(), b_bounds[1:].tolist(), strict=True):
        a, b = int(p_start[p0]), int(p_end[p1 - 1])
        nb = b - a
        rows = None if perm is None else perm[a:b]
        xb = x[a:b] if rows is None else np.take(x, rows, axis=0)
        wb = None if w is None else (w[a:b] if rows is None else w[rows])
        starts = p_start[p0:p1] - a
        lengths = p_end[p0:p1] - p_start[p0:p1]
        if not cell_cross:  # runs of pieces of one group
            b_group = cells[piece_cell[p0:p1]] // n_s
            g_first = np.flatnonzero(np.r_[True, b_group[1:] != b_group[:-1]])
            g_start = starts[g_first]
            g_len = np.r_[g_start[1:], nb] - g_start
        if observed is None:
            mb = xb > 0
            top = int(xb.max()) if nb else 0
            # integer sums stay exact in float32 while every partial sum is below 2**24
            big = int((lengths if cell_cross else g_len).max()) if lengths.size else 0
            exact32 = top * top * big < (1 << 24) and k <= 24 and not weighted
            z = np.empty((nb, width), np.float32 if exact32 else np.float64)
            z[:, :k] = xb
            z[:, k:k2] = mb
        else:
            mb = observed[a:b] if rows is None else np.take(observed, rows, axis=0)
            z = np.empty((nb, width), np.float64)
            z[:, :k] = np.where(mb, xb - offset, 0.0)
            z[:, k:k2] = mb
        if wb is not None:
            np.multiply(z[:, :k2], wb[:, None], out=z[:, k2:])
            assert pfirst_w is not None
            # summed row after row, every column in the same order: an answer column equal
            # to its observed column (all answers 1) sums to exactly the same total, so a
            # share of 0 or 1 stays exact (a BLAS product may order columns differently)
            if cell_cross:  # else from the PSU totals below
                pfirst_w[p0:p1] = segment_sum(z[:, k2:], starts)
        if cell_cross:
            piece_cross(
                z,
                wb,
                starts,
                lengths,
                cross0[p0:p1],
                None if cross_w is None else cross_w[p0:p1],
                None if cross_w1 is None else cross_w1[p0:p1],
            )
        else:
            group_cross(z, k2, b_group[g_first], g_start, g_len, cross0, cross_w1)
        if k <= 24 or (k <= 52 and z.dtype == np.float64):  # exact in z's precision
            bits = (z[:, k:k2] @ (2.0 ** np.arange(k)).astype(z.dtype)).astype(np.int64)
            bits = bits.astype(np.uint64)
        else:
            bits = bits_of(mb)
        row_cell = np.repeat(piece_cell[p0:p1], lengths)
        if hist is not None:
            add_histograms(hist, xb + hist_offs, cells[piece_cell[p0:p1]] // n_s, starts, lengths)
        pat_parts.append(patterns(row_cell, bits, wb))
        if psu is not None:
            # PSU segments inside this batch
            lo = int(np.searchsorted(seg, a, side="right")) - 1
            hi = int(np.searchsorted(seg, b, side="left"))
            pstarts = np.maximum(seg[lo:hi], a) - a
            # one segmented sum of (u, w u): the answered flags of u count the answers
            tot = segment_sum(z, pstarts, np.float64)
            if not cell_cross:  # a piece is whole PSU segments: its sums are theirs
                at = np.searchsorted(pstarts, starts)
                pfirst0[p0:p1] = segment_sum(tot[:, :k2], at)
                if pfirst_w is not None:
                    pfirst_w[p0:p1] = segment_sum(tot[:, k2:], at)
            psu_parts.append(
                (
                    seg_key[lo:hi],
                    tot[:, k2:] if wb is not None else tot,
                    np.rint(tot[:, k:k2]).astype(np.int64),
                )
            )

    if n_pieces != n_cells:  # split cells: their pieces add up (pieces are in cell order)

        def join(a: FloatArray) -> FloatArray:
            return segment_sum(a, cell_first_piece)

        if cell_cross:
            cross0 = join(cross0)
            cross_w = None if cross_w is None else join(cross_w)
            cross_w1 = None if cross_w1 is None else join(cross_w1)
        else:
            pfirst0 = join(pfirst0)
        pfirst_w = None if pfirst_w is None else join(pfirst_w)
    if cell_cross:
        diag = np.arange(k)
        first0 = np.empty((n_cells, k2))
        first0[:, :k] = cross0[:, diag, k + diag]
        first0[:, k:] = cross0[:, k + diag, k + diag]
    else:
        first0 = pfirst0

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
        first_w=pfirst_w,
        cross_w=cross_w,
        cross_w1=cross_w1,
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
        cross_by_group=not cell_cross,
    )
    # patterns and PSUs split across batches appear twice: one entry per key
    return canonical(mom, n_s)
