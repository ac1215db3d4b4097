"""``nps``: the Net Promoter Score, % promoters (9–10) minus % detractors (0–6), on −100..100."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    aggregate_distributions,
    aggregate_survey_wide,
    effective_n,
    hookimpl,
    indicator_estimates,
    make_scores,
    oriented_indicator,
    performance_items,
    wilson_interval,
)

__all__ = ["NPS", "NPSOptions"]


class NPSOptions(BaseModel):
    """Options of ``nps``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    item: str | None = None
    """The 0–10 "would you recommend" item; default: the one per-OPD item on a 0–10 scale."""
    promoter_min: int = Field(default=9, ge=1, le=10)
    detractor_max: int = Field(default=6, ge=0, le=9)

    @model_validator(mode="after")
    def _ordered(self) -> NPSOptions:
        if self.detractor_max >= self.promoter_min:
            raise ValueError(
                f"detractor_max ({self.detractor_max}) must be below promoter_min "
                f"({self.promoter_min})"
            )
        return self


def _is_0_10(survey: Survey, item: Item) -> bool:
    s = survey.scale_of(item)
    return (s.min, s.max) == (0, 10)


class NPS(AggregateScoringMethod):
    """Net Promoter Score per OPD: the mean of +1 (promoter), 0 (passive), −1 (detractor), ×100.

    As a mean of a per-answer variable it gets a linearised SE and t interval like any mean.
    Components: ``promoters``, ``passives`` and ``detractors`` in percent, and for the two
    parts a design-adjusted Wilson interval (``promoters_ci_low`` … ``detractors_ci_high``).
    """

    name = "nps"
    title = Text(id="Net Promoter Score (NPS)", en="Net Promoter Score (NPS)")
    Options = NPSOptions

    def _options(self) -> NPSOptions:
        opts = self.options
        if not isinstance(opts, NPSOptions):
            raise PluginError(f"method {self.name!r} got options of the wrong type")
        return opts

    def _item(self, survey: Survey, opts: NPSOptions) -> Item:
        if opts.item is not None:
            item = performance_items(survey, [opts.item])[0]
            if not _is_0_10(survey, item):
                s = survey.scale_of(item)
                raise PluginError(
                    f"method {self.name!r}: item {item.id!r} must be on a 0–10 scale; "
                    f"found scale {s.id!r} ({s.min}–{s.max})"
                )
            return item
        found = [i for i in performance_items(survey) if _is_0_10(survey, i)]
        if len(found) != 1:
            what = ", ".join(i.id for i in found) or "none"
            raise PluginError(
                f"method {self.name!r} needs one per-OPD item on a 0–10 scale (or the 'item' "
                f"option); found {len(found)}: {what}"
            )
        return found[0]

    def aggregate_indicators(self, survey: Survey) -> tuple[Indicator, ...]:
        """Promoters and detractors: indicators of the (oriented) answer of the NPS item."""
        opts = self._options()
        item = self._item(survey, opts)
        return (
            oriented_indicator(survey, item, lambda v: v >= opts.promoter_min),
            oriented_indicator(survey, item, lambda v: v <= opts.detractor_max),
        )

    def aggregate_items(self, survey: Survey) -> tuple[str, ...]:
        """The recommendation item (for its answer distribution)."""
        return (self._item(survey, self._options()).id,)

    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        opts = self._options()
        survey = aggregates.survey
        item = self._item(survey, opts)
        est = indicator_estimates(
            aggregates, self.aggregate_indicators(survey), population=context.population
        )
        nps = est.combine(np.array([1.0, -1.0]), renormalize=False)
        # the two parts are proportions: design-adjusted Wilson intervals (effective n from the SE)
        share = np.nan_to_num(np.clip(est.mean, 0.0, 1.0))
        low, high = wilson_interval(
            share, effective_n(share, est.se), context.confidence, df=est.df[:, None]
        )
        # OPDs with no passive answer at all (from the answer counts) get exactly 0 passives,
        # not the rounding residue of 1 - promoters - detractors
        counts = aggregate_distributions(aggregates, [item])
        parted = {v for ind in self.aggregate_indicators(survey) for v in ind.values}
        components: list[dict[str, float]] = []
        for g in range(len(survey.opds)):
            prom, det = est.mean[g]
            if not np.isfinite(prom):
                components.append({})
                continue
            passive = any(n for v, n in counts[g][0].items() if int(v) not in parted)
            parts = {
                "promoters": 100 * prom,
                "passives": 100 * (1 - prom - det) if passive else 0.0,
                "detractors": 100 * det,
            }
            for j, part in enumerate(("promoters", "detractors")):
                if np.isfinite(low[g, j]) and np.isfinite(high[g, j]):
                    parts[f"{part}_ci_low"] = 100 * float(low[g, j])
                    parts[f"{part}_ci_high"] = 100 * float(high[g, j])
            components.append(parts)
        scale = ScoreScale(low=-100.0, high=100.0, unit="NPS")
        scores = make_scores(
            nps, scale, context.confidence, multiplier=100.0, components=components
        )
        return MethodResult(
            scale=scale,
            opd_scores={o.id: s for o, s in zip(survey.opds, scores, strict=True)},
            item_scores=aggregate_combined_item_scores(
                aggregates, [item], [nps], scale, context.confidence, multiplier=100.0
            ),
            survey_wide=aggregate_survey_wide(aggregates, context.confidence),
            extras={
                self.name: {
                    "item": item.id,
                    "promoter_min": opts.promoter_min,
                    "detractor_max": opts.detractor_max,
                }
            },
        )


@hookimpl
def register_methods(register: Callable[[type[ScoringMethod]], None]) -> None:
    register(NPS)
