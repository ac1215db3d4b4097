"""Charts as inline SVG, drawn with matplotlib's SVG backend (no network, no fonts embedded).

Why matplotlib: it is well kept, draws offline, and its SVG backend writes text as ``<text>``
elements (``svg.fonttype = "none"``), so a chart stays small, sharp when printed, searchable,
and uses the reader's own fonts. It lives behind the ``report`` extra and is imported only
when a chart is drawn.

Safety: matplotlib escapes text it writes into SVG, mathtext is switched off so a ``$`` in an
OPD name is just a dollar sign, and :func:`checked_svg` refuses any SVG that could run code or
fetch anything (scripts, event handlers, foreign objects, external references) before it is
placed in a page.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from ..errors import PluginError
from ..text import one_line
from .colors import diverging_colors, mix, text_color
from .context import (
    DistributionGroup,
    DistributionRow,
    OPDRow,
    ReportContext,
    ScaleView,
    percent_text,
)
from .svg import checked_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "checked_svg",
    "distribution_chart",
    "item_profile_chart",
    "score_chart",
]

INK = "#1f2d3d"
MUTED = "#5f6b7a"
WEAK = "#c0392b"
CI_COLOR = "#3c5a78"
LABEL_MAX = 42
ROW_HEIGHT = 0.32
WIDTH = 9.0


def _short(label: str, limit: int = LABEL_MAX) -> str:
    # every label a chart draws passes here: on one line, control characters as escapes (so
    # neither the SVG nor matplotlib's missing-glyph warnings carry them raw)
    label = one_line(label)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _require_matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise PluginError(
            "charts need matplotlib; install the report extra: pip install 'publiceval[report]'"
        ) from exc
    return matplotlib


@contextmanager
def _style(key: str) -> Iterator[None]:
    matplotlib = _require_matplotlib()

    rc = {
        "svg.fonttype": "none",
        "svg.hashsalt": key,
        "text.parse_math": False,
        "text.usetex": False,
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
        "font.size": 9,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.image_inline": True,
    }
    with matplotlib.rc_context(cast(Any, rc)):
        yield


def _figure(height: float) -> Figure:
    """A figure laid out by hand (see :func:`_axes`): automatic layout doubles drawing time."""
    _require_matplotlib()
    from matplotlib.figure import Figure

    return Figure(figsize=(WIDTH, height))


def _text_width(labels: Sequence[str], size: float = 9.0) -> float:
    """Rough width in inches of the longest label (generous: bold DejaVu Sans is ~0.6 em a glyph)."""
    longest = max((len(x) for x in labels), default=0)
    return 0.3 + longest * size * 0.62 / 72


def _axes(fig: Figure, left: float, right: float, bottom: float, top: float, height: float) -> Axes:
    """Axes placed by margins in inches on a figure ``height`` inches tall."""
    return fig.add_axes(
        (
            left / WIDTH,
            bottom / height,
            (WIDTH - left - right) / WIDTH,
            (height - bottom - top) / height,
        )
    )


def _svg(fig: Figure, key: str) -> str:
    buf = io.StringIO()
    fig.savefig(
        buf,
        format="svg",
        metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
    )
    return checked_svg(buf.getvalue(), key)


def _limits(ctx: ReportContext, rows: Sequence[OPDRow]) -> tuple[float, float]:
    """x range: the data and their intervals, padded, within the score scale."""
    lo_s, hi_s = ctx.scale.low, ctx.scale.high
    values = [v for r in rows for v in (r.score, r.ci_low, r.ci_high) if v is not None]
    if not values:
        return lo_s, hi_s
    lo = max(min(values), lo_s)
    hi = min(max(values), hi_s)
    pad = max(0.06 * (hi - lo), 0.02 * (hi_s - lo_s))
    return max(lo_s, lo - pad), min(hi_s, hi + pad)


def _number_formatter(ctx: ReportContext) -> Any:
    from matplotlib.ticker import FuncFormatter

    def fmt(x: float, _pos: int | None = None) -> str:
        return ctx.number(x)

    return FuncFormatter(fmt)


def _percent_formatter(ctx: ReportContext) -> Any:
    from matplotlib.ticker import FuncFormatter

    def fmt(x: float, _pos: int | None = None) -> str:
        return percent_text(abs(x), ctx.lang)

    return FuncFormatter(fmt)


def score_chart(ctx: ReportContext, key: str = "scores") -> str:
    """OPD scores (dots) with confidence intervals (whiskers) over the main scheme's bands."""
    from matplotlib.lines import Line2D

    rows = [r for r in ctx.opds if r.score is not None]
    m = ctx.m
    labels = [f"{r.rank_text}  {_short(r.label)}" for r in rows]
    n = len(rows)
    height = ROW_HEIGHT * max(n, 3) + 1.3
    with _style(key):
        fig = _figure(height)
        ax = _axes(fig, _text_width(labels), 0.5, 0.85, 0.3, height)
        x0, x1 = _limits(ctx, rows)
        ax.set_xlim(x0, x1)
        ax.set_ylim(max(n, 1) - 0.5, -0.5)
        if ctx.scheme is not None:
            for band in ctx.scheme.bands:
                lo, hi = max(band.low, x0), min(band.high, x1)
                if hi <= lo:
                    continue
                ax.axvspan(lo, hi, color=mix(band.color, "#ffffff", 0.55), lw=0, zorder=0)
                if (hi - lo) / (x1 - x0) > 0.06:
                    ax.text(
                        (lo + hi) / 2,
                        1.01,
                        _short(band.label, 24),
                        transform=ax.get_xaxis_transform(),
                        ha="center",
                        va="bottom",
                        fontsize=8,
                        color=INK,
                    )
                if x0 < band.low < x1:
                    ax.axvline(band.low, color=MUTED, lw=0.6, ls=(0, (3, 2)), zorder=1)
        for y, r in enumerate(rows):
            assert r.score is not None
            right = r.score
            if r.ci_low is not None and r.ci_high is not None:
                lo, hi = max(r.ci_low, x0), min(r.ci_high, x1)
                right = hi
                ax.plot([lo, hi], [y, y], color=CI_COLOR, lw=1.6, zorder=2, solid_capstyle="butt")
                for end, clipped, marker in ((lo, r.ci_low < x0, "<"), (hi, r.ci_high > x1, ">")):
                    ax.plot(
                        [end],
                        [y],
                        marker=marker if clipped else "|",
                        color=CI_COLOR,
                        ms=7,
                        zorder=2,
                    )
            ax.plot([r.score], [y], "o", color=INK, ms=6, zorder=3)
            ax.annotate(
                r.score_text,
                (right, y),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                color=INK,
            )
        ax.set_yticks(range(n), labels)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(m.format("axis_score", unit=ctx.scale_text))
        ax.xaxis.set_major_formatter(_number_formatter(ctx))
        ax.grid(axis="x", color="#ffffff", lw=0.8, zorder=1)
        handles = [
            Line2D([], [], marker="o", color=INK, ls="", ms=6, label=m.legend_score),
            Line2D([], [], color=CI_COLOR, lw=1.6, marker="|", ms=7, label=m.legend_ci),
        ]
        fig.legend(
            handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=2, frameon=False
        )
        return _svg(fig, key)


