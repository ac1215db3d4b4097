"""Numbers, percentages, dates and JSON values as a report writes them, per language."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from ..text import Lang, format_number
from .messages import Messages
from .views import SCORE_DECIMALS


def percent_text(share: float, lang: Lang, decimals: int = 0) -> str:
    """``0.153`` → ``15%`` (``15,3%`` with one decimal in Indonesian)."""
    return format_number(share * 100.0, lang, decimals) + "%"


def _date_text(text: str, m: Messages) -> str:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {m[f'month.{day.month}']} {day.year}"


def period_text(
    period: str | None, m: Messages, start: dt.date | None = None, end: dt.date | None = None
) -> str:
    """The survey period, ``12 Juni 2025 – 16 Juni 2025``, from its dates.

    ``period`` (the 1.0 text ``2025-06-12/2025-06-16``) is only read when no date is given.
    """
    if start is not None or end is not None:
        return " – ".join(
            f"{d.day} {m[f'month.{d.month}']} {d.year}" for d in (start, end) if d is not None
        )
    if not period:
        return m.dash
    return " – ".join(_date_text(part, m) for part in period.split("/"))


def ci_text(low: float | None, high: float | None, lang: Lang) -> str:
    if low is None or high is None:
        return "–"
    return f"{format_number(low, lang)}–{format_number(high, lang)}"


def options_json(options: Mapping[str, object]) -> str:
    return json.dumps(options, ensure_ascii=False, sort_keys=True) if options else "{}"


def edge_text(value: float, lang: Lang) -> str:
    """A band edge: two decimals, more only when the edge has them (``2,50``, ``3,0644``)."""
    for decimals in range(2, 7):
        if abs(round(value, decimals) - value) < 1e-12:
            return format_number(value, lang, decimals)
    return format_number(value, lang, 6)


def _plain(value: object, lang: Lang) -> str:
    """A JSON value as short text (numbers per locale)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value, lang, 0 if value.is_integer() else SCORE_DECIMALS)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def evidence_value(value: float | str | None, lang: Lang) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format_number(value, lang, SCORE_DECIMALS)
