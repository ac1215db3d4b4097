"""Turning one answer cell into a scale point, for one cell or a whole column at once.

Both paths share :func:`parse_answer`; the column path calls it once per *distinct* value and
broadcasts, so a million rows cost a ``numpy.unique`` and a handful of Python calls.
"""

from __future__ import annotations

import functools
import math
import re
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .cells_identity import by_identity as _by_identity
from .rejects import RejectReason
from .survey import Scale, normalize_label

__all__ = [
    "MISSING_TOKENS",
    "CellProblem",
    "ColumnParse",
    "factorize_keys",
    "factorize_text",
    "is_missing",
    "parse_answer",
    "parse_column",
]

#: Cell texts read as "no answer" (after trimming, case-insensitive).
MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "none", "null", "-"})

_NUMBER = re.compile(r"^[+-]?((\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?|inf|infinity)$", re.IGNORECASE)

# Codes stored per cell in the column path; 0 means fine.
_REASON_CODES: tuple[RejectReason | None, ...] = (
    None,
    RejectReason.UNKNOWN_LABEL,
    RejectReason.NOT_INTEGER,
    RejectReason.OUT_OF_RANGE,
)


@dataclass(frozen=True)
class CellProblem:
    """Why a cell is not a valid answer, with a message that names what was expected."""

    reason: RejectReason
    message: str


def is_missing(raw: object) -> bool:
    """True for an empty cell: ``None``, NaN, or a missing token such as ``""`` or ``"NA"``."""
    if raw is None:
        return True
    if isinstance(raw, float | np.floating):
        return bool(math.isnan(raw))
    if isinstance(raw, str):
        return raw.strip().casefold() in MISSING_TOKENS
    return False


#: Columns at least this long import pandas for its hash-based factorize if it is installed
#: but not yet imported (importing it costs ≈ 0.3 s; below this size that is not won back).
PANDAS_MIN_ROWS = 500_000


@functools.cache
def _import_pandas() -> Any | None:
    try:
        import pandas  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        return None
    return pandas


def _pandas(n: int) -> Any | None:
    """pandas for factorising ``n`` cells, or None: the optional fast path, never required."""
    loaded = sys.modules.get("pandas")
    if loaded is not None:
        return loaded
    return _import_pandas() if n >= PANDAS_MIN_ROWS else None


def _hash_codes(keys: NDArray[Any], ordered: bool) -> tuple[NDArray[np.int64], NDArray[Any]]:
    """Codes and distinct keys of a column of integers (or hashable objects without NaN/None).

    With ``ordered`` the distinct keys come in first-seen order; codes index them.
    """
    if keys.dtype.kind in "iu" and keys.shape[0] > 1:
        step = keys[1:] > keys[:-1]
        if bool(np.all(step | (keys[1:] == keys[:-1]))):
            # already grouped in increasing order (row numbers, sorted exports): one pass
            codes = np.zeros(keys.shape[0], np.int64)
            np.cumsum(step, out=codes[1:])
            return codes, keys[np.r_[True, step]]
    pd = _pandas(keys.shape[0])
    if pd is not None:
        codes, uniques = pd.factorize(keys)
        return np.asarray(codes, dtype=np.int64), np.asarray(uniques)
    if keys.dtype.kind == "O":
        values = keys.tolist()
        lookup = dict.fromkeys(values)
        if len(lookup) == len(values):  # every cell distinct (ids): codes are positions
            return np.arange(len(values), dtype=np.int64), keys.copy()
        distinct = np.empty(len(lookup), dtype=object)
        distinct[:] = list(lookup)
        index = dict(zip(lookup, range(len(lookup)), strict=True))
        codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))
        return codes, distinct
    uniques, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1).astype(np.int64)
    if not ordered:
        return inverse, uniques
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    return rank[inverse].astype(np.int64), uniques[order]


def _merge_texts(codes: NDArray[np.int64], texts: list[str]) -> tuple[NDArray[np.int64], list[str]]:
    """Merge distinct raw values that read as the same text (``None`` and ``"None"``, NaNs);
    ``texts`` are in first-seen order, so the merged labels are too."""
    if len(dict.fromkeys(texts)) == len(texts):
        return codes, texts
    seen: dict[str, int] = {}
    remap = [seen.setdefault(t, len(seen)) for t in texts]
    return np.asarray(remap, dtype=np.int64)[codes], list(seen)


