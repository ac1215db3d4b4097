"""Accumulating raw chunks: the columns a study uses, dictionary-encoded as they arrive.

Memory grows with the parsed columns only, not with the file. :meth:`Accumulator.finish`
turns them into :class:`~publiceval._core.table.Cells` (one per kept column) with the cell text
as typed, and rejects cells no column may hold (formulas, very long text) at their row and
column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..cells import is_missing
from ..errors import DataError
from ..rejects import Reject, RejectReason
from ..table import Cells
from ..table.numbers import number_text, read_numbers
from .plan import Plan
from .raw import MAX_CELL_CHARS, CodedCells, MaskedInts, RawChunk, RawColumn

__all__ = ["Accumulator", "Parsed"]

#: Rewrites the distinct values of a column (a reader's ``adapt_values``).
Adapt = Callable[[list[Any], str], list[Any]]


@dataclass
class Parsed:
    """The kept columns of some consecutive rows, ready to be shaped by the layout."""

    columns: dict[str, Cells]
    rows: NDArray[np.int64]
    """Source row of each cell."""
    rejects: list[Reject]
    """Problems found so far, at their source row."""
    warnings: list[str]


class _Column:
    """A column of cells, dictionary-encoded as it arrives (one string object per distinct value).

    A column whose values are mostly distinct (respondent ids) is kept as plain cells instead:
    a dictionary would cost more than it saves.
    """

    def __init__(self) -> None:
        self.lookup: dict[Any, int] = {}
        self.codes: list[NDArray[np.int32]] = []
        self.numbers: list[NDArray[Any] | MaskedInts] = []
        """Numeric chunks; integer chunks stay integers so that an id 1 reads as "1", not "1.0"
        (with gaps: integers and a validity mask)."""
        self.plain: list[NDArray[np.object_]] | None = None

    def add(self, cells: RawColumn) -> None:
        if isinstance(cells, MaskedInts):
            if self.codes or self.plain is not None:
                cells = cells.floats()  # text came first: shown as text, as before
            else:
                self.numbers.append(cells)
                return
        if isinstance(cells, CodedCells):
            if self.numbers or self.plain is not None or not self._add_coded(cells):
                self.add(cells.cells())
            return
        if isinstance(cells, np.ndarray) and cells.dtype.kind in "iufb":
            # a reader's fresh array is kept as it is (no copy) when already int64 / float64
            wide = np.int64 if cells.dtype.kind in "iub" else np.float64
            kept = cells.astype(wide, copy=False)
            if self.codes or self.plain is not None:
                cells = _number_texts(kept)
            else:
                self.numbers.append(kept)
                return
        if self.numbers:  # numbers first, then text: keep everything as text
            for arr in self.numbers:
                self._add_text(_number_texts(arr.floats() if isinstance(arr, MaskedInts) else arr))
            self.numbers = []
        self._add_text(cells)

    def _add_text(self, cells: Sequence[Any] | NDArray[Any]) -> None:
        if self.plain is not None:
            self.plain.append(_objects(cells))
            return
        lookup = self.lookup
        # dict.fromkeys and map run in C: new distinct values are found without a Python loop
        # over the cells.
        distinct = dict.fromkeys(cells)
        if len(distinct) > 1000 and 2 * len(distinct) > len(cells):
            values = _objects(self.values())
            self.plain = [values[c] for c in self.codes]
            self.plain.append(_objects(cells))
            self.lookup, self.codes = {}, []
            return
        fresh = [c for c in distinct if c not in lookup]
        if fresh:
            lookup.update(zip(fresh, range(len(lookup), len(lookup) + len(fresh)), strict=True))
        codes = np.fromiter(map(lookup.__getitem__, cells), dtype=np.int32, count=len(cells))
        self.codes.append(codes)

    def _add_coded(self, cells: CodedCells) -> bool:
        """Add dictionary-coded cells by their distinct values (no Python step per cell);
        False for a column of mostly distinct values, which is kept as plain cells."""
        n, k = len(cells), len(cells.values)
        if k > 1000 and 2 * k > n:
            return False
        # the values the cells hold (a Parquet dictionary may list more), in first-seen order
        # as the plain path finds them: each value's first position, by a reversed scatter
        first = np.full(k, n, np.int64)
        first[cells.codes[::-1]] = np.arange(n - 1, -1, -1, dtype=np.int64)
        held = np.flatnonzero(first < n)
        held = held[np.argsort(first[held], kind="stable")]
        distinct = cells.values[held].tolist()
        if len(distinct) > 1000 and 2 * len(distinct) > n:
            return False
        lookup = self.lookup
        fresh = [c for c in dict.fromkeys(distinct) if c not in lookup]
        if fresh:
            lookup.update(zip(fresh, range(len(lookup), len(lookup) + len(fresh)), strict=True))
        remap = np.zeros(k, np.int32)
        remap[held] = np.fromiter(map(lookup.__getitem__, distinct), np.int32, len(distinct))
        self.codes.append(remap[cells.codes])
        return True

    def values(self) -> list[Any]:
        """Distinct values in code order, non-text cells shown as text."""
        return [v if type(v) is str or v is None else _cell_text(v) for v in self.lookup]

    def encoded(self) -> tuple[list[Any], NDArray[np.int32]]:
        """Values and codes; plain cells become their own values (and are released here)."""
        if self.plain is not None:
            cells = np.concatenate(self.plain) if self.plain else np.zeros(0, object)
            self.plain = []
            values = [v if type(v) is str or v is None else _cell_text(v) for v in cells.tolist()]
            return values, np.arange(len(values), dtype=np.int32)
        codes = np.concatenate(self.codes) if self.codes else np.zeros(0, np.int32)
        values = self.values()
        self.lookup, self.codes = {}, []
        return values, codes


def _number_cells(parts: list[NDArray[Any] | MaskedInts], name: str) -> Cells:
    """A numeric column's chunks as one: integers with a validity mask while every chunk is
    integers and one has gaps, else one array (floats with NaN where a chunk has gaps)."""
    masked = [p for p in parts if isinstance(p, MaskedInts)]
    if masked and all(isinstance(p, MaskedInts) or p.dtype.kind in "iu" for p in parts):
        values = [p.values if isinstance(p, MaskedInts) else p for p in parts]
        valid = [p.valid if isinstance(p, MaskedInts) else np.ones(len(p), bool) for p in parts]
        if len(parts) == 1:
            return Cells(values[0], name, valid=valid[0])
        return Cells(np.concatenate(values), name, valid=np.concatenate(valid))
    arrays = [p.floats() if isinstance(p, MaskedInts) else p for p in parts]
    return Cells(arrays[0] if len(arrays) == 1 else np.concatenate(arrays), name)


def _number_texts(arr: NDArray[Any]) -> list[str | None]:
    """Numbers as the text a cell would hold: ``1`` for a whole number, ``1.5`` for a fraction."""
    if arr.dtype.kind in "iu":
        return [str(x) for x in arr.tolist()]
    return [number_text(x) for x in arr.astype(np.float64).tolist()]


def _objects(cells: Sequence[Any] | NDArray[Any]) -> NDArray[np.object_]:
    out = np.empty(len(cells), dtype=object)
    out[:] = cells if not isinstance(cells, np.ndarray) else cells.astype(object)
    return out


_NUMBER_LIKE = re.compile(r"^\s*[+-]?\d{1,15}(?:[.,]\d{1,15})*\s*$")


def _maybe_numbers(values: list[Any]) -> bool:
    """True if every distinct value is empty or a plain number (an answer column of labels,
    or of odd numbers such as ``1e400``, is left to the answer parser, which names them)."""
    return all(
        is_missing(v) or (isinstance(v, str) and _NUMBER_LIKE.match(v) is not None) for v in values
    )


def _cell_text(value: Any) -> str | None:
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, bool):
        return str(value).upper()
    return str(value)


class Accumulator:
    """The kept columns of consecutive raw chunks."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.columns = {name: _Column() for name in plan.keep}
        self.rows: list[NDArray[np.int64]] = []
        self.rejects: list[Reject] = []
        self.warnings: list[str] = list(plan.warnings)
        self.n_rows = 0
        self.delimiter: str | None = None

    def add(self, chunk: RawChunk) -> None:
        n = len(chunk.rows)
        for name, col in self.columns.items():
            cells = chunk.columns.get(name)
            if cells is None:
                cells = [None] * n
            if len(cells) != n:
                raise DataError(
                    f"{self.plan.source}: reader gave {len(cells)} cells for column {name!r} "
                    f"and {n} rows"
                )
            col.add(cells)
        self.rows.append(np.asarray(chunk.rows, dtype=np.int64))
        self.rejects.extend(chunk.rejects)
        self.warnings.extend(w for w in chunk.warnings if w not in self.warnings)
        self.n_rows += n
        self.delimiter = self.delimiter or chunk.delimiter

    def finish(self, adapt: Adapt, source: str) -> Parsed:
        """The columns as cells; ``adapt`` rewrites each column's distinct values."""
        plan = self.plan
        rows = np.concatenate(self.rows) if self.rows else np.zeros(0, np.int64)
        extra = list(self.rejects)
        cols: dict[str, Cells] = {}
        for name, col in self.columns.items():
            if col.numbers:
                cols[name] = _number_cells(col.numbers, name)
                continue
            typed, codes = col.encoded()
            values = adapt(typed, name)
            uniq = np.empty(len(values), dtype=object)
            uniq[:] = values
            bad = _bad_cells(values)
            if bad:
                for k in bad:
                    uniq[k] = None
                letter = plan.letters.get(name, "?")
                hit = np.isin(codes, np.fromiter(bad, dtype=np.int32))
                for pos in np.flatnonzero(hit).tolist():
                    r = int(rows[pos])
                    reason, why = bad[int(codes[pos])]
                    extra.append(
                        Reject(
                            row=r,
                            column=name,
                            value=str(typed[int(codes[pos])])[:200],
                            reason=reason,
                            message=f"cell {letter}{r}: {why}",
                            source=source,
                        )
                    )
            numbers = None
            if name == plan.weight or (name in plan.numeric and not bad):
                numbers = self._numbers(
                    uniq.tolist(), codes, rows, name, source, weight=name == plan.weight
                )
            # a column of numbers goes to the builder as floats (read with one locale): its
            # vectorised path avoids a text copy and a sort of every cell; rejects show the
            # text as typed
            shown = np.empty(len(typed), dtype=object)
            shown[:] = typed
            cols[name] = Cells(
                numbers[codes] if numbers is not None else uniq[codes],
                name,
                typed=shown,
                codes=codes,
                dictionary=None if numbers is not None else uniq,
            )
        return Parsed(cols, rows, extra, list(self.warnings))

    def _numbers(
        self,
        values: list[Any],
        codes: NDArray[np.int32],
        rows: NDArray[np.int64],
        name: str,
        source: str,
        *,
        weight: bool,
    ) -> NDArray[np.float64] | None:
        """A column's distinct values as numbers in one locale (NaN: empty or not a number).

        An answer column with any value that is not a number stays text (labels); the weight
        column is always numbers, a cell that is not one is rejected by the builder.
        """
        if not weight and not _maybe_numbers(values):
            return None
        first: dict[int, int] = {}

        def row_of(k: int) -> int:
            if not first:
                seen, at = np.unique(codes, return_index=True)
                first.update(zip(seen.tolist(), at.tolist(), strict=True))
            return int(rows[first[k]]) if k in first else 0

        numbers, bad = read_numbers(
            values,
            fmt=self.plan.numbers,
            delimiter=self.delimiter,
            where=f"{source}: column {name!r}",
            row_of=row_of,
            locales=self.plan.locales,
        )
        if bad.any() and not weight:
            return None
        return numbers


def _bad_cells(values: list[Any]) -> dict[int, tuple[RejectReason, str]]:
    """Distinct values no used column may hold: a formula, or text longer than any answer."""
    bad: dict[int, tuple[RejectReason, str]] = {}
    suspect = [k for k, v in enumerate(values) if type(v) is str and ("=" in v or len(v) > 99)]
    for k in suspect:
        v = values[k]
        if len(v) > MAX_CELL_CHARS:
            bad[k] = (
                RejectReason.MALFORMED_ROW,
                f"expected a short cell; found {len(v):,} characters",
            )
        elif v.lstrip().startswith("="):
            # a formula is not an answer: reject it as an unknown label
            bad[k] = (
                RejectReason.UNKNOWN_LABEL,
                f"spreadsheet formula {v[:60]!r} is not evaluated; expected a value "
                "(paste values only)",
            )
    return bad
