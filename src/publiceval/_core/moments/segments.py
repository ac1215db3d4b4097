"""Sums of runs of consecutive rows (segments), each run's rows added in row order.

``np.add.reduceat`` along the rows of a 2-D array pays for every segment and strides over
memory (1M rows × 27 columns in 50k segments: 0.21 s); the same sums as the product of a
0/1 CSR matrix (one row per segment) with the rows take 0.02 s. SciPy's CSR product adds each
segment's rows one after another, every column in the same order, so two equal columns give
equal sums (a share of 0 or 1 stays exact) and the result does not depend on the width.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

import numpy as np
from numpy.typing import DTypeLike, NDArray

__all__ = ["segment_sum"]

_T = TypeVar("_T", bound=np.generic)


def segment_sum(
    values: NDArray[_T], starts: NDArray[np.integer], dtype: DTypeLike | None = None
) -> NDArray[_T]:
    """``np.add.reduceat(values, starts, axis=0)`` for strictly increasing ``starts`` with
    ``starts[0] == 0`` (every row in one segment), computed as a sparse product."""
    if dtype is not None:
        values = values.astype(dtype, copy=False)
    if values.dtype == np.bool_:
        values = values.astype(np.int64)
    n = values.shape[0]
    m = starts.shape[0]
    tail = values.shape[1:]
    width = int(np.prod(tail))
    if m == 0 or width == 0:
        return np.zeros((m, *tail), dtype=values.dtype)
    import scipy.sparse as sp  # on first use: it is a large import

    small = np.int32 if n < 2**31 - 1 else np.int64
    indptr = np.empty(m + 1, small)
    indptr[:m] = starts
    indptr[m] = n
    mat = sp.csr_matrix(
        (np.ones(n, dtype=values.dtype), np.arange(n, dtype=small), indptr), shape=(m, n)
    )
    product = cast(Any, mat) @ values.reshape(n, width)
    out: NDArray[_T] = np.asarray(product).reshape(m, *tail)
    return out
