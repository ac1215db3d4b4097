"""The SVG writer behind the report's charts: escaped text, short numbers, axes and legends.

Kept apart from the charts so each chart reads as its layout only. Every string that reaches
the SVG passes :func:`_esc`; numbers are formatted here with one decimal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..text import one_line
from .colors import diverging_colors, text_color
from .context import DistributionRow, ReportContext, ScaleView, percent_text
from .svg import checked_svg

INK = "#1f2d3d"
MUTED = "#5f6b7a"
WEAK = "#c0392b"
CI_COLOR = "#3c5a78"
GRID = "#e5e8ec"
FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
LABEL_MAX = 42
WIDTH = 864  # 9 inches at 96 px: the charts' width before, scaled to the page
ROW = 30.7  # 0.32 inch per bar or OPD
IN = 96.0
FS = 12.0  # 9 pt labels
FS_SMALL = 10.7  # 8 pt values and legends
FS_TINY = 9.3  # 7 pt shares inside bars


def _esc(text: str) -> str:
    """``text`` safe inside an SVG element or a double-quoted attribute."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _n(v: float) -> str:
    """A coordinate with one decimal (enough at screen and print sizes, and short)."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else ("0" if s == "-0" else s)


def _short(label: str, limit: int = LABEL_MAX) -> str:
    # every label a chart draws passes here: on one line, control characters as escapes
    label = one_line(label)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _text_width(labels: Sequence[str], size: float = FS) -> float:
    """Rough width in px of the longest label (generous: bold sans is ~0.62 em a glyph)."""
    longest = max((len(x) for x in labels), default=0)
    return 29 + longest * size * 0.62


class _Svg:
    """An SVG being written: parts appended in drawing order, text escaped on the way in."""

    def __init__(self, width: float, height: float, title: str, desc: str = "") -> None:
        self.width, self.height = width, height
        self.parts: list[str] = [f"<title>{_esc(title)}</title>"]
        if desc:
            self.parts.append(f"<desc>{_esc(desc)}</desc>")
        self.label = title

    def add(self, part: str) -> None:
        self.parts.append(part)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: float | None = None,
        anchor: str | None = None,
        fill: str | None = None,
        bold: bool = False,
        cls: str | None = None,
        rotate: bool = False,
    ) -> None:
        """``text`` centred vertically on ``y`` (a baseline shift of 0.35 em, which every SVG
        renderer honours, unlike ``dominant-baseline``)."""
        shift = (size or FS) * 0.35
        attrs = f' x="{_n(x + (shift if rotate else 0))}" y="{_n(y + (0 if rotate else shift))}"'
        if rotate:
            attrs += f' transform="rotate(-90 {_n(x + shift)} {_n(y)})"'
        if size is not None:
            attrs += f' font-size="{_n(size)}"'
        if anchor is not None:
            attrs += f' text-anchor="{anchor}"'
        if fill is not None:
            attrs += f' fill="{fill}"'
        if bold:
            attrs += ' font-weight="bold"'
        if cls is not None:
            attrs += f' class="{cls}"'
        self.parts.append(f"<text{attrs}>{_esc(text)}</text>")

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float) -> None:
        self.parts.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}" '
            f'stroke-width="{_n(width) if width >= 0.1 else width}"/>'
        )

    def rect(self, x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> None:
        self.parts.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}"{extra}/>'
        )

    def finish(self, key: str) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(self.width)} '
            f'{_n(self.height)}" width="{_n(self.width)}" height="{_n(self.height)}" role="img" '
            f'aria-label="{_esc(self.label)}" font-family="{FONT}" font-size="{_n(FS)}" '
            f'fill="{INK}">'
        )
        return checked_svg(head + "".join(self.parts) + "</svg>", key)


def _ticks(lo: float, hi: float, most: int) -> list[float]:
    """Round tick values in [lo, hi], at most ``most`` of them (steps 1, 2 or 5 × 10^k)."""
    span = hi - lo
    if span <= 0 or not math.isfinite(span):
        return [lo]
    mag = 10 ** math.floor(math.log10(span / max(most, 1)))
    step = mag
    for mult in (1, 2, 5, 10, 20):
        step = mult * mag
        if span / step <= most:
            break
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


class _Axis:
    """A linear map from values to px."""

    def __init__(self, lo: float, hi: float, p0: float, p1: float) -> None:
        self.lo, self.hi, self.p0, self.p1 = lo, hi, p0, p1

    def __call__(self, v: float) -> float:
        if self.hi == self.lo:
            return (self.p0 + self.p1) / 2
        return self.p0 + (v - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)


def _x_axis(
    svg: _Svg,
    ax: _Axis,
    ticks: Sequence[float],
    labels: Sequence[str],
    y: float,
    title: str,
    grid: tuple[float, float, str] | None = None,
) -> None:
    """Grid lines (``grid`` = top, bottom, colour), the spine, ticks, tick labels and title."""
    if grid is not None:
        top, bottom, color = grid
        svg.add(
            f'<path d="{"".join(f"M{_n(ax(t))} {_n(top)}V{_n(bottom)}" for t in ticks)}" '
            f'stroke="{color}" stroke-width="1"/>'
        )
    svg.line(ax.p0, y, ax.p1, y, MUTED, 1)
    svg.add(
        f'<path d="{"".join(f"M{_n(ax(t))} {_n(y)}v5" for t in ticks)}" stroke="{MUTED}" '
        'stroke-width="1"/>'
    )
    parts = "".join(
        f'<text x="{_n(ax(t))}" y="{_n(y + 19)}">{_esc(label)}</text>'
        for t, label in zip(ticks, labels, strict=True)
    )
    svg.add(f'<g class="x-ticks" text-anchor="middle" fill="{MUTED}">{parts}</g>')
    svg.text((ax.p0 + ax.p1) / 2, y + 35, title, anchor="middle")


def _y_labels(svg: _Svg, x: float, ys: Sequence[float], labels: Sequence[str], cls: str) -> None:
    parts = "".join(
        f'<text x="{_n(x)}" y="{_n(y + FS * 0.35)}">{_esc(label)}</text>'
        for y, label in zip(ys, labels, strict=True)
    )
    svg.add(f'<g class="{cls}" text-anchor="end">{parts}</g>')


def _legend(svg: _Svg, entries: Sequence[tuple[str, str]], y: float, per_row: int = 5) -> None:
    """Legend entries (``kind`` and label) centred in rows of ``per_row`` below the plot.

    ``kind`` is ``dot`` (a score), ``ci`` (an interval) or a colour (a bar share).
    """
    for start in range(0, len(entries), per_row):
        row = entries[start : start + per_row]
        widths = [30 + len(label) * FS_SMALL * 0.6 + 18 for _, label in row]
        x = (svg.width - sum(widths)) / 2
        for (kind, label), w in zip(row, widths, strict=True):
            if kind == "dot":
                svg.add(f'<circle cx="{_n(x + 12)}" cy="{_n(y)}" r="4"/>')
            elif kind == "ci":
                svg.line(x, y, x + 24, y, CI_COLOR, 2.1)
                svg.line(x + 24, y - 4.7, x + 24, y + 4.7, CI_COLOR, 1.3)
                svg.line(x, y - 4.7, x, y + 4.7, CI_COLOR, 1.3)
            else:
                svg.rect(x + 2, y - 5, 22, 10, kind)
            svg.text(x + 30, y, label, size=FS_SMALL)
            x += w
        y += 24


def _diverging(
    svg: _Svg,
    ctx: ReportContext,
    rows: Sequence[DistributionRow],
    points: int,
    ax_px: tuple[float, float],
    ys: Sequence[float],
    bottom: float,
    step: float,
) -> None:
    """Likert-style bars: negative answers left of 0, positive right, a middle answer split in two.

    Row ``y`` starts at minus the share of answers below the middle (plus half the middle
    answer on odd scales), so every bar crosses 0 where its negative part ends.
    """
    colors = diverging_colors(points)
    mid = (points - 1) / 2
    starts: list[float] = []
    ends: list[float] = []
    for r in rows:
        shares = list(r.percents)
        start = -sum(s for k, s in enumerate(shares) if k < mid)
        if points % 2 == 1:
            start -= shares[int(mid)] / 2
        starts.append(start)
        ends.append(start + sum(shares))
    extent = max([0.1, *(abs(v) for v in starts), *(abs(v) for v in ends)])
    lim = min(1.0, math.ceil((extent + 0.02) * 10) / 10)
    ax = _Axis(-lim, lim, *ax_px)
    ticks = _ticks(-lim, lim, max(4, int((ax.p1 - ax.p0) / 45)))
    _x_axis(
        svg, ax, ticks, [percent_text(abs(t), ctx.lang) for t in ticks], bottom,
        ctx.m.axis_percent,
    )  # fmt: skip
    h = step * 0.7
    bars: list[list[str]] = [[] for _ in range(points)]
    labels: list[str] = []
    for y, r, start in zip(ys, rows, starts, strict=True):
        left = start
        for k, share in enumerate(r.percents):
            if share > 0:
                bars[k].append(
                    f'<rect x="{_n(ax(left))}" y="{_n(y - h / 2)}" '
                    f'width="{_n(ax(left + share) - ax(left))}" height="{_n(h)}"/>'
                )
            if share >= 0.07:
                labels.append(
                    f'<text x="{_n(ax(left + share / 2))}" y="{_n(y + FS_TINY * 0.35)}" '
                    f'fill="{text_color(colors[k])}">{_esc(percent_text(share, ctx.lang))}</text>'
                )
            left += share
    for k, parts in enumerate(bars):
        if parts:
            svg.add(
                f'<g fill="{colors[k]}" stroke="#ffffff" stroke-width="0.5">{"".join(parts)}</g>'
            )
    svg.add(f'<g font-size="{_n(FS_TINY)}" text-anchor="middle">{"".join(labels)}</g>')
    svg.line(ax(0), ys[0] - step / 2 if ys else bottom, ax(0), bottom, INK, 1.1)


def _bar_label(row: DistributionRow) -> str:
    return f"{_short(row.label)}{' ↺' if row.reverse else ''} (n={row.n})"


def _scale_legend(scale: ScaleView) -> list[tuple[str, str]]:
    colors = diverging_colors(len(scale.points))
    return [
        (c, f"{p} {_short(label, 22)}" if label != str(p) else label)
        for c, p, label in zip(colors, scale.points, scale.labels, strict=True)
    ]
