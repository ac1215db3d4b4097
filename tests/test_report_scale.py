"""The HTML report at province scale: hand-drawn SVG charts that are light, well-formed, escaped,
and true to the evaluation (a dot's position maps back to its score).

Sizes are bounded (bytes per OPD); times are not tested here, they live in ``benchmarks/``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache

import numpy as np
import pytest

import publiceval as pe
from publiceval import OPD, Item, Scale, ScaleLabel, Survey, Text
from publiceval._core.report.charts import (
    COMPACT_FROM,
    FS,
    distribution_chart,
    item_profile_chart,
    score_chart,
)
from publiceval._core.report.context import build_context

pytest.importorskip("jinja2")

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & Co'
CUTOFFS = {
    "bands": [
        {"code": "TB", "label": {"id": "Tidak Baik", "en": "Not good"}},
        {"code": "KB", "label": {"id": "Kurang Baik", "en": "Fair"}, "low": 2.5},
        {"code": "B", "label": {"id": "Baik", "en": "Good"}, "low": 3.0},
    ],
}


@cache
def many(n_opds: int) -> pe.Evaluation:
    """``n_opds`` OPDs on four items; OPD 3's name tries to break out of the markup."""
    scale = Scale(
        id="q",
        min=1,
        max=4,
        labels=tuple(
            ScaleLabel(value=k + 1, label=Text(id=a, en=a))
            for k, a in enumerate(("Tidak Baik", "Kurang Baik", "Baik", "Sangat Baik"))
        ),
    )
    survey = Survey(
        title="Survei Provinsi Uji",
        city="Provinsi Uji",
        organisation="Lembaga Uji",
        period_start="2025-06-12",
        period_end="2025-06-16",
        scales=(scale,),
        items=tuple(
            Item(id=f"q{j}", text=Text(id=f"Unsur {j}", en=f"Item {j}"), scale="q")
            for j in range(1, 5)
        ),
        opds=tuple(
            OPD(id=f"u{k:04d}", name=HOSTILE if k == 3 else f"Dinas {k:04d}") for k in range(n_opds)
        ),
    )
    rng = np.random.default_rng(5)
    rows: list[dict[str, object]] = []
    for k in range(n_opds):
        mu = 1.8 + 2.0 * rng.random()
        for r in range(12):
            answers = {
                f"q{j}": int(np.clip(np.rint(rng.normal(mu, 0.7)), 1, 4)) for j in range(1, 5)
            }
            rows.append({"respondent": f"r{k}-{r}", "opd": f"u{k:04d}", **answers})
    table = pe.ResponseTable.from_rows(survey, rows, source="jawaban.csv")
    return pe.evaluate(survey, table, scheme=("cutoffs", CUTOFFS))


def _svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)]


def _number(text: str) -> float:
    """A tick label of an Indonesian report (``1.000``, ``3,50``, ``50%``) as a number."""
    return float(text.replace(".", "").replace(",", ".").replace("%", ""))


def _axis_map(ticks: list[tuple[float, float]]) -> tuple[float, float]:
    """(value per px, value at px 0) fitted through tick positions and their labels."""
    (p0, v0), (p1, v1) = ticks[0], ticks[-1]
    slope = (v1 - v0) / (p1 - p0)
    return slope, v0 - slope * p0


def _ticks(root: ET.Element, cls: str, coord: str) -> list[tuple[float, float]]:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == cls)
    return [(float(t.get(coord, "0")), _number(t.text or "")) for t in group.iter(f"{SVG}text")]


def _dots(root: ET.Element) -> list[ET.Element]:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "scores")
    return list(group.iter(f"{SVG}circle"))


@pytest.mark.parametrize("n", [150, 400])
def test_a_big_page_has_no_matplotlib_and_a_size_bound_per_opd(n: int) -> None:
    page = pe.render(many(n), "html").decode("utf-8")
    assert "matplotlib" not in page and "<metadata" not in page
    # about 5 kB of card (facts, table) and 5 kB of chart per OPD on four items; the old
    # matplotlib charts alone took some 50 kB each
    assert len(page.encode("utf-8")) < 60_000 + 12_000 * n
    svgs = _svgs(page)
    assert len(svgs) == 1 + n + 1  # scores, one profile per OPD, the pooled distribution


