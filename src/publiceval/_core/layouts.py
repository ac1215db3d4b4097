"""From what a survey tool exported to the raw columns :meth:`ResponseTable.from_columns` takes.

Readers only parse a file format into :class:`RawChunk` s of text cells. This module keeps the
columns a study needs (dictionary-encoded, so memory grows with the parsed columns only, not
with the file), reshapes the layout the survey tool used into one row per respondent × OPD, and
hands the result to the one table builder, mapping every reject back to the row a person sees in
the file.

Layouts:

* ``wide``: one row per respondent × OPD, one column per item (a hand-typed sheet).
* ``long``: one row per answer: respondent, OPD, item, value.
* ``opd-columns``: one row per respondent, one column per item per OPD, headed e.g.
  ``"Persyaratan [Dinas Kesehatan]"`` as Google Forms writes grid questions.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from abc import abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from .cells import is_missing
from .errors import DataError
from .readers import Reader
from .rejects import Reject, RejectLog, RejectReason
from .survey import Item, Survey, normalize_label
from .table import AnswerBlock, ColumnMap, ResponseTable

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "MAX_CELL_CHARS",
    "LayoutKind",
    "LayoutSpec",
    "Progress",
    "RawChunk",
    "TabularReader",
    "column_letter",
    "read_responses",
]

LayoutKind = Literal["wide", "long", "opd-columns"]
#: ``progress(done, total)`` in the reader's units (bytes or rows); ``total`` is 0 if unknown.
Progress = Callable[[int, int], None]
#: Rows parsed per chunk; bounds the memory spent on raw text at any one time.
DEFAULT_CHUNK_ROWS = 50_000
#: Longer cells in a used column are rejected: no answer, id or OPD name is this long, and
#: fixed-width text arrays of such cells would cost memory proportional to the longest one.
MAX_CELL_CHARS = 1000


class LayoutSpec(BaseModel):
    """How answers are laid out in the file (``[data] layout`` and its options)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: LayoutKind = "wide"
    item_column: str = "item"
    """``long``: the column naming the item (its id, or the text given in ``[data.columns.items]``)."""
    value_column: str = "value"
    """``long``: the column holding the answer."""
    header_pattern: str = "{item} [{opd}]"
    """``opd-columns``: how a header names the item and the OPD."""


@dataclass
class RawChunk:
    """Consecutive data rows of a file, as cells of the columns the study uses.

    ``rows`` are the row numbers a person sees (spreadsheet row, or CSV record counting the
    header as 1); ``rejects`` are problems the reader found itself (row numbers as in ``rows``).
    """

    columns: dict[str, Sequence[Any] | NDArray[Any]]
    rows: NDArray[np.int64]
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    done: int = 0
    total: int = 0


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 → A, 26 → AA)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


#: Called once with the file's header; returns the header names whose cells the reader must keep.
KeepColumns = Callable[[Sequence[str]], set[str]]


