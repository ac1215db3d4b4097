"""The SKM sheets of the workbook: respondent profile, NRR and IKM per unit, the follow-up plan
with the columns a unit fills in, and the suggestions by element. A sheet is left out when the
evaluation has no data for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .context import ReportContext
from .xlsx_cells import PERCENT_FORMAT, SCORE_FORMAT, Sheet

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import (  # type: ignore[import-untyped,unused-ignore]
        Worksheet,
    )

__all__ = ["SKM_SHEETS"]


def _profile(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    assert ctx.skm is not None
    s = Sheet(ws, [m.question, m.answers, m.count, m.share])
    for q in ctx.skm.profile:
        for row in q.rows:
            s.add([q.title, row.label, row.count, row.share], formats={4: PERCENT_FORMAT})
    s.finish()


def _units(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    assert ctx.skm is not None
    elements = ctx.skm.elements
    s = Sheet(ws, [m.opd_id, m.opd, *elements, m.ikm, m.quality_grade, m.weakest_elements])
    fmt = dict.fromkeys(range(3, 4 + len(elements)), SCORE_FORMAT)
    for u in ctx.skm.units:
        s.add(
            [
                u.opd,
                u.name,
                *u.nrr,
                u.ikm,
                f"{u.grade} ({u.grade_label})",
                "; ".join(name for name, _ in u.weakest) or None,
            ],
            formats=fmt,
        )
    s.finish()


def _followup(ws: Worksheet, ctx: ReportContext) -> None:
    """The plan: the unit fills in programme, time frame and who is responsible."""
    from openpyxl.styles import PatternFill  # type: ignore[import-untyped,unused-ignore]

    m = ctx.m
    assert ctx.skm is not None
    header = [
        m.priority,
        m.opd_id,
        m.opd,
        m.priority_element,
        m.recommendations,
        m.programme,
        m.timeframe,
        m.responsible,
    ]
    s = Sheet(ws, header)
    fill = PatternFill("solid", fgColor="FFF7D6")
    for f in ctx.skm.followup:
        s.add([f.priority, f.opd, f.name, f.elements, f.action, None, None, None])
        for col in (6, 7, 8):
            ws.cell(row=s.row, column=col).fill = fill
    s.finish()
    for letter, width in (("E", 60), ("F", 40), ("G", 18), ("H", 28)):
        ws.column_dimensions[letter].width = width


def _suggestions(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    assert ctx.skm is not None
    s = Sheet(ws, [m.opd_id, m.opd, m.element, m.text, m.count])
    for unit in ctx.skm.suggestions:
        for g in unit.groups:
            for text, times in g.texts:
                s.add([unit.opd, unit.name, g.element, text, times])
    if ctx.skm.suggestions_truncated:
        s.add([m.suggestions_truncated])
    s.finish()


#: (sheet title key, writer, whether the context has data for it), in workbook order.
SKM_SHEETS: tuple[
    tuple[str, Callable[[Worksheet, ReportContext], None], Callable[[ReportContext], bool]], ...
] = (
    ("sheet_profile", _profile, lambda c: bool(c.skm and c.skm.profile)),
    ("sheet_skm", _units, lambda c: bool(c.skm and c.skm.units)),
    ("sheet_followup", _followup, lambda c: bool(c.skm and c.skm.followup)),
    ("sheet_suggestions", _suggestions, lambda c: bool(c.skm and c.skm.suggestions)),
)
