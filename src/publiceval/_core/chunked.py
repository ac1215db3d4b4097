"""Evaluate data larger than memory: chunks → mergeable aggregates → one evaluation.

Each chunk of rows is validated into a :class:`~publiceval._core.table.ResponseTable`, reduced to
:class:`~publiceval._core.aggregates.TableAggregates` and dropped; the merged aggregates are then
scored by the same estimation code as an in-memory table, so the results do not depend on
where the chunks were cut (as long as one respondent's rows are not split, see
:func:`split_table`). Memory is bounded by one chunk plus the aggregates.

A method scores aggregates when it sets ``supports_aggregates`` and implements
:meth:`~publiceval._core.methods.ScoringMethod.score_aggregates` (every built-in method does;
their in-memory path is the same code).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .aggregates import Indicator, TableAggregates, table_aggregates
from .errors import DataError, PublicevalError, StudyError
from .ingest import DataSpec, LayoutKind, iter_study_tables
from .methods import AGGREGATE_METHODS, ScoringMethod
from .pipeline import ComponentSpec, evaluate
from .plugins import PluginHost, get_host
from .results import Evaluation
from .survey import Survey
from .table import ColumnMap, ResponseTable

__all__ = [
    "aggregate_tables",
    "evaluate_file",
    "evaluate_tables",
    "resolve_method",
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


def aggregate_tables(
    tables: Iterable[ResponseTable],
    *,
    indicators: Iterable[Indicator] = (),
    items: Iterable[str] | None = None,
) -> TableAggregates:
    """Reduce each table to aggregates as it arrives and merge them (constant memory).

    ``indicators`` are the answer indicators a method needs and ``items`` the per-OPD items
    it reads (default all), see :meth:`~publiceval._core.methods.ScoringMethod.aggregate_indicators`
    and :meth:`~publiceval._core.methods.ScoringMethod.aggregate_items`.
    """
    wanted = tuple(indicators)
    chosen = None if items is None else tuple(items)
    total: TableAggregates | None = None
    for table in tables:
        part = table_aggregates(table, indicators=wanted, items=chosen)
        total = part if total is None else total.merged(part)
    if total is None:
        raise DataError("no chunks to evaluate: the reader produced no tables")
    return total


# --------------------------------------------------------------------------- methods
def resolve_method(
    method: ComponentSpec, method_options: Mapping[str, Any] | None, host: PluginHost
) -> ScoringMethod:
    """The scoring method ``evaluate(method=..., method_options=...)`` would use.

    Chunked and distributed evaluation need it *before* reading: the method says which answer
    indicators the aggregates must carry, and one that cannot score aggregates is refused
    before any data is read.
    """
    if isinstance(method, ScoringMethod):
        scorer = method
    else:
        if isinstance(method, tuple):
            method, method_options = method
        if not isinstance(method, str):
            raise PublicevalError(
                f"expected a scoring method name or instance; found {type(method).__name__}"
            )
        scorer = host.method(method).create(method_options)
    if not scorer.supports_aggregates:
        try:
            able = sorted(n for n, c in host.methods().items() if c.supports_aggregates)
        except PublicevalError:  # e.g. a name clash elsewhere: fall back to the built-ins
            able = list(AGGREGATE_METHODS)
        raise StudyError(
            f"method {scorer.name!r} cannot score from aggregates (chunked or distributed data) "
            f"because {scorer.aggregates_reason}; evaluate the data in memory, or use a method "
            f"that can: {', '.join(able)}"
        )
    return scorer


# --------------------------------------------------------------------------- entry points
def evaluate_tables(survey: Survey, tables: Iterable[ResponseTable], **options: Any) -> Evaluation:
    """Evaluate chunk tables (e.g. a reader's ``iter_tables``) via merged aggregates.

    ``options`` are those of :func:`publiceval.evaluate`. The method is resolved first: one
    that cannot score aggregates is refused before a chunk is read, and the answer
    indicators it needs (e.g. top-box shares) are summed with the chunks.
    """
    host = options.get("host") or get_host()
    scorer = resolve_method(options.get("method", "mean"), options.get("method_options"), host)
    merged = aggregate_tables(
        tables,
        indicators=scorer.aggregate_indicators(survey),
        items=scorer.aggregate_items(survey),
    )
    return evaluate(survey, merged, **options)


def evaluate_file(
    survey: Survey,
    path: str | Path,
    *,
    mapping: ColumnMap | None = None,
    reader: str | None = None,
    reader_options: Mapping[str, Any] | None = None,
    layout: LayoutKind | None = None,
    chunk_rows: int = 20_000,
    host: PluginHost | None = None,
    **options: Any,
) -> Evaluation:
    """Evaluate a data file chunk by chunk, through the same ingest road as a study file.

    Peak memory is about one chunk plus the aggregates. ``reader`` names the reader plugin
    (default: by the file's suffix), ``layout`` the file's shape (``wide``, ``long`` or
    ``opd-columns``; default: the reader's); ``options`` go to :func:`publiceval.evaluate`.
    """
    host = host or get_host()
    data = DataSpec(
        path=str(path),
        format=reader,
        options=dict(reader_options or {}),
        columns=mapping or ColumnMap(),
        layout=layout,
    )
    tables = iter_study_tables(data, survey, host, chunk_rows=chunk_rows)
    return evaluate_tables(survey, tables, host=host, **options)