def _texts_of_objects(col: NDArray[Any], ordered: bool) -> tuple[NDArray[np.int64], list[str]]:
    n = col.shape[0]
    if col.dtype.kind == "O":
        grouped = _by_identity(col)
        if grouped is not None:
            # the few distinct objects factorised by value, as any column would be
            inner, texts_of = _texts_of_objects(grouped[1], ordered)
            return inner[grouped[0]], texts_of
    pd = _pandas(n)
    found: tuple[NDArray[np.int64], NDArray[Any]] | None = None
    distinct_list: list[Any] | None = None
    try:
        if pd is not None:
            codes, uniques = pd.factorize(col)
            na = np.asarray(codes) < 0
            if na.any():
                # pandas reads None and NaN as "no value" (code -1): give those cells their text
                fixed = col.astype(object)
                fixed[na] = [str(v) for v in col[na].tolist()]
                col = fixed
                codes, uniques = pd.factorize(col)
            found = np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)
        else:
            found = _hash_codes(col, ordered)
        distinct_list = found[1].tolist()
        kinds = set(map(type, distinct_list))
    except TypeError:  # an unhashable cell
        kinds = {object}
    if found is None or not kinds <= _TEXT_TYPES:
        # numbers that compare equal (1, 1.0, True) are one key but two texts: hash the texts
        texts = np.empty(n, dtype=object)
        texts[:] = [str(v) for v in col.tolist()]
        found = _hash_codes(texts, ordered)
        kinds, distinct_list = {str}, None
    codes64, distinct = found
    if kinds <= {str}:
        labels: list[str] = distinct_list if distinct_list is not None else distinct.tolist()
    else:
        labels = list(map(str, distinct.tolist()))
    # distinct keys are distinct texts (np.str_ and str hash alike) except None and "None"
    # and, since a numpy text array drops trailing NULs as astype(str) would, "a" and "a" + NUL
    if col.dtype.kind == "O" and "\x00" in "".join(labels):
        return _merge_texts(codes64, [t.rstrip("\x00") for t in labels])
    if type(None) in kinds:
        return _merge_texts(codes64, labels)
    return codes64, labels


_TEXT_TYPES = frozenset({str, np.str_, type(None)})


def factorize_keys(col: NDArray[Any]) -> tuple[NDArray[np.int64], NDArray[Any]]:
    """Codes and distinct integers (first-seen order) of an integer column: what
    :func:`factorize_text` gives before writing the distinct integers as text."""
    return _hash_codes(col, True)


def factorize_text(
    col: NDArray[Any], *, ordered: bool = True
) -> tuple[NDArray[np.int64], list[str]] | None:
    """Codes and distinct texts of a column, as ``col.astype(str)`` would read its cells.

    ``labels[codes[i]] == col.astype(str)[i]``; with ``ordered`` the labels come in first-seen
    order. Text is factorised with a hash table (pandas' ``factorize`` when pandas is
    available, else a dict built in C); numbers are factorised as numbers (hashed by pandas,
    else sorted by numpy, in one pass when already in order) and only the distinct values
    become text. ``None`` for a dtype it does not handle (callers then use ``numpy.unique``
    on the strings).
    """
    kind = col.dtype.kind
    if col.ndim != 1:
        return None
    if kind in "iu":
        codes, uniques = _hash_codes(col, ordered)
        # distinct integers are distinct texts; Python's int text is numpy's, made faster
        return codes, list(map(str, uniques.tolist()))
    if kind == "f":
        # floats by their bit patterns: -0.0 and 0.0 read differently; NaN payloads merge
        codes, uniques = _hash_codes(col.view(f"i{col.itemsize}"), ordered)
        values = uniques.view(col.dtype)
        # numpy writes a float64 as Python's repr does (shortest round-trip), made faster
        f64 = col.dtype == np.float64
        texts = list(map(repr, values.tolist())) if f64 else values.astype(str).tolist()
        # the shortest repr of a float is unique to it: only NaNs can share a text
        many_nans = np.count_nonzero(np.isnan(values)) > 1
        return _merge_texts(codes, texts) if many_nans else (codes, texts)
    if kind in "OU":
        return _texts_of_objects(col, ordered)
    return None


