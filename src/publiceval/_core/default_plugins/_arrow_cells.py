"""Arrow columns as the ingest road takes them, for the ``csv-arrow`` and ``parquet`` readers.

Numbers are read straight from Arrow's buffers and nulls from a compute kernel: pyarrow's
``to_numpy``, ``pa.scalar`` and ``pa.array`` import pandas (about 80 MB of memory), which made
chunked reading with these readers cost more memory than the chunks. Text shares one string
object per distinct value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["arrow_cells", "text_cells"]


def _buffer(arr: Any, dtype: type[np.generic]) -> NDArray[Any]:
    """A null-free primitive Arrow array of ``dtype`` as numpy (a copy, so Arrow's pool frees)."""
    size = np.dtype(dtype).itemsize
    data = arr.buffers()[1]
    if data is None or len(arr) == 0:
        return np.zeros(0, dtype)
    out: NDArray[Any] = np.frombuffer(data, dtype=dtype, count=len(arr), offset=arr.offset * size)
    copied: NDArray[Any] = out.copy()
    return copied


def _nulls(pa: Any, pc: Any, arr: Any) -> NDArray[np.bool_] | None:
    """Where ``arr`` (one contiguous array) is null, or ``None`` when nothing is."""
    if arr.null_count == 0:
        return None
    flags = _whole(pa, pc.cast(pc.is_null(arr), pa.uint8()))
    return _buffer(flags, np.uint8).astype(bool)


def _whole(pa: Any, arr: Any) -> Any:
    """One contiguous array (a table's column may be in several chunks)."""
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def text_cells(pa: Any, pc: Any, arr: Any) -> NDArray[np.object_]:
    """Text cells as Python strings (None for empty), one string object per distinct value.

    Arrow's dictionary encoding (hash-based, in C) finds the distinct values; the cells then
    share their strings, which is faster to build and makes later factorising hit identical
    objects.
    """
    arr = _whole(pa, arr)
    encoded = arr if pa.types.is_dictionary(arr.type) else _whole(pa, pc.dictionary_encode(arr))
    lookup = np.empty(len(encoded.dictionary) + 1, dtype=object)
    lookup[:-1] = encoded.dictionary.to_pylist()
    lookup[-1] = None  # the code of an empty (null) cell
    codes = _buffer(_whole(pa, pc.cast(encoded.indices, pa.int64())), np.int64)
    empty = _nulls(pa, pc, encoded)
    if empty is not None:
        codes[empty] = len(lookup) - 1
    cells: NDArray[np.object_] = lookup[codes]
    return cells


def arrow_cells(pa: Any, pc: Any, arr: Any) -> NDArray[Any]:
    """Any Arrow column as cells: whole numbers without gaps (ids) stay integers, other
    numbers are floats (NaN: no answer), text shares strings, anything else is its Python
    objects (dates, booleans)."""
    kind = arr.type
    if pa.types.is_integer(kind) and arr.null_count == 0:
        return _buffer(_whole(pa, pc.cast(arr, pa.int64())), np.int64)
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        floats = _whole(pa, pc.cast(arr, pa.float64()))
        values = _buffer(floats, np.float64)
        empty = _nulls(pa, pc, floats)
        if empty is not None:
            values[empty] = np.nan  # no answer
        return values
    if pa.types.is_null(kind):
        return np.full(len(arr), np.nan)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return text_cells(pa, pc, arr)
    if pa.types.is_dictionary(kind) and (
        pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
    ):
        return text_cells(pa, pc, arr)
    out = np.empty(len(arr), dtype=object)
    out[:] = arr.to_pylist()
    return out
