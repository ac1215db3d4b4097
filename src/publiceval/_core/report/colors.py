"""Colours shared by charts and tables, so a category looks the same everywhere in a report.

Pure Python (no plotting library), so HTML tables and XLSX cells get the same colours as
the SVG charts. Palettes avoid relying on red/green alone: bands also differ in lightness,
and every coloured cell also carries its label or number.
"""

from __future__ import annotations

__all__ = ["band_color", "diverging_colors", "heat_color", "mix", "text_color"]

# best → worst: green, yellow, orange-red (ColorBrewer RdYlGn ends, lightened for backgrounds)
_BAND_ANCHORS = ("#a6d96a", "#fee08b", "#f46d43")
# most negative → neutral → most positive (ColorBrewer RdBu ends)
_DIVERGING_ANCHORS = ("#b2182b", "#f4a582", "#e0e0e0", "#92c5de", "#2166ac")


def _rgb(color: str) -> tuple[float, float, float]:
    c = color.lstrip("#")
    return (int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, x)) * 255):02x}" for x in rgb)


def mix(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from ``a`` to ``b`` (0 is ``a``)."""
    ra, rb = _rgb(a), _rgb(b)
    return _hex(
        (ra[0] + (rb[0] - ra[0]) * t, ra[1] + (rb[1] - ra[1]) * t, ra[2] + (rb[2] - ra[2]) * t)
    )


def _ramp(anchors: tuple[str, ...], t: float) -> str:
    t = max(0.0, min(1.0, t))
    pos = t * (len(anchors) - 1)
    k = min(int(pos), len(anchors) - 2)
    return mix(anchors[k], anchors[k + 1], pos - k)


def band_color(order: int, n_bands: int) -> str:
    """Background colour of a category band; ``order`` 0 is the best band."""
    t = 0.0 if n_bands <= 1 else order / (n_bands - 1)
    return _ramp(_BAND_ANCHORS, t)


def heat_color(value: float | None, low: float, high: float) -> str:
    """Cell colour of a mean on ``[low, high]``: light red (low) through yellow to light green."""
    if value is None or high <= low:
        return "#ffffff"
    t = (value - low) / (high - low)
    return mix(_ramp(_BAND_ANCHORS, 1.0 - t), "#ffffff", 0.35)


def diverging_colors(points: int) -> list[str]:
    """One colour per answer point, from the most negative to the most positive.

    With an odd number of points the middle one is the neutral grey.
    """
    if points == 1:
        return [_DIVERGING_ANCHORS[2]]
    out = []
    for k in range(points):
        t = k / (points - 1)
        if points % 2 == 0:
            # even scales have no neutral point: skip the grey centre
            t = 0.9 * t if t < 0.5 else 0.1 + 0.9 * t
        out.append(_ramp(_DIVERGING_ANCHORS, t))
    return out


def text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    r, g, b = _rgb(background)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.5 else "#ffffff"
