"""Reject messages of the table builder that need more than one line to say."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from ..cells import is_missing
from .ids import RespondentIds

__all__ = ["bad_weight_message", "conflict_message"]


def bad_weight_message(text: str | None) -> str:
    """Why a weight cell cannot be used, with the cell as typed unless it is blank."""
    if text is None or not text.strip():
        return "weight is empty; expected a positive number"
    if is_missing(text):  # a missing-value token such as 'NaN' or 'NA'
        return f"weight {text!r} is a missing-value mark, not a number; expected a positive number"
    return f"weight must be a positive finite number; found {text!r}"


def conflict_message(
    ids: RespondentIds,
    resp: NDArray[np.int64],
    values: NDArray[np.int8],
    reference: NDArray[np.int16],
    item: str,
) -> Callable[[int], str]:
    def message(pos: int) -> str:
        return (
            f"respondent {ids[resp[pos]]!r} answered survey-wide item {item!r} with "
            f"{reference[resp[pos]]} in an earlier row and {values[pos]} here"
        )

    return message
