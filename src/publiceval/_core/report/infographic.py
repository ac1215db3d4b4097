"""A one-page summary infographic (SVG, 1080 × 1350, the portrait size social media show whole).

Title and period, respondents and OPDs, OPDs per category, the highest and lowest scores with
bars from the scale's minimum, the survey-wide results, the generation date. Written by hand
(no chart library): text is escaped, and the result passes the same safety check as every
chart in the HTML report.
"""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape

from ..results import Evaluation
from ..text import Lang
from .context import ReportContext, build_context
from .svg import checked_svg

__all__ = ["render_infographic"]

W, H = 1080, 1350
PAD = 64
FONT = "DejaVu Sans, Liberation Sans, Noto Sans, Arial, sans-serif"
INK, MUTED, ACCENT, SOFT = "#1f2d3d", "#5f6b7a", "#2f5d8a", "#eef2f6"
SHOWN = 3


def _text(x: float, y: float, text: str, size: int, **attrs: str) -> str:
    fill = attrs.pop("fill", INK)
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" fill="{fill}"'
        f"{extra}>{escape(text)}</text>"
    )


def _wrapped(
    x: float, y: float, text: str, size: int, width_px: float, **attrs: str
) -> tuple[str, float]:
    """Text wrapped to ``width_px`` (about 0.62 em a character); returns SVG and the next y."""
    chars = max(10, int(width_px / (size * 0.62)))
    out = []
    for line in textwrap.wrap(text, chars)[:3]:
        out.append(_text(x, y, line, size, **attrs))
        y += size * 1.25
    return "".join(out), y


def _score_rows(ctx: ReportContext, y: float) -> tuple[list[str], float]:
    rows = [r for r in ctx.opds if r.score is not None and r.rank is not None]
    if not rows:
        return [], y
    chosen = rows if len(rows) <= 2 * SHOWN else rows[:SHOWN] + rows[-SHOWN:]
    lo, hi = ctx.scale.low, ctx.scale.high
    bar_w = W - 2 * PAD - 130
    parts = []
    for k, r in enumerate(chosen):
        if len(rows) > 2 * SHOWN and k == SHOWN:
            parts.append(_text(PAD, y + 20, "⋯", 28, fill=MUTED))
            y += 36
        assert r.score is not None
        frac = 0.0 if hi <= lo else max(0.0, min(1.0, (r.score - lo) / (hi - lo)))
        color = r.category.color if r.category else ACCENT
        label = r.label if len(r.label) <= 60 else r.label[:59] + "…"
        parts.append(_text(PAD, y + 24, f"{r.rank_text}  {label}", 24))
        y += 30
        parts.append(f'<rect x="{PAD}" y="{y}" width="{bar_w}" height="26" rx="4" fill="{SOFT}"/>')
        parts.append(
            f'<rect x="{PAD}" y="{y}" width="{bar_w * frac:.1f}" height="26" rx="4" '
            f'fill="{color}" stroke="{INK}" stroke-opacity="0.25"/>'
        )
        parts.append(_text(PAD + bar_w + 16, y + 23, r.score_text, 26, font_weight="bold"))
        y += 38
    return parts, y


def infographic_svg(ctx: ReportContext) -> str:
    """The infographic of a built report context."""
    m = ctx.m
    parts = [f'<rect width="{W}" height="{H}" fill="#ffffff"/>']
    parts.append(f'<rect width="{W}" height="14" fill="{ACCENT}"/>')
    parts.append(_text(PAD, 80, m.report_kind.upper(), 22, fill=MUTED, letter_spacing="2"))
    title, y = _wrapped(PAD, 134, ctx.title, 44, W - 2 * PAD, font_weight="bold")
    parts.append(title)
    parts.append(_text(PAD, y + 6, f"{ctx.city} · {ctx.period}", 24, fill=MUTED))
    y += 50
    # two big numbers
    boxes = [
        (str(ctx.respondents) if not ctx.aggregate else m.dash, m.infographic_respondents),
        (str(ctx.opd_count), m.infographic_opds),
    ]
    box_w = (W - 2 * PAD - 24) / 2
    for k, (value, label) in enumerate(boxes):
        x = PAD + k * (box_w + 24)
        parts.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{box_w:.0f}" height="130" rx="12" fill="{SOFT}"/>'
        )
        parts.append(_text(x + 28, y + 72, value, 60, font_weight="bold", fill=ACCENT))
        parts.append(_text(x + 28, y + 110, label, 24, fill=MUTED))
    y += 170
    # OPDs per category, as one stacked bar with a legend
    if ctx.scheme is not None and ctx.opd_count:
        parts.append(_text(PAD, y, m.per_category, 28, font_weight="bold"))
        y += 22
        x = float(PAD)
        total_w = W - 2 * PAD
        for band, count, _ in ctx.scheme.counts:
            if not count:
                continue
            bw = total_w * count / ctx.opd_count
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.0f}" width="{bw:.1f}" height="44" fill="{band.color}"/>'
            )
            if bw > 60:
                parts.append(_text(x + 12, y + 31, str(count), 24, font_weight="bold"))
            x += bw
        y += 80
        for band, count, _ in ctx.scheme.counts:
            if count:
                parts.append(
                    f'<rect x="{PAD}" y="{y - 20:.0f}" width="24" height="24" fill="{band.color}"/>'
                )
                parts.append(_text(PAD + 36, y, f"{band.label}: {count}", 24))
                y += 36
        y += 20
    # highest and lowest scores
    parts.append(_text(PAD, y, f"{m.score} · {ctx.scale_text}", 28, font_weight="bold"))
    y += 24
    rows, y = _score_rows(ctx, y)
    parts += rows
    y += 20
    for w in ctx.survey_wide[:2]:
        if w.value is None or y > H - 200:
            continue
        line, y = _wrapped(
            PAD, y, f"{w.text}: {w.value_text} ({w.category or m.dash})", 24, W - 2 * PAD
        )
        parts.append(line)
        y += 8
    # what the data do and do not support about the top and the bottom
    for said in ctx.claims:
        line, y_next = _wrapped(PAD, y + 10, said, 22, W - 2 * PAD, fill=MUTED)
        if y_next > H - 110:
            break
        parts.append(line)
        y = y_next
    parts.append(_text(PAD, H - 70, m.more_in_report, 22, fill=MUTED))
    parts.append(
        _text(PAD, H - 38, f"{ctx.generated} · {ctx.library} {ctx.version}", 20, fill=MUTED)
    )
    body = "".join(parts)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" font-family="{FONT}" role="img" '
        f'aria-label="{escape(ctx.title, {chr(34): "&quot;"})}">{body}</svg>'
    )
    return checked_svg(svg, "summary")


def render_infographic(evaluation: Evaluation, lang: Lang) -> bytes:
    """The one-page summary of ``evaluation`` in ``lang``, as SVG bytes."""
    ctx = build_context(evaluation, lang)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + infographic_svg(ctx) + "\n").encode(
        "utf-8"
    )