def _diverging(ax: Axes, ctx: ReportContext, rows: Sequence[DistributionRow], points: int) -> None:
    """Likert-style bars: negative answers left of 0, positive right, a middle answer split in two.

    Row ``y`` starts at minus the share of answers below the middle (plus half the middle
    answer on odd scales), so every bar crosses 0 where its negative part ends.
    """
    import numpy as np

    colors = diverging_colors(points)
    mid = (points - 1) / 2
    shares = np.array([r.percents for r in rows], dtype=float).reshape(len(rows), points)
    start = -shares[:, [k for k in range(points) if k < mid]].sum(axis=1)
    if points % 2 == 1:
        start -= shares[:, int(mid)] / 2
    ys = np.arange(len(rows))
    for k in range(points):
        ax.barh(
            ys, shares[:, k], left=start, color=colors[k], height=0.7, lw=0.4, edgecolor="#ffffff"
        )
        for y in range(len(rows)):
            if shares[y, k] >= 0.07:
                ax.text(
                    start[y] + shares[y, k] / 2,
                    y,
                    percent_text(float(shares[y, k]), ctx.lang),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=text_color(colors[k]),
                )
        start = start + shares[:, k]
    extent = float(
        max(
            0.1,
            np.max(np.abs(start), initial=0.0),
            np.max(np.abs(start - shares.sum(axis=1)), initial=0.0),
        )
    )
    lim = min(1.0, np.ceil((extent + 0.02) * 10) / 10)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    ax.axvline(0, color=INK, lw=0.8)
    ax.xaxis.set_major_formatter(_percent_formatter(ctx))
    ax.set_xlabel(ctx.m.axis_percent)
    ax.tick_params(axis="y", length=0)


