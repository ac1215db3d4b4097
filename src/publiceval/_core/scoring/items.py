"""Item means, scores and answer distributions: the basics every method is written with."""

from __future__ import annotations

from collections.abc import Sequence
from math import isfinite

import numpy as np
from numpy.typing import NDArray

from ..errors import PublicevalError
from ..estimation import GroupEstimate, ItemEstimates, t_interval
from ..methods import ScoringContext
from ..results import Interval, ItemScore, Score, ScoreScale
from ..stats.edges import edge_interval, honest_se
from ..survey import Item, Scale, Survey
from ..table import AnswerBlock, ResponseTable

__all__ = [
    "FLOOR_NOTE",
    "SCALE_TOLERANCE",
    "common_scale",
    "distribution_counts",
    "distribution_dicts",
    "distributions",
    "histogram_counts",
    "item_score_map",
    "make_scores",
    "mean_item_scores",
    "on_scale",
    "oriented",
    "performance_items",
]

#: How far (relative to the scale's width, at least 1) a computed score may stray outside its
#: scale by floating-point rounding: within it, the score is put on the scale's edge.
SCALE_TOLERANCE = 1e-9

#: The note on a score whose SE was raised to the floor of :mod:`publiceval._core.stats.edges`.
FLOOR_NOTE = (
    "standard error raised to its floor: the answers show (almost) no spread, which a "
    "finite sample cannot make certain (docs/statistics.md, 'No finite sample is certain')"
)


