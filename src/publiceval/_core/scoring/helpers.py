"""Helpers for the built-in methods (and third-party ones): names, weights, the delta method,
paired items."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray
from pydantic import JsonValue

from ..errors import PublicevalError
from ..estimation import GroupEstimate, ItemEstimates, item_estimates
from ..methods import ScoringContext
from ..results import ItemScore, Score, ScoreScale
from ..survey import Item, Survey
from ..table import ResponseTable
from .items import distributions, make_scores

__all__ = [
    "combine_per_group",
    "combined_item_scores",
    "item_coefficients",
    "item_scores_by_opd",
    "normalize_name",
    "opd_estimates",
    "paired_items",
    "scale_range",
    "with_estimate",
]

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
    return replace(est, estimate=np.asarray(estimate, dtype=np.float64), se=se)


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
    return item_scores_by_opd(survey, items, per_item, dist, extra)


def item_scores_by_opd(
    survey: Survey,
    items: Sequence[Item],
    per_item: Sequence[Sequence[Score]],
    dist: Sequence[Sequence[dict[str, int]]],
    extra: Sequence[Sequence[Mapping[str, JsonValue]]] | None = None,
) -> dict[str, list[ItemScore]]:
    """Per OPD, an :class:`ItemScore` per item: ``per_item[j][g]`` is item ``j``'s score for
    OPD ``g``, ``dist[g][j]`` its answer distribution, ``extra[g][j]`` its ``extra``."""
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
