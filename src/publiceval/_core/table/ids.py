"""Respondent ids as text, made on demand from their keys.

An export's respondent ids are often integers (``1``, ``2`` … a million of them). A table keeps
them as codes into :class:`RespondentIds`, which holds the distinct keys as they were read
(integers stay a numpy integer array) and writes an id as text only when someone reads it:
a million Python strings cost more than reading the whole Parquet file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

__all__ = ["RespondentIds"]


class RespondentIds:
    """The distinct respondent ids of a table, indexed by the table's respondent codes.

    Reads like a 1-D array of ``str``: ``ids[code]`` is one id as text, ``ids[codes]`` (an
    array, list or slice) the ids there (again a :class:`RespondentIds`), ``len(ids)``,
    ``list(ids)``, ``ids.tolist()`` and ``numpy.asarray(ids)`` (an object array of ``str``).
    ``keys`` are the ids as read: integers, or text.
    """

    __slots__ = ("_texts", "keys")

    def __init__(self, keys: NDArray[Any] | list[str] | tuple[str, ...]) -> None:
        arr = np.asarray(keys) if isinstance(keys, np.ndarray) else _objects(keys)
        if arr.ndim != 1:
            raise ValueError(f"expected a 1-D array of ids; found shape {arr.shape}")
        if arr.dtype.kind not in "iuO":
            arr = _objects([str(v) for v in arr.tolist()])
        self.keys: NDArray[Any] = arr
        self._texts: NDArray[np.object_] | None = arr if arr.dtype.kind == "O" else None

    @property
    def integer(self) -> bool:
        """True when the ids were read as integers (their text is their decimal digits)."""
        return self.keys.dtype.kind in "iu"

    def texts(self) -> NDArray[np.object_]:
        """Every id as text (an object array of ``str``), made once."""
        if self._texts is None:
            self._texts = _objects(list(map(str, self.keys.tolist())))
        return self._texts

    # ---------------------------------------------------------------- array-like reading
    def __len__(self) -> int:
        return int(self.keys.shape[0])

    @property
    def shape(self) -> tuple[int]:
        return (len(self),)

    @property
    def size(self) -> int:
        return len(self)

    ndim = 1
    dtype = np.dtype(object)

    @overload
    def __getitem__(self, key: int | np.integer[Any]) -> str: ...

    @overload
    def __getitem__(self, key: slice | NDArray[Any] | list[int]) -> RespondentIds: ...

    def __getitem__(self, key: Any) -> str | RespondentIds:
        if isinstance(key, int | np.integer):
            value = self.keys[key]
            return value if isinstance(value, str) else str(value)
        return RespondentIds(self.keys[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts().tolist())

    def tolist(self) -> list[str]:
        """Every id as text."""
        out: list[str] = self.texts().tolist()
        return out

    def __array__(self, dtype: Any = None, copy: Any = None) -> NDArray[Any]:
        texts = self.texts()
        return texts if dtype is None else texts.astype(dtype)

    def __repr__(self) -> str:
        shown = ", ".join(repr(t) for t in self[:5])
        more = ", …" if len(self) > 5 else ""
        return f"RespondentIds([{shown}{more}], n={len(self)})"


def _objects(values: Any) -> NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out