def _legend(fig: Figure, scale: ScaleView) -> None:
    from matplotlib.patches import Patch

    colors = diverging_colors(len(scale.points))
    handles = [
        Patch(color=c, label=f"{p} {_short(label, 22)}" if label != str(p) else label)
        for c, p, label in zip(colors, scale.points, scale.labels, strict=True)
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=min(len(handles), 5),
        frameon=False,
        fontsize=8,
    )


def _bar_label(row: DistributionRow) -> str:
    return f"{_short(row.label)}{' ↺' if row.reverse else ''} (n={row.n})"


def distribution_chart(ctx: ReportContext, group: DistributionGroup, key: str) -> str:
    """Diverging stacked bars of answer shares, one bar per item, one legend for the scale."""
    labels = [_bar_label(r) for r in group.rows]
    legend_rows = 1 + (len(group.scale.points) - 1) // 5
    height = ROW_HEIGHT * max(len(group.rows), 2) + 0.75 + 0.25 * legend_rows
    with _style(key):
        fig = _figure(height)
        ax = _axes(fig, _text_width(labels), 0.3, 0.5 + 0.25 * legend_rows, 0.1, height)
        _diverging(ax, ctx, group.rows, len(group.scale.points))
        ax.set_yticks(range(len(labels)), labels)
        _legend(fig, group.scale)
        return _svg(fig, key)


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
    height = ROW_HEIGHT * max(len(items), 2) + 0.85 + 0.25 * legend_rows
    bottom = 0.5 + 0.25 * legend_rows
    with _style(key):
        fig = _figure(height)
        left = _text_width(labels)
        if one_scale:
            split = left + (WIDTH - left) * 0.42
            ax = _axes(fig, left, WIDTH - split + 0.1, bottom, 0.15, height)
            ax2 = _axes(fig, split + 0.55, 0.3, bottom, 0.15, height)
        else:  # items on different scales share no legend: means only
            ax = _axes(fig, left, 0.3, bottom, 0.15, height)
            ax2 = None
        lo = min(it.scale.min for it in items)
        hi = max(it.scale.max for it in items)
        ax.set_xlim(lo, hi)
        ax.set_ylim(len(items) - 0.5, -0.5)
        for y, it in enumerate(items):
            color = WEAK if it.weakest else INK
            if it.ci_low is not None and it.ci_high is not None:
                ax.plot(
                    [max(it.ci_low, lo), min(it.ci_high, hi)],
                    [y, y],
                    color=WEAK if it.weakest else CI_COLOR,
                    lw=1.4,
                )
            if it.value is not None:
                ax.plot([it.value], [y], "D" if it.weakest else "o", color=color, ms=6)
                ax.annotate(
                    it.value_text,
                    (it.value, y),
                    xytext=(0, 7),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7,
                    color=color,
                )
        ax.set_yticks(range(len(items)), labels)
        for tick, it in zip(ax.get_yticklabels(), items, strict=True):
            if it.weakest:
                tick.set_color(WEAK)
                tick.set_fontweight("bold")
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel(m.item_mean)
        ax.xaxis.set_major_formatter(_number_formatter(ctx))
        ax.grid(axis="x", color="#e5e8ec", lw=0.6)
        if ax2 is not None:
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
            _diverging(ax2, ctx, bars, len(scale.points))
            ax2.set_yticks(range(len(bars)), [f"n={b.n}" for b in bars])
            _legend(fig, scale)
        return _svg(fig, key)
