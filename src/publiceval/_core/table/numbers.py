"""Numbers typed as text, read with one locale per column.

Indonesian spreadsheets write ``1.500`` for fifteen hundred and ``1,5`` for one and a half;
English ones the other way round. A column is read with one locale: the one stated in the study
(``[data] decimal`` / ``thousands``), else the one its values show (a ``1,5`` or ``1.250,5``
settles it). Values that read two ways (``1.500``: 1.5 or 1500) with nothing in the column to
settle them are refused, never read half one way and half the other. Work is per distinct value.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..cells import factorize_text, is_missing
from ..errors import DataError

__all__ = [
    "AmbiguousNumbersError",
    "ColumnLocales",
    "NumberFormat",
    "number_text",
    "read_numbers",
    "text_numbers",
]


class AmbiguousNumbersError(DataError):
    """A column whose numbers read two ways and nothing in it (yet) says which.

    Reading in chunks, later rows may settle it: the chunk is kept and read again with them.
    """


_EXP = r"(?:[eE][+-]?\d+)?"
_LOCALES = {".": ",", ",": "."}  # decimal → its usual thousands separator


@functools.cache
def _pattern(decimal: str, thousands: str) -> re.Pattern[str]:
    d = re.escape(decimal)
    whole = r"\d+" if not thousands else rf"(?:\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+|\d+)"
    return re.compile(rf"^[+-]?(?:{whole}(?:{d}\d*)?|{d}\d+){_EXP}$")


@dataclass(frozen=True)
class NumberFormat:
    """How numbers are written: ``decimal`` (``"."`` or ``","``; ``None``: detect per column)
    and ``thousands`` (``""`` for none; ``None``: the other of ``"."`` and ``","``)."""

    decimal: str | None = None
    thousands: str | None = None

    def stated(self) -> tuple[str, str] | None:
        if self.decimal is None:
            return None
        t = self.thousands if self.thousands is not None else _LOCALES[self.decimal]
        return self.decimal, t


@dataclass
class ColumnLocales:
    """The decimal mark decided for each column so far, with the value and row that decided it.

    Shared by the chunks of one file, so a later chunk cannot read a column another way.
    """

    decided: dict[str, tuple[str, str, int]] = field(default_factory=dict)


def number_text(x: float) -> str | None:
    """A number as a cell shows it: ``5`` for a whole number, not ``5.0``; None for NaN."""
    if x != x:
        return None
    if x.is_integer() and abs(x) < 2.0**53:
        return str(int(x))
    return repr(x)


def _read(text: str, decimal: str, thousands: str) -> float | None:
    if not _pattern(decimal, thousands).match(text):
        return None
    plain = text.replace(thousands, "") if thousands else text
    try:
        return float(plain.replace(decimal, "."))
    except ValueError:  # pragma: no cover - the pattern admits only numbers
        return None


def _describe(decimal: str) -> str:
    return f"decimal {decimal!r} (thousands {_LOCALES[decimal]!r})"


_HOW = (
    'state how numbers are written in the study: [data] decimal = "," (thousands ".", '
    'as Indonesian spreadsheets write) or decimal = "." (thousands ",")'
)


def read_numbers(
    values: Sequence[Any],
    *,
    fmt: NumberFormat | None = None,
    delimiter: str | None = None,
    where: str = "",
    row_of: Callable[[int], int] | None = None,
    locales: ColumnLocales | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Distinct cell values as floats, and which of them are not numbers at all.

    Missing cells are NaN (not flagged); a value that is not a number in the column's locale
    is NaN and flagged. ``delimiter`` is the file's cell delimiter if known: in a ``,`` file a
    ``1.500`` with nothing else to settle it reads as 1.5, as it always has. ``where`` names the
    file and column and ``row_of(k)`` the row of distinct value ``k`` for messages;
    ``locales`` carries the decision to the next chunk. Raises :class:`DataError` for a
    column that reads two ways.
    """
    n = len(values)
    out = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    texts: dict[int, str] = {}
    for k, v in enumerate(values):
        if is_missing(v):
            continue
        if isinstance(v, bool | np.bool_):
            bad[k] = True
        elif isinstance(v, int | float | np.integer | np.floating):
            out[k] = float(v)
        else:
            texts[k] = str(v).strip()
    if not texts:
        return out, bad
    stated = fmt.stated() if fmt is not None else None
    if stated is not None:
        for k, t in texts.items():
            x = _read(t, *stated)
            out[k], bad[k] = (np.nan, True) if x is None else (x, False)
        return out, bad
    en = {k: _read(t, ".", ",") for k, t in texts.items()}
    idn = {k: _read(t, ",", ".") for k, t in texts.items()}
    only_en = [k for k in texts if en[k] is not None and idn[k] is None]
    only_id = [k for k in texts if idn[k] is not None and en[k] is None]
    two = [k for k in texts if en[k] is not None and idn[k] is not None and en[k] != idn[k]]

    def row(k: int) -> str:
        return f" (row {row_of(k)})" if row_of is not None else ""

    def examples(ks: list[int]) -> str:
        return ", ".join(f"{texts[k]!r}{row(k)}" for k in ks[:3])

    decided = locales.decided.get(where) if locales is not None else None
    choice: str | None = None
    if only_en and only_id:
        raise DataError(
            f"{where}: numbers are written two ways: {examples(only_en)} with a decimal point, "
            f"{examples(only_id)} with a decimal comma; expected one way for the whole column; "
            + _HOW
        )
    if only_en and not only_id:
        choice = "."
    elif only_id and not only_en:
        choice = ","
    if decided is not None and choice is not None and choice != decided[0]:
        ks = only_en if choice == "." else only_id
        raise DataError(
            f"{where}: {examples(ks)} is written with {_describe(choice)}, but earlier rows "
            f"were read with {_describe(decided[0])} ({decided[1]!r} in row {decided[2]}); "
            "expected one way for the whole column; " + _HOW
        )
    if choice is None and decided is not None:
        choice = decided[0]
    if choice is None and two:
        if delimiter == "," and all("." in texts[k] for k in two):
            choice = "."  # a comma-separated file writes a decimal point
        else:
            sep = f" in a {delimiter!r}-separated file" if delimiter else ""
            shown = [f"{texts[k]!r}{row(k)}" for k in two[:3]]
            pairs = [(en[k], idn[k]) if "." in texts[k] else (idn[k], en[k]) for k in two[:3]]
            readings = ", ".join(f"{a:g}" for a, _ in pairs)
            thousands = ", ".join(f"{b:g}" for _, b in pairs)
            raise AmbiguousNumbersError(
                f"{where}: the numbers {', '.join(shown)} read two ways{sep}: as {readings} "
                f"with a decimal point or comma, or as {thousands} with a thousands separator, "
                "and no value in the column settles which; " + _HOW
            )
    if choice is not None and locales is not None and decided is None and (only_en or only_id):
        k = (only_en or only_id)[0]
        locales.decided[where] = (choice, texts[k], row_of(k) if row_of is not None else 0)
    for k in texts:
        # with no choice, no value reads two ways and none needs one: both readings agree
        x = idn[k] if choice == "," else en[k]
        out[k], bad[k] = (np.nan, True) if x is None else (x, False)
    return out, bad


def text_numbers(col: NDArray[Any], where: str, rows: NDArray[np.int64]) -> NDArray[np.float64]:
    """A column of cells (text or objects) as numbers in one detected locale (NaN: not one).

    ``rows[i]`` is the row of cell ``i``, for messages. The work is per distinct text.
    """
    factorized = factorize_text(col)
    if factorized is None:
        uniques, inverse = np.unique(col.astype(str), return_inverse=True)
        codes, texts = inverse.reshape(-1).astype(np.int64), uniques.tolist()
    else:
        codes, texts = factorized
    first = np.unique(codes, return_index=True)[1]
    numbers, _ = read_numbers(texts, where=where, row_of=lambda k: int(rows[first[k]]))
    return numbers[codes]
