"""Raw chunks: what a tabular reader gives, before any layout or validation.

A reader parses its file format into :class:`RawChunk` s of cells of the columns the study uses
(the :data:`KeepColumns` callback names them once the header is known). Row numbers are the
rows a person sees in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..rejects import Reject

__all__ = [
    "AUTO_CHUNK_BYTES",
    "DEFAULT_CHUNK_ROWS",
    "MAX_CELL_CHARS",
    "CodedCells",
    "KeepColumns",
    "MaskedInts",
    "Progress",
    "RawChunk",
    "column_letter",
]

#: ``progress(done, total)`` in the reader's units (bytes or rows); ``total`` is 0 if unknown.
Progress = Callable[[int, int], None]
#: Rows parsed per chunk; bounds the memory spent on raw text at any one time.
DEFAULT_CHUNK_ROWS = 50_000
#: ``publiceval evaluate`` reads a larger data file in chunks (constant memory) on its own,
#: when the study's method scores from aggregates.
AUTO_CHUNK_BYTES = 1_000_000_000
#: Longer cells in a used column are rejected: no answer, id or OPD name is this long, and
#: fixed-width text arrays of such cells would cost memory proportional to the longest one.
MAX_CELL_CHARS = 1000
#: Called once with the file's header; returns the header names whose cells the reader must keep.
KeepColumns = Callable[[Sequence[str]], set[str]]


class CodedCells:
    """A column of cells as codes into its distinct values: cell ``i`` is
    ``values[codes[i]]`` (what Arrow's dictionary encoding gives a reader).

    The ingest road keeps the codes (no Python object per cell); ``cells()`` writes the cells
    out for code that wants them one by one.
    """

    __slots__ = ("codes", "values")

    def __init__(self, codes: NDArray[np.integer[Any]], values: NDArray[np.object_]) -> None:
        self.codes = codes
        self.values = values

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return CodedCells(self.codes[key], self.values)
        return self.values[self.codes[key]]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tolist())

    def cells(self) -> NDArray[np.object_]:
        """The cells, one (shared) object each."""
        out: NDArray[np.object_] = self.values[self.codes]
        return out

    def tolist(self) -> list[Any]:
        out: list[Any] = self.cells().tolist()
        return out


class MaskedInts:
    """A column of whole numbers with gaps: ``values[i]`` is cell ``i`` where ``valid[i]``,
    else the cell is empty (what Arrow's integer arrays and validity bitmaps give a reader).

    The builder checks answers in this form (integer comparisons); :meth:`floats` is the same
    column as float64 with NaN where empty, for code that wants that.
    """

    __slots__ = ("valid", "values")

    def __init__(self, values: NDArray[np.integer[Any]], valid: NDArray[np.bool_]) -> None:
        self.values = values
        self.valid = valid

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice):
            return MaskedInts(self.values[key], self.valid[key])
        if isinstance(key, int | np.integer):
            return _float_at(self, int(key))
        return self.floats()[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.floats().tolist())

    def floats(self) -> NDArray[np.float64]:
        """The cells as float64, NaN where empty."""
        out = self.values.astype(np.float64)
        out[~self.valid] = np.nan
        return out


def _float_at(cells: MaskedInts, i: int) -> np.float64:
    """Cell ``i`` as the float column shows it (NaN: empty)."""
    out: np.float64 = np.float64(cells.values[i] if cells.valid[i] else np.nan)
    return out


#: A reader's column: cells, codes into distinct values, or whole numbers with gaps.
RawColumn = Sequence[Any] | NDArray[Any] | CodedCells | MaskedInts


@dataclass
class RawChunk:
    """Consecutive data rows of a file, as cells of the columns the study uses.

    ``rows`` are the row numbers a person sees (spreadsheet row, or CSV record counting the
    header as 1); ``rejects`` are problems the reader found itself (row numbers as in ``rows``).
    """

    columns: dict[str, RawColumn]
    rows: NDArray[np.int64]
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    done: int = 0
    total: int = 0
    delimiter: str | None = None
    """The cell delimiter of a text file, if the reader knows it (a ``,`` file writes a decimal
    point: ``1.500`` reads as 1.5 there, while a ``;`` file must say which it means)."""


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 → A, 26 → AA)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def join_raw(a: RawChunk, b: RawChunk) -> RawChunk:
    """Two consecutive chunks as one."""
    columns: dict[str, RawColumn] = {}
    for name in a.columns.keys() | b.columns.keys():
        x, y = a.columns.get(name, [None] * len(a.rows)), b.columns.get(name, [None] * len(b.rows))
        x = _plain(x)
        y = _plain(y)
        if isinstance(x, np.ndarray) and isinstance(y, np.ndarray):
            columns[name] = np.concatenate([x, y])
        else:
            columns[name] = [*x, *y]
    return RawChunk(
        columns=columns,
        rows=np.concatenate([a.rows, b.rows]),
        rejects=[*a.rejects, *b.rejects],
        warnings=[*a.warnings, *(w for w in b.warnings if w not in a.warnings)],
        done=b.done,
        total=b.total,
        delimiter=a.delimiter or b.delimiter,
    )


def _plain(cells: RawColumn) -> Sequence[Any] | NDArray[Any]:
    if isinstance(cells, CodedCells):
        return cells.cells()
    if isinstance(cells, MaskedInts):
        return cells.floats()
    return cells


def split_last_respondent(
    chunk: RawChunk, respondent: str | None
) -> tuple[RawChunk, RawChunk | None]:
    """The chunk without its last respondent's trailing rows, and those rows (to carry over)."""
    n = len(chunk.rows)
    cells = chunk.columns.get(respondent) if respondent else None
    if cells is None or n == 0:
        return chunk, None
    last = cells[n - 1]
    k = n - 1
    while k > 0 and cells[k - 1] == last:
        k -= 1
    if k == 0:
        return RawChunk(
            columns={}, rows=chunk.rows[:0], warnings=chunk.warnings, delimiter=chunk.delimiter
        ), chunk
    cut = int(chunk.rows[k])
    head = RawChunk(
        columns={name: col[:k] for name, col in chunk.columns.items()},
        rows=chunk.rows[:k],
        rejects=[e for e in chunk.rejects if e.row < cut],
        warnings=chunk.warnings,
        done=chunk.done,
        total=chunk.total,
        delimiter=chunk.delimiter,
    )
    tail = RawChunk(
        columns={name: col[k:] for name, col in chunk.columns.items()},
        rows=chunk.rows[k:],
        rejects=[e for e in chunk.rejects if e.row >= cut],
        warnings=[],
        done=chunk.done,
        total=chunk.total,
        delimiter=chunk.delimiter,
    )
    return head, tail
