"""The numeric kernel of mergeable moments: sums over rows that merge by adding.

Pure numpy: nothing here knows surveys, tables, plugins or results. :mod:`.model` holds the
:class:`Moments` record, :mod:`.build` sums rows into it, :mod:`.merge` merges and subsets.
The survey-aware reduction of a whole response table is :mod:`publiceval._core.aggregates`.
"""

from .build import accumulate
from .merge import merge, merge_all, select
from .model import MAX_ITEMS, Moments

__all__ = ["MAX_ITEMS", "Moments", "accumulate", "merge", "merge_all", "select"]
