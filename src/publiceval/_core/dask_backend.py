"""Evaluate a Dask DataFrame of responses on a Dask cluster (optional ``dask`` extra).

Each partition is validated into a :class:`~publiceval._core.table.ResponseTable` and reduced to
:class:`~publiceval._core.aggregates.TableAggregates` where it lives (map); the aggregates are merged
in a tree by Dask's bag reduction and only they travel — kilobytes per OPD, not rows. The merged
aggregates are scored by the same code as an in-memory table, so the numbers are the same.

Validation is per partition: a duplicate or conflicting answer is found when both rows are in
one partition (partition by respondent, e.g. ``ddf.set_index("respondent")``, to find all).
Install with ``pip install 'publiceval[dask]'``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from .aggregates import Indicator, TableAggregates, table_aggregates
from .chunked import resolve_method
from .errors import PublicevalError
from .pipeline import evaluate
from .plugins import get_host
from .results import Evaluation
from .survey import Survey
from .table import ColumnMap, ResponseTable

__all__ = ["dask_aggregates", "evaluate_dask"]


def _dask() -> Any:
    try:
        import dask  # type: ignore[import-untyped,import-not-found,unused-ignore]
        import dask.bag  # type: ignore[import-untyped,import-not-found,unused-ignore]
        import dask.dataframe  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        raise PublicevalError(
            "evaluating a Dask DataFrame needs dask; install it with: pip install 'publiceval[dask]'"
        ) from None
    return dask


def partition_aggregates(
    frame: Any,
    survey: Survey,
    mapping: ColumnMap,
    index: int,
    source: str | None,
    indicators: tuple[Indicator, ...] = (),
    items: tuple[str, ...] | None = None,
) -> TableAggregates:
    """Validate one pandas partition and reduce it to aggregates (runs on a worker)."""
    columns = {str(name): frame[name].to_numpy() for name in frame.columns}
    where = f"{source or 'dask'} partition {index}"
    table = ResponseTable.from_columns(survey, columns, mapping=mapping, source=where)
    return table_aggregates(table, threads=1, indicators=indicators, items=items)


def _partition_list(
    frame: Any,
    survey: Survey,
    mapping: ColumnMap,
    index: int,
    source: str | None,
    indicators: tuple[Indicator, ...],
    items: tuple[str, ...] | None,
) -> list[TableAggregates]:
    """One partition of the bag: the partition's aggregates."""
    return [partition_aggregates(frame, survey, mapping, index, source, indicators, items)]


def _merge_all(parts: Iterable[TableAggregates]) -> TableAggregates:
    """Merge a bag partition's (or a reduction level's) aggregates, in order."""
    return functools.reduce(TableAggregates.merged, parts)


def dask_aggregates(
    survey: Survey,
    frame: Any,
    *,
    mapping: ColumnMap | None = None,
    source: str | None = None,
    scheduler: str | None = None,
    split_every: int = 8,
    indicators: Iterable[Indicator] = (),
    items: Iterable[str] | None = None,
) -> TableAggregates:
    """Map every partition of ``frame`` to aggregates and tree-reduce them to one.

    The reduction is Dask's own (``dask.bag.Bag.reduction`` with ``split_every``): each
    partition becomes a one-element bag partition, and merges run ``split_every`` at a time.
    ``scheduler`` is passed to ``dask.compute`` (default: the active client or Dask's default).
    """
    dask = _dask()
    mapping = mapping or ColumnMap()
    parts = frame.to_delayed()
    if not parts:
        raise PublicevalError("the Dask DataFrame has no partitions")
    wanted = tuple(indicators)
    chosen = None if items is None else tuple(items)
    bag = dask.bag.from_delayed(
        [
            dask.delayed(_partition_list, pure=True)(p, survey, mapping, i, source, wanted, chosen)
            for i, p in enumerate(parts)
        ]
    )
    total = bag.reduction(_merge_all, _merge_all, split_every=max(2, split_every))
    kwargs: dict[str, Any] = {} if scheduler is None else {"scheduler": scheduler}
    (result,) = dask.compute(total, **kwargs)
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
    """Evaluate a Dask DataFrame of responses; ``options`` are those of :func:`publiceval.evaluate`.

    The method is resolved first (one that cannot score aggregates is refused before any
    partition is computed) and the answer indicators it needs are summed on the workers.
    """
    host = options.get("host") or get_host()
    scorer = resolve_method(options.get("method", "mean"), options.get("method_options"), host)
    agg = dask_aggregates(
        survey,
        frame,
        mapping=mapping,
        source=source,
        scheduler=scheduler,
        indicators=scorer.aggregate_indicators(survey),
        items=scorer.aggregate_items(survey),
    )
    return evaluate(survey, agg, **options)