def test_every_chart_is_well_formed_titled_and_escapes_names() -> None:
    page = pe.render(many(COMPACT_FROM + 5), "html").decode("utf-8")
    assert "<script>" not in page
    roots = _svgs(page)  # ET.fromstring raises on anything malformed
    for root in roots:
        assert root.get("role") == "img"
        first = root[0]
        assert first.tag == f"{SVG}title" and (first.text or "").strip()
    tips = [t.text for c in _dots(roots[0]) for t in c.iter(f"{SVG}title")]
    assert any(tip and HOSTILE in tip for tip in tips)  # escaped in, read back verbatim
    assert any(HOSTILE in (r[0].text or "") for r in roots[1:])


def test_hostile_labels_cannot_add_elements() -> None:
    ctx = build_context(many(8), "en")
    row = next(r for r in ctx.opds if r.name == HOSTILE)
    root = ET.fromstring(item_profile_chart(ctx, row, "opd-x"))
    tags = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert tags <= {"svg", "title", "desc", "g", "path", "line", "rect", "circle", "text"}


def _check_scores(ctx_rows: list[tuple[float, float]], tolerance: float) -> None:
    for got, want in ctx_rows:
        assert got == pytest.approx(want, abs=tolerance)


def test_the_score_chart_dots_sit_at_the_scores() -> None:
    ctx = build_context(many(12), "id")
    root = ET.fromstring(score_chart(ctx))
    slope, at0 = _axis_map(_ticks(root, "x-ticks", "x"))
    scored = [r for r in ctx.opds if r.score is not None]
    dots = _dots(root)
    assert len(dots) == len(scored)
    # 0.1 px of rounding on a ~600 px axis spanning about one score point
    pairs = [
        (float(d.get("cx", "0")) * slope + at0, r.score or 0.0)
        for d, r in zip(dots, scored, strict=True)
    ]
    _check_scores(pairs, 0.005)


def test_the_compact_score_chart_keeps_every_opd_in_rank_order() -> None:
    ctx = build_context(many(COMPACT_FROM + 40), "id")
    root = ET.fromstring(score_chart(ctx))
    # a label's baseline sits 0.35 em below its tick, to centre the digits on it
    ticks = [(y - 0.35 * FS, v) for y, v in _ticks(root, "y-ticks", "y")]
    slope, at0 = _axis_map(ticks)
    scored = [r for r in ctx.opds if r.score is not None]
    dots = _dots(root)
    assert len(dots) == len(scored)
    pairs = [
        (float(d.get("cy", "0")) * slope + at0, r.score or 0.0)
        for d, r in zip(dots, scored, strict=True)
    ]
    _check_scores(pairs, 0.01)
    xs = [float(d.get("cx", "0")) for d in dots]
    assert xs == sorted(xs)  # rank order, left to right
    # the ranks' tick labels are in the report's language
    assert {t for _, t in _ticks(root, "x-ticks", "x")} >= {1.0}


def test_the_item_profile_means_sit_at_the_item_means() -> None:
    ctx = build_context(many(5), "id")
    for row in ctx.opds:
        root = ET.fromstring(item_profile_chart(ctx, row, f"opd-{row.opd}"))
        group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "x-ticks")
        ticks = [(float(t.get("x", "0")), _number(t.text or "")) for t in group.iter(f"{SVG}text")]
        slope, at0 = _axis_map(ticks)
        xs = []
        for el in root.iter():
            if el.get("class") != "mean":
                continue
            if el.tag == f"{SVG}circle":
                xs.append(float(el.get("cx", "0")))
            else:  # the weakest item's diamond: its path starts at the top vertex
                xs.append(float(re.match(r"M([\d.]+)", el.get("d", "")).group(1)))  # type: ignore[union-attr]
        means = [it.value for it in row.items if it.value is not None]
        _check_scores([(x * slope + at0, v) for x, v in zip(xs, means, strict=True)], 0.01)


def test_the_distribution_bars_are_the_answer_shares() -> None:
    ctx = build_context(many(5), "id")
    group = ctx.item_distributions[0]
    root = ET.fromstring(distribution_chart(ctx, group, "items-0"))
    axis = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "x-ticks")
    ticks = [(float(t.get("x", "0")), _number(t.text or "")) for t in axis.iter(f"{SVG}text")]
    # percent labels are unsigned on both sides of 0: the right half gives the scale
    right = [(x, v) for x, v in ticks if x >= ticks[len(ticks) // 2][0]]
    per_px = (right[-1][1] - right[0][1]) / (right[-1][0] - right[0][0]) / 100
    bars = [g for g in root.iter(f"{SVG}g") if g.get("stroke") == "#ffffff"]  # not the legend
    widths = sorted(float(r.get("width", "0")) * per_px for g in bars for r in g)
    shares = sorted(p for row in group.rows for p in row.percents if p > 0)
    assert widths == pytest.approx(shares, abs=0.003)
