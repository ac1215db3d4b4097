"""Charts as inline SVG written by hand: small, quick, and the same in a browser and the PDF.

Why by hand: a province report draws one item profile per OPD. Through matplotlib that cost
about a quarter of a second and 50 kB per chart (169 s and a 51 MB page for 1,000 OPDs);
written here it costs about a millisecond and a few kB, and needs no plotting library. The
geometry follows the earlier matplotlib charts (inches at 96 px, the same margins, markers
and colours), so reports look as they did. Text is ``<text>`` in the reader's own fonts
(sharp when printed, searchable, read by screen readers), and each chart has a ``<title>``.

Safety: every label passes :func:`_esc` (XML escaping, quotes included) before it is written,
numbers are formatted here, and :func:`checked_svg` parses the result and refuses anything
that could run code or fetch anything before it is placed in a page.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..text import one_line
from .colors import mix
from .context import DistributionGroup, DistributionRow, OPDRow, ReportContext
from .svg import checked_svg
from .svgdraw import (
    CI_COLOR,
    FS,
    FS_SMALL,
    FS_TINY,
    GRID,
    IN,
    INK,
    MUTED,
    ROW,
    WEAK,
    WIDTH,
    _Axis,
    _bar_label,
    _diverging,
    _esc,
    _legend,
    _n,
    _scale_legend,
    _short,
    _Svg,
    _text_width,
    _ticks,
    _x_axis,
    _y_labels,
)

__all__ = [
    "COMPACT_FROM",
    "FS",
    "checked_svg",
    "distribution_chart",
    "item_profile_chart",
    "score_chart",
]

#: More OPDs than this and the score chart shows one dot per OPD in rank order (a row per
#: OPD would be metres tall); the ranking table above it names every OPD.
COMPACT_FROM = 60


def _limits(ctx: ReportContext, rows: Sequence[OPDRow]) -> tuple[float, float]:
    """Score range shown: the data and their intervals, padded, within the score scale."""
    lo_s, hi_s = ctx.scale.low, ctx.scale.high
    values = [v for r in rows for v in (r.score, r.ci_low, r.ci_high) if v is not None]
    if not values:
        return lo_s, hi_s
    lo = max(min(values), lo_s)
    hi = min(max(values), hi_s)
    pad = max(0.06 * (hi - lo), 0.02 * (hi_s - lo_s))
    return max(lo_s, lo - pad), min(hi_s, hi + pad)


def _score_legend(ctx: ReportContext) -> list[tuple[str, str]]:
    return [("dot", ctx.m.legend_score), ("ci", ctx.m.legend_ci)]


def score_chart(ctx: ReportContext, key: str = "scores") -> str:
    """OPD scores (dots) with confidence intervals (whiskers) over the main scheme's bands.

    Up to :data:`COMPACT_FROM` OPDs one labelled row each; beyond, one dot per OPD in rank
    order (see :func:`_score_dots`), so the chart stays one screen tall at any size.
    """
    rows = [r for r in ctx.opds if r.score is not None]
    if len(rows) > COMPACT_FROM:
        return _score_dots(ctx, rows, key)
    m = ctx.m
    labels = [f"{r.rank_text}  {_short(r.label)}" for r in rows]
    n = len(rows)
    height = ROW * max(n, 3) + 1.3 * IN
    top, bottom = 0.3 * IN, height - 0.85 * IN
    x0, x1 = _limits(ctx, rows)
    ax = _Axis(x0, x1, _text_width(labels), WIDTH - 0.5 * IN)
    step = (bottom - top) / max(n, 1)
    svg = _Svg(WIDTH, height, m.format("chart_scores", level=ctx.confidence_text))
    if ctx.scheme is not None:
        for band in ctx.scheme.bands:
            lo, hi = max(band.low, x0), min(band.high, x1)
            if hi <= lo:
                continue
            svg.rect(ax(lo), top, ax(hi) - ax(lo), bottom - top, mix(band.color, "#ffffff", 0.55))
            if (hi - lo) / (x1 - x0) > 0.06:
                svg.text(
                    (ax(lo) + ax(hi)) / 2, top - 8, _short(band.label, 24), size=FS_SMALL,
                    anchor="middle",
                )  # fmt: skip
    ticks = _ticks(x0, x1, 7)
    svg.add(
        f'<path d="{"".join(f"M{_n(ax(t))} {_n(top)}V{_n(bottom)}" for t in ticks)}" '
        'stroke="#ffffff" stroke-width="1"/>'
    )
    if ctx.scheme is not None:
        cuts = "".join(
            f"M{_n(ax(b.low))} {_n(top)}V{_n(bottom)}" for b in ctx.scheme.bands if x0 < b.low < x1
        )
        if cuts:
            svg.add(
                f'<path d="{cuts}" stroke="{MUTED}" stroke-width="0.8" stroke-dasharray="4 2.7"/>'
            )
    svg.line(ax.p0, top, ax.p0, bottom, MUTED, 1)
    _x_axis(
        svg, ax, ticks, [ctx.number(t) for t in ticks], bottom,
        m.format("axis_score", unit=ctx.scale_text),
    )  # fmt: skip
    ys = [top + (k + 0.5) * step for k in range(n)]
    marks: list[str] = []
    dots: list[str] = []
    values: list[str] = []
    for y, r in zip(ys, rows, strict=True):
        assert r.score is not None
        right = ax(r.score)
        if r.ci_low is not None and r.ci_high is not None:
            lo, hi = ax(max(r.ci_low, x0)), ax(min(r.ci_high, x1))
            right = hi
            marks.append(f"M{_n(lo)} {_n(y)}H{_n(hi)}")
            for end, clipped, sign in ((lo, r.ci_low < x0, -1), (hi, r.ci_high > x1, 1)):
                if clipped:  # an arrow head pointing out of the plot
                    marks.append(
                        f"M{_n(end - sign * 5)} {_n(y - 4.5)}L{_n(end)} {_n(y)}L{_n(end - sign * 5)} {_n(y + 4.5)}"
                    )
                else:
                    marks.append(f"M{_n(end)} {_n(y - 4.7)}V{_n(y + 4.7)}")
        dots.append(f'<circle class="score" cx="{_n(ax(r.score))}" cy="{_n(y)}" r="4"/>')
        values.append(
            f'<text x="{_n(right + 8)}" y="{_n(y + FS_SMALL * 0.35)}">{_esc(r.score_text)}</text>'
        )
    svg.add(f'<path d="{"".join(marks)}" stroke="{CI_COLOR}" stroke-width="2.1" fill="none"/>')
    svg.add(f'<g class="scores">{"".join(dots)}</g>')
    svg.add(f'<g font-size="{_n(FS_SMALL)}">{"".join(values)}</g>')
    _y_labels(svg, ax.p0 - 6, ys, labels, "y-labels")
    _legend(svg, _score_legend(ctx), height - 18)
    return svg.finish(key)


def _score_dots(ctx: ReportContext, rows: Sequence[OPDRow], key: str) -> str:
    """Many OPDs: ranks along x, scores up y, one dot and whisker per OPD over the bands.

    A dot's tooltip names its OPD; the ranking table above the chart lists every figure.
    """
    m = ctx.m
    n = len(rows)
    height = 4.6 * IN
    top, bottom = 0.3 * IN, height - 0.95 * IN
    y0, y1 = _limits(ctx, rows)
    ay = _Axis(y0, y1, bottom, top)  # scores grow upwards
    ax = _Axis(0.5, n + 0.5, 0.85 * IN, WIDTH - 0.3 * IN)
    svg = _Svg(
        WIDTH, height, m.format("chart_scores", level=ctx.confidence_text),
        m.format("chart_scores_many", count=ctx.number(n, 0)),
    )  # fmt: skip
    if ctx.scheme is not None:
        for band in ctx.scheme.bands:
            lo, hi = max(band.low, y0), min(band.high, y1)
            if hi <= lo:
                continue
            svg.rect(
                ax.p0, ay(hi), ax.p1 - ax.p0, ay(lo) - ay(hi), mix(band.color, "#ffffff", 0.55)
            )
            if ay(lo) - ay(hi) > 16:
                svg.text(
                    ax.p1 - 6, ay(hi) + 10, _short(band.label, 24), size=FS_SMALL, anchor="end"
                )
    yticks = _ticks(y0, y1, 7)
    svg.add(
        f'<path d="{"".join(f"M{_n(ax.p0)} {_n(ay(t))}H{_n(ax.p1)}" for t in yticks)}" '
        'stroke="#ffffff" stroke-width="1"/>'
    )
    svg.line(ax.p0, top, ax.p0, bottom, MUTED, 1)
    svg.add(
        f'<path d="{"".join(f"M{_n(ax.p0)} {_n(ay(t))}h-5" for t in yticks)}" stroke="{MUTED}" '
        'stroke-width="1"/>'
    )
    _y_labels(svg, ax.p0 - 8, [ay(t) for t in yticks], [ctx.number(t) for t in yticks], "y-ticks")
    svg.text(
        16,
        (top + bottom) / 2,
        m.format("axis_score", unit=ctx.scale_text),
        anchor="middle",
        rotate=True,
    )
    steps = _ticks(0, n, 8)
    gap = steps[1] - steps[0] if len(steps) > 1 else n
    xticks = [1.0, *(t for t in steps if t >= 0.3 * gap)]  # rank 1 always labelled
    _x_axis(svg, ax, xticks, [ctx.number(t, 0) for t in xticks], bottom, m.axis_rank)
    pitch = (ax.p1 - ax.p0) / n
    r = max(1.3, min(4.0, pitch * 0.45))
    whiskers: list[str] = []
    dots: list[str] = []
    for k, row in enumerate(rows, start=1):
        assert row.score is not None
        x = ax(k)
        if row.ci_low is not None and row.ci_high is not None:
            whiskers.append(
                f"M{_n(x)} {_n(ay(max(row.ci_low, y0)))}V{_n(ay(min(row.ci_high, y1)))}"
            )
        tip = f"{row.rank_text} {one_line(row.name)}: {row.score_text} ({row.ci_text})"
        dots.append(
            f'<circle cx="{_n(x)}" cy="{_n(ay(row.score))}" r="{_n(r)}"><title>{_esc(tip)}</title></circle>'
        )
    width = max(0.5, min(2.1, pitch * 0.5))
    svg.add(
        f'<path d="{"".join(whiskers)}" stroke="{CI_COLOR}" stroke-width="{width:.2g}" '
        'stroke-opacity="0.6" fill="none"/>'
    )
    svg.add(f'<g class="scores">{"".join(dots)}</g>')
    _legend(svg, _score_legend(ctx), height - 18)
    return svg.finish(key)


def distribution_chart(ctx: ReportContext, group: DistributionGroup, key: str) -> str:
    """Diverging stacked bars of answer shares, one bar per item, one legend for the scale."""
    labels = [_bar_label(r) for r in group.rows]
    legend_rows = 1 + (len(group.scale.points) - 1) // 5
    n = len(group.rows)
    height = ROW * max(n, 2) + 0.75 * IN + 0.25 * IN * legend_rows
    top, bottom = 0.1 * IN, height - (0.5 + 0.25 * legend_rows) * IN
    left = _text_width(labels)
    step = (bottom - top) / max(n, 1)
    ys = [top + (k + 0.5) * step for k in range(n)]
    svg = _Svg(WIDTH, height, f"{ctx.m.distributions} · {group.title}")
    _diverging(
        svg, ctx, group.rows, len(group.scale.points), (left, WIDTH - 0.3 * IN), ys, bottom, step
    )
    svg.line(left, top, left, bottom, MUTED, 1)
    _y_labels(svg, left - 6, ys, labels, "y-labels")
    _legend(svg, _scale_legend(group.scale), height - 24 * legend_rows + 11)
    return svg.finish(key)


def item_profile_chart(ctx: ReportContext, row: OPDRow, key: str) -> str:
    """One OPD: item means with CIs (weakest in red) beside the items' answer distributions."""
    items = list(row.items)
    m = ctx.m
    scale = items[0].scale
    one_scale = all(it.scale == scale for it in items)
    labels = [
        f"{_short(it.label, 34)}{' ↺' if it.reverse else ''}"
        + (f" ({m.weakest_mark})" if it.weakest else "")
        for it in items
    ]
    legend_rows = (1 + (len(scale.points) - 1) // 5) if one_scale else 0
    n = len(items)
    height = ROW * max(n, 2) + 0.85 * IN + 0.25 * IN * legend_rows
    top, bottom = 0.15 * IN, height - (0.5 + 0.25 * legend_rows) * IN
    left = _text_width(labels)
    if one_scale:
        split = left + (WIDTH - left) * 0.42
        means_px = (left, split - 0.1 * IN)
    else:  # items on different scales share no legend: means only
        split = WIDTH
        means_px = (left, WIDTH - 0.3 * IN)
    step = (bottom - top) / max(n, 1)
    ys = [top + (k + 0.5) * step for k in range(n)]
    svg = _Svg(WIDTH, height, f"{m.item_profile} · {one_line(row.name)}")
    lo = min(it.scale.min for it in items)
    hi = max(it.scale.max for it in items)
    ax = _Axis(lo, hi, *means_px)
    ticks = _ticks(lo, hi, max(3, int((ax.p1 - ax.p0) / 60)))
    _x_axis(
        svg, ax, ticks, [ctx.number(t) for t in ticks], bottom, m.item_mean, (top, bottom, GRID)
    )
    svg.line(ax.p0, top, ax.p0, bottom, MUTED, 1)
    cis: dict[bool, list[str]] = {False: [], True: []}
    marks: list[str] = []
    for y, it in zip(ys, items, strict=True):
        color = WEAK if it.weakest else INK
        if it.ci_low is not None and it.ci_high is not None:
            cis[it.weakest].append(
                f"M{_n(ax(max(it.ci_low, lo)))} {_n(y)}H{_n(ax(min(it.ci_high, hi)))}"
            )
        if it.value is not None:
            x = ax(it.value)
            if it.weakest:  # a diamond: weakest shows by shape as well as colour
                marks.append(
                    f'<path class="mean" d="M{_n(x)} {_n(y - 5.2)}l4.4 5.2l-4.4 '
                    f'5.2l-4.4-5.2z" fill="{WEAK}"/>'
                )
            else:
                marks.append(f'<circle class="mean" cx="{_n(x)}" cy="{_n(y)}" r="4"/>')
            fill = f' fill="{color}"' if it.weakest else ""
            marks.append(
                f'<text x="{_n(x)}" y="{_n(y - 10)}" font-size="{_n(FS_TINY)}" '
                f'text-anchor="middle"{fill}>{_esc(it.value_text)}</text>'
            )
    for weak, parts in cis.items():
        if parts:
            svg.add(
                f'<path d="{"".join(parts)}" stroke="{WEAK if weak else CI_COLOR}" '
                'stroke-width="1.9" fill="none"/>'
            )
    svg.add("".join(marks))
    plain = "".join(
        f'<text x="{_n(ax.p0 - 6)}" y="{_n(y + FS * 0.35)}"'
        + (f' fill="{WEAK}" font-weight="bold"' if it.weakest else "")
        + f">{_esc(label)}</text>"
        for y, it, label in zip(ys, items, labels, strict=True)
    )
    svg.add(f'<g class="y-labels" text-anchor="end">{plain}</g>')
    if one_scale:
        bars = [
            DistributionRow(
                label=it.label,
                counts=it.counts,
                n=sum(it.counts),
                percents=tuple(c / sum(it.counts) for c in it.counts)
                if sum(it.counts)
                else tuple(0.0 for _ in it.counts),
                reverse=it.reverse,
            )
            for it in items
        ]
        x2 = split + 0.55 * IN
        _diverging(svg, ctx, bars, len(scale.points), (x2, WIDTH - 0.3 * IN), ys, bottom, step)
        svg.line(x2, top, x2, bottom, MUTED, 1)
        _y_labels(svg, x2 - 6, ys, [f"n={b.n}" for b in bars], "n-labels")
        _legend(svg, _scale_legend(scale), height - 24 * legend_rows + 11)
    return svg.finish(key)
