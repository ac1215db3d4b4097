"""Comparisons: change between periods, cities side by side, and breakdowns by segment.

``publiceval compare A.toml B.toml`` evaluates each study and compares each period with the
next (:func:`compare_evaluations` for :class:`~publiceval.Evaluation` objects); ``--cities``
puts cities side by side (:func:`compare_cities`); ``--by`` breaks one study down by a profile
question (:func:`segment_breakdown`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .build import compare_evaluations, period_label
    from .change import adjust_family, score_change, welch_df
    from .cities import CityComparison, compare_cities
    from .models import COMPARISON_SCHEMA_VERSION, Comparison, comparison_schema
    from .segments import SegmentBreakdown, segment_breakdown

#: Name → module: loaded on first use, so the `compare` command registers without the statistics.
_LAZY = {
    "compare_evaluations": ".build",
    "period_label": ".build",
    "adjust_family": ".change",
    "score_change": ".change",
    "welch_df": ".change",
    "CityComparison": ".cities",
    "compare_cities": ".cities",
    "COMPARISON_SCHEMA_VERSION": ".models",
    "Comparison": ".models",
    "comparison_schema": ".models",
    "SegmentBreakdown": ".segments",
    "segment_breakdown": ".segments",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "COMPARISON_SCHEMA_VERSION",
    "CityComparison",
    "Comparison",
    "SegmentBreakdown",
    "adjust_family",
    "compare_cities",
    "compare_evaluations",
    "comparison_schema",
    "period_label",
    "score_change",
    "segment_breakdown",
    "welch_df",
]
