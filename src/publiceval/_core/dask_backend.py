"""Evaluate a Dask DataFrame of responses on a Dask cluster (optional ``dask`` extra).

Each partition is validated into a :class:`~publiceval._core.table.ResponseTable` and reduced to
:class:`~publiceval._core.aggregates.TableAggregates` where it lives (map); the aggregates are merged
pairwise in a tree (reduce) and only they travel — kilobytes per OPD, not rows. The merged
aggregates are scored by the same code as an in-memory table, so the numbers are the same.

Validation is per partition: a duplicate or conflicting answer is found when both rows are in
one partition (partition by respondent, e.g. ``ddf.set_index("respondent")``, to find all).
Install with ``pip install 'publiceval[dask]'``.
"""

from __future__ import annotations

from typing import Any

from .aggregates import TableAggregates, table_aggregates
from .errors import PublicevalError
from .results import Evaluation
from .survey import Survey
from .table import ColumnMap, ResponseTable

__all__ = ["dask_aggregates", "evaluate_dask"]


def _dask() -> Any:
    try:
        import dask  # type: ignore[import-untyped,import-not-found,unused-ignore]
        import dask.dataframe  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        raise PublicevalError(
            "evaluating a Dask DataFrame needs dask; install it with: pip install 'publiceval[dask]'"
        ) from None
    return dask


def partition_aggregates(
    frame: Any, survey: Survey, mapping: ColumnMap, index: int, source: str | None
) -> TableAggregates:
    """Validate one pandas partition and reduce it to aggregates (runs on a worker)."""
    columns = {str(name): frame[name].to_numpy() for name in frame.columns}
    where = f"{source or 'dask'} partition {index}"
    table = ResponseTable.from_columns(survey, columns, mapping=mapping, source=where)
    return table_aggregates(table, threads=1)


def _merge(a: TableAggregates, b: TableAggregates) -> TableAggregates:
    return a.merged(b)


def dask_aggregates(
    survey: Survey,
    frame: Any,
    *,
    mapping: ColumnMap | None = None,
    source: str | None = None,
    scheduler: str | None = None,
    split_every: int = 8,
) -> TableAggregates:
    """Map every partition of ``frame`` to aggregates and tree-reduce them to one.

    ``scheduler`` is passed to ``dask.compute`` (default: the active client or Dask's default).
    """
    dask = _dask()
    mapping = mapping or ColumnMap()
    parts = frame.to_delayed()
    if not parts:
        raise PublicevalError("the Dask DataFrame has no partitions")
    delayed = dask.delayed
    level = [
        delayed(partition_aggregates, pure=True)(p, survey, mapping, i, source)
        for i, p in enumerate(parts)
    ]
    width = max(2, split_every)
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level), width):
            group = level[i : i + width]
            node = group[0]
            for other in group[1:]:
                node = delayed(_merge, pure=True)(node, other)
            nxt.append(node)
        level = nxt
    kwargs: dict[str, Any] = {} if scheduler is None else {"scheduler": scheduler}
    (result,) = dask.compute(level[0], **kwargs)
    if not isinstance(result, TableAggregates):
        raise PublicevalError(f"expected merged aggregates; found {type(result).__name__}")
    return result


def evaluate_dask(
    survey: Survey,
    frame: Any,
    *,
    mapping: ColumnMap | None = None,
    source: str | None = None,
    scheduler: str | None = None,
    **options: Any,
) -> Evaluation:
    """Evaluate a Dask DataFrame of responses; ``options`` are those of :func:`publiceval.evaluate`."""
    from .pipeline import evaluate

    agg = dask_aggregates(survey, frame, mapping=mapping, source=source, scheduler=scheduler)
    return evaluate(survey, agg, **options)
