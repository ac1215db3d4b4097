"""Building blocks for scoring methods: oriented answers, estimates → ``Score`` objects, distributions.

Built-in methods are written with these, and so can third-party ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from math import isfinite

import numpy as np
from numpy.typing import NDArray
from pydantic import JsonValue

from .errors import PublicevalError
from .estimation import Design, GroupEstimate, ItemEstimates, item_estimates, t_interval
from .methods import ScoringContext
from .results import Interval, ItemScore, Score, ScoreScale
from .survey import Item, Scale, Survey
from .table import AnswerBlock, ResponseTable

__all__ = [
    "combine_per_group",
    "combined_item_scores",
    "common_scale",
    "distribution_counts",
    "distribution_dicts",
    "distributions",
    "histogram_counts",
    "item_coefficients",
    "item_score_map",
    "make_scores",
    "mean_item_scores",
    "normalize_name",
    "opd_estimates",
    "oriented",
    "paired_items",
    "performance_items",
    "scale_range",
    "survey_wide_scores",
    "with_estimate",
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
    # Python floats up front: indexing numpy arrays one scalar at a time costs more than the
    # (validated) result objects themselves
    values, ses, lows, highs = value.tolist(), se.tolist(), low.tolist(), high.tolist()
    dfs, n_eff, deffs = est.df.tolist(), est.n_effective.tolist(), est.deff.tolist()
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
                n_effective=n_eff[g],
                se=s if isfinite(s) else None,
                df=dfs[g] if isfinite(dfs[g]) else None,
                ci=Interval(low=lows[g], high=highs[g], level=level, method="t (linearised)")
                if has_ci
                else None,
                cv=s / abs(v) if isfinite(s) and v != 0 else None,
                deff=deffs[g] if isfinite(deffs[g]) else None,
                components=dict(components[g]) if components else {},
                notes=notes,
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
    low, high = t_interval(est.mean, est.se, est.df[:, None], level)
    means, ses, lows, highs = est.mean.tolist(), est.se.tolist(), low.tolist(), high.tolist()
    dfs = est.df.tolist()
    counts = np.asarray(est.n).astype(np.int64).tolist()
    scales = []
    for item in items:
        sc = survey.scale_of(item)
        scales.append(ScoreScale(low=sc.min, high=sc.max, unit=f"mean {sc.min}-{sc.max}"))
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


# --------------------------------------------------------------------------- helpers for methods
# (added for the built-in ikm/top-box/nps/csi/ipa/servqual methods; usable by third parties)

_NAME_JUNK = re.compile(r"[^0-9a-z]+")


def normalize_name(text: str) -> str:
    """Case-, space- and punctuation-insensitive form of a name (``"Biaya / Tarif"`` → ``"biaya tarif"``).

    SKM element names are written with varying commas, slashes and capitals across apps and
    reports; matching on this form lets a study name them as its questionnaire does.
    """
    return _NAME_JUNK.sub(" ", text.casefold()).strip()


def opd_estimates(
    table: ResponseTable,
    context: ScoringContext,
    y: NDArray[np.float64],
    observed: NDArray[np.bool_],
) -> ItemEstimates:
    """Item means per OPD of the per-OPD rows for any derived answer matrix ``y``.

    ``y`` may be the answers themselves or a per-answer variable (an indicator of a top-box
    answer, a promoter/detractor score): the mean of that variable is the share or index, and
    its SE follows from the same linearisation.
    """
    block = table.per_opd
    weight = block.weight if block.n_rows and np.ptp(block.weight) > 0 else None
    return item_estimates(
        block.opd.astype(np.int64),
        len(table.survey.opds),
        y,
        observed,
        weight,
        context.design_for(table),
    )


def item_coefficients(items: Sequence[Item], use_weights: bool = True) -> NDArray[np.float64]:
    """The items' survey weights when every item has one (and ``use_weights``), else equal weights."""
    if use_weights and items and all(i.weight is not None for i in items):
        return np.array([i.weight or 0.0 for i in items], dtype=np.float64)
    return np.full(len(items), 1.0 / len(items)) if items else np.zeros(0)


