"""Recommendation rules: from an evaluation to what should happen next, with the evidence."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Sequence

from .components import Component
from .results import Evaluation, EvaluationWarning, Recommendation
from .text import Text

__all__ = ["RecommendationRule", "order_recommendations", "run_rules"]


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


def run_rules(evaluation: Evaluation, rules: Sequence[RecommendationRule]) -> Evaluation:
    """Run each rule on a private copy; a rule that fails becomes a warning naming it."""
    recs: list[Recommendation] = list(evaluation.recommendations)
    warnings = list(evaluation.warnings)
    for rule in rules:
        try:
            made = rule.recommend(evaluation.model_copy(deep=True))
            # all or nothing: a rule that fails half-way contributes no recommendation
            recs.extend([Recommendation.model_validate(r.model_dump()) for r in made])
        except Exception as exc:
            why = f"{type(exc).__name__}: {exc}"
            text = Text(
                id=f"aturan {rule.label!r} gagal: {why}", en=f"rule {rule.label!r} failed: {why}"
            )
            warnings.append(
                EvaluationWarning(code="rule_failed", message=text.en, text=text, target=rule.label)
            )
    return evaluation.model_copy(
        update={"recommendations": order_recommendations(recs), "warnings": warnings}
    )
