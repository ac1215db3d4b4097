"""Shared pieces of the comparison workbooks: labels, change columns, colours, the workbook."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..report.xlsx import _reproducible
from ..report.xlsx_cells import SCORE_FORMAT, Sheet, require_openpyxl
from ..text import Lang, clean_text, format_number
from .models import Change
from .render_text import L

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import (  # type: ignore[import-untyped,unused-ignore]
        Worksheet,
    )

__all__ = [
    "CHANGE_FORMAT",
    "P_FORMAT",
    "Fill",
    "chance",
    "change_cells",
    "change_formats",
    "change_head",
    "colour",
    "percent",
    "t",
    "text_column",
    "workbook",
]

CHANGE_FORMAT = "+0.00;-0.00;0.00"
P_FORMAT = "0.000"
_COLOURS = {"better": "1A7F37", "worse": "C62828"}
Fill = Callable[["Worksheet"], None]
"""Fills one worksheet."""


def t(key: str, lang: Lang, **kw: object) -> str:
    return L[key][lang].format(**kw)


def percent(level: float, lang: Lang) -> str:
    return format_number(level * 100, lang, 0)


def chance(change: Change, lang: Lang) -> str:
    """``beyond chance`` / ``within chance`` / ``not testable`` (for gaps and pairs)."""
    if change.direction == "untested":
        return L["untested"][lang]
    return L["beyond"][lang] if change.significant else L["within-chance"][lang]


def change_cells(c: Change) -> list[object]:
    """before, after, change, interval low, interval high, p (Holm)."""
    return [
        c.before,
        c.after,
        c.difference,
        c.ci.low if c.ci else None,
        c.ci.high if c.ci else None,
        c.p_adjusted,
    ]


def change_head(lang: Lang, level: float) -> list[str]:
    pct = percent(level, lang)
    return [
        t("before", lang),
        t("after", lang),
        t("change", lang),
        t("low", lang, pct=pct),
        t("high", lang, pct=pct),
        t("p", lang),
    ]


def change_formats(first: int) -> dict[int, str]:
    """Number formats of :func:`change_cells` placed from column ``first`` on."""
    kinds = [SCORE_FORMAT, SCORE_FORMAT, CHANGE_FORMAT, CHANGE_FORMAT, CHANGE_FORMAT, P_FORMAT]
    return {first + k: f for k, f in enumerate(kinds)}


def colour(s: Sheet, col: int, direction: str) -> None:
    """The verdict cell in green (better) or red (worse), bold, as in the HTML page."""
    if direction in _COLOURS:
        from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]

        s.ws.cell(row=s.row, column=col).font = Font(bold=True, color=_COLOURS[direction])


def text_column(ws: Worksheet, width: int = 110) -> None:
    """Column A of a summary sheet: wide, long sentences wrapped."""
    from openpyxl.styles import Alignment  # type: ignore[import-untyped,unused-ignore]

    ws.column_dimensions["A"].width = width
    for (cell,) in ws.iter_rows(min_col=1, max_col=1):
        if isinstance(cell.value, str) and len(cell.value) > width:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def workbook(title: str, sheets: Sequence[tuple[str, Fill]]) -> bytes:
    openpyxl = require_openpyxl()
    wb = openpyxl.Workbook()
    wb.properties.title = clean_text(title)[:200]
    used: set[str] = set()
    for k, (name, fill) in enumerate(sheets):
        ws = wb.active if k == 0 else wb.create_sheet()
        safe = "".join("-" if ch in "[]:*?/\\" else ch for ch in name)[:31]
        while safe.casefold() in used:  # sheet names are unique regardless of case
            safe = safe[:28] + f" {len(used)}"
        used.add(safe.casefold())
        ws.title = safe
        fill(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return _reproducible(buf.getvalue())
