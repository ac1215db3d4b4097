"""Item means of paired items, shared by the methods that compare two answers per element.

CSI and IPA pair each performance item with an importance item, SERVQUAL with an expectation
item (``pairs_with``). They all estimate the means of both sides in one pass, so that a
linear combination of the two (a weighted index, a ratio, a gap) gets a design-based SE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from pydantic import JsonValue

from publiceval.plugin import (
    AggregateScoringMethod,
    Item,
    ItemEstimates,
    ItemScore,
    ScoreScale,
    ScoringContext,
    Survey,
    TableAggregates,
    aggregate_combined_item_scores,
    estimates_of,
    paired_items,
    scale_range,
)

__all__ = ["PairedEstimates", "PairedMethod", "paired_estimates"]


@dataclass(frozen=True)
class PairedEstimates:
    """Per-OPD means of ``m`` pairs: columns ``0..m-1`` are the performance items, ``m..2m-1``
    their partners, in the same order."""

    pairs: list[tuple[Item, Item]]
    performance: list[Item]
    partners: list[Item]
    est: ItemEstimates

    @property
    def m(self) -> int:
        """How many pairs."""
        return len(self.pairs)

    def performance_item_scores(
        self,
        aggregates: TableAggregates,
        context: ScoringContext,
        extra: Sequence[Sequence[dict[str, JsonValue]]],
    ) -> dict[str, list[ItemScore]]:
        """Per OPD, each performance item's mean on the items' ``mean lo-hi`` scale (the
        partners' answers do not enter), with ``extra[g][j]`` in ``ItemScore.extra``."""
        lo, hi = scale_range(aggregates.survey, self.performance)
        scale = ScoreScale(low=lo, high=hi, unit=f"mean {lo}-{hi}")
        eye = np.eye(2 * self.m)
        means = [self.est.combine(eye[j], renormalize=False) for j in range(self.m)]
        return aggregate_combined_item_scores(
            aggregates, self.performance, means, scale, context.confidence, extra=extra
        )


def paired_estimates(
    aggregates: TableAggregates, context: ScoringContext, role: str, method: str
) -> PairedEstimates:
    """The pairs whose partner has ``role`` (``importance``, ``expectation``) and their means.

    Answers are reverse-coded where an item says so; a survey without such pairs is refused
    with a message naming ``method`` (see :func:`~publiceval._core.scoring.paired_items`).
    """
    pairs = paired_items(aggregates.survey, role, method)
    performance = [p for p, _ in pairs]
    partners = [q for _, q in pairs]
    est = estimates_of(aggregates, performance + partners, population=context.population)
    return PairedEstimates(pairs, performance, partners, est)


class PairedMethod(AggregateScoringMethod):
    """A method over performance items and their partners (``partner_role`` items that name
    them with ``pairs_with``): it reads only those items, estimated in one pass."""

    partner_role: ClassVar[str]

    def aggregate_items(self, survey: Survey) -> tuple[str, ...]:
        """The paired performance items and their partners."""
        pairs = paired_items(survey, self.partner_role, self.name)
        return tuple(i.id for pair in pairs for i in pair)

    def paired(self, aggregates: TableAggregates, context: ScoringContext) -> PairedEstimates:
        """Means of both sides of every pair, per OPD."""
        return paired_estimates(aggregates, context, self.partner_role, self.name)
