"""Tiers: groups of OPDs that the data can tell apart.

Given a "significantly better" relation (``better[k, j]``: k is significantly above j), tier 1
holds every OPD that no other OPD is significantly above; tier 2 holds those whose betters all
sit in tier 1, and so on (the longest chain of significant differences above an OPD, plus one).
So no two OPDs in a tier differ significantly, and every OPD below tier 1 is significantly below
at least one OPD of the tier just above. With the simultaneous intervals of
:mod:`publiceval._core.stats.ranks`, all these statements hold together at the chosen level, and tier
1 is exactly the set of OPDs whose rank interval reaches 1.

The loop runs once per tier, not once per OPD; each pass updates counts with one matrix sum.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import PublicevalError

__all__ = ["tiers"]


def tiers(better: ArrayLike) -> NDArray[np.int64]:
    """Tier of each unit (1 = top group) from a K×K "significantly better" matrix."""
    rel = np.asarray(better, dtype=bool)
    if rel.ndim != 2 or rel.shape[0] != rel.shape[1]:
        raise PublicevalError(f"tiers: expected a square K×K matrix; found shape {rel.shape}")
    k = rel.shape[0]
    tier = np.zeros(k, dtype=np.int64)
    if k == 0:
        return tier
    if np.any(np.diag(rel)) or np.any(rel & rel.T):
        raise PublicevalError("tiers: the relation must be asymmetric (no unit above itself)")
    beaten_by = rel.sum(axis=0).astype(np.int64)  # how many remaining units are above each
    remaining = np.ones(k, dtype=bool)
    level = 0
    while remaining.any():
        level += 1
        top = remaining & (beaten_by == 0)
        if not top.any():
            raise PublicevalError("tiers: the relation has a cycle (A > B > … > A)")
        tier[top] = level
        remaining &= ~top
        beaten_by -= rel[top].sum(axis=0)
    return tier
