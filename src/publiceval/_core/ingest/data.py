"""The one entry point from a study's ``[data]`` table to validated tables, whole or in chunks."""

from __future__ import annotations

import glob
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from ..errors import DataError, StudyError
from ..rejects import RejectThreshold
from ..survey import Survey
from ..table import ColumnMap, ResponseTable
from ..table.policy import DuplicatePolicy, InvalidAnswer, RecordPolicy
from .plan import LayoutKind, LayoutSpec, check_separators
from .raw import AUTO_CHUNK_BYTES, DEFAULT_CHUNK_ROWS, Progress
from .read import Reader, TabularReader, iter_responses, read_responses

if TYPE_CHECKING:
    from ..plugins import PluginHost
    from ..study import Study

__all__ = [
    "DataSpec",
    "data_files",
    "iter_study_tables",
    "large_file_chunk_rows",
    "read_study_data",
    "study_reader",
]


class DataSpec(BaseModel):
    """``[data]``: the response file, its format and which column holds what."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str
    format: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    columns: ColumnMap = Field(default_factory=ColumnMap)
    layout: LayoutKind | None = None
    """``wide`` (row per respondent × OPD), ``long`` (row per answer) or ``opd-columns``
    (row per respondent, a column per item per OPD); default: the reader's."""
    item_column: str = "item"
    value_column: str = "value"
    header_pattern: str = "{item} [{opd}]"
    chunk_rows: int = Field(default=DEFAULT_CHUNK_ROWS, ge=1)
    decimal: Literal[".", ","] | None = None
    """Decimal mark of numbers typed as text (weights, numeric answers); default: detected
    per column, and a column whose numbers read two ways (``1.500``) is refused."""
    thousands: Literal["", ".", ",", " "] | None = None
    """Thousands separator; default: ``"."`` after a decimal comma, ``","`` after a point."""
    invalid_answer: InvalidAnswer | None = None
    """``skip-answer`` (an invalid answer counts as unanswered; the row's other answers count)
    or ``reject-row``; default: the method's (``skip-answer`` for the SKM methods, whose
    formula divides by the answers given)."""
    duplicates: DuplicatePolicy | None = None
    """A submission sent twice, when there is no respondent id: keep the first copy, keep all
    (reported), or reject all. Default: ``keep-first`` for rows with the same OPD and answers
    submitted within ``duplicate_window_minutes`` (a ``timestamp`` column); ``keep-all`` for
    rows identical in every cell when there is no timestamp to tell copies from two people
    who answered alike."""
    duplicate_window_minutes: float = Field(default=10.0, ge=0)
    max_rejects: str | None = None
    """Gate: ``evaluate`` and ``validate`` stop (exit 6) when more rows are rejected than this
    count or percentage of the rows read (default ``"10%"``; ``"100%"`` turns it off)."""
    allow_empty_opds: bool = False
    """Gate: an OPD of ``[[opds]]`` with no usable row stops the run unless this is true."""
    engine: Literal["memory", "chunked", "dask"] | None = None
    """Where the data is evaluated: ``memory`` (read whole), ``chunked`` (reduced
    ``chunk_rows`` at a time, constant memory) or ``dask`` (one task per file on a Dask
    cluster, only aggregates travel). Default: ``memory``, or ``chunked`` for a folder, a glob
    or a file over 1 GB when the method scores from aggregates."""
    scheduler: str | None = None
    """With ``engine = "dask"``: a scheduler address (``tcp://host:8786``), ``local`` (a
    cluster of worker processes on this machine for the run), or a Dask scheduler name
    (``threads``, ``processes``, ``synchronous``). Default: Dask's (its config or the
    ``DASK_SCHEDULER_ADDRESS`` variable, else threads)."""

    @field_validator("thousands")
    @classmethod
    def _separators(cls, thousands: str | None, info: ValidationInfo) -> str | None:
        check_separators(info.data.get("decimal"), thousands)
        return thousands

    @field_validator("max_rejects")
    @classmethod
    def _threshold(cls, value: str | None) -> str | None:
        if value is not None:
            RejectThreshold.parse(value, "max_rejects")
        return value

    def layout_spec(
        self, default: LayoutKind = "wide", invalid_answer: InvalidAnswer = "reject-row"
    ) -> LayoutSpec:
        """The layout options as one object (``invalid_answer``: the method's default)."""
        return LayoutSpec(
            kind=self.layout or default,
            item_column=self.item_column,
            value_column=self.value_column,
            header_pattern=self.header_pattern,
            decimal=self.decimal,
            thousands=self.thousands,
            policy=RecordPolicy(
                invalid_answer=self.invalid_answer or invalid_answer,
                duplicates=self.duplicates,
                duplicate_window_minutes=self.duplicate_window_minutes,
            ),
        )

    def resolve(
        self, base_dir: Path | None, *, allow_outside: bool = False, study: Path | None = None
    ) -> Path:
        """The data file, relative paths resolved against ``base_dir`` (the study's folder).

        The file must lie inside ``base_dir`` once ``..``, absolute paths and symlinks are
        resolved, unless ``allow_outside`` (or there is no ``base_dir``): a study file written
        by someone else may not read any file of the machine it runs on. A path outside is a
        :class:`StudyError` naming ``study`` (the study file), the key and the resolved path.
        """
        p = Path(self.path)
        path = p if p.is_absolute() or base_dir is None else base_dir / p
        if base_dir is not None and not allow_outside:
            real, folder = path.resolve(), base_dir.resolve()
            if real != folder and folder not in real.parents:
                where = f"{study}: " if study is not None else ""
                raise StudyError(
                    f"{where}key 'data.path': {self.path!r} resolves to {real}, outside the "
                    f"study's folder {folder}; a study may read only files in its own folder "
                    "(to allow this one: publiceval evaluate/validate --allow-outside-data, "
                    "or load_study(..., allow_outside_data=True))"
                )
        return path


