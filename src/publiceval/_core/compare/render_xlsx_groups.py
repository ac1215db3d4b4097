"""Segment breakdowns and cities as XLSX workbooks (see :mod:`.render_xlsx`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..report.xlsx_cells import PERCENT_FORMAT, SCORE_FORMAT, Sheet
from ..text import Lang
from .cities import CityComparison, city_notes
from .render_cities import _W as CITY_WORDS
from .render_cities import _sentences as city_sentences
from .render_segments import _W as SEGMENT_WORDS
from .render_segments import _label as segment_label
from .render_segments import _notes as segment_notes
from .render_segments import _sentences as gap_sentences
from .render_xlsx_cells import (
    CHANGE_FORMAT,
    P_FORMAT,
    Fill,
    chance,
    change_cells,
    change_formats,
    change_head,
    percent,
    t,
    text_column,
    workbook,
)
from .segments import Gap, SegmentBreakdown, SegmentCell
from .sentences import element_name

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import (  # type: ignore[import-untyped,unused-ignore]
        Worksheet,
    )

__all__ = ["render_cities_xlsx", "render_segments_xlsx"]


# --- segments --------------------------------------------------------------------------------


def _segment_cells(b: SegmentBreakdown, cells: Sequence[SegmentCell], lang: Lang) -> list[object]:
    out: list[object] = []
    by_seg = {c.segment: c for c in cells}
    for seg in b.segments:
        cell = by_seg.get(seg)
        shown = cell is not None and not cell.suppressed and cell.score is not None
        out += [cell.score.value if shown and cell and cell.score else None, cell.n if cell else 0]
    notes = [
        t("suppressed", lang, seg=segment_label(b, c.segment, lang), n=c.n, m=b.min_n)
        for c in cells
        if c.suppressed
    ]
    return [*out, "; ".join(notes) or None]


def _segments_table(b: SegmentBreakdown, lang: Lang) -> Fill:
    def fill(ws: Worksheet) -> None:
        head = [t("opd_id", lang), t("opd", lang)]
        for seg in b.segments:
            name = segment_label(b, seg, lang)
            head += [f"{name}: {t('score', lang)}", f"{name}: n"]
        s = Sheet(ws, [*head, t("note", lang)])
        formats = {3 + 2 * k: SCORE_FORMAT for k in range(len(b.segments))}
        pooled = _segment_cells(b, b.pooled, lang)
        s.add([None, SEGMENT_WORDS["all"][lang], *pooled], bold=True, formats=formats)
        for o in b.opds:
            s.add(
                [o.opd, o.short_name or o.name, *_segment_cells(b, o.cells, lang)], formats=formats
            )
        s.finish()

    return fill


def _segments_gaps(b: SegmentBreakdown, lang: Lang) -> Fill:
    def fill(ws: Worksheet) -> None:
        pct = percent(b.confidence, lang)
        head = [
            t("where", lang),
            t("opd_id", lang),
            t("segment", lang),
            SEGMENT_WORDS["ref"][lang].capitalize(),
            t("segment", lang) + ": " + t("score", lang),
            SEGMENT_WORDS["ref"][lang].capitalize() + ": " + t("score", lang),
            t("difference", lang),
            t("low", lang, pct=pct),
            t("high", lang, pct=pct),
            t("p", lang),
            t("verdict", lang),
        ]
        s = Sheet(ws, head)
        formats = {5: SCORE_FORMAT, 6: SCORE_FORMAT, **change_formats(5)}
        formats.update({7: CHANGE_FORMAT, 8: CHANGE_FORMAT, 9: CHANGE_FORMAT, 10: P_FORMAT})
        groups: list[tuple[str, str | None, list[Gap]]] = [
            (SEGMENT_WORDS["all"][lang], None, b.pooled_gaps)
        ]
        groups += [(o.short_name or o.name, o.opd, o.gaps) for o in b.opds]
        for where, opd, gaps in groups:
            for g in gaps:
                c = g.change
                s.add(
                    [
                        where,
                        opd,
                        segment_label(b, g.segment, lang),
                        segment_label(b, g.reference, lang),
                        c.after,
                        c.before,
                        c.difference,
                        c.ci.low if c.ci else None,
                        c.ci.high if c.ci else None,
                        c.p_adjusted,
                        chance(c, lang),
                    ],
                    formats=formats,
                )
        s.finish()

    return fill


def _segments_summary(b: SegmentBreakdown, lang: Lang) -> Fill:
    def fill(ws: Worksheet) -> None:
        s = Sheet(ws)
        s.add([f"{b.title}: {b.question.get(lang)}"], bold=True)
        s.blank()
        for label, value, num in (
            (t("question", lang), b.by, None),
            (SEGMENT_WORDS["ref"][lang].capitalize(), segment_label(b, b.reference, lang), None),
            ("min n", b.min_n, None),
            (t("confidence", lang), b.confidence, PERCENT_FORMAT),
        ):
            s.add([label, value], formats={2: num} if num else None)
        s.blank()
        s.add([SEGMENT_WORDS["gaps"][lang]], bold=True)
        for line in gap_sentences(b, lang):
            s.add([line])
        s.blank()
        for note in segment_notes(b, lang):
            s.add([note])
        s.finish(filter_header=False)
        ws.column_dimensions["B"].width = 24
        text_column(ws)

    return fill


def render_segments_xlsx(breakdown: SegmentBreakdown, lang: Lang = "id") -> bytes:
    """A breakdown by segment: summary, OPD × segment (score and n), gaps between segments."""
    return workbook(
        breakdown.title,
        [
            (t("sentences", lang), _segments_summary(breakdown, lang)),
            (t("sheet_segments", lang), _segments_table(breakdown, lang)),
            (SEGMENT_WORDS["gaps"][lang], _segments_gaps(breakdown, lang)),
        ],
    )


# --- cities ----------------------------------------------------------------------------------


def _cities_sheets(c: CityComparison, lang: Lang) -> list[tuple[str, Fill]]:
    pct = percent(c.confidence, lang)
    low, high = t("low", lang, pct=pct), t("high", lang, pct=pct)

    def summary(ws: Worksheet) -> None:
        s = Sheet(ws)
        s.add([CITY_WORDS["title"][lang]], bold=True)
        s.blank()
        s.add([t("confidence", lang), c.confidence], formats={2: PERCENT_FORMAT})
        s.blank()
        s.add([CITY_WORDS["pairs"][lang]], bold=True)
        for line in city_sentences(c, lang):
            s.add([line])
        for note in city_notes(c, lang):
            s.add([note])
        s.finish(filter_header=False)
        text_column(ws)

    def cities(ws: Worksheet) -> None:
        head = [CITY_WORDS["city"][lang], t("city_title", lang), CITY_WORDS["score"][lang]]
        s = Sheet(ws, [*head, low, high, "n", t("opds_h", lang), t("resp_h", lang)])
        for x in c.cities:
            ci = x.score.ci
            row = [x.label, x.title, x.score.value, ci.low if ci else None, ci.high if ci else None]
            s.add(
                [*row, x.score.n, x.opds, x.respondents],
                formats=dict.fromkeys((3, 4, 5), SCORE_FORMAT),
            )
        s.finish()

    def pairs(ws: Worksheet) -> None:
        first, second, score = t("first", lang), t("second", lang), CITY_WORDS["score"][lang]
        head = [first, second, f"{first}: {score}", f"{second}: {score}"]
        head += [t("difference", lang), *change_head(lang, c.confidence)[3:]]
        s = Sheet(ws, [*head, t("verdict", lang)])
        for p in c.pairs:
            s.add(
                [p.first, p.second, *change_cells(p.change), chance(p.change, lang)],
                formats=change_formats(3),
            )
        s.finish()

    def elements(ws: Worksheet) -> None:
        head: list[str] = [t("item_id", lang), t("element", lang)]
        for x in c.cities:
            head += [
                f"{x.label}: {CITY_WORDS['score'][lang]}",
                f"{x.label}: {low}",
                f"{x.label}: {high}",
            ]
        s = Sheet(ws, head)
        by_city = [{i.item: i for i in x.items} for x in c.cities]
        formats = {3 + k: SCORE_FORMAT for k in range(3 * len(c.cities))}
        for item in c.cities[0].items if c.cities else []:
            cells: list[object] = []
            for city in by_city:
                sc = city[item.item].score if item.item in city else None
                ci = sc.ci if sc is not None else None
                cells += [sc.value if sc else None, ci.low if ci else None, ci.high if ci else None]
            s.add(
                [
                    item.item,
                    element_name(item.element, lang) if item.element else item.text.get(lang),
                    *cells,
                ],
                formats=formats,
            )
        s.finish()

    def opds(ws: Worksheet) -> None:
        head = [t("opd_id", lang), t("opd", lang), CITY_WORDS["city"][lang], t("score", lang)]
        s = Sheet(ws, [*head, low, high, "n", CITY_WORDS["cat"][lang]])
        for o in c.opds:
            ci = o.score.ci
            s.add(
                [
                    o.opd,
                    o.name,
                    o.city,
                    o.score.value,
                    ci.low if ci else None,
                    ci.high if ci else None,
                    o.score.n,
                    getattr(o.category, lang) if o.category else None,
                ],
                formats=dict.fromkeys((4, 5, 6), SCORE_FORMAT),
            )
        s.finish()

    return [
        (t("sentences", lang), summary),
        (t("sheet_cities", lang), cities),
        (CITY_WORDS["pairs"][lang], pairs),
        (t("sheet_city_items", lang), elements),
        (CITY_WORDS["all"][lang], opds),
    ]


def render_cities_xlsx(comparison: CityComparison, lang: Lang = "id") -> bytes:
    """Cities side by side: summary, cities, every pair, elements, all OPDs."""
    return workbook(CITY_WORDS["title"][lang], _cities_sheets(comparison, lang))
