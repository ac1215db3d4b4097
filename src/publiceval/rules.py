"""Recommendation rules: from an evaluation to what should happen next, with the evidence."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable

from .components import Component
from .results import Evaluation, Recommendation

__all__ = ["RecommendationRule", "order_recommendations"]


class RecommendationRule(Component):
    """Base class of rule plugins.

    :meth:`recommend` sees the whole evaluation (scores, categories, ranks, tags, items,
    warnings, uncertainty) and returns recommendations. It receives a private copy, so it
    cannot change the evaluation other rules and the caller see.
    """

    @abstractmethod
    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        """Recommendations this rule makes for ``evaluation`` (possibly none)."""


def order_recommendations(recs: Iterable[Recommendation]) -> list[Recommendation]:
    """Sort by priority, then city before OPDs, then target; drop exact repeats."""
    seen: set[str] = set()
    out: list[Recommendation] = []
    for rec in sorted(recs, key=lambda r: r.key()):
        fingerprint = rec.model_dump_json()
        if fingerprint not in seen:
            seen.add(fingerprint)
            out.append(rec)
    return out
