"""Per-batch kernels of the data pass: cross moments of many short pieces, answer histograms,
observation patterns (used by :mod:`.build`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .model import FloatArray, IntArray
from .segments import segment_sum

__all__ = ["add_histograms", "bits_of", "group_cross", "patterns", "piece_cross"]


#: Cross moments are summed as row outer products, vectorised, up to this many element
#: operations per row; wider blocks take one matrix product per piece (see piece_cross).
_VECTOR_OPS = 16


def piece_cross(
    z: NDArray[np.floating],
    w: FloatArray | None,
    starts: IntArray,
    lengths: IntArray,
    out0: FloatArray,
    out_w: FloatArray | None,
    out_w1: FloatArray | None,
) -> None:
    """Per piece ``p`` (rows ``starts[p]``, ``lengths[p]`` long) of ``z = (u, w u)``: ``Σ u uᵀ``
    into ``out0`` and, with weights ``w``, ``Σ w² u uᵀ`` and ``Σ w u uᵀ``.

    Narrow blocks are summed as row outer products by one segmented sum for all pieces; wider
    ones take one matrix product per piece (a few µs a call, but the outer products of 18
    columns cost more per row than a product per piece of ~20 rows).
    """
    if not lengths.size:
        return
    k2 = out0.shape[1]
    # measured (1M rows, 49k cells, 9 items, weights): at width 18 a product per piece beats
    # the outer products even for one-row pieces; a zero-or-one-column block is vectorised
    small = np.full(lengths.shape, k2 * k2 * (3 if w is not None else 1) <= _VECTOR_OPS)
    if small.any():
        sel = np.flatnonzero(small)
        ls = lengths[sel]
        seg = np.r_[0, np.cumsum(ls)[:-1]].astype(np.int64)
        total = int(ls.sum())
        rows = np.repeat(starts[sel] - seg, ls) + np.arange(total)
        step = max(1, (1 << 20) // (k2 * k2))  # rows per block: bounds the outer products
        bounds = np.unique(np.r_[np.searchsorted(seg, np.arange(0, total, step)), seg.size])
        for i0, i1 in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            r0 = int(seg[i0])
            r1 = int(seg[i1]) if i1 < seg.size else total
            take = rows[r0:r1]
            u = z[take, :k2].astype(np.float64, copy=False)
            outer = (u[:, :, None] * u[:, None, :]).reshape(take.size, k2 * k2)
            at = seg[i0:i1] - r0
            dst = sel[i0:i1]
            out0[dst] = segment_sum(outer, at).reshape(-1, k2, k2)
            if w is not None and out_w is not None and out_w1 is not None:
                ww = w[take][:, None]
                outer *= ww
                out_w1[dst] = segment_sum(outer, at).reshape(-1, k2, k2)
                outer *= ww
                out_w[dst] = segment_sum(outer, at).reshape(-1, k2, k2)
    big = np.flatnonzero(~small)
    ends = starts + lengths
    if w is None or out_w is None or out_w1 is None:
        for p, s, e in zip(big.tolist(), starts[big].tolist(), ends[big].tolist(), strict=True):
            zz = z[s:e]
            out0[p] = zz.T @ zz
        return
    for p, s, e in zip(big.tolist(), starts[big].tolist(), ends[big].tolist(), strict=True):
        zz = z[s:e]
        both = zz.T @ zz  # one product for the three: (u, wu)ᵀ (u, wu)
        out0[p] = both[:k2, :k2]
        out_w1[p] = both[k2:, :k2]
        out_w[p] = both[k2:, k2:]


def group_cross(
    z: NDArray[np.floating],
    k2: int,
    groups: IntArray,
    starts: IntArray,
    lengths: IntArray,
    out0: FloatArray,
    out_w1: FloatArray | None,
) -> None:
    """Add ``Σ u uᵀ`` and, with weights (``z = (u, w u)``), ``Σ w u uᵀ`` of each run of rows
    (``starts``, ``lengths``) to its group's entry of ``out0`` / ``out_w1`` (one product a
    run: ``zᵀ u``, the two stacked)."""
    ends = starts + lengths
    for g, s, e in zip(groups.tolist(), starts.tolist(), ends.tolist(), strict=True):
        zz = z[s:e]
        both = zz.T @ zz[:, :k2]
        out0[g] += both[:k2]
        if out_w1 is not None:
            out_w1[g] += both[k2:]


def add_histograms(
    hist: IntArray,
    codes: NDArray[np.number],
    groups: IntArray,
    starts: IntArray,
    lengths: IntArray,
) -> None:
    """Add one batch's answer counts to ``hist`` (groups × items × codes); ``codes`` are the
    batch's answer codes plus each item's offset in a group's ``items × codes`` block."""
    k, width = hist.shape[1], hist.shape[2]
    if groups.size <= 64:  # few large cells: a bincount of each, as small integers
        for g, s, e in zip(
            groups.tolist(), starts.tolist(), (starts + lengths).tolist(), strict=True
        ):
            hist[g] += np.bincount(codes[s:e].ravel(), minlength=k * width).reshape(k, width)
        return
    g0 = int(groups.min())
    span = int(groups.max()) - g0 + 1
    local = np.repeat((groups - g0) * (k * width), lengths)
    idx = (local[:, None] + codes).ravel()
    hist[g0 : g0 + span] += np.bincount(idx, minlength=span * k * width).reshape(span, k, width)


def bits_of(mb: NDArray[np.bool_]) -> NDArray[np.uint64]:
    """Bit mask of the answered items per row (item j is bit j; at most 64 items)."""
    n, k = mb.shape
    if k == 0:
        return np.zeros(n, np.uint64)
    packed = np.packbits(mb, axis=1, bitorder="little")
    word = np.zeros((n, 8), np.uint8)
    word[:, : packed.shape[1]] = packed
    out: NDArray[np.uint64] = word.view("<u8").reshape(n).astype(np.uint64, copy=False)
    return out


def patterns(
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
    if span * top < 2**62:
        # sorted by one combined key
        key = (cell - c0) * top + bits.astype(np.int64)
        order = np.argsort(key)
        ks = key[order]
        first = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
        cnt = np.diff(np.r_[first, ks.size]).astype(np.int64)
        ws = np.ones(cell.size) if w is None else w[order]
        sw = cnt.astype(np.float64) if w is None else np.add.reduceat(ws, first)
        sw2 = sw if w is None else np.add.reduceat(ws * ws, first)
        return (
            (ks[first] // top + c0).astype(np.int64),
            (ks[first] % top).astype(np.uint64),
            cnt,
            np.asarray(sw, np.float64),
            np.asarray(sw2, np.float64),
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
