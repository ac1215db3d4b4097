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
    uniques, inverse = np.unique(col.astype(str), return_inverse=True)
    n_unique = uniques.shape[0]
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
