"""Finding what broke a CSV file, for the ``csv`` and ``csv-arrow`` readers.

They run only when something already went wrong, so the readers' fast paths stay as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from publiceval.plugin import DataError, Reject, RejectReason, column_letter

__all__ = [
    "EOF_MARK",
    "OpenQuote",
    "find_open_quote",
    "first_ragged",
    "nul_reject",
    "open_quote_error",
    "reject_nul",
    "reject_spanning",
    "spanning_hint",
]

#: Fed to :mod:`csv` after the last line of a file: it comes back as a record of its own when
#: every quote was closed, and glued to the end of the last cell when one was left open (the
#: csv module reads to the end of the file inside an open quote without a word).
EOF_MARK = "\ufdd0publiceval:end-of-file\ufdd0"


def nul_reject(
    cells: Sequence[str], names: Sequence[str], letters: Sequence[str], row: int, source: str
) -> Reject | None:
    """The reject of a row holding a NUL character, at the first cell that holds one.

    ``names`` and ``letters`` are the header name and spreadsheet letter of each cell.
    """
    for j, cell in enumerate(cells):
        if "\x00" in cell:
            letter = letters[j] if j < len(letters) else column_letter(j)
            return Reject(
                row=row,
                column=names[j] if j < len(names) else f"column {letter}",
                value=cell[:200],
                reason=RejectReason.MALFORMED_ROW,
                message=f"cell {letter}{row} holds a NUL byte (\\x00): {cell[:60]!r}; the file "
                "may be damaged here: check this row against the source and remove the NUL byte",
                source=source,
            )
    return None


@dataclass(frozen=True)
class OpenQuote:
    """Where a quote opens that swallows the rest of a CSV file (or a huge part of it)."""

    row: int
    """The record, counting the header as 1 (as rejects count rows)."""
    line: int
    """The physical line of the opening quote."""
    column: int
    """0-based cell index of the quoted cell."""
    lines: int
    """Lines read as that one cell, from the quote's line on."""
    at_end: bool
    """Whether the cell ran to the end of the file (else it grew past the cell-size limit)."""


class _Lines:
    """The lines of a file, keeping those of the record being parsed."""

    def __init__(self, f: io.TextIOBase) -> None:
        self.f = f
        self.buf: list[str] = []

    def __iter__(self) -> Iterator[str]:
        for line in self.f:
            self.buf.append(line)
            yield line


def find_open_quote(
    path: Path, encoding: str, delimiter: str, *, skip_lines: int = 0, quote: str = '"'
) -> OpenQuote | None:
    """Re-read ``path`` to find the quoted cell that never closes (error path only).

    The csv module reads to the end of the file inside an open quote, so that cell is in the
    last record, or in the record that outgrew the cell-size limit (:class:`csv.Error`).
    ``skip_lines`` lines (e.g. an Excel ``sep=`` line) come before the header.
    """
    with path.open("r", encoding=encoding, errors="replace", newline="") as f:
        for _ in range(skip_lines):
            f.readline()
        lines = _Lines(f)
        reader = csv.reader(iter(lines), delimiter=delimiter, quotechar=quote)
        start = skip_lines + 1  # the first line of the record being parsed
        last: list[str] = []
        record = 0
        at_end = True
        while True:
            done, lines.buf = lines.buf, []
            try:
                next(reader)
            except StopIteration:
                break
            except csv.Error:
                at_end = False
                record += 1
                start += len(done)
                last = lines.buf
                break
            record += 1
            start += len(done)
            last = lines.buf
        found = _quote_in(last, delimiter, quote)
        if found is None:
            return None
        offset, column = found
        ahead = 0 if at_end else sum(1 for _ in f)  # the lines not yet read (error path)
        return OpenQuote(record, start + offset, column, len(last) - offset + ahead, at_end)


