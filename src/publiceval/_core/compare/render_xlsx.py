"""Comparisons as XLSX workbooks a city official opens in Excel or LibreOffice.

One workbook per kind: periods (the sentences, the change per OPD with its interval, Holm p,
verdict, categories and ranks with rank intervals, elements, survey-wide questions, new, gone
and renamed OPDs), segments (OPD × segment, every score beside its n; a suppressed cell has its
n, no score and a note) and cities (the cities, every pair, the elements, all OPDs). Numbers are
stored as numbers with number formats; headers and sheet names come from the comparison's
bilingual labels. Cells are written through the evaluation report's safe :class:`Sheet` (no
text a spreadsheet would run as a formula) and the bytes are reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..report.xlsx_cells import PERCENT_FORMAT, Sheet
from ..text import Lang
from .cities import CityComparison
from .models import Comparison, ItemChange, Step
from .render_text import L, method_note, step_lines, step_title, verdict
from .render_xlsx_cells import (
    Fill,
    change_cells,
    change_formats,
    change_head,
    colour,
    t,
    text_column,
    workbook,
)
from .render_xlsx_groups import render_cities_xlsx, render_segments_xlsx
from .segments import SegmentBreakdown
from .sentences import element_name

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import (  # type: ignore[import-untyped,unused-ignore]
        Worksheet,
    )

__all__ = ["render_cities_xlsx", "render_comparison_xlsx", "render_segments_xlsx", "render_xlsx"]


# --- periods ---------------------------------------------------------------------------------


def _periods_summary(c: Comparison, lang: Lang) -> Fill:
    def fill(ws: Worksheet) -> None:
        s = Sheet(ws)
        s.add([c.title], bold=True)
        s.blank()
        facts: list[tuple[str, object]] = [
            (t("confidence", lang), c.confidence),
            (t("method", lang), c.method.title.get(lang) if c.method.title else c.method.name),
            (t("scheme", lang), c.scheme),
            (t("test", lang), c.test),
            (t("version", lang), c.version or None),
        ]
        for label, value in facts:
            s.add([label, value], formats={2: PERCENT_FORMAT})
        s.blank()
        s.add(
            [
                t("label", lang),
                t("title", lang),
                t("resp_h", lang),
                t("opds_h", lang),
                t("start", lang),
                t("end", lang),
                t("source", lang),
            ],
            header=True,
        )
        for p in c.periods:
            start = p.period_start.isoformat() if p.period_start else None
            end = p.period_end.isoformat() if p.period_end else None
            s.add([p.label, p.title, p.respondents, p.opds, start, end, p.source])
        for step in c.steps:
            lines = step_lines(step, lang, c.confidence)
            s.blank()
            s.add([step_title(step)], bold=True)
            for line in lines["opds"] + lines["items"] + lines["wide"] + lines["moves"]:
                s.add([line])
        s.blank()
        s.add([method_note(c, lang).replace("*", "")])
        s.finish(filter_header=False)
        for col, width in (("B", 40), ("C", 12), ("D", 10), ("E", 12), ("F", 12), ("G", 30)):
            ws.column_dimensions[col].width = width
        text_column(ws)

    return fill


def _periods_opds(c: Comparison, lang: Lang) -> Fill:
    def fill(ws: Worksheet) -> None:
        before, after = t("rank_before", lang), t("rank_after", lang)
        head = [
            t("step", lang),
            t("opd_id", lang),
            t("opd", lang),
            *change_head(lang, c.confidence),
            t("verdict", lang),
            t("se", lang),
            t("cat_before", lang),
            t("cat_after", lang),
            before,
            t("rank_best", lang, which=before),
            t("rank_worst", lang, which=before),
            after,
            t("rank_best", lang, which=after),
            t("rank_worst", lang, which=after),
            t("n_before", lang),
            t("n_after", lang),
            t("former", lang),
        ]
        s = Sheet(ws, head)
        formats = {**change_formats(4), 11: "0.000"}
        for step in c.steps:
            for o in step.opds:
                r, cat = o.rank, o.category
                bi, ai = r.before_interval, r.after_interval
                former = None
                if o.matched_by != "id":
                    former = f"{o.name_before or o.opd_before} ({o.opd_before})"
                s.add(
                    [
                        step_title(step),
                        o.opd,
                        o.name,
                        *change_cells(o.score),
                        verdict(o.score.direction, lang),
                        o.score.se,
                        cat.before if cat else None,
                        cat.after if cat else None,
                        r.before,
                        bi.low if bi else None,
                        bi.high if bi else None,
                        r.after,
                        ai.low if ai else None,
                        ai.high if ai else None,
                        o.score.n_before,
                        o.score.n_after,
                        former,
                    ],
                    formats=formats,
                )
                colour(s, 10, o.score.direction)
        s.finish()

    return fill


def _item_rows(
    s: Sheet, step: Step, rows: Sequence[tuple[str | None, str | None, ItemChange]], lang: Lang
) -> None:
    for opd_id, opd_name, i in rows:
        label = element_name(i.element, lang) if i.element else i.text.get(lang)
        lead = [step_title(step), opd_id, opd_name] if opd_id is not None else [step_title(step)]
        s.add(
            [
                *lead,
                i.item,
                label if opd_id is not None else i.text.get(lang),
                *change_cells(i.change),
                verdict(i.change.direction, lang),
                i.change.n_before,
                i.change.n_after,
            ],
            formats=change_formats(len(lead) + 3),
        )
        colour(s, len(lead) + 9, i.change.direction)


def _periods_items(c: Comparison, lang: Lang, wide: bool) -> Fill:
    def fill(ws: Worksheet) -> None:
        lead = [t("step", lang)]
        if not wide:
            lead += [t("opd_id", lang), t("opd", lang)]
        head = [
            *lead,
            t("item_id", lang),
            t("question", lang) if wide else t("element", lang),
            *change_head(lang, c.confidence),
            t("verdict", lang),
            t("n_before", lang),
            t("n_after", lang),
        ]
        s = Sheet(ws, head)
        for step in c.steps:
            if wide:
                _item_rows(s, step, [(None, None, w) for w in step.survey_wide], lang)
            else:
                rows = [(o.opd, o.short_name or o.name, i) for o in step.opds for i in o.items]
                _item_rows(s, step, rows, lang)
        s.finish()

    return fill


def _periods_moves(c: Comparison, lang: Lang) -> Fill:
    def fill(ws: Worksheet) -> None:
        s = Sheet(ws, [t("step", lang), t("opd_id", lang), t("opd", lang), t("status", lang)])
        for step in c.steps:
            title = step_title(step)
            for p in step.appeared:
                s.add([title, p.opd, p.name, L["appeared"][lang]])
            for p in step.disappeared:
                s.add([title, p.opd, p.name, L["disappeared"][lang]])
            for o in step.opds:
                if o.matched_by != "id":
                    former = f"{o.name_before or o.opd_before} ({o.opd_before})"
                    s.add([title, o.opd, o.name, f"{L['renamed'][lang]} {former}"])
        s.finish()

    return fill


def render_comparison_xlsx(comparison: Comparison, lang: Lang = "id") -> bytes:
    """Periods compared: summary, change per OPD, elements, survey-wide, new/gone/renamed."""
    sheets: list[tuple[str, Fill]] = [
        (t("sentences", lang), _periods_summary(comparison, lang)),
        (t("sheet_opds", lang), _periods_opds(comparison, lang)),
        (t("sheet_items", lang), _periods_items(comparison, lang, wide=False)),
    ]
    if any(step.survey_wide for step in comparison.steps):
        sheets.append((t("wide", lang), _periods_items(comparison, lang, wide=True)))
    sheets.append((t("sheet_moves", lang), _periods_moves(comparison, lang)))
    return workbook(comparison.title, sheets)


def render_xlsx(result: Comparison | SegmentBreakdown | CityComparison, lang: Lang = "id") -> bytes:
    """Any comparison (periods, segments or cities) as an XLSX workbook in ``lang``."""
    if isinstance(result, SegmentBreakdown):
        return render_segments_xlsx(result, lang)
    if isinstance(result, CityComparison):
        return render_cities_xlsx(result, lang)
    return render_comparison_xlsx(result, lang)
