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

__all__ = ["accumulate"]


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
    # each thread's matrix products run on one BLAS thread: two Python threads that each start
    # a multi-threaded BLAS oversubscribe the cores, and under other load the pass slows by an
    # order of magnitude (benchmarks: `python -m benchmarks blas`)
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(len(parts) - 1) as pool:
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
        import scipy.sparse as sp  # on first use: it is a large import

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
    cross_w1 = np.zeros((n_cells, k2, k2)) if w is not None else None
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
                if cross_w1 is not None:
                    cross_w1[ci] += zs.T @ zz.astype(np.float64, copy=False)
                # summed row after row, every column in the same order: an answer column equal
                # to its observed column (all answers 1) sums to exactly the same total, so a
                # share of 0 or 1 stays exact (a BLAS product may order columns differently)
                first_w[ci] += zs.sum(axis=0)
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
    )
    # patterns and PSUs split across batches appear twice: one entry per key
    return canonical(mom, n_s)


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
