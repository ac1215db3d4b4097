"""Evaluate a Dask DataFrame of responses on a Dask cluster (optional ``dask`` extra).

Each partition is validated into a :class:`~publiceval._core.table.ResponseTable` and reduced to
:class:`~publiceval._core.aggregates.TableAggregates` where it lives (map); the aggregates are merged
in a tree by Dask's bag reduction and only they travel — kilobytes per OPD, not rows. The merged
aggregates are scored by the same code as an in-memory table, so the numbers are the same.

Validation is per partition: a duplicate or conflicting answer is found when both rows are in
one partition (partition by respondent, e.g. ``ddf.set_index("respondent")``, to find all).
A study's ``[data]`` folder or glob runs one task per *file* instead
(:func:`dask_file_aggregates`): each worker reads its file through the study's reader, in
chunks, so the same ingest road (layout, column map, rejects) applies on the cluster.
Install with ``pip install 'publiceval[dask]'``.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .aggregates import Indicator, TableAggregates, table_aggregates
from .chunked import aggregate_tables, resolve_method
from .errors import PublicevalError
from .ingest import DataSpec, iter_responses, study_reader
from .pipeline import evaluate
from .plugins import get_host
from .results import Evaluation
from .survey import Survey
from .table import ColumnMap, ResponseTable

__all__ = ["dask_aggregates", "dask_file_aggregates", "evaluate_dask"]


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
    return _compute(dask, total, scheduler)


def _compute(dask: Any, total: Any, scheduler: str | None) -> TableAggregates:
    """Compute on the scheduler named: an address, ``local``, a Dask scheduler name, or Dask's
    default (its ``scheduler-address`` config, e.g. ``DASK_SCHEDULER_ADDRESS``, else threads)."""
    if scheduler is None:
        scheduler = dask.config.get("scheduler-address", None)
    if scheduler is not None and ("://" in scheduler or scheduler == "local"):
        try:
            distributed: Any = importlib.import_module("distributed")
        except ImportError:
            raise PublicevalError(
                f"scheduler {scheduler!r} needs dask.distributed; install it with: "
                "pip install 'publiceval[dask]'"
            ) from None
        if scheduler == "local":
            with (
                distributed.LocalCluster(threads_per_worker=1, dashboard_address=None) as cluster,
                distributed.Client(cluster) as client,
            ):
                result = client.compute(total).result()
        else:
            with distributed.Client(scheduler) as client:
                result = client.compute(total).result()
    else:
        kwargs: dict[str, Any] = {} if scheduler is None else {"scheduler": scheduler}
        (result,) = dask.compute(total, **kwargs)
    if not isinstance(result, TableAggregates):
        raise PublicevalError(f"expected merged aggregates; found {type(result).__name__}")
    return result


def file_aggregates(
    data: DataSpec,
    survey: Survey,
    path: str,
    invalid_answer: Any,
    chunk_rows: int,
    indicators: tuple[Indicator, ...],
    items: tuple[str, ...] | None,
) -> TableAggregates:
    """Read one file through the study's reader in chunks and reduce it (runs on a worker).

    The worker uses its own plugin host (the installed plugins), so the reader must be
    installed on the workers too.
    """
    file = Path(path)
    reader, layout = study_reader(data, get_host(), file, invalid_answer)
    tables = iter_responses(
        reader, file, survey, data.columns, layout=layout, chunk_rows=chunk_rows
    )
    return aggregate_tables(tables, indicators=indicators, items=items, keep_ids=True)


def dask_file_aggregates(
    data: DataSpec,
    survey: Survey,
    files: Iterable[Path],
    *,
    invalid_answer: Any = "reject-row",
    chunk_rows: int = 100_000,
    scheduler: str | None = None,
    split_every: int = 8,
    indicators: Iterable[Indicator] = (),
    items: Iterable[str] | None = None,
) -> TableAggregates:
    """One task per file (a Parquet folder, a glob of CSVs), tree-merged as partitions are.

    Workers must see the files at the same paths (a shared or object-store mount). What
    travels back is each file's aggregates: kilobytes per OPD plus 8 bytes per distinct
    respondent (the id hashes that make the respondent count exact across files).
    """
    dask = _dask()
    wanted = tuple(indicators)
    chosen = None if items is None else tuple(items)
    # the survey and data spec travel once, as graph keys of their own: each worker unpickles
    # them once (not once a file) and the client tokenizes them once, not once a file
    shared = dask.delayed(_shared, pure=True)(
        data, survey, invalid_answer, chunk_rows, wanted, chosen
    )
    parts = [dask.delayed(_file_list, pure=True)(shared, str(f)) for f in files]
    if not parts:
        raise PublicevalError("no data files to evaluate")
    bag = dask.bag.from_delayed(parts)
    total = bag.reduction(_merge_all, _merge_all, split_every=max(2, split_every))
    return _compute(dask, total, scheduler)


def _shared(*args: Any) -> tuple[Any, ...]:
    """What every file's task shares (the survey, the data spec, the options)."""
    return args


def _file_list(shared: tuple[Any, ...], path: str) -> list[TableAggregates]:
    data, survey, invalid_answer, chunk_rows, wanted, chosen = shared
    return [file_aggregates(data, survey, path, invalid_answer, chunk_rows, wanted, chosen)]


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