def first_ragged(
    path: Path, encoding: str, delimiter: str, *, quote: str = '"'
) -> tuple[int, int, int] | None:
    """(row, cells, header cells) of the first record whose cell count differs from the header's."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=delimiter, quotechar=quote)
        try:
            header = next(reader, None)
            if header is None:
                return None
            for row, cells in enumerate(reader, start=2):
                if cells and len(cells) != len(header):
                    return row, len(cells), len(header)
        except csv.Error:
            return None
    return None


def _quote_in(lines: list[str], delimiter: str, quote: str) -> tuple[int, int] | None:
    """(line offset, cell index) of a quote left open in a record's text, as :mod:`csv` reads it."""
    text = "".join(lines)
    if quote not in text:
        return None
    cell, at_start, inside, opened = 0, True, False, -1
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if inside:
            if ch == quote:
                if i + 1 < n and text[i + 1] == quote:
                    i += 2
                    continue
                inside, at_start = False, False
        elif ch == quote and at_start:
            inside, opened, at_start = True, i, False
        elif ch == delimiter:
            cell, at_start = cell + 1, True
        elif ch not in "\r\n":
            at_start = False
        i += 1
    if not inside:
        return None
    # the quote's line within the record; delimiters inside the open cell were not counted
    offset, seen = 0, 0
    for k, ln in enumerate(lines):
        if seen + len(ln) > opened:
            offset = k
            break
        seen += len(ln)
    return offset, cell


def open_quote_error(
    path: Path, found: OpenQuote, header: Sequence[str] | None, limit: int
) -> DataError:
    """One line: where the quote opens, what it swallowed, and what to do."""
    letter = column_letter(found.column)
    name = header[found.column] if header is not None and found.column < len(header) else None
    where = f"{path}, row {found.row}" + (
        f" (line {found.line})" if found.line != found.row else ""
    )
    where += f", column {letter}" + (f" ({name!r})" if name else "")
    if found.at_end:
        what = (
            f'a quote (") opens here and is never closed; the rest of the file '
            f"({found.lines} line{'s' if found.lines != 1 else ''}) was read as one cell"
        )
    else:
        what = (
            f'a quote (") opens here and is not closed within {limit:,} characters '
            f"({found.lines} lines to the end of the file)"
        )
    return DataError(
        f"{where}: {what}; expected a closing quote: close it, or remove the quote on line "
        f"{found.line}"
    )


def spanning_hint(row: list[str]) -> str:
    """For a ragged row: the quoted cell that ran over several lines, if one did."""
    for j, cell in enumerate(row):
        lines = len(cell.splitlines())
        if lines > 1:
            return (
                f'; cell {column_letter(j)} runs over {lines} lines: is a quote (") left open '
                "there, swallowing the rows after it?"
            )
    return ""


def reject_spanning(
    rows: list[list[str]],
    numbers: NDArray[np.int64],
    picks: list[tuple[int, str]],
    delimiter: str,
    source: str,
    rejects: list[Reject],
) -> None:
    """Reject the rows whose used cell runs over lines holding delimiters: a misplaced quote
    swallowed the rows in between (a label broken over lines by Alt+Enter is kept). The cell is
    blanked so the row is explained once."""
    for i, row in enumerate(rows):
        for j, name in picks:
            cell = row[j] if j < len(row) else ""
            if ("\n" in cell or "\r" in cell) and delimiter in cell:
                n = len(cell.splitlines())
                rejects.append(
                    Reject(
                        row=int(numbers[i]),
                        column=name,
                        value=cell[:200],
                        reason=RejectReason.MALFORMED_ROW,
                        message=f"cell {column_letter(j)}{int(numbers[i])} runs over {n} lines: a "
                        'quote (") opens in it and closes only on a later line, so the rows '
                        f"between were read as part of this cell ({cell[:60]!r}); expected a "
                        "quote closed on its own line: fix the quotes in this row",
                        source=source,
                    )
                )
                rows[i] = [c if k != j else "" for k, c in enumerate(row)]
                break


def reject_nul(
    rows: list[list[str]],
    numbers: NDArray[np.int64],
    header: list[str],
    source: str,
    rejects: list[Reject],
) -> None:
    """Reject the rows holding a NUL character; their NUL cells are blanked (said once)."""
    letters = [column_letter(j) for j in range(len(header))]
    for i, row in enumerate(rows):
        if "\x00" in "".join(row):
            found = nul_reject(row, header, letters, int(numbers[i]), source)
            if found is not None:
                rejects.append(found)
                rows[i] = ["" if "\x00" in c else c for c in row]
