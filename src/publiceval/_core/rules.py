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

    @property
    def label(self) -> str:
        """How results and warnings name this rule (declarative rules add their ``id``)."""
        return self.name

    @abstractmethod
    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        """Recommendations this rule makes for ``evaluation`` (possibly none)."""


def order_recommendations(recs: Iterable[Recommendation]) -> list[Recommendation]:
    """Sort by priority, then city before OPDs, then target, rule and title; drop repeats.

    A repeat is the same title and text for the same target: only the most urgent copy stays
    (the first in this order). The full JSON breaks remaining ties, so the order never depends
    on the order rules ran in.
    """
    seen: set[tuple[str, str, str, str, str, str]] = set()
    out: list[Recommendation] = []
    for rec in sorted(recs, key=lambda r: (r.key(), r.model_dump_json())):
        fingerprint = (
            rec.target_kind,
            rec.target,
            rec.title.id,
            rec.title.en,
            rec.text.id,
            rec.text.en,
        )
        if fingerprint not in seen:
            seen.add(fingerprint)
            out.append(rec)
    return out