def combine_per_group(est: ItemEstimates, coef: NDArray[np.float64]) -> GroupEstimate:
    """Like :meth:`ItemEstimates.combine`, but with a coefficient row per group (groups × items).

    This is the delta method for a smooth, non-linear function of the item means (a ratio
    such as the CSI or the IPA conformity level): ``coef[g]`` is the gradient at group ``g``'s
    means, and the linearised SE of the function is that of the combination. The estimate
    returned is the combination itself, so callers replace it with the function's value.
    """
    # one call: combine takes a coefficient row per group, and each group's row of the
    # result depends on that group's coefficients only
    return est.combine(np.nan_to_num(np.asarray(coef, dtype=np.float64)), renormalize=False)


def with_estimate(est: GroupEstimate, estimate: NDArray[np.float64]) -> GroupEstimate:
    """``est`` with its point estimates replaced (SEs from :func:`combine_per_group` kept)."""
    se = np.where(np.isfinite(estimate), est.se, np.nan)
    return GroupEstimate(
        estimate=np.asarray(estimate, dtype=np.float64),
        se=se,
        df=est.df,
        n=est.n,
        n_effective=est.n_effective,
        deff=est.deff,
    )


def combined_item_scores(
    table: ResponseTable,
    items: Sequence[Item],
    estimates: Sequence[GroupEstimate],
    scale: ScoreScale,
    context: ScoringContext,
    *,
    multiplier: float = 1.0,
    extra: Sequence[Sequence[dict[str, JsonValue]]] | None = None,
) -> dict[str, list[ItemScore]]:
    """Per OPD, an :class:`ItemScore` per item from one :class:`GroupEstimate` per item.

    For item-level results that are not plain means of the answers (a top-box share, a
    SERVQUAL gap): each estimate gives the item's value, SE and CI per OPD; the distribution is
    that of the item's own answers. ``extra[g][j]`` goes to ``ItemScore.extra``.
    """
    survey = table.survey
    block = table.per_opd
    n_opd = len(survey.opds)
    sub = block.select([i.id for i in items])
    dist = distributions(sub, block.opd.astype(np.int64), n_opd, survey)
    per_item = [make_scores(e, scale, context.confidence, multiplier=multiplier) for e in estimates]
    out: dict[str, list[ItemScore]] = {}
    for g, opd in enumerate(survey.opds):
        out[opd.id] = [
            ItemScore(
                item=item.id,
                score=per_item[j][g],
                distribution=dist[g][j],
                extra=dict(extra[g][j]) if extra else {},
            )
            for j, item in enumerate(items)
        ]
    return out


def paired_items(survey: Survey, role: str, method: str) -> list[tuple[Item, Item]]:
    """``(performance item, partner)`` pairs, where the partner has ``role`` and ``pairs_with``.

    Importance items (for CSI and IPA) and expectation items (for SERVQUAL) name the
    performance item they qualify with ``pairs_with``; a method that needs them refuses a
    survey without them, saying how to declare them.
    """
    items = survey.item_map
    pairs: list[tuple[Item, Item]] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for partner in survey.opd_items:
        if partner.role != role:
            continue
        if partner.pairs_with is None:
            problems.append(f"{role} item {partner.id!r} has no 'pairs_with'")
            continue
        perf = items[partner.pairs_with]
        if perf.role != "performance" or perf.scope != "opd":
            problems.append(
                f"{role} item {partner.id!r} pairs with {perf.id!r}, which is not a per-OPD "
                f"performance item (role {perf.role!r}, scope {perf.scope!r})"
            )
            continue
        if perf.id in seen:
            problems.append(
                f"performance item {perf.id!r} has two {role} items: {seen[perf.id]!r} and "
                f"{partner.id!r}"
            )
            continue
        seen[perf.id] = partner.id
        pairs.append((perf, partner))
    if problems:
        raise PublicevalError(f"method {method!r}: " + "; ".join(problems))
    if not pairs:
        raise PublicevalError(
            f"method {method!r} needs per-OPD {role} items: declare items with role={role!r} "
            f"and pairs_with=<the performance item they qualify>; the survey has none"
        )
    order = {i.id: k for k, i in enumerate(survey.opd_items)}
    return sorted(pairs, key=lambda p: order[p[0].id])


def scale_range(survey: Survey, items: Sequence[Item]) -> tuple[int, int]:
    """The lowest ``min`` and highest ``max`` over the scales of ``items``."""
    scales = [survey.scale_of(i) for i in items]
    return min(s.min for s in scales), max(s.max for s in scales)
