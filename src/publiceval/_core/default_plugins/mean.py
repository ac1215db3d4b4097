"""``mean``: the Likert mean per OPD, per item and for survey-wide items."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, ConfigDict

from publiceval.plugin import (
    PLACEHOLDER_NOTE,
    AggregateScoringMethod,
    ItemScore,
    MethodResult,
    PublishedScores,
    Score,
    ScoreScale,
    ScoringContext,
    ScoringMethod,
    Survey,
    TableAggregates,
    Text,
    aggregate_item_scores,
    aggregate_survey_wide,
    common_scale,
    estimates_of,
    hookimpl,
    make_scores,
    performance_items,
)


class MeanOptions(BaseModel):
    """Options of the ``mean`` method."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    items: list[str] | None = None
    """Score only these per-OPD items (default: every performance item)."""


class Mean(AggregateScoringMethod):
    """Mean of the item means of each OPD, on the items' own scale.

    Each item mean is the (weighted) mean of the answers given; a missing answer counts in
    neither numerator nor denominator. The OPD score is the average of its item means, using
    the items' weights when the survey gives them, equal weights otherwise.
    """

    name = "mean"
    title = Text(id="Rata-rata skala Likert", en="Likert mean")
    Options = MeanOptions

    def aggregate_items(self, survey: Survey) -> tuple[str, ...]:
        """The performance items scored."""
        opts = self.options
        assert isinstance(opts, MeanOptions)
        return tuple(i.id for i in performance_items(survey, opts.items))

    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        """Item means, their weighted average per OPD, and the survey-wide items."""
        opts = self.options
        assert isinstance(opts, MeanOptions)
        survey = aggregates.survey
        items = performance_items(survey, opts.items)
        scale = common_scale(survey, items, self.name)
        out_scale = ScoreScale(low=scale.min, high=scale.max, unit=f"mean {scale.min}-{scale.max}")
        est = estimates_of(aggregates, items, population=context.population)
        if all(i.weight is not None for i in items) and not opts.items:
            coef = np.array([i.weight or 0.0 for i in items])
        else:
            coef = np.full(len(items), 1.0 / len(items))
        scores = make_scores(est.combine(coef), out_scale, context.confidence)
        return MethodResult(
            scale=out_scale,
            opd_scores={o.id: s for o, s in zip(survey.opds, scores, strict=True)},
            item_scores=aggregate_item_scores(aggregates, est, items, context.confidence),
            survey_wide=aggregate_survey_wide(aggregates, context.confidence),
        )

    def score_published(self, published: PublishedScores, context: ScoringContext) -> MethodResult:
        scale = ScoreScale(low=published.low, high=published.high, unit=published.unit)
        scores: dict[str, Score] = {}
        for p in published.scores:
            note = "published aggregate: no respondent data, so no standard error or confidence interval"
            notes = [note] + ([PLACEHOLDER_NOTE] if p.placeholder else [])
            scores[p.opd] = Score(
                value=p.value, scale=scale, n=p.n or 0, source="aggregate", notes=notes
            )
        for o in published.survey.opds:
            scores.setdefault(
                o.id, Score(value=None, scale=scale, source="aggregate", notes=["not published"])
            )
        wide = {}
        for item_id, value in published.survey_wide.items():
            s = published.survey.scale_of(item_id)
            wide[item_id] = ItemScore(
                item=item_id,
                score=Score(
                    value=value,
                    scale=ScoreScale(low=s.min, high=s.max, unit=f"mean {s.min}-{s.max}"),
                    source="aggregate",
                    notes=["published aggregate"],
                ),
            )
        return MethodResult(scale=scale, opd_scores=scores, survey_wide=wide)


@hookimpl
def register_methods(register: Callable[[type[ScoringMethod]], None]) -> None:
    register(Mean)
