"""``csi``: the Customer Satisfaction Index, satisfaction weighted by stated importance."""

from __future__ import annotations

from collections.abc import Callable

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
    aggregate_survey_wide,
    combine_per_group,
    hookimpl,
    make_scores,
    with_estimate,
)

from ._paired import PairedMethod

__all__ = ["CSI", "CSIOptions"]


class CSIOptions(BaseModel):
    """Options of ``csi`` (none yet; the model keeps the option surface explicit)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CSI(PairedMethod):
    """CSI = 100 × Σ_j WF_j · MSS_j / HS_j, with WF_j = MIS_j / Σ_k MIS_k, per OPD.

    MIS is the mean importance and MSS the mean satisfaction (performance) of item j, HS the
    highest point of its scale. Importance items name their performance item with
    ``pairs_with``. The SE is by the delta method (the CSI is a ratio of item means).
    Components: ``wf:<item>`` (weighting factor) and ``mean_scale`` (Σ WF·MSS).
    """

    name = "csi"
    partner_role = "importance"
    title = Text(id="Indeks Kepuasan Pelanggan (CSI)", en="Customer Satisfaction Index (CSI)")
    Options = CSIOptions

    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        survey = aggregates.survey
        paired = self.paired(aggregates, context)
        pairs, perf, est, m = paired.pairs, paired.performance, paired.est, paired.m
        hs = np.array([survey.scale_of(p).max for p in perf], dtype=np.float64)
        if np.any(hs <= 0):
            raise PluginError(
                f"method {self.name!r}: performance scales must have a positive top point"
            )
        n_opd = len(survey.opds)
        # all OPDs at once: shares r = P/h, weight factors wf = I / ΣI over complete pairs
        p, i = est.mean[:, :m], est.mean[:, m:]
        ok = np.isfinite(p) & np.isfinite(i)
        total = np.where(ok, i, 0.0).sum(axis=1)
        valid = ok.any(axis=1) & (total > 0)
        safe_total = np.where(valid, total, 1.0)[:, None]
        r = np.where(ok, p / hs, 0.0)
        wf = np.where(ok & valid[:, None], i / safe_total, 0.0)
        value = np.where(valid, 100.0 * (wf * r).sum(axis=1), np.nan)
        mean_scale = (wf * np.where(ok, p, 0.0)).sum(axis=1)
        # linearisation of 100 Σ (I_j/ΣI)(P_j/h_j) in the item means P and I
        coef = np.zeros((n_opd, 2 * m))
        coef[:, :m] = np.where(ok & valid[:, None], 100.0 * wf / hs, 0.0)
        coef[:, m:] = np.where(
            ok & valid[:, None],
            100.0 * (r - np.nan_to_num(value)[:, None] / 100.0) / safe_total,
            0.0,
        )
        components: list[dict[str, float]] = []
        extra: list[list[dict[str, JsonValue]]] = []
        for g in range(n_opd):  # output records only
            comp: dict[str, float] = {}
            row: list[dict[str, JsonValue]] = [{} for _ in range(m)]
            if valid[g]:
                comp = {f"wf:{perf[j].id}": float(wf[g, j]) for j in range(m) if ok[g, j]}
                comp["mean_scale"] = float(mean_scale[g])
                row = [
                    {"importance": float(i[g, j]), "weight_factor": float(wf[g, j])}
                    if ok[g, j]
                    else {}
                    for j in range(m)
                ]
            components.append(comp)
            extra.append(row)
        combined = with_estimate(combine_per_group(est, coef), value)
        scale = ScoreScale(low=0.0, high=100.0, unit="CSI %")
        scores = make_scores(combined, scale, context.confidence, components=components)
        return MethodResult(
            scale=scale,
            opd_scores={o.id: s for o, s in zip(survey.opds, scores, strict=True)},
            item_scores=paired.performance_item_scores(aggregates, context, extra),
            survey_wide=aggregate_survey_wide(aggregates, context.confidence),
            extras={self.name: {"pairs": {p.id: i.id for p, i in pairs}}},
        )


@hookimpl
def register_methods(register: Callable[[type[ScoringMethod]], None]) -> None:
    register(CSI)
