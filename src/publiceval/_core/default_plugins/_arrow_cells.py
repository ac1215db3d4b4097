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

from publiceval.plugin import CodedCells, MaskedInts

__all__ = ["arrow_cells", "coded_cells", "text_cells"]


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


def _numbers(pa: Any, arr: Any) -> NDArray[Any] | MaskedInts:
    """A numeric Arrow array read from its buffers in one numpy pass: integers without gaps
    as int64 (ids), integers with gaps as :class:`MaskedInts` (Arrow's values, narrowed to
    int8 when they all fit, and its validity bitmap), floats as float64 (NaN: no answer)."""
    kind = arr.type
    letter = "f" if pa.types.is_floating(kind) else "i" if pa.types.is_signed_integer(kind) else "u"
    raw = _view(arr, np.dtype(f"{letter}{kind.bit_width // 8}"))
    if letter != "f" and arr.null_count == 0:
        return raw.astype(np.int64)  # a copy: Arrow's pool frees
    valid = None
    if arr.null_count:
        bits = np.frombuffer(arr.buffers()[0], dtype=np.uint8)
        valid = np.unpackbits(bits, count=arr.offset + len(arr), bitorder="little")[arr.offset :]
    if letter == "i" or (letter == "u" and kind.bit_width < 64):
        assert valid is not None
        # answers on a small scale: one byte per cell (the slots of empty cells hold anything)
        small = raw.size and int(raw.min()) >= -128 and int(raw.max()) <= 127
        return MaskedInts(raw.astype(np.int8 if small else np.int64), valid.view(np.bool_))
    values = raw.astype(np.float64)
    if valid is not None:
        values[valid == 0] = np.nan  # no answer
    return values


def _view(arr: Any, dtype: np.dtype[Any]) -> NDArray[Any]:
    """The data buffer of a primitive Arrow array, without copying."""
    data = arr.buffers()[1]
    if data is None or len(arr) == 0:
        return np.zeros(0, dtype)
    out: NDArray[Any] = np.frombuffer(
        data, dtype=dtype, count=len(arr), offset=arr.offset * dtype.itemsize
    )
    return out


def _whole(pa: Any, arr: Any) -> Any:
    """One contiguous array (a table's column may be in several chunks)."""
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def coded_cells(pa: Any, pc: Any, arr: Any) -> CodedCells:
    """Text cells as codes into their distinct strings (None for empty): Arrow's dictionary
    encoding (hash-based, in C) finds the distinct values, and the ingest road keeps the codes
    — no Python object per cell."""
    arr = _whole(pa, arr)
    encoded = arr if pa.types.is_dictionary(arr.type) else _whole(pa, pc.dictionary_encode(arr))
    lookup = np.empty(len(encoded.dictionary) + 1, dtype=object)
    lookup[:-1] = encoded.dictionary.to_pylist()
    lookup[-1] = None  # the code of an empty (null) cell
    codes = _buffer(_whole(pa, pc.cast(encoded.indices, pa.int32())), np.int32)
    empty = _nulls(pa, pc, encoded)
    if empty is not None:
        codes[empty] = len(lookup) - 1
    return CodedCells(codes, lookup)


def text_cells(pa: Any, pc: Any, arr: Any) -> NDArray[np.object_]:
    """Text cells as Python strings (None for empty), one string object per distinct value."""
    return coded_cells(pa, pc, arr).cells()


def arrow_cells(pa: Any, pc: Any, arr: Any) -> NDArray[Any] | CodedCells | MaskedInts:
    """Any Arrow column as cells: whole numbers without gaps (ids) stay integers, with gaps
    integers and a validity mask (:class:`MaskedInts`), other numbers floats (NaN: no answer), text is codes into its distinct strings
    (:class:`CodedCells`), anything else is its Python objects (dates, booleans)."""
    kind = arr.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        return _numbers(pa, _whole(pa, arr))
    if pa.types.is_null(kind):
        return np.full(len(arr), np.nan)
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return coded_cells(pa, pc, arr)
    if pa.types.is_dictionary(kind) and (
        pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)
    ):
        return coded_cells(pa, pc, arr)
    out = np.empty(len(arr), dtype=object)
    out[:] = arr.to_pylist()
    return out
