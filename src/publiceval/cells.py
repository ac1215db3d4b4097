"""Turning one answer cell into a scale point, for one cell or a whole column at once.

Both paths share :func:`parse_answer`; the column path calls it once per *distinct* value and
broadcasts, so a million rows cost a ``numpy.unique`` and a handful of Python calls.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .rejects import RejectReason
from .survey import Scale, normalize_label

__all__ = [
    "MISSING_TOKENS",
    "CellProblem",
    "ColumnParse",
    "factorize_text",
    "is_missing",
    "missing_texts",
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


def missing_texts(texts: list[str]) -> NDArray[np.bool_]:
    """``is_missing`` of each text, with a cheap length test first: most distinct ids (long,
    unpadded) cannot be a missing token, so a million of them cost one pass of ``len``."""
    longest = max(len(t) for t in MISSING_TOKENS)
    return np.fromiter(
        (
            (len(t) <= longest or t[:1].isspace() or t[-1:].isspace())
            and t.strip().casefold() in MISSING_TOKENS
            for t in texts
        ),
        dtype=bool,
        count=len(texts),
    )


def _first_seen(
    raw_first: NDArray[np.int64],
    inverse: NDArray[np.int64],
    col: NDArray[Any],
    merge: bool,
) -> tuple[NDArray[np.int64], list[str]]:
    """Codes and labels in first-seen order from sorted uniques (their first rows)."""
    order = np.argsort(raw_first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    texts = col[raw_first[order]].astype(str).tolist()
    codes = rank[inverse]
    return _merge_texts(codes, texts) if merge else (codes, texts)


def _merge_texts(codes: NDArray[np.int64], texts: list[str]) -> tuple[NDArray[np.int64], list[str]]:
    """Merge distinct raw values that read as the same text (``None``/``"None"``, NaN payloads).

    ``texts`` are in first-seen order, so the merged labels are too.
    """
    if len(dict.fromkeys(texts)) == len(texts):
        return codes, texts
    seen: dict[str, int] = {}
    remap = [seen.setdefault(t, len(seen)) for t in texts]
    return np.asarray(remap, dtype=np.int64)[codes], list(seen)


def factorize_text(col: NDArray[Any]) -> tuple[NDArray[np.int64], list[str]] | None:
    """Codes and distinct texts of a column, as ``col.astype(str)`` would read its cells.

    Labels come in first-seen order and ``labels[codes[i]] == col.astype(str)[i]``. Hash-based
    for text (a dict of the distinct cells, built in C) and a sort of the numbers for numeric
    columns: neither converts every cell to a string. ``None`` for a dtype it does not handle
    (callers then use ``numpy.unique`` on the strings).
    """
    kind = col.dtype.kind
    n = col.shape[0]
    if col.ndim != 1:
        return None
    if kind in "iuf":
        # floats by their bit patterns: -0.0 and 0.0 read differently, NaN payloads alike
        keys = col.view(f"i{col.itemsize}") if kind == "f" else col
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        # distinct integers are distinct texts; distinct float bit patterns may not be (NaNs)
        return _first_seen(
            first.astype(np.int64), inverse.reshape(-1).astype(np.int64), col, kind == "f"
        )
    if kind not in "OU":
        return None
    values = col.tolist()
    try:
        lookup: dict[Any, Any] = dict.fromkeys(values)
    except TypeError:  # an unhashable cell
        values = [str(v) for v in values]
        lookup = dict.fromkeys(values)
    # numbers that compare equal (1, 1.0, True) share a dict key but not a text: read those
    # columns through their texts
    if not all(v is None or isinstance(v, str) for v in lookup):
        values = [str(v) for v in values]
        lookup = dict.fromkeys(values)
    distinct = list(lookup)
    lookup = dict(zip(distinct, range(len(distinct)), strict=True))
    codes = np.fromiter(map(lookup.__getitem__, values), dtype=np.int64, count=n)
    # a numpy text array drops trailing NULs, as astype(str) would
    texts = [str(v).rstrip("\x00") for v in distinct]
    return _merge_texts(codes, texts)


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


def _numeric_column(col: NDArray[Any], scale: Scale) -> ColumnParse:
    floats = col.astype(np.float64, copy=False)
    missing = np.isnan(floats)
    finite = np.where(missing, scale.min, floats)
    out_of_range = ~missing & ((finite < scale.min) | (finite > scale.max) | ~np.isfinite(finite))
    safe = np.where(out_of_range, scale.min, finite)
    not_int = ~missing & ~out_of_range & (safe != np.floor(safe))
    problem = np.zeros(col.shape[0], dtype=np.int8)
    problem[not_int] = 2
    problem[out_of_range] = 3
    bad = problem != 0
    values = np.where(missing | bad, 0, safe).astype(np.int8)
    messages: dict[int, CellProblem] = {}
    for pos in np.flatnonzero(bad).tolist():
        result = parse_answer(col[pos].item(), scale)
        assert isinstance(result, CellProblem)  # the vector rules mirror parse_answer
        messages[pos] = result
    return ColumnParse(values, ~missing & ~bad, problem, messages)


def parse_column(col: NDArray[Any], scale: Scale) -> ColumnParse:
    """Parse a whole column of cells with the same rules as :func:`parse_answer`."""
    if col.dtype.kind in "iuf":
        return _numeric_column(col, scale)
    # Every distinct cell text is parsed once; object cells such as None become "None", a
    # missing token, and 3 or 3.0 read as the point 3, as in parse_answer.
    factorized = factorize_text(col)
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
    return ColumnParse(u_values[inverse], u_observed[inverse], problem, messages)
