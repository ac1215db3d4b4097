"""``ipa``: importance–performance analysis (Martilla & James 1977), a quadrant per item."""

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
    aggregate_survey_wide,
    combine_per_group,
    hookimpl,
    make_scores,
    scale_range,
    with_estimate,
)

from ._paired import PairedMethod

__all__ = ["IPA", "QUADRANTS", "IPAOptions", "quadrant"]

Quadrant = Literal["concentrate-here", "keep-up-the-good-work", "low-priority", "possible-overkill"]

#: The four quadrants with their labels (Martilla & James 1977; Indonesian as used in IPA studies).
QUADRANTS: dict[str, Text] = {
    "concentrate-here": Text(id="Prioritas utama (kuadran I)", en="Concentrate here"),
    "keep-up-the-good-work": Text(
        id="Pertahankan prestasi (kuadran II)", en="Keep up the good work"
    ),
    "low-priority": Text(id="Prioritas rendah (kuadran III)", en="Low priority"),
    "possible-overkill": Text(id="Berlebihan (kuadran IV)", en="Possible overkill"),
}


class IPAOptions(BaseModel):
    """Options of ``ipa``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cut: Literal["grand-mean", "scale-midpoint"] = "grand-mean"
    """Where the quadrant axes cross: the OPD's mean importance and mean performance over its
    items (the usual data-centred grid), or the midpoint of each item's scale."""


def quadrant(importance: float, performance: float, cut_i: float, cut_p: float) -> Quadrant:
    """The quadrant of one item; a value equal to a cut point counts as high."""
    high_i = importance >= cut_i
    high_p = performance >= cut_p
    if high_i:
        return "keep-up-the-good-work" if high_p else "concentrate-here"
    return "possible-overkill" if high_p else "low-priority"


class IPA(PairedMethod):
    """Quadrant per item from mean importance and mean performance, per OPD.

    The OPD score is the conformity level (*tingkat kesesuaian*) 100 × Σ P_j / Σ I_j over its
    paired items, with a delta-method SE. The quadrants are in
    ``extras["ipa"][opd][item]`` and in each item's ``extra["quadrant"]``; components hold
    the cut points (``cut_importance``, ``cut_performance``).
    """

    name = "ipa"
    partner_role = "importance"
    title = Text(id="Analisis kepentingan–kinerja (IPA)", en="Importance–performance analysis")
    Options = IPAOptions

    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        opts = self.options
        if not isinstance(opts, IPAOptions):
            raise PluginError(f"method {self.name!r} got options of the wrong type")
        survey = aggregates.survey
        paired = self.paired(aggregates, context)
        perf, imp, est, m = paired.performance, paired.partners, paired.est, paired.m
        mid_p = np.array([(survey.scale_of(p).min + survey.scale_of(p).max) / 2 for p in perf])
        mid_i = np.array([(survey.scale_of(i).min + survey.scale_of(i).max) / 2 for i in imp])
        n_opd = len(survey.opds)
        value = np.full(n_opd, np.nan)
        coef = np.zeros((n_opd, 2 * m))
        components: list[dict[str, float]] = []
        extra: list[list[dict[str, JsonValue]]] = []
        table_out: dict[str, JsonValue] = {}
        for g, opd in enumerate(survey.opds):
            p = est.mean[g, :m]
            i = est.mean[g, m:]
            ok = np.isfinite(p) & np.isfinite(i)
            row: list[dict[str, JsonValue]] = [{} for _ in range(m)]
            per_opd: dict[str, JsonValue] = {}
            comp: dict[str, float] = {}
            if ok.any():
                sp, si = float(p[ok].sum()), float(i[ok].sum())
                if si > 0:
                    value[g] = 100.0 * sp / si
                    coef[g, :m] = np.where(ok, 100.0 / si, 0.0)
                    coef[g, m:] = np.where(ok, -100.0 * sp / si**2, 0.0)
                if opts.cut == "grand-mean":
                    cut_i = np.full(m, float(i[ok].mean()))
                    cut_p = np.full(m, float(p[ok].mean()))
                    comp = {"cut_importance": float(cut_i[0]), "cut_performance": float(cut_p[0])}
                else:
                    cut_i, cut_p = mid_i, mid_p
                for j in range(m):
                    if not ok[j]:
                        continue
                    q = quadrant(float(i[j]), float(p[j]), float(cut_i[j]), float(cut_p[j]))
                    cell: dict[str, JsonValue] = {
                        "importance": float(i[j]),
                        "performance": float(p[j]),
                        "quadrant": q,
                    }
                    per_opd[perf[j].id] = cell
                    row[j] = dict(cell)
            table_out[opd.id] = per_opd
            components.append(comp)
            extra.append(row)
        combined = with_estimate(combine_per_group(est, coef), value)
        lo_p, hi_p = scale_range(survey, perf)
        lo_i, hi_i = scale_range(survey, imp)
        scale = ScoreScale(
            low=100.0 * lo_p / hi_i if hi_i > 0 else 0.0,
            high=100.0 * hi_p / lo_i if lo_i > 0 else float(100 * hi_p),
            unit="conformity %",
        )
        scores = make_scores(combined, scale, context.confidence, components=components)
        return MethodResult(
            scale=scale,
            opd_scores={o.id: s for o, s in zip(survey.opds, scores, strict=True)},
            item_scores=paired.performance_item_scores(aggregates, context, extra),
            survey_wide=aggregate_survey_wide(aggregates, context.confidence),
            extras={"ipa": table_out, "ipa-settings": {"cut": opts.cut}},
        )


@hookimpl
def register_methods(register: Callable[[type[ScoringMethod]], None]) -> None:
    register(IPA)
