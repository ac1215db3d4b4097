"""Building blocks for scoring methods: oriented answers, estimates → ``Score`` objects, distributions.

Built-in methods are written with these, and so can third-party ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .errors import PublicevalError
from .estimation import Design, GroupEstimate, ItemEstimates, item_estimates, t_interval
from .methods import ScoringContext
from .results import Interval, ItemScore, Score, ScoreScale
from .survey import Item, Scale, Survey
from .table import AnswerBlock, ResponseTable

__all__ = [
    "common_scale",
    "distributions",
    "item_score_map",
    "make_scores",
    "oriented",
    "performance_items",
    "survey_wide_scores",
]


def performance_items(survey: Survey, only: Sequence[str] | None = None) -> list[Item]:
    """Per-OPD items that measure performance (not importance or expectation), optionally a subset."""
    items = [i for i in survey.opd_items if i.role == "performance"]
    if only:
        known = {i.id for i in items}
        unknown = [x for x in only if x not in known]
        if unknown:
            raise PublicevalError(
                f"unknown per-OPD performance item(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        items = [i for i in items if i.id in set(only)]
    return items


def common_scale(survey: Survey, items: Sequence[Item], method: str) -> Scale:
    """The one scale all ``items`` share; a method that averages items needs one."""
    scales = {survey.scale_of(i).id for i in items}
    if len(scales) != 1:
        raise PublicevalError(
            f"method {method!r} averages items, so they must share one scale; found scales {', '.join(sorted(scales))}"
        )
    return survey.scale_of(items[0])


def oriented(
    block: AnswerBlock, survey: Survey, items: Sequence[Item]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Answers of ``items`` as floats, reverse-coded items flipped (``min + max - value``)."""
    pos = [block.items.index(i.id) for i in items]
    y = block.values[:, pos].astype(np.float64)
    for j, item in enumerate(items):
        if item.reverse:
            scale = survey.scale_of(item)
            y[:, j] = scale.min + scale.max - y[:, j]
    return y, block.observed[:, pos]


def make_scores(
    est: GroupEstimate,
    scale: ScoreScale,
    level: float,
    *,
    multiplier: float = 1.0,
    components: Sequence[dict[str, float]] | None = None,
) -> list[Score]:
    """One :class:`Score` per group from an estimate (optionally rescaled, e.g. ×25 for the IKM)."""
    value = est.estimate * multiplier
    se = est.se * multiplier
    low, high = t_interval(value, se, est.df, level)
    out = []
    for g in range(value.shape[0]):
        v = value[g]
        if not np.isfinite(v):
            out.append(Score(value=None, scale=scale, n=int(est.n[g]), notes=["no answers"]))
            continue
        s = se[g]
        has_ci = bool(np.isfinite(low[g]) and np.isfinite(s))
        notes = [] if has_ci else ["too few respondents (or PSUs) for a confidence interval"]
        out.append(
            Score(
                value=float(v),
                scale=scale,
                n=int(est.n[g]),
                n_effective=float(est.n_effective[g]),
                se=float(s) if np.isfinite(s) else None,
                df=float(est.df[g]) if np.isfinite(est.df[g]) else None,
                ci=Interval(
                    low=float(low[g]), high=float(high[g]), level=level, method="t (linearised)"
                )
                if has_ci
                else None,
                cv=float(s / abs(v)) if np.isfinite(s) and v != 0 else None,
                deff=float(est.deff[g]) if np.isfinite(est.deff[g]) else None,
                components=dict(components[g]) if components else {},
                notes=notes,
            )
        )
    return out


def distributions(
    block: AnswerBlock, group: NDArray[np.int64], n_groups: int, survey: Survey
) -> list[list[dict[str, int]]]:
    """Unweighted answer counts per group, item and scale point: ``[group][item] -> {point: n}``."""
    out: list[list[dict[str, int]]] = [[] for _ in range(n_groups)]
    for j, item_id in enumerate(block.items):
        scale = survey.scale_of(item_id)
        obs = block.observed[:, j]
        key = group[obs] * scale.points + (block.values[obs, j].astype(np.int64) - scale.min)
        counts = np.bincount(key, minlength=n_groups * scale.points).reshape(n_groups, scale.points)
        for g in range(n_groups):
            out[g].append({str(scale.min + p): int(counts[g, p]) for p in range(scale.points)})
    return out


def item_score_map(
    table: ResponseTable,
    est: ItemEstimates,
    items: Sequence[Item],
    context: ScoringContext,
) -> dict[str, list[ItemScore]]:
    """Per OPD, an :class:`ItemScore` for each item (value, SE, CI, distribution)."""
    survey = table.survey
    n_opd = len(survey.opds)
    block = table.per_opd
    pos = [block.items.index(i.id) for i in items]
    sub = AnswerBlock(
        items=tuple(i.id for i in items),
        values=block.values[:, pos],
        observed=block.observed[:, pos],
        respondent=block.respondent,
        opd=block.opd,
        weight=block.weight,
        stratum=block.stratum,
        psu=block.psu,
        source_row=block.source_row,
    )
    dist = distributions(sub, block.opd.astype(np.int64), n_opd, survey)
    low, high = t_interval(est.mean, est.se, est.df[:, None], context.confidence)
    out: dict[str, list[ItemScore]] = {}
    for g, opd in enumerate(survey.opds):
        scores = []
        for j, item in enumerate(items):
            scale = survey.scale_of(item)
            v = est.mean[g, j]
            ok = bool(np.isfinite(low[g, j]))
            scores.append(
                ItemScore(
                    item=item.id,
                    score=Score(
                        value=float(v) if np.isfinite(v) else None,
                        scale=ScoreScale(
                            low=scale.min, high=scale.max, unit=f"mean {scale.min}-{scale.max}"
                        ),
                        n=int(est.n[g, j]),
                        se=float(est.se[g, j]) if np.isfinite(est.se[g, j]) else None,
                        df=float(est.df[g]) if np.isfinite(est.df[g]) else None,
                        ci=Interval(
                            low=float(low[g, j]), high=float(high[g, j]), level=context.confidence
                        )
                        if ok
                        else None,
                    ),
                    distribution=dist[g][j],
                )
            )
        out[opd.id] = scores
    return out


def survey_wide_scores(table: ResponseTable, context: ScoringContext) -> dict[str, ItemScore]:
    """Mean of each survey-wide item over respondents, with SE, CI and the answer distribution."""
    survey = table.survey
    block = table.survey_wide
    items = list(survey.survey_items)
    if not items:
        return {}
    y, obs = oriented(block, survey, items)
    group = np.zeros(block.n_rows, np.int64)
    design = Design(stratum=block.stratum, psu=block.psu)
    weight = block.weight if block.n_rows and np.ptp(block.weight) > 0 else None
    est = item_estimates(group, 1, y, obs, weight, design)
    dist = distributions(block, group, 1, survey)[0]
    out: dict[str, ItemScore] = {}
    for j, item in enumerate(items):
        scale = survey.scale_of(item)
        single = est.combine(np.eye(len(items))[j], renormalize=False)
        score = make_scores(
            single,
            ScoreScale(low=scale.min, high=scale.max, unit=f"mean {scale.min}-{scale.max}"),
            context.confidence,
        )[0]
        out[item.id] = ItemScore(item=item.id, score=score, distribution=dist[j])
    return out
