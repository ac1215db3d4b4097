"""``mean``: the Likert mean per OPD, per item and for survey-wide items."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..estimation import item_estimates
from ..hookspecs import hookimpl
from ..methods import MethodResult, ScoringContext, ScoringMethod
from ..published import PublishedScores
from ..results import ItemScore, Score, ScoreScale
from ..scoring import (
    common_scale,
    item_score_map,
    make_scores,
    oriented,
    performance_items,
    survey_wide_scores,
)
from ..table import ResponseTable
from ..text import Text


class MeanOptions(BaseModel):
    """Options of the ``mean`` method."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    items: list[str] | None = None
    """Score only these per-OPD items (default: every performance item)."""


class Mean(ScoringMethod):
    """Mean of the item means of each OPD, on the items' own scale.

    Each item mean is the (weighted) mean of the answers given; a missing answer counts in
    neither numerator nor denominator. The OPD score is the average of its item means, using
    the items' weights when the survey gives them, equal weights otherwise.
    """

    name = "mean"
    title = Text(id="Rata-rata skala Likert", en="Likert mean")
    Options = MeanOptions

    def score(self, table: ResponseTable, context: ScoringContext) -> MethodResult:
        survey = table.survey
        opts = self.options
        assert isinstance(opts, MeanOptions)
        items = performance_items(survey, opts.items)
        scale = common_scale(survey, items, self.name)
        out_scale = ScoreScale(low=scale.min, high=scale.max, unit=f"mean {scale.min}-{scale.max}")
        y, obs = oriented(table.per_opd, survey, items)
        block = table.per_opd
        weight = block.weight if block.n_rows and np.ptp(block.weight) > 0 else None
        est = item_estimates(
            block.opd.astype(np.int64), len(survey.opds), y, obs, weight, context.design_for(table)
        )
        if all(i.weight is not None for i in items) and not opts.items:
            coef = np.array([i.weight or 0.0 for i in items])
        else:
            coef = np.full(len(items), 1.0 / len(items))
        combined = est.combine(coef)
        scores = make_scores(combined, out_scale, context.confidence)
        return MethodResult(
            scale=out_scale,
            opd_scores={o.id: s for o, s in zip(survey.opds, scores, strict=True)},
            item_scores=item_score_map(table, est, items, context),
            survey_wide=survey_wide_scores(table, context),
        )

    def score_published(self, published: PublishedScores, context: ScoringContext) -> MethodResult:
        scale = ScoreScale(low=published.low, high=published.high, unit=published.unit)
        scores: dict[str, Score] = {}
        for p in published.scores:
            note = "published aggregate: no respondent data, so no standard error or confidence interval"
            notes = [note] + (["placeholder: not in the publication"] if p.placeholder else [])
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
