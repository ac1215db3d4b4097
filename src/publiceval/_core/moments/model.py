"""Mergeable moments: the sufficient statistics every score and standard error is built from.

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

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["BATCH_ROWS", "MAX_ITEMS", "THREAD_MIN_ROWS", "FloatArray", "IntArray", "Moments"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

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
    cross_w1: FloatArray | None = None
    """``Σ w z zᵀ`` per cell (None when unweighted): the weighted variance of the answers, the
    simple-random-sample reference of the design effect."""
    cross_by_group: bool = False
    """The cross moments are per *group* (``cross0``, ``cross_w1``: ``n_groups × 2k × 2k``) and
    ``Σ w² z zᵀ`` is not kept (``cross_w`` None). Only with PSUs: the variance then comes from
    the PSU totals, and only the groups' cross moments are read (design effects, constant
    answers) — one product per group instead of one per group × stratum cell."""

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
        if self.cross_by_group:
            raise ValueError("these moments keep cross moments per group only (PSU design)")
        return self.cross0 if self.cross_w is None else self.cross_w

    def cross1(self) -> FloatArray:
        """``Σ w z zᵀ`` per cell (per group when :attr:`cross_by_group`)."""
        return self.cross0 if self.cross_w1 is None else self.cross_w1

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (what a worker ships to the reducer)."""
        arrays = [getattr(self, f) for f in self.__dataclass_fields__]
        return sum(a.nbytes for a in arrays if isinstance(a, np.ndarray))