def data_files(
    data: DataSpec, base_dir: Path | None, *, allow_outside: bool = False
) -> list[Path] | None:
    """The files a folder or glob ``path`` names, sorted (``None``: ``path`` is one file).

    Hidden and ``_``-prefixed files (``_SUCCESS``, ``_metadata`` of Spark and Dask) are
    skipped; each file must lie inside the study's folder, as a single ``path`` must.
    """
    root = data.resolve(base_dir, allow_outside=allow_outside)
    if any(c in data.path for c in "*?["):
        found = [Path(f) for f in glob.glob(str(root))]
    elif root.is_dir():
        found = list(root.iterdir())
    else:
        return None
    files = sorted(f for f in found if f.is_file() and not f.name.startswith((".", "_")))
    for f in files:
        DataSpec(path=str(f)).resolve(base_dir, allow_outside=allow_outside)
    if not files:
        raise DataError(f"{data.path}: no data files in this folder or glob")
    return files


def large_file_chunk_rows(
    data: DataSpec, base_dir: Path | None, *, allow_outside: bool = False
) -> int | None:
    """``data.chunk_rows`` when the data file is larger than :data:`AUTO_CHUNK_BYTES` (too large
    to read whole: evaluate it in chunks if the method can), else ``None``."""
    path = data.resolve(base_dir, allow_outside=allow_outside)
    if not path.is_file() or path.stat().st_size <= AUTO_CHUNK_BYTES:
        return None
    return data.chunk_rows


def _unpack(
    data: DataSpec | Study, survey: Survey | None, base_dir: Path | None
) -> tuple[DataSpec, Survey, Path | None, str]:
    if isinstance(data, DataSpec):
        if survey is None:
            raise TypeError("read_study_data: a DataSpec needs the survey")
        return data, survey, base_dir, ""
    spec = data.spec.data
    if spec is None:
        raise DataError(f"{data.path}: the study has no [data] table (it has published scores)")
    return spec, survey or data.survey, data.base_dir, f" (named by [data] path in {data.path})"


def study_reader(
    data: DataSpec, host: PluginHost, path: Path, invalid_answer: InvalidAnswer = "reject-row"
) -> tuple[Reader, LayoutSpec]:
    """The reader the ``[data]`` table names (or the file's suffix picks) and its layout.

    ``invalid_answer`` is the default when ``[data]`` does not say (the study method's)."""
    cls = host.reader(data.format) if data.format else host.reader_for_suffix(path.suffix)
    reader = cls.create(data.options)
    default = reader.default_layout if isinstance(reader, TabularReader) else "wide"
    return reader, data.layout_spec(default, invalid_answer)


def _open(
    data: DataSpec | Study, survey: Survey | None, host: PluginHost, base_dir: Path | None
) -> tuple[DataSpec, Survey, Path, Reader, LayoutSpec]:
    spec, survey, base_dir, named = _unpack(data, survey, base_dir)
    if isinstance(data, DataSpec):
        path = spec.resolve(base_dir)
    else:
        path = spec.resolve(base_dir, allow_outside=data.allow_outside_data, study=data.path)
    if path.is_dir() or any(c in spec.path for c in "*?["):
        raise DataError(
            f"{spec.path!r}{named} names several files (a folder or glob): they are read one "
            'by one with engine = "chunked" or "dask" ([data] engine, or evaluate --engine); '
            "to validate, name one file at a time"
        )
    if not path.exists():
        raise DataError(f"data file not found: {path}{named}")
    invalid: InvalidAnswer = "reject-row"
    if not isinstance(data, DataSpec):
        method = host.method(data.spec.method.name)
        invalid = method.default_invalid_answer
    reader, layout = study_reader(spec, host, path, invalid)
    return spec, survey, path, reader, layout


def read_study_data(
    data: DataSpec | Study,
    survey: Survey | None,
    host: PluginHost,
    *,
    base_dir: Path | None = None,
    chunk_rows: int | None = None,
    progress: Progress | None = None,
) -> ResponseTable:
    """Read a study's whole data file, in its layout, into one validated table.

    ``data`` is a study (its ``[data]`` table, survey and folder) or a ``[data]`` table with
    ``survey`` and ``base_dir``. ``chunk_rows`` (default ``[data] chunk_rows``) is how many
    rows are parsed at a time; the result is one table either way.
    """
    spec, survey, path, reader, layout = _open(data, survey, host, base_dir)
    return read_responses(
        reader,
        path,
        survey,
        spec.columns,
        layout=layout,
        chunk_rows=chunk_rows or spec.chunk_rows,
        progress=progress,
    )


def iter_study_tables(
    data: DataSpec | Study,
    survey: Survey | None,
    host: PluginHost,
    *,
    chunk_rows: int,
    base_dir: Path | None = None,
    progress: Progress | None = None,
) -> Iterator[ResponseTable]:
    """Read a study's data file, in its layout, as tables of about ``chunk_rows`` rows each.

    Chunks are cut only where the respondent changes; memory is about one chunk. Feed the
    tables to :func:`publiceval._core.chunked.aggregate_tables` to evaluate in constant memory.
    """
    spec, survey, path, reader, layout = _open(data, survey, host, base_dir)
    return iter_responses(
        reader,
        path,
        survey,
        spec.columns,
        layout=layout,
        chunk_rows=chunk_rows,
        progress=progress,
    )
