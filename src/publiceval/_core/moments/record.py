"""The last reduction's cells, patterns and PSUs per owner (a table), for one later reader.

An evaluation resolves its design choices (domain estimator, lonely PSUs) from the cells and
PSUs of the data; the scoring's own data pass finds them, so it records them here and the
design choices take them after scoring instead of summing the rows a second time. Entries are
keyed by the owner's identity while it lives (a weak reference), hold no sums (a few arrays of
cell and PSU codes), and are removed when read.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import replace

import numpy as np

from .model import Moments

__all__ = ["recall", "remember"]

_RECORDS: dict[int, tuple[weakref.ref[object], Moments]] = {}
_LOCK = threading.Lock()


def remember(owner: object, mom: Moments) -> None:
    """Keep ``mom``'s cells, observation patterns and PSUs (not its sums) for ``owner``."""
    key = id(owner)
    k2 = 2 * mom.n_items
    rows = np.zeros((0, k2))
    slim = replace(
        mom,
        first0=rows,
        cross0=np.zeros((0, k2, k2)),
        first_w=None,
        cross_w=None,
        cross_w1=None,
        pat_w=np.zeros(0),
        pat_w2=np.zeros(0),
        psu_first=rows,
        psu_count=np.zeros((0, mom.n_items), np.int64),
        hist=None,
    )

    def gone(_: object) -> None:
        with _LOCK:
            _RECORDS.pop(key, None)

    with _LOCK:
        _RECORDS[key] = (weakref.ref(owner, gone), slim)


def recall(owner: object) -> Moments | None:
    """What :func:`remember` kept for ``owner`` (None if nothing), removed as it is read."""
    with _LOCK:
        found = _RECORDS.pop(id(owner), None)
    if found is None or found[0]() is not owner:
        return None
    return found[1]
