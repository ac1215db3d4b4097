"""Ranks that say when scores are tied."""

from __future__ import annotations

from collections.abc import Sequence

from .numbers import round_half_up

__all__ = ["competition_ranks"]


def competition_ranks(
    values: Sequence[float | None], *, precision: int | None = None
) -> list[int | None]:
    """Standard competition ranks, highest first ("1 2 2 4"); ``None`` values are not ranked.

    With ``precision``, values are compared as printed (rounded half up), so two scores that a
    report shows as 2.50 share a rank.
    """
    keyed = [
        None if v is None else (round_half_up(v, precision) if precision is not None else v)
        for v in values
    ]
    present = sorted((v for v in keyed if v is not None), reverse=True)
    first: dict[float, int] = {}
    for pos, v in enumerate(present):
        first.setdefault(v, pos + 1)
    return [None if v is None else first[v] for v in keyed]