def _as_number(raw: object) -> float | None:
    if isinstance(raw, bool | np.bool_):
        return None
    if isinstance(raw, int | np.integer):
        return float(raw)
    if isinstance(raw, float | np.floating):
        return float(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if _NUMBER.match(text):
            return float(text.replace(",", "."))
    return None


def parse_answer(raw: Any, scale: Scale) -> int | CellProblem | None:
    """One cell → a scale point, ``None`` for no answer, or the problem with it.

    Numbers must be whole points within the scale; text is matched against the scale's labels
    and aliases ignoring case and spacing.
    """
    if is_missing(raw):
        return None
    number = _as_number(raw)
    if number is not None:
        if math.isinf(number) or not scale.min <= number <= scale.max:
            return CellProblem(
                RejectReason.OUT_OF_RANGE,
                f"expected {scale.min}..{scale.max} on scale {scale.id!r}; found {raw!r}",
            )
        if number != int(number):
            return CellProblem(
                RejectReason.NOT_INTEGER,
                f"expected a whole point {scale.min}..{scale.max} on scale {scale.id!r}; found {raw!r}",
            )
        return int(number)
    if isinstance(raw, str):
        value = scale.lookup.get(normalize_label(raw))
        if value is not None:
            return value
    return CellProblem(
        RejectReason.UNKNOWN_LABEL,
        f"unknown answer {str(raw)!r} for scale {scale.id!r}; expected {scale.expected_text()}",
    )


@dataclass(frozen=True)
class ColumnParse:
    """A parsed answer column: points, which cells hold an answer, and which cells are bad."""

    values: NDArray[np.int8]
    observed: NDArray[np.bool_]
    problem: NDArray[np.int8]
    """0 where fine, else a code into the reason table; use :meth:`problem_at` for the message."""
    messages: dict[int, CellProblem]
    """Row position → problem, for the bad cells only."""

    def problem_at(self, row: int) -> CellProblem:
        """The problem of the cell at a row position (only for rows where ``problem`` is set)."""
        return self.messages[row]


#: Where a column's points and observed flags are written (columns of the answer block), if set.
_Out = tuple[NDArray[np.int8], NDArray[np.bool_]] | None


def _into(values: NDArray[np.int8], out: _Out) -> NDArray[np.int8]:
    if out is None:
        return values
    out[0][...] = values
    return out[0]


def _numeric_column(
    col: NDArray[Any], scale: Scale, valid: NDArray[np.bool_] | None, out: _Out
) -> ColumnParse:
    """The vector form of :func:`parse_answer` for numbers: four passes over the column.

    A point is a value inside the scale that survives a cast to int8 unchanged; NaN (or, for
    integers with a validity mask, a cell not ``valid``) is no answer; anything else is out of
    range or not whole (its message comes from parse_answer).
    """
    if col.dtype.kind in "iu":
        inside = (col >= scale.min) & (col <= scale.max)
        if valid is None:
            missing = np.zeros(col.shape[0], dtype=bool)
        else:
            inside &= valid
            missing = ~valid
        # int8 answers are their own points: zero where not one, without a cast
        if col.dtype == np.int8:
            values = np.multiply(col, inside, out=None if out is None else out[0])
        else:
            values = _into(np.where(inside, col, 0).astype(np.int8), out)
        whole = inside
    else:
        # one strided read when the column is a slice of a 2-D array, then contiguous passes
        f = np.ascontiguousarray(col, dtype=np.float64)
        inside = (f >= scale.min) & (f <= scale.max)  # NaN and inf: False
        with np.errstate(invalid="ignore"):
            values = f.astype(np.int8)  # garbage outside the scale, masked just below
        whole = inside & (values == f)
        values = np.multiply(values, whole, out=values if out is None else out[0])
        missing = np.isnan(f)
    bad = ~(whole | missing)
    problem = np.zeros(col.shape[0], dtype=np.int8)
    messages: dict[int, CellProblem] = {}
    where = np.flatnonzero(bad)
    if where.size:
        problem[where] = np.where(inside[where], 2, 3)  # not whole, or out of range
        for pos in where.tolist():
            raw = col[pos].item()
            if valid is not None:
                raw = float(raw)  # shown as the float column it stands for (1e+18, not 10**18)
            if isinstance(raw, float) and raw.is_integer() and abs(raw) < 2.0**53:
                raw = int(raw)  # a cell typed 7 is shown as 7, not 7.0
            result = parse_answer(raw, scale)
            assert isinstance(result, CellProblem)  # the vector rules mirror parse_answer
            messages[pos] = result
    if out is not None:
        out[1][...] = whole
    return ColumnParse(values, whole, problem, messages)


def parse_column(
    col: NDArray[Any],
    scale: Scale,
    *,
    valid: NDArray[np.bool_] | None = None,
    out: _Out = None,
) -> ColumnParse:
    """Parse a whole column of cells with the same rules as :func:`parse_answer`.

    ``valid`` (integer columns only) marks the filled cells; the others are no answer. With
    ``out`` the points and observed flags are also written there (the returned ``values`` are
    ``out[0]``; ``observed`` stays a contiguous array of its own)."""
    if col.dtype.kind in "iuf":
        return _numeric_column(col, scale, valid if col.dtype.kind in "iu" else None, out)
    # Every distinct cell text is parsed once; object cells such as None become "None", a
    # missing token, and 3 or 3.0 read as the point 3, as in parse_answer.
    factorized = factorize_text(col, ordered=False)
    if factorized is None:
        text_uniques, inverse = np.unique(col.astype(str), return_inverse=True)
        uniques = text_uniques.tolist()
    else:
        inverse, uniques = factorized
    n_unique = len(uniques)
    u_values = np.zeros(n_unique, dtype=np.int8)
    u_observed = np.zeros(n_unique, dtype=bool)
    u_problem = np.zeros(n_unique, dtype=np.int8)
    u_messages: dict[int, CellProblem] = {}
    for k in range(n_unique):
        result = parse_answer(str(uniques[k]), scale)
        if isinstance(result, CellProblem):
            u_problem[k] = _REASON_CODES.index(result.reason)
            u_messages[k] = result
        elif result is not None:
            u_values[k] = result
            u_observed[k] = True
    inverse = inverse.reshape(-1)
    problem = u_problem[inverse]
    messages = {pos: u_messages[int(inverse[pos])] for pos in np.flatnonzero(problem).tolist()}
    observed = u_observed[inverse]
    if out is not None:
        out[1][...] = observed
    return ColumnParse(_into(u_values[inverse], out), observed, problem, messages)
