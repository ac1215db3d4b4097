"""``mean``: the Likert mean per OPD, per item and for survey-wide items."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict

from ..aggregates import TableAggregates, table_aggregates
from ..hookspecs import hookimpl
from ..methods import MethodResult, ScoringContext, ScoringMethod
from ..published import PLACEHOLDER_NOTE, PublishedScores
from ..results import ItemScore, Score, ScoreScale
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
        # one code path: the table is reduced to mergeable aggregates, as chunks and Dask are
        return self.score_aggregates(table_aggregates(table, respondents=False), context)

    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        """Score merged aggregates of in-memory, chunked or distributed responses."""
        from ..chunked import score_mean_aggregates

        opts = self.options
        assert isinstance(opts, MeanOptions)
        return score_mean_aggregates(self.name, opts.items, aggregates, context)

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