def on_scale(
    value: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    scale: ScoreScale,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Estimates and CI bounds kept on ``scale``: an estimate within :data:`SCALE_TOLERANCE` of
    an edge, on either side, is put on the edge (a convex combination of answers that rounding
    moved off it: an IKM of 100.00000000000003 when every answer is 4, 25.000000000000007 when
    every answer is 1), and the CI of an estimate on the scale is clipped to it. An estimate further outside is left as it is (a method whose
    scale is wrong; the evaluation warns when no band takes it). NaN stays NaN.
    """
    lo, hi = float(scale.low), float(scale.high)
    tol = SCALE_TOLERANCE * max(1.0, abs(hi - lo))

    def snap(x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.where(np.abs(x - hi) <= tol, hi, x)
        return np.where(np.abs(x - lo) <= tol, lo, x)

    value, low, high = snap(np.asarray(value, dtype=np.float64)), snap(low), snap(high)
    inside = (value >= lo) & (value <= hi)
    low = np.where(inside, np.clip(low, lo, hi), low)
    high = np.where(inside, np.clip(high, lo, hi), high)
    return value, low, high


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
    n_eff = np.where(est.n_effective > 0, est.n_effective, est.n)
    item_floor = None if est.se_floor is None else est.se_floor * abs(multiplier)
    se, floored = honest_se(
        est.se * multiplier,
        value,
        scale.low,
        scale.high,
        n_eff,
        est.fpc,
        est.items_effective,
        floor=item_floor,
    )
    low, high = t_interval(value, se, est.df, level)
    value, low, high = on_scale(value, low, high, scale)
    # at an end of the scale a symmetric interval is the wrong shape: Wilson's instead
    e_low, e_high = edge_interval(
        value, scale.low, scale.high, n_eff, level, est.df, est.items_effective
    )
    at_edge = np.isfinite(e_low) & np.isfinite(low)
    low, high = np.where(at_edge, e_low, low), np.where(at_edge, e_high, high)
    edges = at_edge.tolist()
    # Python floats up front: indexing numpy arrays one scalar at a time costs more than the
    # (validated) result objects themselves
    values, ses, lows, highs = value.tolist(), se.tolist(), low.tolist(), high.tolist()
    dfs, n_effs, deffs = est.df.tolist(), est.n_effective.tolist(), est.deff.tolist()
    raised = floored.tolist()
    counts = np.asarray(est.n).astype(np.int64).tolist()
    out = []
    for g, v in enumerate(values):
        if not isfinite(v):
            out.append(Score(value=None, scale=scale, n=counts[g], notes=["no answers"]))
            continue
        s = ses[g]
        has_ci = isfinite(lows[g]) and isfinite(s)
        notes = [] if has_ci else ["too few respondents (or PSUs) for a confidence interval"]
        out.append(
            Score(
                value=v,
                scale=scale,
                n=counts[g],
                n_effective=n_effs[g],
                se=s if isfinite(s) else None,
                df=dfs[g] if isfinite(dfs[g]) else None,
                ci=Interval(
                    low=lows[g],
                    high=highs[g],
                    level=level,
                    method="wilson (at the scale's end)" if edges[g] else "t (linearised)",
                )
                if has_ci
                else None,
                cv=s / abs(v) if isfinite(s) and v != 0 else None,
                deff=deffs[g] if isfinite(deffs[g]) else None,
                components=dict(components[g]) if components else {},
                notes=notes + ([FLOOR_NOTE] if raised[g] else []),
            )
        )
    return out


def distribution_counts(
    block: AnswerBlock, group: NDArray[np.int64], n_groups: int, survey: Survey
) -> list[NDArray[np.int64]]:
    """Unweighted answer counts per item: a (groups × scale points) array for each item."""
    out = []
    for j, item_id in enumerate(block.items):
        scale = survey.scale_of(item_id)
        obs = block.observed[:, j]
        key = group[obs] * scale.points + (block.values[obs, j].astype(np.int64) - scale.min)
        counts = np.bincount(key, minlength=n_groups * scale.points)
        out.append(counts.reshape(n_groups, scale.points))
    return out


def distribution_dicts(
    counts: Sequence[NDArray[np.integer]], items: Sequence[Item], survey: Survey
) -> list[list[dict[str, int]]]:
    """``[group][item] -> {point: n}`` from a (groups × points) count array per item."""
    per_item = []
    for item, c in zip(items, counts, strict=True):
        scale = survey.scale_of(item)
        keys = [str(scale.min + p) for p in range(scale.points)]
        per_item.append([dict(zip(keys, row, strict=True)) for row in c.tolist()])
    return [list(row) for row in zip(*per_item, strict=True)] if per_item else []


def histogram_counts(
    hist: NDArray[np.int64] | None, items: Sequence[Item], survey: Survey, n_groups: int
) -> list[NDArray[np.int64]]:
    """(groups × points) counts per item from aggregate histograms (groups × items × codes).

    Code ``c`` counts the answer ``scale.min + c - 1``; code 0 is "no answer". Items without a
    histogram (``hist`` None) count zero.
    """
    out = []
    for j, item in enumerate(items):
        points = survey.scale_of(item).points
        counts = np.zeros((n_groups, points), np.int64)
        if hist is not None:
            width = min(hist.shape[2] - 1, points)
            if width > 0:
                counts[:, :width] = hist[:, j, 1 : 1 + width]
        out.append(counts)
    return out


def distributions(
    block: AnswerBlock, group: NDArray[np.int64], n_groups: int, survey: Survey
) -> list[list[dict[str, int]]]:
    """Unweighted answer counts per group, item and scale point: ``[group][item] -> {point: n}``."""
    if not block.items:
        return [[] for _ in range(n_groups)]
    items = [survey.item_map[i] for i in block.items]
    return distribution_dicts(distribution_counts(block, group, n_groups, survey), items, survey)


def mean_item_scores(
    survey: Survey,
    est: ItemEstimates,
    items: Sequence[Item],
    dist: Sequence[Sequence[dict[str, int]]],
    level: float,
) -> dict[str, list[ItemScore]]:
    """Per OPD, an :class:`ItemScore` for each item mean (value, SE, t CI, ``dist[g][j]``).

    Shared by the in-memory and the aggregate paths; the numbers are turned into Python
    floats once, as whole arrays, before the result objects are built.
    """
    se = np.array(est.se, dtype=np.float64)
    for j, item in enumerate(items):
        sc = survey.scale_of(item)
        se[:, j], _ = honest_se(se[:, j], est.mean[:, j], sc.min, sc.max, est.n[:, j], est.fpc)
    low, high = t_interval(est.mean, se, est.df[:, None], level)
    scales = []
    mean = np.array(est.mean, dtype=np.float64)
    low, high = np.array(low, dtype=np.float64), np.array(high, dtype=np.float64)
    for j, item in enumerate(items):
        sc = survey.scale_of(item)
        scales.append(ScoreScale(low=sc.min, high=sc.max, unit=f"mean {sc.min}-{sc.max}"))
        mean[:, j], low[:, j], high[:, j] = on_scale(mean[:, j], low[:, j], high[:, j], scales[j])
        e_low, e_high = edge_interval(mean[:, j], sc.min, sc.max, est.n[:, j], level, est.df)
        at_edge = np.isfinite(e_low) & np.isfinite(low[:, j])
        low[:, j] = np.where(at_edge, e_low, low[:, j])
        high[:, j] = np.where(at_edge, e_high, high[:, j])
    means, ses, lows, highs = mean.tolist(), se.tolist(), low.tolist(), high.tolist()
    dfs = est.df.tolist()
    counts = np.asarray(est.n).astype(np.int64).tolist()
    out: dict[str, list[ItemScore]] = {}
    for g, opd in enumerate(survey.opds):
        m, s, lo, hi, n = means[g], ses[g], lows[g], highs[g], counts[g]
        df = dfs[g] if isfinite(dfs[g]) else None
        out[opd.id] = [
            ItemScore(
                item=item.id,
                score=Score(
                    value=m[j] if isfinite(m[j]) else None,
                    scale=scales[j],
                    n=n[j],
                    se=s[j] if isfinite(s[j]) else None,
                    df=df,
                    ci=Interval(low=lo[j], high=hi[j], level=level) if isfinite(lo[j]) else None,
                ),
                distribution=dist[g][j],
            )
            for j, item in enumerate(items)
        ]
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
    sub = block.select([i.id for i in items])
    dist = distributions(sub, block.opd.astype(np.int64), n_opd, survey)
    return mean_item_scores(survey, est, items, dist, context.confidence)
