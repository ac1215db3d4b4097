"""Grouping a column of few distinct Python objects by their addresses (no call per cell)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["by_identity"]

#: At most this many distinct objects are grouped by identity (:func:`by_identity`).
_IDENTITY_MAX = 32


def by_identity(col: NDArray[np.object_]) -> tuple[NDArray[np.int64], NDArray[Any]] | None:
    """Codes (first-seen order) and the distinct objects of a column of few objects.

    Readers share one string object per distinct value, so an answer column is a handful of
    objects: cells are grouped by the objects' addresses (whole-array integer steps, no
    Python call per cell); the caller merges equal texts in different objects. ``None`` for
    more than :data:`_IDENTITY_MAX` objects (ids, names), where hashing is faster.
    """
    n = col.shape[0]
    if n < 4 * _IDENTITY_MAX:
        return None
    cells = np.ascontiguousarray(col)
    # the object pointers themselves, read through the buffer protocol (cells stays alive)
    address = np.ndarray(n, dtype=np.intp, buffer=cells)
    distinct = np.unique(address[: 32 * _IDENTITY_MAX])
    for _ in range(2):
        if distinct.size > _IDENTITY_MAX:
            return None
        at = _slots(distinct, address)
        other = distinct[at] != address
        if not other.any():
            break
        distinct = np.union1d(distinct, address[other])
    else:
        return None
    first = np.array([int(np.argmax(at == j)) for j in range(distinct.size)], dtype=np.intp)
    order = np.argsort(first, kind="stable")  # codes in first-seen order
    codes: NDArray[np.int64] = np.argsort(order)[at].astype(np.int64)
    return codes, cells[first[order]]


def _slots(distinct: NDArray[np.intp], address: NDArray[np.intp]) -> NDArray[np.intp]:
    """The position in ``distinct`` of each address (a wrong one where it is not there): a
    table lookup on the (16-byte aligned) address modulo a prime, else a binary search."""
    for prime in (61, 127, 251, 509, 1021):
        keys = (distinct >> 4) % prime
        if np.unique(keys).size == distinct.size:
            table = np.zeros(prime, np.intp)
            table[keys] = np.arange(distinct.size)
            out: NDArray[np.intp] = table[(address >> 4) % prime]
            return out
    return np.minimum(np.searchsorted(distinct, address), distinct.size - 1)