class TabularReader(Reader):
    """A reader of a table of text cells with a header row (CSV, XLSX, Parquet …).

    Subclasses implement :meth:`iter_raw`; layouts, chunking, memory and reject mapping are
    shared. ``default_layout`` is used when the study names none.
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

    def read(self, path: Path, survey: Survey, mapping: ColumnMap) -> ResponseTable:
        return read_responses(self, path, survey, mapping)

    def iter_tables(
        self, path: Path, survey: Survey, mapping: ColumnMap, chunk_rows: int
    ) -> Iterator[ResponseTable]:
        """One validated table per chunk of about ``chunk_rows`` rows, for chunked scoring.

        Chunks are cut where the respondent changes, so one respondent's consecutive rows stay
        in one table; duplicates and conflicts are found within a chunk only (``validate``
        reads the whole file to find them all).
        """
        plan: list[_Plan] = []
        layout = LayoutSpec(kind=self.default_layout)
        keep = _keeper(plan, survey, mapping, layout, self, str(path))
        carry: RawChunk | None = None
        for raw in self.iter_raw(path, chunk_rows, keep):
            chunk = raw if carry is None else _join_raw(carry, raw)
            head, carry = _split_last_respondent(chunk, plan[0].mapping.respondent)
            if len(head.rows):
                yield self._table(plan[0], head, survey, str(path))
        if carry is not None and len(carry.rows):
            yield self._table(plan[0], carry, survey, str(path))

    def _table(self, plan: _Plan, chunk: RawChunk, survey: Survey, source: str) -> ResponseTable:
        acc = _Accumulator(plan)
        acc.add(chunk)
        return acc.finish(self, survey, source)


def _join_raw(a: RawChunk, b: RawChunk) -> RawChunk:
    columns: dict[str, Sequence[Any] | NDArray[Any]] = {}
    for name in a.columns.keys() | b.columns.keys():
        x, y = a.columns.get(name, [None] * len(a.rows)), b.columns.get(name, [None] * len(b.rows))
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
    )


def _split_last_respondent(
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
        return RawChunk(columns={}, rows=chunk.rows[:0], warnings=chunk.warnings), chunk
    cut = int(chunk.rows[k])
    head = RawChunk(
        columns={name: col[:k] for name, col in chunk.columns.items()},
        rows=chunk.rows[:k],
        rejects=[e for e in chunk.rejects if e.row < cut],
        warnings=chunk.warnings,
        done=chunk.done,
        total=chunk.total,
    )
    tail = RawChunk(
        columns={name: col[k:] for name, col in chunk.columns.items()},
        rows=chunk.rows[k:],
        rejects=[e for e in chunk.rejects if e.row >= cut],
        warnings=[],
        done=chunk.done,
        total=chunk.total,
    )
    return head, tail


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
    """Read a whole file through ``reader``, chunk by chunk, into one validated table."""
    if not path.exists():
        raise DataError(f"data file not found: {path}")
    if path.is_dir():
        raise DataError(f"{path}: expected a data file; found a folder")
    if not isinstance(reader, TabularReader):
        if layout is not None and layout.kind != "wide":
            raise DataError(
                f"reader {reader.name!r} gives ready rows; layout {layout.kind!r} needs a "
                "tabular reader (csv, xlsx, gforms, kobo, parquet)"
            )
        return reader.read(path, survey, mapping)
    layout = layout or LayoutSpec(kind=reader.default_layout)
    if chunk_rows < 1:
        raise DataError(f"chunk size must be at least 1 row; found {chunk_rows}")
    plan: list[_Plan] = []
    keep = _keeper(plan, survey, mapping, layout, reader, str(path))
    acc: _Accumulator | None = None
    for chunk in reader.iter_raw(path, chunk_rows, keep):
        if acc is None:
            acc = _Accumulator(plan[0])
        acc.add(chunk)
        if progress is not None:
            progress(chunk.done, chunk.total)
    if acc is None or acc.n_rows == 0:
        raise DataError(
            f"{path}: found a header row but no data rows; expected at least one row of answers"
        )
    return acc.finish(reader, survey, str(path))


def _keeper(
    out: list[_Plan],
    survey: Survey,
    mapping: ColumnMap,
    layout: LayoutSpec,
    reader: TabularReader,
    source: str,
) -> KeepColumns:
    def keep(header: Sequence[str]) -> set[str]:
        plan = _Plan(survey, mapping, layout, list(header), reader, source)
        out.append(plan)
        return set(plan.keep)

    return keep


# ---------------------------------------------------------------------------------- planning
def _item_names(item: Item, mapping: ColumnMap) -> list[str]:
    names = [item.id, item.text.id, item.text.en]
    if item.id in mapping.items:
        names.insert(0, mapping.items[item.id])
    return [normalize_label(n) for n in names]


class _Plan:
    """Which header columns hold what, decided once from the header."""

    def __init__(
        self,
        survey: Survey,
        mapping: ColumnMap,
        layout: LayoutSpec,
        header: list[str],
        reader: TabularReader,
        source: str,
    ) -> None:
        self.survey = survey
        self.layout = layout
        self.header = header
        self.source = source
        self.warnings: list[str] = []
        self.letters = {name: column_letter(j) for j, name in reversed(list(enumerate(header)))}
        present = set(header)
        mapping = self._fallback_respondent(mapping, present, reader)
        self.mapping = mapping
        design = [mapping.respondent, mapping.opd, mapping.weight, mapping.stratum, mapping.psu]
        self.melt: dict[str, list[tuple[Item, str]]] = {}
        if layout.kind == "long":
            design += [layout.item_column, layout.value_column]
            if mapping.respondent is None:
                raise DataError(
                    f"{source}: layout 'long' needs a respondent column to group answers; "
                    "set [data.columns] respondent"
                )
            wanted = [c for c in design if c]
        elif layout.kind == "opd-columns":
            if mapping.opd in present and "opd" in mapping.model_fields_set:
                raise DataError(
                    f"{source}: layout 'opd-columns' takes the OPD from the headers; "
                    f"found an OPD column {mapping.opd!r} too (use layout 'wide' instead)"
                )
            design[1] = None
            wanted = [c for c in design if c]
            wanted += self._plan_melt(header, mapping)
        else:
            wanted = [c for c in design if c]
            wanted += [mapping.item_column(i) for i in survey.items]
            self._check_items(header, mapping)
        self._check_present(wanted, design, present)
        self._check_unique(wanted)
        self.keep = [c for c in dict.fromkeys(wanted) if c in present]
        self.numeric: set[str] = set()
        if layout.kind == "wide":
            self.numeric = {mapping.item_column(i) for i in survey.items}
            if mapping.weight:
                self.numeric.add(mapping.weight)
            self.numeric -= {mapping.respondent, mapping.opd, mapping.stratum, mapping.psu}

    def _fallback_respondent(
        self, mapping: ColumnMap, present: set[str], reader: TabularReader
    ) -> ColumnMap:
        # TOML has no null: an empty name says "no such column" (e.g. each row is a respondent)
        blank = {
            k: None
            for k in ("respondent", "opd", "weight", "stratum", "psu")
            if getattr(mapping, k) == ""
        }
        if blank:
            mapping = mapping.model_copy(update=blank)
        if "respondent" in mapping.model_fields_set or mapping.respondent in present:
            return mapping
        for name in reader.respondent_fallbacks:
            if name in present:
                return mapping.model_copy(update={"respondent": name})
        if self.layout.kind == "opd-columns":
            # one row per respondent: the row itself identifies the respondent
            return mapping.model_copy(update={"respondent": None})
        return mapping

    def _check_present(
        self, wanted: list[str], design: list[str | None], present: set[str]
    ) -> None:
        for name in [c for c in design if c]:
            if name not in present:
                hint = difflib.get_close_matches(name, self.header, n=1, cutoff=0.6)
                tip = f"; did you mean {hint[0]!r}?" if hint else ""
                found = ", ".join(repr(h) for h in self.header[:30])
                extra = (
                    '; if each row is a different respondent, set respondent = "" in [data.columns]'
                    if name == self.mapping.respondent and not tip
                    else ""
                )
                raise DataError(
                    f"{self.source}: expected a column {name!r} (named in [data.columns] or the "
                    f"layout); found columns {found}{tip}{extra}"
                )

    def _check_unique(self, wanted: list[str]) -> None:
        seen: dict[str, list[str]] = {}
        for j, name in enumerate(self.header):
            seen.setdefault(name, []).append(column_letter(j))
        for name in dict.fromkeys(wanted):
            if len(seen.get(name, [])) > 1:
                raise DataError(
                    f"{self.source}: column {name!r} appears more than once (columns "
                    f"{', '.join(seen[name])}); expected each used column once"
                )

    def _check_items(self, header: list[str], mapping: ColumnMap) -> None:
        present = set(header)
        used = {
            c
            for c in (mapping.respondent, mapping.opd, mapping.weight, mapping.stratum, mapping.psu)
            if c
        }
        missing = [i for i in self.survey.items if mapping.item_column(i) not in present]
        spare = [
            h
            for h in header
            if h not in used and h not in {mapping.item_column(i) for i in self.survey.items}
        ]
        if not missing:
            return
        if len(missing) == len(self.survey.items):
            raise DataError(
                f"{self.source}: expected item columns "
                f"{', '.join(repr(mapping.item_column(i)) for i in missing[:12])}; found none of "
                f"them among {', '.join(repr(h) for h in header[:30])}. Name the columns in "
                "[data.columns.items], or set [data] layout"
            )
        for item in missing:
            name = mapping.item_column(item)
            folded = {h.casefold(): h for h in spare}
            hint = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
            tip = f"; did you mean {folded[hint[0]]!r}?" if hint else ""
            self.warnings.append(
                f"{self.source}: no column {name!r} for item {item.id!r}; its answers are "
                f"counted as missing{tip}"
            )

    def _plan_melt(self, header: list[str], mapping: ColumnMap) -> list[str]:
        pattern = self.layout.header_pattern
        if "{item}" not in pattern or "{opd}" not in pattern:
            raise DataError(
                f"{self.source}: header_pattern must contain {{item}} and {{opd}}; found {pattern!r}"
            )
        parts = re.split(r"(\{item\}|\{opd\})", pattern)
        regex = "".join(
            "(?P<item>.+?)" if p == "{item}" else "(?P<opd>.+?)" if p == "{opd}" else re.escape(p)
            for p in parts
        )
        matcher = re.compile(r"\s*" + regex + r"\s*", re.S)
        items: dict[str, Item] = {}
        for item in self.survey.opd_items:
            for n in _item_names(item, mapping):
                items.setdefault(n, item)
        wide_items: dict[str, Item] = {}
        for item in self.survey.survey_items:
            for n in _item_names(item, mapping):
                wide_items.setdefault(n, item)
        wanted: list[str] = []
        cells: dict[tuple[str, str], str] = {}
        self.wide_columns: dict[str, str] = {}
        unmatched: list[str] = []
        for name in header:
            key = normalize_label(name)
            if key in wide_items:
                self.wide_columns.setdefault(wide_items[key].id, name)
                wanted.append(name)
                continue
            m = matcher.fullmatch(name)
            if not m:
                continue
            found = items.get(normalize_label(m.group("item")))
            if found is None:
                unmatched.append(name)
                continue
            opd = m.group("opd").strip()
            opd_key = normalize_label(opd)
            if (found.id, opd_key) in cells:
                raise DataError(
                    f"{self.source}: columns {cells[(found.id, opd_key)]!r} and {name!r} both hold "
                    f"item {found.id!r} for OPD {opd!r}; expected one column each"
                )
            cells[(found.id, opd_key)] = name
            self.melt.setdefault(opd, []).append((found, name))
            wanted.append(name)
        if not self.melt:
            raise DataError(
                f"{self.source}: layout 'opd-columns' expected headers like "
                f"{pattern.replace('{item}', self.survey.opd_items[0].id).replace('{opd}', 'OPD name')!r}; "
                f"found none among {', '.join(repr(h) for h in header[:20])}"
            )
        if unmatched:
            self.warnings.append(
                f"{self.source}: {len(unmatched)} column(s) look like '{pattern}' but name no item "
                f"of the survey, so they are not used: " + ", ".join(repr(u) for u in unmatched[:5])
            )
        return wanted


# ---------------------------------------------------------------------------- accumulation
class _Column:
    """A column of cells, dictionary-encoded as it arrives (one string object per distinct value).

    A column whose values are mostly distinct (respondent ids) is kept as plain cells instead:
    a dictionary would cost more than it saves.
    """

    def __init__(self) -> None:
        self.lookup: dict[Any, int] = {}
        self.codes: list[NDArray[np.int32]] = []
        self.numbers: list[NDArray[Any]] = []
        """Numeric chunks; integer chunks stay integers so that an id 1 reads as "1", not "1.0"."""
        self.plain: list[NDArray[np.object_]] | None = None

    def add(self, cells: Sequence[Any] | NDArray[Any]) -> None:
        if isinstance(cells, np.ndarray) and cells.dtype.kind in "iufb":
            kept = cells.astype(np.int64) if cells.dtype.kind in "iub" else cells.astype(np.float64)
            if self.codes or self.plain is not None:
                cells = _number_texts(kept)
            else:
                self.numbers.append(kept)
                return
        if self.numbers:  # numbers first, then text: keep everything as text
            for arr in self.numbers:
                self._add_text(_number_texts(arr))
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


def _number_texts(arr: NDArray[Any]) -> list[str | None]:
    """Numbers as the text a cell would hold: ``1`` for an integer, ``1.5`` for a float."""
    if arr.dtype.kind in "iu":
        return [str(x) for x in arr.tolist()]
    return [None if x != x else repr(x) for x in arr.astype(np.float64).tolist()]


def _objects(cells: Sequence[Any] | NDArray[Any]) -> NDArray[np.object_]:
    out = np.empty(len(cells), dtype=object)
    out[:] = cells if not isinstance(cells, np.ndarray) else cells.astype(object)
    return out


_PLAIN_NUMBER = re.compile(r"^\s*[+-]?\d{1,15}(?:[.,]\d{1,15})?\s*$")


def _as_numbers(values: list[Any]) -> NDArray[np.float64] | None:
    """Distinct cell values as floats (NaN for empty), or None if any is not a plain number."""
    out = np.empty(len(values), dtype=np.float64)
    for k, v in enumerate(values):
        if is_missing(v):
            out[k] = np.nan
        elif isinstance(v, str) and _PLAIN_NUMBER.match(v):
            out[k] = float(v.replace(",", "."))
        else:
            return None
    return out


def _cell_text(value: Any) -> str | None:
    if isinstance(value, float):
        return None if value != value else repr(value)
    if isinstance(value, bool):
        return str(value).upper()
    return str(value)


class _Accumulator:
    def __init__(self, plan: _Plan) -> None:
        self.plan = plan
        self.columns = {name: _Column() for name in plan.keep}
        self.rows: list[NDArray[np.int64]] = []
        self.rejects: list[Reject] = []
        self.warnings: list[str] = list(plan.warnings)
        self.n_rows = 0

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

    def finish(self, reader: TabularReader, survey: Survey, source: str) -> ResponseTable:
        plan = self.plan
        rows = np.concatenate(self.rows) if self.rows else np.zeros(0, np.int64)
        extra = list(self.rejects)
        cols: dict[str, NDArray[Any]] = {}
        for name, col in self.columns.items():
            if col.numbers:
                cols[name] = np.concatenate(col.numbers)
                continue
            values, codes = col.encoded()
            values = reader.adapt_values(values, name, survey, plan.mapping)
            uniq = np.empty(len(values), dtype=object)
            uniq[:] = values
            bad: dict[int, tuple[RejectReason, str]] = {}
            suspect = [
                k for k, v in enumerate(values) if type(v) is str and ("=" in v or len(v) > 99)
            ]
            for k in suspect:
                v = values[k]
                if isinstance(v, str):
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
            if bad:
                for k in bad:
                    uniq[k] = None
                letter = plan.letters.get(name, "?")
                hit = np.isin(codes, np.fromiter(bad, dtype=np.int32))
                for pos in np.flatnonzero(hit).tolist():
                    r = int(rows[pos])
                    text = self._shown(values[int(codes[pos])])
                    reason, why = bad[int(codes[pos])]
                    extra.append(
                        Reject(
                            row=r,
                            column=name,
                            value=text,
                            reason=reason,
                            message=f"cell {letter}{r}: {why}",
                            source=source,
                        )
                    )
            numbers = _as_numbers(values) if name in plan.numeric and not bad else None
            # a column of plain numbers goes to the builder as floats: its vectorised path
            # avoids a text copy and a sort of every cell
            cols[name] = numbers[codes] if numbers is not None else uniq[codes]
            if plan.layout.kind == "long" and name in (plan.mapping.respondent, plan.mapping.opd):
                # equal ids must share a code to be grouped, even for plain-kept columns
                id_text = cols[name].astype(str)
                cols[name + "\0codes"] = np.unique(id_text, return_inverse=True)[1].reshape(-1)
        shaped = _shape(plan, cols, rows, extra, survey, source)
        return _build(survey, shaped, source, tuple(self.warnings))

    @staticmethod
    def _shown(value: Any) -> str:
        return str(value)[:200]


# -------------------------------------------------------------------------------- layouts
@dataclass
class _Shaped:
    columns: dict[str, NDArray[Any]]
    mapping: ColumnMap
    origin: NDArray[np.int64]
    """Source row number of each shaped row."""
    rejects: list[Reject]
    """Reader rejects, with ``row`` as the shaped row position."""
    grouped: bool
    """Several shaped rows may come from one source row (opd-columns)."""
    fix: Callable[[Reject], Reject] = lambda e: e
    """Names the real column (and row, in messages) of a builder reject at a shaped position."""


def _positions(origin: NDArray[np.int64], rejects: list[Reject]) -> list[Reject]:
    """Reader rejects re-pointed at the first shaped row of their source row."""
    if not rejects:
        return []
    order = np.argsort(origin, kind="stable")
    keys = origin[order]
    out = []
    for e in rejects:
        i = int(np.searchsorted(keys, e.row))
        pos = int(order[i]) if i < keys.size and keys[i] == e.row else None
        if pos is None:
            raise DataError(f"internal: reject for row {e.row} not among the rows read")
        out.append(e.model_copy(update={"row": pos}))
    return out


def _shape(
    plan: _Plan,
    cols: dict[str, NDArray[Any]],
    rows: NDArray[np.int64],
    extra: list[Reject],
    survey: Survey,
    source: str,
) -> _Shaped:
    kind = plan.layout.kind
    if kind == "long":
        return _pivot_long(plan, cols, rows, extra, survey, source)
    if kind == "opd-columns":
        return _melt(plan, cols, rows, extra, survey)
    mapping = plan.mapping
    if mapping.respondent is None:
        # each row is its own respondent, named by the row a person sees
        ids = np.empty(rows.shape[0], dtype=object)
        ids[:] = [f"row {r}" for r in rows.tolist()]
        cols = {**cols, "\0respondent": ids}
        mapping = mapping.model_copy(update={"respondent": "\0respondent"})
    return _Shaped(
        cols,
        mapping,
        rows,
        _positions(rows, extra),
        grouped=False,
        fix=lambda e: e.model_copy(update={"column": None}),
    )


def _missing(col: NDArray[Any]) -> NDArray[np.bool_]:
    if col.dtype.kind == "f":
        return np.asarray(np.isnan(col), dtype=bool)
    uniques, inverse = np.unique(col.astype(str), return_inverse=True)
    return np.array([is_missing(str(u)) for u in uniques], dtype=bool)[inverse.reshape(-1)]


def _melt(
    plan: _Plan,
    cols: dict[str, NDArray[Any]],
    rows: NDArray[np.int64],
    extra: list[Reject],
    survey: Survey,
) -> _Shaped:
    n = rows.shape[0]
    m = plan.mapping
    pos_parts: list[NDArray[np.int64]] = []
    opd_parts: list[NDArray[Any]] = []
    item_parts: dict[str, list[NDArray[Any]]] = {i.id: [] for i in survey.opd_items}
    covered = np.zeros(n, bool)
    for opd, pairs in plan.melt.items():
        answered = np.zeros(n, bool)
        for _, name in pairs:
            answered |= ~_missing(cols[name])
        idx = np.flatnonzero(answered)
        covered |= answered
        pos_parts.append(idx)
        label = np.empty(idx.size, dtype=object)
        label[:] = opd
        opd_parts.append(label)
        given = {item.id: name for item, name in pairs}
        for item in survey.opd_items:
            header_name = given.get(item.id)
            if header_name is None:
                item_parts[item.id].append(np.full(idx.size, None, dtype=object))
            else:
                item_parts[item.id].append(cols[header_name][idx].astype(object))
    # a row that rated no OPD still counts: it carries survey-wide answers or is rejected
    rest = np.flatnonzero(~covered)
    pos_parts.append(rest)
    opd_parts.append(np.full(rest.size, None, dtype=object))
    for item in survey.opd_items:
        item_parts[item.id].append(np.full(rest.size, None, dtype=object))
    pos = np.concatenate(pos_parts)
    order = np.argsort(pos, kind="stable")
    pos = pos[order]
    out: dict[str, NDArray[Any]] = {
        "\0opd": np.concatenate(opd_parts)[order],
    }
    for item in survey.opd_items:
        out["\0i:" + item.id] = np.concatenate(item_parts[item.id])[order]
    first = np.ones(pos.size, bool)
    first[1:] = pos[1:] != pos[:-1]
    for item_id, name in plan.wide_columns.items():
        col = np.full(pos.size, None, dtype=object)
        col[first] = cols[name][pos[first]]
        out["\0i:" + item_id] = col
    resp = m.respondent
    if resp is None:
        out["\0respondent"] = np.array([f"row {r}" for r in rows[pos].tolist()], dtype=object)
    else:
        out["\0respondent"] = cols[resp][pos]
    for key in ("weight", "stratum", "psu"):
        name = getattr(m, key)
        if name:
            out["\0" + key] = cols[name][pos]
    mapping = ColumnMap(
        respondent="\0respondent",
        opd="\0opd",
        weight="\0weight" if m.weight else None,
        stratum="\0stratum" if m.stratum else None,
        psu="\0psu" if m.psu else None,
        items={i.id: "\0i:" + i.id for i in survey.items},
    )
    origin = rows[pos]
    headers = {(opd, item.id): name for opd, pairs in plan.melt.items() for item, name in pairs}
    design = {"\0respondent": m.respondent, "\0weight": m.weight, "\0stratum": m.stratum}
    design["\0psu"] = m.psu
    opd_col = out["\0opd"]

    def fix(e: Reject) -> Reject:
        col = e.column or ""
        if col.startswith("\0i:"):
            item_id = col[3:]
            name = plan.wide_columns.get(item_id) or headers.get((opd_col[e.row], item_id))
        elif col == "\0opd":
            pairs = plan.melt.get(opd_col[e.row])
            name = pairs[0][1] if pairs else None
        else:
            name = design.get(col)
        return e.model_copy(update={"column": name})

    return _Shaped(out, mapping, origin, _positions(origin, extra), grouped=True, fix=fix)


def _pivot_long(
    plan: _Plan,
    cols: dict[str, NDArray[Any]],
    rows: NDArray[np.int64],
    extra: list[Reject],
    survey: Survey,
    source: str,
) -> _Shaped:
    m, lay = plan.mapping, plan.layout
    assert m.respondent is not None  # checked when planning
    resp_codes = cols[m.respondent + "\0codes"].astype(np.int64)
    if m.opd:
        opd_codes = cols[m.opd + "\0codes"].astype(np.int64)
    else:
        opd_codes = np.zeros(rows.shape[0], np.int64)
    key = resp_codes * (int(opd_codes.max(initial=0)) + 1) + opd_codes
    _, first, group = np.unique(key, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    # number groups in order of first appearance
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    group = rank[group]
    lead = first[order]
    n_groups = order.size
    # which item each line names
    names: dict[str, Item] = {}
    for item in survey.items:
        for n in _item_names(item, m):
            names.setdefault(n, item)
    item_col = cols[lay.item_column]
    item_vals, item_inv = np.unique(item_col.astype(str), return_inverse=True)
    item_inv = item_inv.reshape(-1)
    lut = np.array(
        [
            survey.items.index(names[normalize_label(str(v))])
            if normalize_label(str(v)) in names
            else -1
            for v in item_vals
        ],
        dtype=np.int64,
    )
    which = lut[item_inv] if item_inv.size else np.zeros(0, np.int64)
    rejects = _positions(rows, extra)
    group_rejects: list[Reject] = []
    for e in rejects:
        group_rejects.append(e.model_copy(update={"row": int(group[e.row])}))
    known = ", ".join(i.id for i in survey.items)
    for pos in np.flatnonzero(which < 0).tolist():
        raw = item_col[pos]
        if is_missing(raw):
            msg = f"row {rows[pos]}: the item cell is empty; expected one of {known}"
        else:
            hint = difflib.get_close_matches(str(raw), [i.id for i in survey.items], n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            msg = f"row {rows[pos]}: unknown item {str(raw)!r}; expected one of {known}{tip}"
        group_rejects.append(
            Reject(
                row=int(group[pos]),
                column=lay.item_column,
                value=None if raw is None else str(raw)[:200],
                reason=RejectReason.UNKNOWN_ITEM,
                message=msg,
                source=source,
            )
        )
    ok = np.flatnonzero(which >= 0)
    cell = group[ok] * len(survey.items) + which[ok]
    _, counts = np.unique(cell, return_counts=True)
    if (counts > 1).any():
        seen: dict[int, int] = {}
        for j, pos in enumerate(ok.tolist()):
            c = int(cell[j])
            if c in seen:
                item = survey.items[int(which[pos])]
                group_rejects.append(
                    Reject(
                        row=int(group[pos]),
                        column=lay.item_column,
                        value=item.id,
                        reason=RejectReason.DUPLICATE,
                        message=f"row {rows[pos]}: item {item.id!r} answered again for the "
                        f"same respondent and OPD (first in row {rows[seen[c]]})",
                        source=source,
                    )
                )
            else:
                seen[c] = pos
    value_col = cols[lay.value_column]
    out: dict[str, NDArray[Any]] = {}
    line_of: dict[str, NDArray[np.int64]] = {}
    for j, item in enumerate(survey.items):
        col = np.full(n_groups, None, dtype=object)
        sel = ok[which[ok] == j]
        col[group[sel]] = value_col[sel]
        out["\0i:" + item.id] = col
        lines = np.zeros(n_groups, np.int64)
        lines[group[sel][::-1]] = rows[sel][::-1]
        line_of[item.id] = lines
    out["\0respondent"] = cols[m.respondent][lead]
    if m.opd:
        out["\0opd"] = cols[m.opd][lead]
    for key_name in ("weight", "stratum", "psu"):
        name = getattr(m, key_name)
        if not name:
            continue
        col = cols[name]
        out["\0" + key_name] = col[lead]
        differs = np.flatnonzero(col.astype(str) != col[lead][group].astype(str))
        for pos in differs.tolist():
            group_rejects.append(
                Reject(
                    row=int(group[pos]),
                    column=name,
                    value=str(col[pos])[:200],
                    reason=RejectReason.BAD_WEIGHT
                    if key_name == "weight"
                    else RejectReason.MALFORMED_ROW,
                    message=f"row {rows[pos]}: {key_name} {str(col[pos])!r} differs from "
                    f"{str(col[lead[group[pos]]])!r} in row {rows[lead[group[pos]]]} of the "
                    "same respondent and OPD",
                    source=source,
                )
            )
    mapping = ColumnMap(
        respondent="\0respondent",
        opd="\0opd" if m.opd else None,
        weight="\0weight" if m.weight else None,
        stratum="\0stratum" if m.stratum else None,
        psu="\0psu" if m.psu else None,
        items={i.id: "\0i:" + i.id for i in survey.items},
    )
    design = {"\0respondent": m.respondent, "\0opd": m.opd, "\0weight": m.weight}
    design.update({"\0stratum": m.stratum, "\0psu": m.psu})

    def fix(e: Reject) -> Reject:
        col = e.column or ""
        if col.startswith("\0i:") and col[3:] in line_of:
            line = int(line_of[col[3:]][e.row])
            return e.model_copy(
                update={"column": lay.value_column, "message": f"row {line}: {e.message}"}
            )
        return e.model_copy(update={"column": design.get(col)})

    return _Shaped(out, mapping, rows[lead], group_rejects, grouped=False, fix=fix)


# ---------------------------------------------------------------------------------- build
def _build(
    survey: Survey, shaped: _Shaped, source: str, warnings: tuple[str, ...]
) -> ResponseTable:
    table = ResponseTable.from_columns(
        survey,
        shaped.columns,
        mapping=shaped.mapping,
        source=source,
        first_row=0,
        extra_rejects=shaped.rejects,
    )
    origin = shaped.origin
    entries = []
    for e in table.rejects.entries:
        if e.column is not None and e.column.startswith("\0"):
            e = shaped.fix(e)
        if e.column is not None and e.column.startswith("\0"):
            e = e.model_copy(update={"column": e.column.removeprefix("\0i:").lstrip("\0")})
        update: dict[str, Any] = {"row": int(origin[e.row])}
        if e.reason is RejectReason.DUPLICATE:
            # the builder names the earlier row by its position; say the row a person sees
            m = _EARLIER_ROW.search(e.message)
            if m and int(m.group(1)) < origin.size:
                pos = int(m.group(1))
                update["message"] = (
                    e.message[: m.start(1)] + str(origin[pos]) + e.message[m.end(1) :]
                )
        entries.append(e.model_copy(update=update))
    per_opd = _remap(table.per_opd, origin)
    wide = _remap(table.survey_wide, origin)
    rows_read = table.rejects.rows_read
    if shaped.grouped:
        rows_read = int(np.unique(origin).size)
        bad = np.array(sorted({e.row for e in entries}), dtype=np.int64)
        per_opd = per_opd.take(~np.isin(per_opd.source_row, bad))
        wide = wide.take(~np.isin(wide.source_row, bad))
    return dataclasses.replace(
        table,
        per_opd=per_opd,
        survey_wide=wide,
        rejects=RejectLog(rows_read=rows_read, entries=entries),
        warnings=warnings,
    )


_EARLIER_ROW = re.compile(r"in row (\d+)$")


def _remap(block: AnswerBlock, origin: NDArray[np.int64]) -> AnswerBlock:
    return dataclasses.replace(block, source_row=origin[block.source_row])
