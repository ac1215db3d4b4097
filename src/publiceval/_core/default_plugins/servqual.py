"""``servqual``: the SERVQUAL gap, perception − expectation, per item, dimension and OPD."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, JsonValue

from publiceval.plugin import (
    MethodResult,
    PluginError,
    ScoreScale,
    ScoringContext,
    ScoringMethod,
    TableAggregates,
    Text,
    aggregate_combined_item_scores,
    aggregate_survey_wide,
    combine_per_group,
    hookimpl,
    make_scores,
)

from ._paired import PairedMethod

__all__ = ["GENERAL_DIMENSION", "Servqual", "ServqualOptions"]

#: Dimension of items that name none.
GENERAL_DIMENSION = "general"


class ServqualOptions(BaseModel):
    """Options of ``servqual``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    overall: Literal["dimensions", "items"] = "dimensions"
    """The OPD gap as the mean of the dimension gaps (each dimension counts once, the unweighted
    SERVQUAL score of Parasuraman et al. 1988) or as the mean of all item gaps."""


class Servqual(PairedMethod):
    """Gap G_j = P̄_j − Ē_j per item; dimension gap = mean of its items' gaps; OPD gap = mean of
    the dimension gaps (or of the item gaps). Negative: expectations are not met.

    Expectation items name their perception (performance) item with ``pairs_with``; an item's
    dimension is the perception item's ``dimension`` (else the expectation item's, else
    ``general``). Components: ``gap:<dimension>``, ``perception`` and ``expectation``.
    """

    name = "servqual"
    partner_role = "expectation"
    title = Text(id="Kesenjangan SERVQUAL", en="SERVQUAL gap")
    Options = ServqualOptions

    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        opts = self.options
        if not isinstance(opts, ServqualOptions):
            raise PluginError(f"method {self.name!r} got options of the wrong type")
        survey = aggregates.survey
        paired = self.paired(aggregates, context)
        pairs, perf, expc, est = paired.pairs, paired.performance, paired.partners, paired.est
        m = paired.m
        dims = [p.dimension or e.dimension or GENERAL_DIMENSION for p, e in pairs]
        dim_names = list(dict.fromkeys(dims))
        span = max(survey.scale_of(x).max - survey.scale_of(x).min for x in perf + expc)
        n_opd = len(survey.opds)
        coef = np.zeros((n_opd, 2 * m))
        components: list[dict[str, float]] = []
        for g in range(n_opd):
            p = est.mean[g, :m]
            e = est.mean[g, m:]
            ok = np.isfinite(p) & np.isfinite(e)
            comp: dict[str, float] = {}
            w = np.zeros(m)
            used_dims = [d for d in dim_names if any(ok[j] and dims[j] == d for j in range(m))]
            for d in used_dims:
                cols = [j for j in range(m) if ok[j] and dims[j] == d]
                comp[f"gap:{d}"] = float(np.mean(p[cols] - e[cols]))
                for j in cols:
                    w[j] = (
                        1.0 / (len(used_dims) * len(cols))
                        if opts.overall == "dimensions"
                        else 1.0 / int(ok.sum())
                    )
            if used_dims:
                comp["perception"] = float((w * np.where(ok, p, 0.0)).sum())
                comp["expectation"] = float((w * np.where(ok, e, 0.0)).sum())
            coef[g, :m] = w
            coef[g, m:] = -w
            components.append(comp)
        # A group without any complete pair has all-zero coefficients: its estimate is NaN.
        combined = combine_per_group(est, coef)
        scale = ScoreScale(low=-float(span), high=float(span), unit="gap")
        scores = make_scores(combined, scale, context.confidence, components=components)
        per_item = []
        for j in range(m):
            c = np.zeros(2 * m)
            c[j], c[m + j] = 1.0, -1.0
            per_item.append(est.combine(c, renormalize=False))
        extra: list[list[dict[str, JsonValue]]] = []
        for g in range(n_opd):
            row: list[dict[str, JsonValue]] = []
            for j in range(m):
                pj, ej = est.mean[g, j], est.mean[g, m + j]
                ok_j = bool(np.isfinite(pj) and np.isfinite(ej))
                row.append(
                    {"perception": float(pj), "expectation": float(ej), "dimension": dims[j]}
                    if ok_j
                    else {"dimension": dims[j]}
                )
            extra.append(row)
        # An item gap needs both means; one side missing leaves a one-sided, meaningless value.
        for j, gap in enumerate(per_item):
            bad = ~(np.isfinite(est.mean[:, j]) & np.isfinite(est.mean[:, m + j]))
            gap.estimate[bad] = np.nan
        return MethodResult(
            scale=scale,
            opd_scores={o.id: s for o, s in zip(survey.opds, scores, strict=True)},
            item_scores=aggregate_combined_item_scores(
                aggregates, perf, per_item, scale, context.confidence, extra=extra
            ),
            survey_wide=aggregate_survey_wide(aggregates, context.confidence),
            extras={
                self.name: {
                    "pairs": {p.id: e.id for p, e in pairs},
                    "dimensions": {
                        d: [perf[j].id for j in range(m) if dims[j] == d] for d in dim_names
                    },
                    "overall": opts.overall,
                }
            },
        )


@hookimpl
def register_methods(register: Callable[[type[ScoringMethod]], None]) -> None:
    register(Servqual)
