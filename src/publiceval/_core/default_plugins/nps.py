"""``nps``: the Net Promoter Score, % promoters (9–10) minus % detractors (0–6), on −100..100."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import PluginError
from ..hookspecs import hookimpl
from ..methods import MethodResult, ScoringContext, ScoringMethod
from ..results import ScoreScale
from ..scoring import (
    combined_item_scores,
    make_scores,
    opd_estimates,
    oriented,
    performance_items,
    survey_wide_scores,
)
from ..stats.proportions import effective_n, wilson_interval
from ..survey import Item
from ..table import ResponseTable
from ..text import Text

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


def _is_0_10(table: ResponseTable, item: Item) -> bool:
    s = table.survey.scale_of(item)
    return (s.min, s.max) == (0, 10)


class NPS(ScoringMethod):
    """Net Promoter Score per OPD: the mean of +1 (promoter), 0 (passive), −1 (detractor), ×100.

    As a mean of a per-answer variable it gets a linearised SE and t interval like any mean.
    Components: ``promoters``, ``passives`` and ``detractors`` in percent, and for the two
    parts a design-adjusted Wilson interval (``promoters_ci_low`` … ``detractors_ci_high``).
    """

    name = "nps"
    title = Text(id="Net Promoter Score (NPS)", en="Net Promoter Score (NPS)")
    Options = NPSOptions

    def _item(self, table: ResponseTable, opts: NPSOptions) -> Item:
        survey = table.survey
        if opts.item is not None:
            item = performance_items(survey, [opts.item])[0]
            if not _is_0_10(table, item):
                s = survey.scale_of(item)
                raise PluginError(
                    f"method {self.name!r}: item {item.id!r} must be on a 0–10 scale; "
                    f"found scale {s.id!r} ({s.min}–{s.max})"
                )
            return item
        found = [i for i in performance_items(survey) if _is_0_10(table, i)]
        if len(found) != 1:
            what = ", ".join(i.id for i in found) or "none"
            raise PluginError(
                f"method {self.name!r} needs one per-OPD item on a 0–10 scale (or the 'item' "
                f"option); found {len(found)}: {what}"
            )
        return found[0]

    def score(self, table: ResponseTable, context: ScoringContext) -> MethodResult:
        opts = self.options
        if not isinstance(opts, NPSOptions):
            raise PluginError(f"method {self.name!r} got options of the wrong type")
        survey = table.survey
        item = self._item(table, opts)
        y, obs = oriented(table.per_opd, survey, [item])
        groups = np.column_stack([y[:, 0] >= opts.promoter_min, y[:, 0] <= opts.detractor_max])
        est = opd_estimates(table, context, groups.astype(np.float64), np.repeat(obs, 2, axis=1))
        nps = est.combine(np.array([1.0, -1.0]), renormalize=False)
        # the two parts are proportions: design-adjusted Wilson intervals (effective n from the SE)
        share = np.nan_to_num(np.clip(est.mean, 0.0, 1.0))
        low, high = wilson_interval(
            share, effective_n(share, est.se), context.confidence, df=est.df[:, None]
        )
        components: list[dict[str, float]] = []
        for g in range(len(survey.opds)):
            prom, det = est.mean[g]
            if not np.isfinite(prom):
                components.append({})
                continue
            parts = {
                "promoters": 100 * prom,
                "passives": 100 * (1 - prom - det),
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
            item_scores=combined_item_scores(
                table, [item], [nps], scale, context, multiplier=100.0
            ),
            survey_wide=survey_wide_scores(table, context),
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
