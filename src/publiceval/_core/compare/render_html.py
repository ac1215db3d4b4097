"""A comparison as one self-contained HTML page: a dumbbell chart of each OPD's score in both
periods with their intervals, a chart of the change with its interval, tables and sentences.

The charts are plain SVG written here and passed through the reports' own safety check
(:func:`publiceval._core.report.svg.checked_svg`); the page fetches nothing.
"""

from __future__ import annotations

import html
import math

from ..report.svg import checked_svg
from ..text import Lang, format_number
from .models import Change, Comparison, OPDChange, Step
from .render_text import L, headers, method_note, opd_rows, step_lines, step_title

__all__ = ["change_chart", "dumbbell_chart", "render_html"]

_COLOURS = {
    "better": "#1a7f37",
    "worse": "#c62828",
    "within-chance": "#57606a",
    "untested": "#8c959f",
}
_ROW, _TOP, _LEFT, _WIDTH = 26, 34, 150, 720
_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:980px;margin:2rem auto;
padding:0 1rem;color:#1f2328;line-height:1.45}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.9rem;display:block;overflow-x:auto}
th,td{border-bottom:1px solid #d0d7de;padding:.25rem .55rem;text-align:left;white-space:nowrap}
th{background:#f6f8fa} .better{color:#1a7f37;font-weight:600} .worse{color:#c62828;font-weight:600}
figure{margin:1rem 0} figcaption{font-size:.85rem;color:#57606a} .note{font-size:.85rem;color:#57606a}
"""


def _x(value: float, low: float, high: float) -> float:
    return _LEFT + (value - low) / (high - low) * (_WIDTH - _LEFT - 20)


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    step = 10 ** math.floor(math.log10(span / 4)) if span > 0 else 1.0
    for mult in (1, 2, 5, 10):
        if span / (step * mult) <= 6:
            step *= mult
            break
    first = math.ceil(low / step) * step
    count = int((high - first) / step + 1e-9) + 1
    return [round(first + k * step, 9) + 0.0 for k in range(count)]  # never '-0.00'


def _axis(low: float, high: float, bottom: float, lang: Lang) -> list[str]:
    out = []
    for t in _ticks(low, high):
        x = _x(t, low, high)
        out.append(
            f'<line x1="{x:.1f}" y1="{_TOP - 10}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="#eaeef2"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{_TOP - 14}" font-size="11" text-anchor="middle" '
            f'fill="#57606a">{format_number(t, lang, 2)}</text>'
        )
    return out


def _label(y: float, text: str) -> str:
    return (
        f'<text x="{_LEFT - 8}" y="{y + 4:.1f}" font-size="12" text-anchor="end">'
        f"{html.escape(text)}</text>"
    )


def _svg(rows: int, body: list[str], title: str) -> str:
    height = _TOP + rows * _ROW + 12
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" role="img" aria-label="{html.escape(title)}">'
        f"<title>{html.escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _bounds(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high - low < 0.1:  # no change at all: an axis of a tenth, not of rounding noise
        mid = (low + high) / 2
        low, high = mid - 0.05, mid + 0.05
    pad = (high - low) * 0.05
    return low - pad, high + pad


def dumbbell_chart(step: Step, lang: Lang, key: str) -> str:
    """Each OPD's score before (hollow) and after (filled), each with its interval."""
    opds = [o for o in step.opds if o.score.before is not None and o.score.after is not None]
    if not opds:
        return ""
    vals: list[float] = []
    for o in opds:
        c = o.score
        vals += [c.before or 0.0, c.after or 0.0]
        vals += [v for ci in (c.before_ci, c.after_ci) if ci for v in (ci.low, ci.high)]
    low, high = _bounds(vals)
    body = _axis(low, high, _TOP + len(opds) * _ROW, lang)
    for k, o in enumerate(opds):
        body += _dumbbell_row(o, _TOP + k * _ROW + _ROW / 2, low, high, lang)
    title = (
        "Skor tiap OPD: sebelum (lingkaran kosong) dan sesudah (lingkaran penuh), dengan rentangnya"
        if lang == "id"
        else "Each OPD's score before (hollow) and after (filled), with their intervals"
    )
    return checked_svg(_svg(len(opds), body, title), key)


def _dumbbell_row(o: OPDChange, y: float, low: float, high: float, lang: Lang) -> list[str]:
    c = o.score
    colour = _COLOURS[c.direction]
    xa, xb = _x(c.before or 0.0, low, high), _x(c.after or 0.0, low, high)
    out = [_label(y, o.short_name or o.name)]
    for ci, dy, stroke in ((c.before_ci, -4, "#8c959f"), (c.after_ci, 4, colour)):
        if ci is not None:
            out.append(
                f'<line x1="{_x(ci.low, low, high):.1f}" y1="{y + dy:.1f}" '
                f'x2="{_x(ci.high, low, high):.1f}" y2="{y + dy:.1f}" stroke="{stroke}" '
                'stroke-width="2" opacity="0.6"/>'
            )
    out.append(
        f'<line x1="{xa:.1f}" y1="{y:.1f}" x2="{xb:.1f}" y2="{y:.1f}" stroke="{colour}" '
        'stroke-width="2.5"/>'
    )
    tip = html.escape(f"{o.name}: {format_number(c.before, lang)} → {format_number(c.after, lang)}")
    out.append(
        f'<circle cx="{xa:.1f}" cy="{y - 4:.1f}" r="4.5" fill="#ffffff" stroke="#57606a" '
        f'stroke-width="1.5"><title>{tip}</title></circle>'
    )
    out.append(
        f'<circle cx="{xb:.1f}" cy="{y + 4:.1f}" r="5" fill="{colour}"><title>{tip}</title>'
        "</circle>"
    )
    return out


def change_chart(step: Step, lang: Lang, key: str) -> str:
    """Each OPD's change with its interval, against a line at zero (no change)."""
    opds = [o for o in step.opds if o.score.difference is not None]
    if not opds:
        return ""
    vals = [0.0] + [o.score.difference or 0.0 for o in opds]
    vals += [v for o in opds if o.score.ci for v in (o.score.ci.low, o.score.ci.high)]
    low, high = _bounds(vals)
    bottom = _TOP + len(opds) * _ROW
    body = _axis(low, high, bottom, lang)
    x0 = _x(0.0, low, high)
    body.append(
        f'<line x1="{x0:.1f}" y1="{_TOP - 10}" x2="{x0:.1f}" y2="{bottom}" '
        'stroke="#1f2328" stroke-dasharray="4 3"/>'
    )
    for k, o in enumerate(opds):
        body += _change_row(o.short_name or o.name, o.score, _TOP + k * _ROW + _ROW / 2, low, high)
    title = (
        "Perubahan skor tiap OPD dengan rentangnya; garis putus-putus = tidak berubah"
        if lang == "id"
        else "Each OPD's change with its interval; dashed line = no change"
    )
    return checked_svg(_svg(len(opds), body, title), key)


def _change_row(name: str, c: Change, y: float, low: float, high: float) -> list[str]:
    colour = _COLOURS[c.direction]
    out = [_label(y, name)]
    if c.ci is not None:
        out.append(
            f'<line x1="{_x(c.ci.low, low, high):.1f}" y1="{y:.1f}" '
            f'x2="{_x(c.ci.high, low, high):.1f}" y2="{y:.1f}" stroke="{colour}" '
            'stroke-width="2"/>'
        )
    out.append(
        f'<rect x="{_x(c.difference or 0.0, low, high) - 4:.1f}" y="{y - 4:.1f}" width="8" '
        f'height="8" fill="{colour}"/>'
    )
    return out


def _table(head: list[str], rows: list[list[str]], verdict_col: int | None = None) -> str:
    out = [
        "<table><thead><tr>",
        *(f"<th>{html.escape(h)}</th>" for h in head),
        "</tr></thead><tbody>",
    ]
    for row in rows:
        cells = []
        for j, cell in enumerate(row):
            cls = ""
            if j == verdict_col and cell in (L["better"]["id"], L["better"]["en"]):
                cls = ' class="better"'
            elif j == verdict_col and cell in (L["worse"]["id"], L["worse"]["en"]):
                cls = ' class="worse"'
            cells.append(f"<td{cls}>{html.escape(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out) + "</tbody></table>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in items) + "</ul>"


def _step_html(step: Step, index: int, lang: Lang, level: float) -> list[str]:
    lines = step_lines(step, lang, level)
    out = [
        f"<h2>{html.escape(step_title(step))}</h2>",
        f"<h3>{L['sentences'][lang]}</h3>",
        _list(lines["opds"]),
    ]
    captions = {
        "id": (
            "Skor sebelum (○) dan sesudah (●), dengan rentang masing-masing periode.",
            "Perubahan dengan rentangnya; hijau/merah: di luar batas kebetulan.",
        ),
        "en": (
            "Score before (○) and after (●), with each period's interval.",
            "The change with its interval; green/red: beyond chance.",
        ),
    }[lang]
    charts = (
        dumbbell_chart(step, lang, f"s{index}-dumbbell"),
        change_chart(step, lang, f"s{index}-change"),
    )
    for chart, caption in zip(charts, captions, strict=True):
        if chart:
            out.append(f"<figure>{chart}<figcaption>{caption}</figcaption></figure>")
    real = opd_rows(step, lang, only_real=True)
    out.append(f"<h3>{L['real'][lang]}</h3>")
    out.append(_table(headers(lang, level), real, 6) if real else f"<p>{L['none'][lang]}</p>")
    out += [f"<h3>{L['all'][lang]}</h3>", _table(headers(lang, level), opd_rows(step, lang), 6)]
    out += [
        f"<h3>{L['elements'][lang]}</h3>",
        _list(lines["items"]) if lines["items"] else f"<p>{L['none'][lang]}</p>",
    ]
    if lines["wide"]:
        out += [f"<h3>{L['wide'][lang]}</h3>", _list(lines["wide"])]
    if lines["moves"]:
        out += [f"<h3>{L['moves'][lang]}</h3>", _list(lines["moves"])]
    if lines["paired"]:
        out += [f"<h3>{L['linked'][lang]}</h3>", _list(lines["paired"])]
    return out


def render_html(comparison: Comparison, lang: Lang = "id") -> str:
    """The page: per step the sentences, both charts, the tables; the method note last."""
    level = comparison.confidence
    title = html.escape(comparison.title)
    periods = "; ".join(
        f"{p.label} ({p.respondents} {L['respondents'][lang]}, {p.opds} OPD)"
        for p in comparison.periods
    )
    body = [
        f"<h1>{title}</h1>",
        f"<p><strong>{L['periods'][lang]}:</strong> {html.escape(periods)}</p>",
    ]
    for k, step in enumerate(comparison.steps):
        body += _step_html(step, k, lang, level)
    note = html.escape(method_note(comparison, lang).replace("*", ""))
    body.append(f'<p class="note">{note}</p>')
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
