"""Readers and the one road from a file to validated tables, whole or in chunks.

A :class:`Reader` gives ready tables; a :class:`TabularReader` only parses its format into
:class:`~.raw.RawChunk` s, and the rest is shared: the layout is planned from the header
(:mod:`.plan`), chunks are accumulated (:mod:`.accumulate`), shaped into records
(:mod:`.shape`) and validated by :meth:`ResponseTable.from_handoff`.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

from ..components import Component
from ..errors import DataError
from ..survey import Survey
from ..table import ColumnMap, ResponseTable
from ..table.numbers import AmbiguousNumbersError
from .accumulate import Accumulator
from .plan import LayoutKind, LayoutSpec, Plan
from .raw import (
    DEFAULT_CHUNK_ROWS,
    KeepColumns,
    Progress,
    RawChunk,
    join_raw,
    split_last_respondent,
)
from .shape import shape

__all__ = ["Reader", "TabularReader", "iter_responses", "read_responses"]


class Reader(Component):
    """Base class of reader plugins.

    ``suffixes`` are the file endings the reader claims when a study names no format.
    A reader that parses a table of text cells subclasses :class:`TabularReader` and gets
    layouts, chunking and rejects for free; any other reader builds its tables itself (e.g.
    with :meth:`ResponseTable.from_columns`).
    """

    suffixes: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def read(self, path: Path, survey: Survey, mapping: ColumnMap) -> ResponseTable:
        """Read the whole file."""

    def iter_tables(
        self, path: Path, survey: Survey, mapping: ColumnMap, chunk_rows: int
    ) -> Iterator[ResponseTable]:
        """Read in chunks of about ``chunk_rows`` rows; by default the whole file is one chunk."""
        yield self.read(path, survey, mapping)


class TabularReader(Reader):
    """A reader of a table of text cells with a header row (CSV, XLSX, Parquet …).

    Subclasses implement :meth:`iter_raw`; layouts, chunking, memory and rejects are shared.
    ``default_layout`` is used when the study names none.
    """

    default_layout: ClassVar[LayoutKind] = "wide"
    #: Respondent column used when the study keeps the default and the file has none.
    respondent_fallbacks: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def iter_raw(self, path: Path, chunk_rows: int, keep: KeepColumns) -> Iterator[RawChunk]:
        """Parse the file in chunks of about ``chunk_rows`` rows, keeping the columns ``keep`` names."""

    def adapt_values(
        self, values: list[Any], column: str, survey: Survey, mapping: ColumnMap
    ) -> list[Any]:
        """Rewrite the distinct cell values of a column (e.g. Kobo choice names); default: as is."""
        return values

    def read(
        self, path: Path, survey: Survey, mapping: ColumnMap, *, layout: LayoutSpec | None = None
    ) -> ResponseTable:
        return read_responses(self, path, survey, mapping, layout=layout)

    def iter_tables(
        self,
        path: Path,
        survey: Survey,
        mapping: ColumnMap,
        chunk_rows: int,
        *,
        layout: LayoutSpec | None = None,
    ) -> Iterator[ResponseTable]:
        """One validated table per chunk of about ``chunk_rows`` rows, for chunked scoring.

        Chunks are cut where the respondent changes, so one respondent's consecutive rows stay
        in one table; duplicates and conflicts are found within a chunk only (``validate``
        reads the whole file to find them all).
        """
        return iter_responses(self, path, survey, mapping, layout=layout, chunk_rows=chunk_rows)


def _check(reader: Reader, path: Path, layout: LayoutSpec | None, chunk_rows: int) -> None:
    if not path.exists():
        raise DataError(f"data file not found: {path}")
    if path.is_dir():
        raise DataError(f"{path}: expected a data file; found a folder")
    if chunk_rows < 1:
        raise DataError(f"chunk size must be at least 1 row; found {chunk_rows}")
    if not isinstance(reader, TabularReader) and layout is not None and layout.kind != "wide":
        raise DataError(
            f"reader {reader.name!r} gives ready rows; layout {layout.kind!r} needs a "
            "tabular reader (csv, xlsx, gforms, kobo, parquet)"
        )


def _no_rows(path: Path) -> DataError:
    return DataError(
        f"{path}: found a header row but no data rows; expected at least one row of answers"
    )


class _Planner:
    """The :data:`KeepColumns` callback: plans the layout once the header is known."""

    def __init__(
        self,
        reader: TabularReader,
        survey: Survey,
        mapping: ColumnMap,
        layout: LayoutSpec,
        source: str,
    ) -> None:
        self.reader, self.survey, self.mapping = reader, survey, mapping
        self.layout, self.source = layout, source
        self.plan: Plan | None = None

    def __call__(self, header: Sequence[str]) -> set[str]:
        self.plan = Plan(
            self.survey,
            self.mapping,
            self.layout,
            list(header),
            self.reader.respondent_fallbacks,
            self.source,
        )
        return set(self.plan.keep)

    def table(self, chunks: Sequence[RawChunk]) -> ResponseTable:
        """Validate consecutive chunks into one table."""
        assert self.plan is not None  # the reader calls keep() before giving rows
        acc = Accumulator(self.plan)
        for chunk in chunks:
            acc.add(chunk)
        return self.finish(acc)

    def finish(self, acc: Accumulator) -> ResponseTable:
        """The table of the rows accumulated: shaped by the layout, then validated."""
        plan, reader, survey = acc.plan, self.reader, self.survey
        parsed = acc.finish(
            lambda values, name: reader.adapt_values(values, name, survey, plan.mapping),
            self.source,
        )
        return ResponseTable.from_handoff(survey, shape(plan, parsed, survey, self.source))


def read_responses(
    reader: Reader,
    path: Path,
    survey: Survey,
    mapping: ColumnMap,
    *,
    layout: LayoutSpec | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: Progress | None = None,
) -> ResponseTable:
    """Read a whole file through ``reader`` into one validated table.

    A tabular reader parses ``chunk_rows`` rows at a time; only the used columns are kept
    (dictionary-encoded), so memory grows with them, not with the file.
    """
    _check(reader, path, layout, chunk_rows)
    if not isinstance(reader, TabularReader):
        return reader.read(path, survey, mapping)
    planner = _Planner(reader, survey, mapping, layout or _default(reader), str(path))
    acc: Accumulator | None = None
    for chunk in reader.iter_raw(path, chunk_rows, planner):
        if acc is None:
            assert planner.plan is not None
            acc = Accumulator(planner.plan)
        acc.add(chunk)
        if progress is not None:
            progress(chunk.done, chunk.total)
    if acc is None or acc.n_rows == 0:
        raise _no_rows(path)
    return planner.finish(acc)


def iter_responses(
    reader: Reader,
    path: Path,
    survey: Survey,
    mapping: ColumnMap,
    *,
    layout: LayoutSpec | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    progress: Progress | None = None,
) -> Iterator[ResponseTable]:
    """Read a file through ``reader`` as validated tables of about ``chunk_rows`` rows each.

    Chunks are cut only where the respondent changes, so a respondent's consecutive rows
    (and the records they make in any layout) stay in one table. Memory is about one chunk.
    A reader that is not tabular gives its own ``iter_tables``.
    """
    _check(reader, path, layout, chunk_rows)
    if not isinstance(reader, TabularReader):
        yield from reader.iter_tables(path, survey, mapping, chunk_rows)
        return
    planner = _Planner(reader, survey, mapping, layout or _default(reader), str(path))
    carry: RawChunk | None = None
    seen = False
    # chunks whose numbers read two ways wait for a later chunk to settle the column; they are
    # then read with it as one table (memory grows only while nothing settles it)
    waiting: list[RawChunk] = []
    for raw in reader.iter_raw(path, chunk_rows, planner):
        if progress is not None:
            progress(raw.done, raw.total)
        chunk = raw if carry is None else join_raw(carry, raw)
        assert planner.plan is not None
        head, carry = split_last_respondent(chunk, planner.plan.mapping.respondent)
        if len(head.rows):
            seen = True
            try:
                table = planner.table([*waiting, head])
            except AmbiguousNumbersError:
                waiting.append(head)
                continue
            waiting = []
            yield table
    if carry is not None and len(carry.rows):
        seen = True
        waiting.append(carry)
    if waiting:
        yield planner.table(waiting)  # still unsettled: refused as read whole would be
    if not seen:
        raise _no_rows(path)


def _default(reader: TabularReader) -> LayoutSpec:
    return LayoutSpec(kind=reader.default_layout)
