"""The evaluation as an XLSX workbook: one sheet per table, numbers stored as numbers.

Cells a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-`` or ``@``,
or a tab or line break before one) are stored as text with Excel's quote prefix, the same state
a cell is in after a person types ``'=...``: shown as typed, never evaluated, and still text
after an edit. The bytes are reproducible: fixed document dates and zip timestamps.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import TYPE_CHECKING

from ..results import Evaluation
from ..text import Lang
from .context import ReportContext, build_context
from .xlsx_cells import (
    FORMULA_PREFIXES,
    PERCENT_FORMAT,
    SCORE_FORMAT,
    Sheet,
    needs_neutralising,
    require_openpyxl,
)
from .xlsx_skm import SKM_SHEETS

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import (  # type: ignore[import-untyped,unused-ignore]
        Worksheet,
    )

__all__ = ["FORMULA_PREFIXES", "needs_neutralising", "render_xlsx"]

_FIXED_DATE = "2000-01-01T00:00:00Z"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_SCORE_FORMAT = SCORE_FORMAT
_PERCENT_FORMAT = PERCENT_FORMAT
_Sheet = Sheet


def _summary(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    s = _Sheet(ws)
    s.add([ctx.title], bold=True)
    s.add([m.report_kind])
    s.add([ctx.generated])
    s.blank()
    s.add([m.summary_words], bold=True)
    for line in ctx.summary_lines:
        s.add([line])
    s.blank()
    rows: list[tuple[str, object]] = [
        (m.organisation, ctx.organisation),
        (m.city, ctx.city),
        (m.period, ctx.period),
        (m.respondents, ctx.respondents),
        (m.rows_read, ctx.rows_read),
        (m.rows_used, ctx.rows_used),
        (m.rows_rejected, ctx.rows_rejected),
        (m.opd_count, ctx.opd_count),
        (m.method, ctx.method.title),
        (m.scheme, ctx.scheme.title if ctx.scheme else m.none),
        (m.compared_schemes, ", ".join(x.title for x in ctx.schemes if not x.main) or m.none),
        (m.score_scale, ctx.scale_text),
        (m.confidence, ctx.confidence),
        (m.score_source, m.aggregate_data if ctx.aggregate else m.respondent_data),
        (m.library, f"{ctx.library} {ctx.version}"),
        (m.schema_version, ctx.schema_version),
    ]
    for label, value in rows:
        s.add([label, value], formats={2: _PERCENT_FORMAT} if label == m.confidence else None)
    if ctx.aggregate:
        s.add([m.published_aggregate])
    for scheme in ctx.schemes:
        s.blank()
        s.add([f"{m.per_category} · {scheme.title}"], bold=True)
        for band, count, _text in scheme.counts:
            s.add([band.label, count])
    s.finish(filter_header=False)
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 48


def _opds(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    compared = [x for x in ctx.schemes if not x.main]
    header = [
        m.rank,
        m.shared_rank,
        m.opd_id,
        m.opd,
        m.short_name,
        m.score,
        m.n,
        m.se,
        m.ci_low,
        m.ci_high,
        m.category,
        *[x.title for x in compared],
        m.rank_low,
        m.rank_high,
        m.category_probability,
        m.tier,
        m.flags,
    ]
    s = _Sheet(ws, header)
    fmt = {6: _SCORE_FORMAT, 8: "0.000", 9: _SCORE_FORMAT, 10: _SCORE_FORMAT}
    for r in ctx.opds:
        s.add(
            [
                r.rank,
                m.yes if r.shared_rank else m.no,
                r.opd,
                r.name,
                r.label if r.label != r.name else None,
                r.score,
                r.n,
                r.se,
                r.ci_low,
                r.ci_high,
                r.category.label if r.category else None,
                *[
                    (r.categories[x.name].label if x.name in r.categories else None)
                    for x in compared
                ],
                r.rank_low,
                r.rank_high,
                r.probability_text if r.probabilities else None,
                r.tier,
                "; ".join((*r.flags, *(r.notes if ctx.lang == "en" else ()))) or None,
            ],
            formats=fmt,
        )
    s.finish()


def _items(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    points = sorted({p for r in ctx.opds for it in r.items for p in it.scale.points})
    header = [
        m.opd_id,
        m.opd,
        m.item_id,
        m.item,
        m.element,
        m.item_mean,
        m.n,
        m.ci_low,
        m.ci_high,
        m.weakest,
        *[m.format("answers_at", point=p) for p in points],
    ]
    s = _Sheet(ws, header)
    fmt = {6: _SCORE_FORMAT, 8: _SCORE_FORMAT, 9: _SCORE_FORMAT}
    for r in ctx.opds:
        for it in r.items:
            counts = dict(zip(it.scale.points, it.counts, strict=True))
            s.add(
                [
                    r.opd,
                    r.name,
                    it.item,
                    it.label,
                    it.element,
                    it.value,
                    it.n,
                    it.ci_low,
                    it.ci_high,
                    m.yes if it.weakest else m.no,
                    *[counts.get(p) for p in points],
                ],
                formats=fmt,
            )
    s.finish()


def _survey_wide(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    points = sorted({p for w in ctx.survey_wide for p in w.scale.points})
    header = [
        m.item_id,
        m.question,
        m.value,
        m.n,
        m.ci_low,
        m.ci_high,
        m.category,
        *[m.format("answers_at", point=p) for p in points],
    ]
    s = _Sheet(ws, header)
    for w in ctx.survey_wide:
        counts = dict(zip(w.scale.points, w.counts, strict=True))
        s.add(
            [w.item, w.text, w.value, w.n, w.ci_low, w.ci_high, w.category]
            + [counts.get(p) for p in points],
            formats={3: _SCORE_FORMAT, 5: _SCORE_FORMAT, 6: _SCORE_FORMAT},
        )
    s.finish()


def _recommendations(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    s = _Sheet(ws, [m.priority, m.target, m.opd, m.title, m.text, m.rule, m.evidence])
    for rec in ctx.recommendations:
        evidence = " ".join(rec.sentences)
        s.add(
            [
                rec.priority,
                rec.target,
                rec.target_name,
                rec.title,
                rec.text,
                rec.rule,
                evidence or None,
            ]
        )
    s.finish()


def _rejects(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    s = _Sheet(ws, [m.source, m.row, m.column, m.value, m.code, m.reason, m.message])
    for e in ctx.rejects:
        s.add([e.source, e.row, e.column, e.value, e.reason, e.reason_label, e.message])
    if ctx.rejects_truncated:
        s.add([m.format("rejects_truncated", shown=len(ctx.rejects))])
    s.finish()


def _warnings(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    s = _Sheet(ws, [m.code, m.warnings, m.target, m.message])
    for w in ctx.warnings:
        s.add([w.code, w.label, w.target or None, w.message])
    s.finish()


def _method(ws: Worksheet, ctx: ReportContext) -> None:
    m = ctx.m
    s = _Sheet(ws, [m.component, m.name, m.plugin, m.options])
    s.add([m.method, ctx.method.name, ctx.method.plugin, ctx.method.options_json])
    for x in ctx.schemes:
        s.add([m.scheme if x.main else m.compared_schemes, x.name, None, x.options_json])
    for r in ctx.rules:
        s.add([m.rules, r.name, r.plugin, r.options_json])
    s.blank()
    for label, value in (
        (m.confidence, ctx.confidence),
        (m.ci_method, ctx.ci_method),
        (m.seed, ctx.seed),
        (m.data_source, ctx.data_source),
        (m.library, f"{ctx.library} {ctx.version}"),
        (m.schema_version, ctx.schema_version),
    ):
        s.add([label, value])
    for x in ctx.schemes:
        s.blank()
        s.add([f"{m.bands} · {x.title}"], bold=True)
        s.add([m.category, m.code, m.band_low, m.band_high], bold=True)
        for b in x.bands:
            s.add([b.label, b.code, b.low, b.high])
    s.finish(filter_header=False)


def _reproducible(data: bytes) -> bytes:
    """The same workbook with fixed document dates and zip timestamps."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + _FIXED_DATE.encode() + rb"\g<2>",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, content)
    return out.getvalue()


def render_xlsx(evaluation: Evaluation, lang: Lang) -> bytes:
    """The evaluation as an XLSX workbook in ``lang``."""
    openpyxl = require_openpyxl()
    ctx = build_context(evaluation, lang)
    m = ctx.m
    wb = openpyxl.Workbook()
    wb.properties.creator = f"{ctx.library} {ctx.version}"
    wb.properties.title = ctx.title
    sheets = [
        ("sheet_summary", _summary),
        ("sheet_opds", _opds),
        *[(key, fill) for key, fill, has in SKM_SHEETS if has(ctx)],
        ("sheet_items", _items),
        # a survey without survey-wide questions gets no empty sheet for them
        *([("sheet_survey_wide", _survey_wide)] if ctx.survey_wide else []),
        ("sheet_recommendations", _recommendations),
        ("sheet_rejects", _rejects),
        ("sheet_warnings", _warnings),
        ("sheet_method", _method),
    ]
    first = True
    for key, fill in sheets:
        title = m[key][:31]
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        first = False
        fill(ws, ctx)
    buf = io.BytesIO()
    wb.save(buf)
    return _reproducible(buf.getvalue())
