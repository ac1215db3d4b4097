"""``top-box``: the share of answers in the top k levels of the scale (top-2-box by default)."""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from publiceval.plugin import (
    AggregateScoringMethod,
    Indicator,
    Item,
    MethodResult,
    PluginError,
    ScoreScale,
    ScoringContext,
    ScoringMethod,
    Survey,
    TableAggregates,
    Text,
    aggregate_combined_item_scores,
    aggregate_survey_wide,
    hookimpl,
    indicator_estimates,
    item_coefficients,
    make_scores,
    oriented_indicator,
    performance_items,
    with_proportion_interval,
)

__all__ = ["TopBox", "TopBoxOptions"]


class TopBoxOptions(BaseModel):
    """Options of ``top-box``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    k: int = Field(default=2, ge=1)
    """How many of the highest scale points count (2: top-2-box, e.g. *Baik* and *Sangat Baik*)."""
    items: list[str] | None = None
    """Score only these per-OPD items (default: every performance item)."""
    interval: Literal["wilson", "logit", "t"] = "wilson"
    """Confidence interval for the shares: design-adjusted Wilson (default), logit, or the
    linearised t interval (symmetric; can leave [0, 100] near the edges)."""


class TopBox(AggregateScoringMethod):
    """Percentage of answers in the top ``k`` points, averaged over items, per OPD.

    Each answer becomes an indicator (1 if in the top ``k`` points after reverse coding, else
    0); an item's share is the (weighted) mean of its indicators, the OPD's score the mean of
    its items' shares (item weights when the survey gives them), times 100.
    """

    name = "top-box"
    title = Text(id="Persentase jawaban teratas (top-box)", en="Top-box share")
    Options = TopBoxOptions

    def _items(self, survey: Survey, opts: TopBoxOptions) -> list[Item]:
        items = performance_items(survey, opts.items)
        if not items:
            raise PluginError(f"method {self.name!r}: the survey has no per-OPD performance item")
        too_short = [
            f"{i.id} ({survey.scale_of(i).points} points)"
            for i in items
            if survey.scale_of(i).points <= opts.k
        ]
        if too_short:
            raise PluginError(
                f"method {self.name!r}: k={opts.k} must be below the number of scale points, or "
                f"every answer is in the top box; found items {', '.join(too_short)}"
            )
        return items

    def _options(self) -> TopBoxOptions:
        opts = self.options
        if not isinstance(opts, TopBoxOptions):
            raise PluginError(f"method {self.name!r} got options of the wrong type")
        return opts

    def _cuts(self, survey: Survey, items: list[Item], k: int) -> list[int]:
        """Lowest oriented answer in the top box, per item."""
        return [survey.scale_of(i).max - k + 1 for i in items]

    def aggregate_indicators(self, survey: Survey) -> tuple[Indicator, ...]:
        """One indicator per item: the (oriented) answer is in the top ``k`` points."""
        opts = self._options()
        items = self._items(survey, opts)
        return tuple(
            oriented_indicator(survey, item, functools.partial(operator.le, cut))
            for item, cut in zip(items, self._cuts(survey, items, opts.k), strict=True)
        )

    def aggregate_items(self, survey: Survey) -> tuple[str, ...]:
        """The items scored (for their answer distributions; the shares come from indicators)."""
        return tuple(i.id for i in self._items(survey, self._options()))

    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        opts = self._options()
        survey = aggregates.survey
        items = self._items(survey, opts)
        cut = self._cuts(survey, items, opts.k)
        est = indicator_estimates(
            aggregates, self.aggregate_indicators(survey), population=context.population
        )
        coef = item_coefficients(items, use_weights=not opts.items)
        scale = ScoreScale(low=0.0, high=100.0, unit="%")
        scores = make_scores(est.combine(coef), scale, context.confidence, multiplier=100.0)
        if opts.interval != "t":
            scores = [with_proportion_interval(s, opts.interval) for s in scores]
        per_item = [
            est.combine(np.eye(len(items))[j], renormalize=False) for j in range(len(items))
        ]
        levels: dict[str, JsonValue] = {
            i.id: list(range(int(c), survey.scale_of(i).max + 1))
            for i, c in zip(items, cut, strict=True)
        }
        item_scores = aggregate_combined_item_scores(
            aggregates, items, per_item, scale, context.confidence, multiplier=100.0
        )
        if opts.interval != "t":
            method = opts.interval
            item_scores = {
                opd: [
                    s.model_copy(update={"score": with_proportion_interval(s.score, method)})
                    for s in scored
                ]
                for opd, scored in item_scores.items()
            }
        return MethodResult(
            scale=scale,
            opd_scores={o.id: s for o, s in zip(survey.opds, scores, strict=True)},
            item_scores=item_scores,
            survey_wide=aggregate_survey_wide(aggregates, context.confidence),
            extras={self.name: {"k": opts.k, "levels": levels}},
        )


@hookimpl
def register_methods(register: Callable[[type[ScoringMethod]], None]) -> None:
    register(TopBox)
