"""Building blocks for methods that score from mergeable aggregates.

A method that implements :meth:`~publiceval._core.methods.ScoringMethod.score_aggregates` gets
:class:`~publiceval._core.aggregates.TableAggregates` of in-memory, chunked or distributed
responses alike; these helpers turn them into item estimates (of the answers, reverse-coded
where an item says so, or of 0/1 answer indicators), answer distributions and result objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray
from pydantic import JsonValue

from .aggregates import Indicator, TableAggregates, select, table_aggregates
from .errors import DataError
from .estimation import GroupEstimate, ItemEstimates
from .methods import ScoringContext
from .moments.design import current_variance
from .results import ItemScore, ScoreScale
from .scoring import (
    distribution_dicts,
    histogram_counts,
    item_scores_by_opd,
    make_scores,
    mean_item_scores,
)
from .survey import Item, Survey
from .table import ResponseTable

__all__ = [
    "aggregate_combined_item_scores",
    "aggregate_distributions",
    "aggregate_item_scores",
    "aggregate_survey_wide",
    "estimates_of",
    "indicator_estimates",
    "oriented_indicator",
    "survey_wide_scores",
]


def estimates_of(
    aggregates: TableAggregates,
    items: Iterable[Item],
    *,
    scope: str = "opd",
    population: NDArray[np.float64] | None = None,
) -> ItemEstimates:
    """Item estimates of the (reverse-coded) answers to ``items`` from table aggregates."""
    survey = aggregates.survey
    items = list(items)
    pos = aggregates.item_columns([i.id for i in items], scope)
    moments = aggregates.per_opd if scope == "opd" else aggregates.survey_wide
    alpha = np.zeros(len(items))
    beta = np.ones(len(items))
    for j, item in enumerate(items):
        if item.reverse:
            scale = survey.scale_of(item)
            alpha[j], beta[j] = scale.min + scale.max, -1.0
    # each item's own scale bounds its answers (reverse coding keeps them in it): the SE floor
    low = np.array([survey.scale_of(i).min for i in items], dtype=np.float64)
    high = np.array([survey.scale_of(i).max for i in items], dtype=np.float64)
    # survey-wide items are one group of respondents: no OPD's PSU population applies to them
    variance = None if scope == "opd" else replace(current_variance(), psu_population=None)
    return ItemEstimates.from_moments(
        select(moments, pos),
        population=population,
        alpha=alpha,
        beta=beta,
        bounds=(low, high),
        variance=variance,
    )


def oriented_indicator(survey: Survey, item: Item, keep: Callable[[int], bool]) -> Indicator:
    """The indicator of ``item``'s answers whose *oriented* value satisfies ``keep``.

    The oriented value is the answer, or ``min + max - answer`` for a reverse-coded item (as
    :func:`~publiceval._core.scoring.oriented` gives); the indicator lists the raw answers.
    """
    scale = survey.scale_of(item)
    values = range(scale.min, scale.max + 1)
    flip = scale.min + scale.max
    return Indicator.of(item.id, [v for v in values if keep(flip - v if item.reverse else v)])


def indicator_estimates(
    aggregates: TableAggregates,
    indicators: Sequence[Indicator],
    *,
    population: NDArray[np.float64] | None = None,
) -> ItemEstimates:
    """Estimates of 0/1 answer indicators (shares of answers), one column per indicator."""
    cols = aggregates.indicator_columns(indicators)
    if aggregates.indicator_moments is None:
        raise DataError("no answer indicators were asked for")
    shares = (np.zeros(len(cols)), np.ones(len(cols)))  # a share lies in [0, 1]
    return ItemEstimates.from_moments(
        select(aggregates.indicator_moments, cols), population=population, bounds=shares
    )


def aggregate_distributions(
    aggregates: TableAggregates, items: Sequence[Item]
) -> list[list[dict[str, int]]]:
    """Unweighted answer counts per OPD, item and scale point: ``[group][item] -> {point: n}``."""
    survey = aggregates.survey
    hist = aggregates.per_opd.hist
    pos = aggregates.item_columns([i.id for i in items])
    counts = histogram_counts(
        None if hist is None else hist[:, pos], items, survey, len(survey.opds)
    )
    if not items:
        return [[] for _ in survey.opds]
    return distribution_dicts(counts, items, survey)


def aggregate_item_scores(
    aggregates: TableAggregates, est: ItemEstimates, items: Sequence[Item], level: float
) -> dict[str, list[ItemScore]]:
    """Per OPD, an :class:`ItemScore` for each item mean (value, SE, t CI, distribution)."""
    dist = aggregate_distributions(aggregates, items)
    return mean_item_scores(aggregates.survey, est, items, dist, level)


def aggregate_combined_item_scores(
    aggregates: TableAggregates,
    items: Sequence[Item],
    estimates: Sequence[GroupEstimate],
    scale: ScoreScale,
    level: float,
    *,
    multiplier: float = 1.0,
    extra: Sequence[Sequence[dict[str, JsonValue]]] | None = None,
) -> dict[str, list[ItemScore]]:
    """Per OPD, an :class:`ItemScore` per item from one :class:`GroupEstimate` per item.

    For item results that are not plain means (a top-box share, a SERVQUAL gap); the
    distribution is that of the item's own answers. ``extra[g][j]`` goes to ``ItemScore.extra``.
    """
    survey = aggregates.survey
    dist = aggregate_distributions(aggregates, items)
    per_item = [make_scores(e, scale, level, multiplier=multiplier) for e in estimates]
    return item_scores_by_opd(survey, items, per_item, dist, extra)


def aggregate_survey_wide(aggregates: TableAggregates, level: float) -> dict[str, ItemScore]:
    """Mean of each survey-wide item over respondents, with SE, CI and the answer distribution."""
    survey = aggregates.survey
    items = list(survey.survey_items)
    if not items:
        return {}
    est = estimates_of(aggregates, items, scope="survey")
    hist = aggregates.survey_wide.hist
    counts = histogram_counts(None if hist is None else hist[:1], items, survey, 1)
    dist = distribution_dicts(counts, items, survey)[0]
    out: dict[str, ItemScore] = {}
    for j, item in enumerate(items):
        scale = survey.scale_of(item)
        single = est.combine(np.eye(len(items))[j], renormalize=False)
        score = make_scores(
            single,
            ScoreScale(low=scale.min, high=scale.max, unit=f"mean {scale.min}-{scale.max}"),
            level,
        )[0]
        out[item.id] = ItemScore(item=item.id, score=score, distribution=dist[j])
    return out


def survey_wide_scores(table: ResponseTable, context: ScoringContext) -> dict[str, ItemScore]:
    """Every survey-wide item of ``table`` scored as :func:`aggregate_survey_wide` scores it.

    For a method that implements ``score(table)`` itself: the survey-wide answers then come out
    exactly as the built-in methods give them, in memory, in chunks or on Dask.
    """
    return aggregate_survey_wide(table_aggregates(table), context.confidence)
