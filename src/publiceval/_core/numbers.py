"""Low-level number helpers shared by schemes, ranking and rules."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["round_half_up"]


def round_half_up(value: float, precision: int) -> float:
    """Round as a printed report does (``2.675`` → ``2.68``), working on the decimal text."""
    quantum = Decimal(1).scaleb(-precision)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))
