"""Evaluate data larger than memory: chunks → mergeable aggregates → one evaluation.

Each chunk of rows is validated into a :class:`~publiceval._core.table.ResponseTable`, reduced to
:class:`~publiceval._core.aggregates.TableAggregates` and dropped; the merged aggregates are then
scored by the same estimation code as an in-memory table, so the results do not depend on
where the chunks were cut (as long as one respondent's rows are not split, see
:func:`split_table`). Memory is bounded by one chunk plus the aggregates.

A method scores aggregates when it defines ``score_aggregates(aggregates, context)``; the
built-in ``mean`` does (its in-memory path is the same code).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .aggregates import TableAggregates, select, table_aggregates
from .errors import DataError, PublicevalError
from .estimation import ItemEstimates
from .methods import MethodResult, ScoringContext, ScoringMethod
from .plugins import PluginHost, get_host
from .results import Evaluation, ItemScore, ScoreScale
from .scoring import (
    common_scale,
    distribution_dicts,
    histogram_counts,
    make_scores,
    mean_item_scores,
    performance_items,
)
from .survey import Item, Survey
from .table import ColumnMap, ResponseTable

__all__ = [
    "aggregate_tables",
    "estimates_of",
    "evaluate_file",
    "evaluate_tables",
    "score_aggregates",
    "score_mean_aggregates",
    "split_table",
]


# --------------------------------------------------------------------------- chunking
def split_table(table: ResponseTable, chunk_rows: int) -> Iterator[ResponseTable]:
    """Cut a table into chunks of about ``chunk_rows`` source rows.

    Cuts fall only where the respondent changes, so a respondent's survey-wide answers are
    de-duplicated within one chunk exactly as in the whole table. The reject log goes with
    the first chunk.
    """
    if chunk_rows < 1:
        raise DataError(f"chunk_rows must be at least 1; found {chunk_rows}")
    per, wide = table.per_opd, table.survey_wide
    rows = np.unique(np.concatenate([per.source_row, wide.source_row]))
    resp_of = np.concatenate([per.respondent, wide.respondent])
    src = np.concatenate([per.source_row, wide.source_row])
    order = np.argsort(src, kind="stable")
    resp_sorted = resp_of[order]
    src_sorted = src[order]
    cuts = [int(rows[0])] if rows.size else []
    pos = 0
    n_src = src_sorted.size
    while rows.size:
        target = pos + chunk_rows
        if target >= n_src:
            break
        while target < n_src and resp_sorted[target] == resp_sorted[target - 1]:
            target += 1
        if target >= n_src:
            break
        cuts.append(int(src_sorted[target]))
        pos = target
    cuts.append(int(rows[-1]) + 1 if rows.size else 0)
    first = True
    for lo, hi in itertools.pairwise(cuts):
        pm = (per.source_row >= lo) & (per.source_row < hi)
        wm = (wide.source_row >= lo) & (wide.source_row < hi)
        yield ResponseTable(
            survey=table.survey,
            per_opd=per.take(pm),
            survey_wide=wide.take(wm),
            respondent_ids=table.respondent_ids,
            stratum_ids=table.stratum_ids,
            psu_ids=table.psu_ids,
            rejects=table.rejects if first else type(table.rejects)(),
            source=table.source,
        )
        first = False
    if not cuts[:-1]:
        yield table


def aggregate_tables(tables: Iterable[ResponseTable]) -> TableAggregates:
    """Reduce each table to aggregates as it arrives and merge them (constant memory)."""
    total: TableAggregates | None = None
    for table in tables:
        part = table_aggregates(table)
        total = part if total is None else total.merged(part)
    if total is None:
        raise DataError("no chunks to evaluate: the reader produced no tables")
    return total


# --------------------------------------------------------------------------- scoring
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
    block_items = survey.opd_items if scope == "opd" else survey.survey_items
    order = [i.id for i in block_items]
    try:
        pos = [order.index(i.id) for i in items]
    except ValueError:
        raise DataError(
            f"items {', '.join(i.id for i in items)} are not all {scope} items of the survey"
        ) from None
    moments = aggregates.per_opd if scope == "opd" else aggregates.survey_wide
    alpha = np.zeros(len(items))
    beta = np.ones(len(items))
    for j, item in enumerate(items):
        if item.reverse:
            scale = survey.scale_of(item)
            alpha[j], beta[j] = scale.min + scale.max, -1.0
    return ItemEstimates.from_moments(
        select(moments, pos), population=population, alpha=alpha, beta=beta
    )


def _distribution(hist: NDArray[np.int64] | None, item: Item, survey: Survey) -> dict[str, int]:
    scale = survey.scale_of(item)
    counts = np.zeros(scale.points + 1, np.int64)
    if hist is not None:
        width = min(hist.shape[0], counts.size)
        counts[:width] = hist[:width]
    return {str(scale.min + p): int(counts[p + 1]) for p in range(scale.points)}


def _item_scores(
    survey: Survey,
    est: ItemEstimates,
    items: list[Item],
    hist: NDArray[np.int64] | None,
    level: float,
) -> dict[str, list[ItemScore]]:
    counts = histogram_counts(hist, items, survey, len(survey.opds))
    return mean_item_scores(survey, est, items, distribution_dicts(counts, items, survey), level)


def _survey_wide(aggregates: TableAggregates, level: float) -> dict[str, ItemScore]:
    survey = aggregates.survey
    items = list(survey.survey_items)
    if not items:
        return {}
    est = estimates_of(aggregates, items, scope="survey")
    hist = aggregates.survey_wide.hist
    out: dict[str, ItemScore] = {}
    for j, item in enumerate(items):
        scale = survey.scale_of(item)
        single = est.combine(np.eye(len(items))[j], renormalize=False)
        score = make_scores(
            single,
            ScoreScale(low=scale.min, high=scale.max, unit=f"mean {scale.min}-{scale.max}"),
            level,
        )[0]
        out[item.id] = ItemScore(
            item=item.id,
            score=score,
            distribution=_distribution(None if hist is None else hist[0, j], item, survey),
        )
    return out


def score_mean_aggregates(
    name: str,
    only: list[str] | None,
    aggregates: TableAggregates,
    context: ScoringContext,
) -> MethodResult:
    """The ``mean`` method on aggregates: item means, their weighted average, survey-wide items."""
    survey = aggregates.survey
    items = performance_items(survey, only)
    scale = common_scale(survey, items, name)
    out_scale = ScoreScale(low=scale.min, high=scale.max, unit=f"mean {scale.min}-{scale.max}")
    est = estimates_of(aggregates, items, population=context.population)
    if all(i.weight is not None for i in items) and not only:
        coef = np.array([i.weight or 0.0 for i in items])
    else:
        coef = np.full(len(items), 1.0 / len(items))
    scores = make_scores(est.combine(coef), out_scale, context.confidence)
    pos = [[i.id for i in survey.opd_items].index(i.id) for i in items]
    hist = aggregates.per_opd.hist
    return MethodResult(
        scale=out_scale,
        opd_scores={o.id: s for o, s in zip(survey.opds, scores, strict=True)},
        item_scores=_item_scores(
            survey, est, items, None if hist is None else hist[:, pos], context.confidence
        ),
        survey_wide=_survey_wide(aggregates, context.confidence),
    )


def score_aggregates(
    method: ScoringMethod, aggregates: TableAggregates, context: ScoringContext
) -> MethodResult:
    """Score merged aggregates with ``method`` (its ``score_aggregates`` or a built-in)."""
    hook = getattr(method, "score_aggregates", None)
    if callable(hook):
        result = hook(aggregates, context)
        if not isinstance(result, MethodResult):
            raise PublicevalError(
                f"method {method.name!r}: score_aggregates must return a MethodResult; "
                f"found {type(result).__name__}"
            )
        return result
    raise PublicevalError(
        f"method {method.name!r} cannot score from aggregates (chunked or distributed data); "
        "methods that can: mean, or any method with a score_aggregates(aggregates, context) method"
    )


# --------------------------------------------------------------------------- entry points
def evaluate_tables(survey: Survey, tables: Iterable[ResponseTable], **options: Any) -> Evaluation:
    """Evaluate chunk tables (e.g. a reader's ``iter_tables``) via merged aggregates.

    ``options`` are those of :func:`publiceval.evaluate`.
    """
    from .pipeline import evaluate

    return evaluate(survey, aggregate_tables(tables), **options)


def evaluate_file(
    survey: Survey,
    path: str | Path,
    *,
    mapping: ColumnMap | None = None,
    reader: str | None = None,
    reader_options: Mapping[str, Any] | None = None,
    chunk_rows: int = 20_000,
    host: PluginHost | None = None,
    **options: Any,
) -> Evaluation:
    """Evaluate a data file chunk by chunk with the reader's ``iter_tables``.

    Peak memory is about one chunk plus the aggregates. ``reader`` names the reader plugin
    (default: by the file's suffix); ``options`` go to :func:`publiceval.evaluate`.
    """
    host = host or get_host()
    path = Path(path)
    cls = host.reader(reader) if reader else host.reader_for_suffix(path.suffix)
    instance = cls.create(reader_options)
    tables = instance.iter_tables(path, survey, mapping or ColumnMap(), chunk_rows)
    return evaluate_tables(survey, tables, host=host, **options)
