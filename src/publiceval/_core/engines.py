"""Where a study's data is evaluated: in memory, in chunks, or on a Dask cluster.

``[data] engine`` (or ``publiceval evaluate --engine``) picks the road; every road but memory
reduces the data to mergeable aggregates (:mod:`.aggregates`) and scores them with the same
code, so the numbers are the same (``tests/test_scale_engines.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .aggregates import TableAggregates
from .chunked import aggregate_tables
from .errors import StudyError
from .ingest import DataSpec, iter_responses, iter_study_tables, study_reader
from .ingest.data import data_files
from .ingest.raw import Progress
from .plugins import PluginHost
from .survey import Survey
from .table import ResponseTable

if TYPE_CHECKING:
    from .study import Study

__all__ = ["ENGINES", "study_aggregates"]

ENGINES = ("memory", "chunked", "dask")


def study_aggregates(
    study: Study,
    host: PluginHost,
    *,
    chunk_rows: int | None = None,
    engine: str | None = None,
    progress: Progress | None = None,
) -> TableAggregates | None:
    """The study's data reduced to aggregates by its engine; ``None`` for the in-memory road.

    ``engine`` (else ``[data] engine``) is ``memory``, ``chunked`` or ``dask``; by default a
    folder or glob, or ``chunk_rows``, means ``chunked``. The method is checked first: one
    that cannot score aggregates is refused before any file is opened.
    """
    data = study.spec.data
    if data is None:
        return None
    files = data_files(data, study.base_dir, allow_outside=study.allow_outside_data)
    chosen = engine or data.engine
    if chosen is None:
        chosen = "memory" if chunk_rows is None and files is None else "chunked"
    elif chosen == "memory" and engine is None and chunk_rows is not None:
        chosen = "chunked"  # --chunk-rows (or a file over 1 GB) over the study's default
    if chosen not in ENGINES:
        raise StudyError(f"unknown engine {chosen!r}; expected memory, chunked or dask")
    if chosen == "memory":
        if files is not None:
            raise StudyError(
                f"{study.path}: [data] path {data.path!r} names {len(files)} files; the "
                'memory engine reads one file: use engine = "chunked" or "dask"'
            )
        return None
    method_cls = host.method(study.spec.method.name)
    method = method_cls.create(study.spec.method.options)
    if not method.supports_aggregates:
        raise StudyError(
            f"{study.path}: method {study.spec.method.name!r} cannot be evaluated in chunks "
            f"(chunk_rows / --chunk-rows, engine {chosen!r}) because "
            f"{method.aggregates_reason}; evaluate in memory instead (drop --chunk-rows)"
        )
    indicators = method.aggregate_indicators(study.survey)
    items = method.aggregate_items(study.survey)
    rows = chunk_rows or data.chunk_rows
    if chosen == "dask":
        from .dask_backend import dask_file_aggregates

        return dask_file_aggregates(
            data,
            study.survey,
            files
            if files is not None
            else [data.resolve(study.base_dir, allow_outside=study.allow_outside_data)],
            invalid_answer=method_cls.default_invalid_answer,
            chunk_rows=rows,
            scheduler=data.scheduler,
            indicators=indicators,
            items=items,
        )
    if files is None:
        tables = iter_study_tables(study, None, host, chunk_rows=rows, progress=progress)
    else:
        tables = _file_tables(data, study.survey, host, files, rows, method_cls)
    return aggregate_tables(tables, indicators=indicators, items=items)


def _file_tables(
    data: DataSpec,
    survey: Survey,
    host: PluginHost,
    files: list[Path],
    chunk_rows: int,
    method_cls: Any,
) -> Iterator[ResponseTable]:
    """The chunk tables of several files, one file after another."""
    for file in files:
        reader, layout = study_reader(data, host, file, method_cls.default_invalid_answer)
        yield from iter_responses(
            reader, file, survey, data.columns, layout=layout, chunk_rows=chunk_rows
        )
