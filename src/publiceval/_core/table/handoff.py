"""The typed hand-off to the table builder: cells with the row, column and text they came from.

A reader (through :mod:`publiceval._core.ingest`) or :meth:`ResponseTable.from_columns` hands
the builder one :class:`Handoff`: a record (respondent × OPD, or respondent) per position, each
field's cells as an array, and for every cell where a person finds it in the file (its row and
column) and the text as typed. A reject is then written once, at the right place; nothing is
renamed or re-pointed afterwards.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import DataError
from ..rejects import Reject
from ..survey import Survey
from .blocks import ColumnMap
from .numbers import number_text
from .policy import RecordPolicy

__all__ = ["Cells", "Handoff", "handoff_from_columns"]


def show(raw: object) -> str | None:
    """A cell as a reject shows it: text (at most 200 characters), ``None`` for no cell."""
    if isinstance(raw, np.generic):
        raw = raw.item()
    if isinstance(raw, float) and raw == raw:
        return number_text(raw)  # a numeric cell typed 5 shows as 5, not 5.0
    return None if raw is None else str(raw)[:200]


@dataclass(frozen=True)
class Cells:
    """One field of every record: its cells and where each came from.

    ``values`` are the cells (text, objects or numbers) the builder parses. ``column`` is the
    header a person sees: one name, or one per record (a column per item per OPD), ``None``
    when the field was not read from a column. ``rows`` is the source row of each cell when it
    is not its record's row (a long layout spreads a record over several rows). ``typed`` and
    ``codes`` give the cell text as typed when ``values`` were converted (e.g. to numbers):
    ``typed[codes[i]]`` is cell ``i``. ``dictionary``, when given, holds the distinct values:
    ``values[i]`` is ``dictionary[codes[i]]``, so a label column is factorised by its
    distinct values alone. ``valid``, when given, says which cells are filled: ``values`` are
    then integers (answers read from Arrow), and a cell where ``valid`` is False is empty.
    """

    values: NDArray[Any]
    column: str | NDArray[np.object_] | None = None
    rows: NDArray[np.int64] | None = None
    typed: NDArray[np.object_] | None = None
    codes: NDArray[Any] | None = None
    dictionary: NDArray[np.object_] | None = None
    valid: NDArray[np.bool_] | None = None

    def unmasked(self) -> Cells:
        """These cells with ``values`` as float64, NaN where empty (no ``valid``)."""
        if self.valid is None:
            return self
        values = self.values.astype(np.float64)
        values[~self.valid] = np.nan
        return Cells(values, self.column, self.rows, self.typed, self.codes, self.dictionary)

    def take(self, idx: NDArray[Any]) -> Cells:
        """The cells at positions ``idx``."""
        column = self.column
        return Cells(
            self.values[idx],
            column[idx] if isinstance(column, np.ndarray) else column,
            None if self.rows is None else self.rows[idx],
            self.typed,
            None if self.codes is None else self.codes[idx],
            self.dictionary,
            None if self.valid is None else self.valid[idx],
        )

    def column_at(self, pos: int) -> str | None:
        """The header of the cell at record position ``pos``."""
        if self.column is None or isinstance(self.column, str):
            return self.column
        name = self.column[pos]
        return None if name is None else str(name)

    def row_at(self, pos: int, record_row: int) -> int:
        """The source row of the cell at record position ``pos``."""
        return record_row if self.rows is None else int(self.rows[pos])

    def text_at(self, pos: int) -> str | None:
        """The cell at record position ``pos`` as typed (at most 200 characters)."""
        if self.typed is not None and self.codes is not None:
            return show(self.typed[int(self.codes[pos])])
        if self.valid is not None:  # shown as the float column it stands for
            return show(float(self.values[pos]) if self.valid[pos] else float("nan"))
        return show(self.values[pos])


@dataclass(frozen=True)
class Handoff:
    """Records for the table builder (:meth:`ResponseTable.from_handoff`).

    ``rows[i]`` is the source row of record ``i`` (the row a person sees; a long layout's
    record is named by its first row). ``timestamp`` finds a submission sent twice; ``notes``
    are text kept for the reports; ``policy`` says what an invalid answer and a duplicate
    submission do. ``prior`` are rejects found before the builder (by a
    reader or while reshaping), each final (file, row, column, cell text), and
    ``prior_at[k]`` the record position ``prior[k]`` rejects (-1: none). With ``grouped``,
    records share source rows (one row rates several OPDs): a rejected record rejects every
    record of its row, and rows, not records, are counted. ``absent`` names the item columns
    expected but missing (their answers are missing; rejects name the column).
    """

    rows: NDArray[np.int64]
    source: str | None = None
    respondent: Cells | None = None
    opd: Cells | None = None
    weight: Cells | None = None
    stratum: Cells | None = None
    psu: Cells | None = None
    items: Mapping[str, Cells] = field(default_factory=dict)
    absent: Mapping[str, str] = field(default_factory=dict)
    prior: Sequence[Reject] = ()
    prior_at: Sequence[int] = ()
    grouped: bool = False
    warnings: tuple[str, ...] = ()
    timestamp: Cells | None = None
    notes: Mapping[str, Cells] = field(default_factory=dict)
    """Text kept with each record for the reports: profile answers by question id, and
    ``"suggestions"``."""
    policy: RecordPolicy = field(default_factory=RecordPolicy)

    @property
    def n(self) -> int:
        """Records handed over."""
        return int(self.rows.shape[0])


def handoff_from_columns(
    survey: Survey,
    columns: Mapping[str, ArrayLike],
    mapping: ColumnMap,
    source: str | None,
    first_row: int,
    extra: Sequence[Reject],
) -> Handoff:
    """The hand-off of named columns, one record per row numbered from ``first_row``."""
    cols = {k: np.asarray(v) for k, v in columns.items()}
    lengths = {k: v.shape[0] for k, v in cols.items()}
    if len(set(lengths.values())) > 1:
        raise DataError(f"columns have different lengths: {lengths}")
    n = next(iter(lengths.values()), 0)

    def cells(name: str | None, what: str) -> Cells | None:
        if name is None:
            return None
        if name not in cols:
            found = ", ".join(sorted(cols)[:20]) or "no columns"
            hint = difflib.get_close_matches(name, list(cols), n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            raise DataError(
                f"{source or 'data'}: expected a {what} column {name!r}; found {found}{tip}"
            )
        return Cells(cols[name], name)

    items: dict[str, Cells] = {}
    absent: dict[str, str] = {}
    for item in survey.items:
        name = mapping.item_column(item)
        if name in cols:
            items[item.id] = Cells(cols[name], name)
        else:
            absent[item.id] = name
    at = [e.row - first_row if 0 <= e.row - first_row < n else -1 for e in extra]
    return Handoff(
        rows=np.arange(first_row, first_row + n, dtype=np.int64),
        source=source,
        respondent=cells(mapping.respondent, "respondent"),
        opd=cells(mapping.opd, "OPD"),
        weight=cells(mapping.weight, "weight"),
        stratum=cells(mapping.stratum, "stratum"),
        psu=cells(mapping.psu, "PSU"),
        items=items,
        absent=absent,
        prior=list(extra),
        prior_at=at,
    )
