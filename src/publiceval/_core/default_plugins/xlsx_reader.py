"""``xlsx``: an Excel workbook typed by hand or downloaded from Google Sheets or KoboToolbox.

Hand-made sheets often carry a title above the column names; the header row is found (or
given). Formulas are not evaluated: a formula where an answer belongs is rejected, naming the
cell, because its cached result may be stale or absent.
"""

from __future__ import annotations

import difflib
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from publiceval.plugin import (
    DataError,
    KeepColumns,
    RawChunk,
    Reader,
    Reject,
    RejectReason,
    TabularReader,
    Text,
    column_letter,
    hookimpl,
)

__all__ = ["XLSXOptions", "XLSXReader", "find_header_row", "iter_xlsx"]

#: Rows searched for the header when none is given.
HEADER_SEARCH_ROWS = 30


class XLSXOptions(BaseModel):
    """``sheet`` by name or 1-based position (default: the first); ``header_row`` 1-based
    (default: found)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sheet: str | int | None = None
    header_row: int | None = Field(default=None, ge=1)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def find_header_row(rows: list[tuple[Any, ...]]) -> int:
    """0-based index of the header among the first rows of a sheet.

    The header is the first row whose filled cells are all text and at least as many as
    60 % of the widest row below it; a title or a note above it fills one or two cells.
    """
    counts = [sum(1 for v in r if not _blank(v)) for r in rows]
    for k, row in enumerate(rows):
        filled = [v for v in row if not _blank(v)]
        if len(filled) < 2 or not all(isinstance(v, str) for v in filled):
            continue
        below = max(counts[k:], default=0)
        if len(filled) >= 0.6 * below:
            return k
    return next((k for k, c in enumerate(counts) if c), 0)


class XLSXReader(TabularReader):
    """Reads one sheet of an .xlsx workbook (openpyxl, read-only, streaming)."""

    name = "xlsx"
    title = Text(id="Buku kerja Excel (.xlsx)", en="Excel workbook (.xlsx)")
    suffixes = (".xlsx", ".xlsm")
    Options = XLSXOptions

    def iter_raw(self, path: Path, chunk_rows: int, keep: KeepColumns) -> Iterator[RawChunk]:
        opts = self.options
        if not isinstance(opts, XLSXOptions):  # pragma: no cover - create() guarantees it
            raise DataError(f"{self.name}: options are not XLSX options")
        yield from iter_xlsx(path, chunk_rows, keep, opts)


def _open(path: Path) -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - depends on the environment
        raise DataError(
            f"{path}: reading .xlsx needs openpyxl; install it with: pip install 'publiceval[xlsx]'"
        ) from None
    if path.stat().st_size == 0:
        raise DataError(f"{path}: the file is empty; expected an .xlsx workbook")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(
            f"{path}: expected an .xlsx workbook; found something openpyxl cannot open ({exc})"
        ) from None
    except Exception as exc:  # openpyxl raises its own InvalidFileException and others
        raise DataError(f"{path}: expected an .xlsx workbook; cannot open it ({exc})") from None


def iter_xlsx(
    path: Path,
    chunk_rows: int,
    keep: KeepColumns,
    opts: XLSXOptions,
    rename: Callable[[list[str]], list[str]] | None = None,
) -> Iterator[RawChunk]:
    """Parse one sheet into chunks (shared by the XLSX, Google Forms and Kobo readers)."""
    if not path.exists():
        raise DataError(f"data file not found: {path}")
    wb = _open(path)
    try:
        yield from _sheet_chunks(path, wb, chunk_rows, keep, opts, rename)
    finally:
        wb.close()


def _pick_sheet(path: Path, wb: Any, sheet: str | int | None) -> Any:
    names = list(wb.sheetnames)
    if sheet is None:
        return wb[names[0]]
    if isinstance(sheet, int):
        if not 1 <= sheet <= len(names):
            raise DataError(
                f"{path}: expected sheet 1..{len(names)}; found sheet = {sheet} "
                f"(sheets: {', '.join(names)})"
            )
        return wb[names[sheet - 1]]
    if sheet not in names:
        folded = {n.casefold(): n for n in names}
        if sheet.casefold() in folded:
            return wb[folded[sheet.casefold()]]
        hint = difflib.get_close_matches(sheet, names, n=1, cutoff=0.5)
        tip = f"; did you mean {hint[0]!r}?" if hint else ""
        raise DataError(
            f"{path}: no sheet named {sheet!r}; the workbook has {', '.join(map(repr, names))}{tip}"
        )
    return wb[sheet]


def _sheet_chunks(
    path: Path,
    wb: Any,
    chunk_rows: int,
    keep: KeepColumns,
    opts: XLSXOptions,
    rename: Callable[[list[str]], list[str]] | None,
) -> Iterator[RawChunk]:
    ws = _pick_sheet(path, wb, opts.sheet)
    total = int(ws.max_row or 0)
    where = f"{path}, sheet {ws.title!r}"
    warnings: list[str] = []
    rows_iter = ws.iter_rows(values_only=True)
    if opts.header_row is None:
        head: list[tuple[Any, ...]] = []
        for row in rows_iter:
            head.append(tuple(row))
            if len(head) >= HEADER_SEARCH_ROWS:
                break
        if not any(not _blank(v) for r in head for v in r):
            raise DataError(f"{where}: the sheet is empty; expected a header row and data rows")
        k = find_header_row(head)
        header_row = k + 1
        if k:
            above = [str(v) for r in head[:k] for v in r if not _blank(v)]
            warnings.append(
                f"{where}: found the header on row {header_row}; rows above it were skipped"
                + (f" ({'; '.join(above)[:120]})" if above else "")
            )
        pending = head[k + 1 :]
        header_cells = head[k]
    else:
        header_row = opts.header_row
        pending = []
        header_cells = ()
        for number, row in enumerate(rows_iter, start=1):
            if number == header_row:
                header_cells = tuple(row)
                break
        if not any(not _blank(v) for v in header_cells):
            raise DataError(
                f"{where}: header_row = {header_row} is empty; expected the column names there"
            )
    cells = list(header_cells)
    while cells and _blank(cells[-1]):
        cells.pop()
    header = [
        str(v).strip() if not _blank(v) else f"column {column_letter(j)}"
        for j, v in enumerate(cells)
    ]
    if rename is not None:
        header = rename(header)
    width = len(header)
    wanted = keep(header)
    picks = [(j, h) for j, h in enumerate(header) if h in wanted]

    def all_rows() -> Iterator[tuple[Any, ...]]:
        yield from pending
        for row in rows_iter:
            yield tuple(row)

    number = header_row
    blank = run = 0  # empty rows between data rows are noted; trailing ones are not
    source = iter(all_rows())
    while True:
        rows: list[tuple[Any, ...]] = []
        numbers: list[int] = []
        rejects: list[Reject] = []
        for row in source:
            number += 1
            if all(_blank(v) for v in row):
                run += 1
                continue
            blank, run = blank + run, 0
            if len(row) > width and any(not _blank(v) for v in row[width:]):
                extra = [column_letter(j) for j in range(width, len(row)) if not _blank(row[j])]
                rejects.append(
                    Reject(
                        row=number,
                        reason=RejectReason.MALFORMED_ROW,
                        message=f"cells {', '.join(extra[:5])}{number} lie right of the last "
                        f"named column ({column_letter(width - 1)}); expected every filled cell "
                        "under a column name",
                        source=str(path),
                    )
                )
            rows.append(row)
            numbers.append(number)
            if len(rows) >= chunk_rows:
                break
        if not rows:
            break
        columns = {h: [r[j] if j < len(r) else None for r in rows] for j, h in picks}
        yield RawChunk(
            columns=dict(columns),
            rows=np.array(numbers, dtype=np.int64),
            rejects=rejects,
            warnings=list(warnings),
            done=number,
            total=total,
        )
    if blank:
        warnings.append(f"{where}: skipped {blank} empty row(s)")
        yield RawChunk(columns={}, rows=np.zeros(0, np.int64), warnings=list(warnings))


@hookimpl
def register_readers(register: Callable[[type[Reader]], None]) -> None:
    register(XLSXReader)
