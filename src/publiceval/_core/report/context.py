"""From an :class:`~publiceval._core.results.Evaluation` to what a report shows.

Every reporter (HTML, Markdown, XLSX) reads the same :class:`ReportContext`, so the formats
agree on ranks, weakest items, category counts and wording. The context keeps raw numbers
(for spreadsheets and charts) next to their text in the report's language (for documents).
Nothing here escapes anything: escaping belongs to each output format.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import PublicevalError
from ..published import PLACEHOLDER_NOTE
from ..results import (
    Category,
    ComponentInfo,
    Evaluation,
    ItemInfo,
    ItemScore,
    OPDResult,
    ScoreScale,
)
from ..schemes import Band
from ..text import Lang, Text, format_number
from .colors import band_color, heat_color
from .messages import Messages

__all__ = [
    "BandView",
    "CategoryView",
    "ComponentView",
    "DistributionGroup",
    "DistributionRow",
    "EvidenceView",
    "ItemRow",
    "OPDRow",
    "RecommendationView",
    "RejectView",
    "ReliabilityView",
    "ReportContext",
    "ScaleView",
    "SchemeView",
    "SurveyWideRow",
    "WarningView",
    "build_context",
    "percent_text",
]

#: Decimals of scores in documents (published SKM results use two).
SCORE_DECIMALS = 2

#: Category probabilities below this are left out of the text (they stay in the data).
PROBABILITY_SHOWN = 0.005

_COMPARATORS = {">=": "≥", "<=": "≤", "!=": "≠", "==": "="}


@dataclass(frozen=True)
class BandView:
    """One category band, ready to draw and to list."""

    code: str
    label: str
    low: float
    high: float
    order: int
    color: str
    low_text: str
    high_text: str


@dataclass(frozen=True)
class CategoryView:
    """The category an OPD got under one scheme."""

    scheme: str
    code: str
    label: str
    order: int
    color: str


@dataclass(frozen=True)
class ScaleView:
    """An answer scale: its points and their labels in the report's language."""

    min: int
    max: int
    points: tuple[int, ...]
    labels: tuple[str, ...]
    """One label per point (the point itself when the scale does not name it)."""


@dataclass(frozen=True)
class ItemRow:
    """One item's result for one OPD."""

    item: str
    label: str
    element: str | None
    value: float | None
    value_text: str
    n: int
    ci_low: float | None
    ci_high: float | None
    ci_text: str
    weakest: bool
    reverse: bool
    counts: tuple[int, ...]
    """Answers per scale point, in the order of ``scale.points``."""
    scale: ScaleView
    color: str


@dataclass(frozen=True)
class OPDRow:
    """Everything a report says about one OPD."""

    opd: str
    name: str
    label: str
    anchor: str
    rank: int | None
    rank_text: str
    shared_rank: bool
    score: float | None
    score_text: str
    n: int | None
    n_text: str
    se: float | None
    ci_low: float | None
    ci_high: float | None
    ci_text: str
    source: str
    category: CategoryView | None
    categories: dict[str, CategoryView]
    rank_low: int | None
    rank_high: int | None
    rank_interval_text: str
    probabilities: tuple[tuple[str, str, float, str], ...]
    """(code, label, probability, text) per category, most likely first."""
    probability_text: str
    probability_top: str
    """The most likely category and its probability (``Baik 90%``)."""
    tier: int | None
    tier_text: str
    adequacy: tuple[tuple[str, str], ...]
    flags: tuple[str, ...]
    notes: tuple[str, ...]
    placeholder: bool
    """The score is a placeholder standing in for a value the publication did not give."""
    items: tuple[ItemRow, ...]
    item_map: dict[str, ItemRow]
    """The same items by id."""
    weakest: tuple[str, ...]
    """Labels of the weakest item(s)."""


@dataclass(frozen=True)
class DistributionRow:
    """One bar of a diverging stacked bar chart."""

    label: str
    counts: tuple[int, ...]
    n: int
    percents: tuple[float, ...]
    reverse: bool


@dataclass(frozen=True)
class DistributionGroup:
    """Bars that share one scale, so they share one legend."""

    title: str
    scale: ScaleView
    rows: tuple[DistributionRow, ...]


@dataclass(frozen=True)
class SurveyWideRow:
    """A survey-wide question and its result."""

    item: str
    text: str
    value: float | None
    value_text: str
    n: int
    ci_low: float | None
    ci_high: float | None
    ci_text: str
    category: str | None
    scale: ScaleView
    counts: tuple[int, ...]


@dataclass(frozen=True)
class SchemeView:
    """A category scheme: its bands and how many OPDs fell in each."""

    name: str
    title: str
    main: bool
    bands: tuple[BandView, ...]
    counts: tuple[tuple[BandView, int, str], ...]
    """(band, OPDs in it, "3 of 20 OPDs"), best band first."""
    precision: int | None
    options_json: str


@dataclass(frozen=True)
class EvidenceView:
    """One fact behind a recommendation."""

    metric: str
    value: str
    comparator: str
    threshold: str
    target: str
    note: str


@dataclass(frozen=True)
class RecommendationView:
    """A recommendation in the report's language, with its evidence."""

    priority: int
    target: str
    target_name: str
    city_wide: bool
    title: str
    text: str
    rule: str
    evidence: tuple[EvidenceView, ...]


@dataclass(frozen=True)
class RejectView:
    """One rejected cell or row."""

    source: str
    row: int
    column: str
    value: str
    reason: str
    reason_label: str
    message: str


@dataclass(frozen=True)
class ReliabilityItemView:
    """One item's part in its dimension's reliability."""

    label: str
    alpha_if_deleted_text: str
    item_total_text: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ReliabilityView:
    """Cronbach's α of one dimension of the instrument, with its CI and per-item diagnostics."""

    dimension: str
    n: int
    alpha_text: str
    ci_text: str
    items: tuple[ReliabilityItemView, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class WarningView:
    """A warning: its code, the code's label, the OPD it concerns, and the message (in the
    report's language where the warning carries a translation, else English)."""

    code: str
    label: str
    target: str
    message: str


@dataclass(frozen=True)
class ComponentView:
    """A plugin used in the evaluation, for the provenance appendix."""

    name: str
    title: str
    plugin: str
    options_json: str


@dataclass(frozen=True)
class ReportContext:
    """What every report format needs, in one language."""

    lang: Lang
    m: Messages
    title: str
    city: str
    organisation: str
    period: str
    respondents: int
    opd_count: int
    confidence: float
    confidence_text: str
    scale: ScoreScale
    scale_text: str
    aggregate: bool
    method: ComponentView
    scheme: SchemeView | None
    schemes: tuple[SchemeView, ...]
    """The main scheme first, then the compared ones."""
    opds: tuple[OPDRow, ...]
    any_shared_rank: bool
    has_rank_intervals: bool
    has_probabilities: bool
    has_tiers: bool
    ci_method: str
    items: tuple[ItemInfo, ...]
    """Per-OPD items that have scores, in survey order."""
    item_distributions: tuple[DistributionGroup, ...]
    survey_wide: tuple[SurveyWideRow, ...]
    survey_wide_distributions: tuple[DistributionGroup, ...]
    recommendations: tuple[RecommendationView, ...]
    rows_read: int
    rows_used: int
    rows_rejected: int
    reasons: tuple[tuple[str, str, int], ...]
    """(code, label, rows) per reject reason."""
    rejects: tuple[RejectView, ...]
    rejects_truncated: bool
    small_samples: tuple[OPDRow, ...]
    warnings: tuple[WarningView, ...]
    rules: tuple[ComponentView, ...]
    library: str
    version: str
    schema_version: str
    seed: str
    data_source: str
    reliability: tuple[ReliabilityView, ...]
    """Cronbach's α per dimension, when the evaluation was asked for it."""
    best: tuple[OPDRow, ...]
    """The OPD(s) sharing the best rank."""
    worst: tuple[OPDRow, ...]
    """The OPD(s) sharing the worst rank."""
    extra: dict[str, object] = field(default_factory=dict)

    def number(self, value: float | None, decimals: int = SCORE_DECIMALS) -> str:
        """A number as this report's language writes it."""
        return format_number(value, self.lang, decimals)


def percent_text(share: float, lang: Lang, decimals: int = 0) -> str:
    """``0.153`` → ``15%`` (``15,3%`` with one decimal in Indonesian)."""
    return format_number(share * 100.0, lang, decimals) + "%"


def _date_text(text: str, m: Messages) -> str:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.day} {m[f'month.{day.month}']} {day.year}"


def period_text(period: str | None, m: Messages) -> str:
    """``2025-06-12/2025-06-16`` → ``12 Juni 2025 – 16 Juni 2025``."""
    if not period:
        return m.dash
    return " – ".join(_date_text(part, m) for part in period.split("/"))


def _ci_text(low: float | None, high: float | None, lang: Lang) -> str:
    if low is None or high is None:
        return "–"
    return f"{format_number(low, lang)}–{format_number(high, lang)}"


def _options_json(options: Mapping[str, object]) -> str:
    return json.dumps(options, ensure_ascii=False, sort_keys=True) if options else "{}"


def _scale_view(info: ItemInfo | None, counts: Mapping[str, int], lang: Lang) -> ScaleView:
    if info is not None:
        lo, hi = info.scale_min, info.scale_max
        labels = info.labels
    else:  # an evaluation without item metadata: take the points the counts name
        keys = [int(k) for k in counts] or [0]
        lo, hi = min(keys), max(keys)
        labels = {}
    points = tuple(range(lo, hi + 1))
    return ScaleView(
        min=lo,
        max=hi,
        points=points,
        labels=tuple(labels[str(p)].get(lang) if str(p) in labels else str(p) for p in points),
    )


def _bare_item(item_id: str, counts: Mapping[str, int]) -> ItemInfo:
    """Item metadata for an evaluation that has none: the id as its text, points from the counts."""
    points = [int(k) for k in counts] or [0]
    return ItemInfo(
        id=item_id,
        text=Text(id=item_id, en=item_id),
        scale_min=min(points),
        scale_max=max(points),
    )


def _counts(scale: ScaleView, distribution: Mapping[str, int]) -> tuple[int, ...]:
    return tuple(int(distribution.get(str(p), 0)) for p in scale.points)


def _category_view(cat: Category, n_bands: int, lang: Lang) -> CategoryView:
    return CategoryView(
        scheme=cat.scheme,
        code=cat.code,
        label=cat.label.get(lang),
        order=cat.order,
        color=band_color(cat.order, n_bands),
    )


def edge_text(value: float, lang: Lang) -> str:
    """A band edge: two decimals, more only when the edge has them (``2,50``, ``3,0644``)."""
    for decimals in range(2, 7):
        if abs(round(value, decimals) - value) < 1e-12:
            return format_number(value, lang, decimals)
    return format_number(value, lang, 6)


def _band_views(bands: Sequence[Band], lang: Lang) -> tuple[BandView, ...]:
    n = len(bands)
    return tuple(
        BandView(
            code=b.code,
            label=b.label.get(lang),
            low=b.low,
            high=b.high,
            order=b.order,
            color=band_color(b.order, n),
            low_text=edge_text(b.low, lang),
            high_text=edge_text(b.high, lang),
        )
        for b in sorted(bands, key=lambda b: b.order)
    )


def scheme_bands(info: ComponentInfo, scale: ScoreScale, seen: Sequence[Category]) -> list[Band]:
    """The bands of a scheme on ``scale``.

    The scheme's plugin draws them when it is installed; otherwise the bands are rebuilt from
    the categories the evaluation holds (which leaves out bands no OPD fell in).
    """
    from ..plugins import get_host

    try:
        return list(get_host().scheme(info.name).create(info.options).checked_bands(scale))
    except PublicevalError:
        unique = {c.code: c for c in seen}
        return [
            Band(code=c.code, label=c.label, low=c.low, high=c.high, order=c.order)
            for c in unique.values()
        ]


def _scheme_title(info: ComponentInfo, lang: Lang) -> str:
    from ..plugins import get_host

    try:
        title = get_host().scheme(info.name).title.get(lang)
    except PublicevalError:
        return info.name
    return f"{title} ({info.name})" if title else info.name


def _component(info: ComponentInfo, kind: str, lang: Lang, m: Messages) -> ComponentView:
    from ..plugins import get_host

    title = ""
    try:
        title = getattr(get_host(), kind)(info.name).title.get(lang)
    except PublicevalError:
        title = ""
    return ComponentView(
        name=info.name,
        title=title or info.name,
        plugin=info.plugin or m.dash,
        options_json=_options_json(info.options),
    )


def _weakest(items: Sequence[ItemScore], infos: Mapping[str, ItemInfo]) -> set[str]:
    """Items with the lowest mean at the printed precision (ties are all weakest)."""
    values = {
        s.item: round(s.score.value, SCORE_DECIMALS)
        for s in items
        if s.score.value is not None
        and (s.item not in infos or infos[s.item].role == "performance")
    }
    if len(values) < 2:
        return set()
    low = min(values.values())
    return {k for k, v in values.items() if v == low}


def _uncertainty(
    r: OPDResult, band_labels: Mapping[str, str], labels: Mapping[str, str], lang: Lang
) -> tuple[
    int | None,
    int | None,
    str,
    tuple[tuple[str, str, float, str], ...],
    int | None,
    tuple[tuple[str, str], ...],
]:
    """Rank interval, category probabilities, tier and adequacy, when the statistics gave them.

    Malformed entries are skipped: an evaluation from another version should still report.
    """
    u = r.uncertainty
    low = high = None
    interval_text = "–"
    ri = u.get("rank_interval")
    if isinstance(ri, dict):
        lo, hi = ri.get("low"), ri.get("high")
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)):
            low, high = int(lo), int(hi)
            interval_text = str(low) if low == high else f"{low}–{high}"
    probs: list[tuple[str, str, float, str]] = []
    cp = u.get("category_probabilities")
    if isinstance(cp, dict):
        for code, p in cp.items():
            if isinstance(p, (int, float)) and not isinstance(p, bool) and math.isfinite(p):
                probs.append((code, band_labels.get(code, code), float(p), percent_text(p, lang)))
        probs.sort(key=lambda x: -x[2])
    tier = u.get("tier")
    tier_value = tier if isinstance(tier, int) and not isinstance(tier, bool) else None
    adequacy: list[tuple[str, str]] = []
    ad = u.get("adequacy")
    if isinstance(ad, dict):
        for key, value in ad.items():
            adequacy.append((labels.get(f"adequacy.{key}", key), _plain(value, lang)))
    return low, high, interval_text, tuple(probs), tier_value, tuple(adequacy)


def _plain(value: object, lang: Lang) -> str:
    """A JSON value as short text (numbers per locale)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value, lang, 0 if value.is_integer() else SCORE_DECIMALS)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _score_row(
    r: OPDResult,
    ranks: Counter[int | None],
    n_bands: Mapping[str, int],
    band_labels: Mapping[str, str],
    infos: Mapping[str, ItemInfo],
    m: Messages,
) -> OPDRow:
    lang = m.lang
    m_labels = {
        k: m[k]
        for k in ("adequacy.adequate", "adequacy.n", "adequacy.required", "adequacy.criterion")
    }
    s = r.score
    shared = r.rank is not None and ranks[r.rank] > 1
    rank_text = "–" if r.rank is None else f"{r.rank}{'=' if shared else ''}"
    low, high, interval_text, probs, tier, adequacy = _uncertainty(r, band_labels, m_labels, lang)
    weakest = _weakest(r.items, infos)
    items = []
    for it in r.items:
        info = infos.get(it.item)
        scale = _scale_view(info, it.distribution, lang)
        v = it.score.value
        items.append(
            ItemRow(
                item=it.item,
                label=info.text.get(lang) if info else it.item,
                element=info.element if info else None,
                value=v,
                value_text=format_number(v, lang),
                n=it.score.n,
                ci_low=it.score.ci.low if it.score.ci else None,
                ci_high=it.score.ci.high if it.score.ci else None,
                ci_text=_ci_text(
                    it.score.ci.low if it.score.ci else None,
                    it.score.ci.high if it.score.ci else None,
                    lang,
                ),
                weakest=it.item in weakest,
                reverse=bool(info and info.reverse),
                counts=_counts(scale, it.distribution),
                scale=scale,
                color=heat_color(v, scale.min, scale.max),
            )
        )
    cats = {name: _category_view(c, n_bands.get(name, 1), lang) for name, c in r.categories.items()}
    main = (
        _category_view(r.category, n_bands.get(r.category.scheme, 1), lang) if r.category else None
    )
    aggregate = s.source == "aggregate"
    return OPDRow(
        opd=r.opd,
        name=r.name,
        label=r.short_name or r.name,
        anchor=f"opd-{r.opd}",
        rank=r.rank,
        rank_text=rank_text,
        shared_rank=shared,
        score=s.value,
        score_text=format_number(s.value, lang),
        n=None if aggregate and not s.n else s.n,
        n_text="–" if aggregate and not s.n else str(s.n),
        se=s.se,
        ci_low=s.ci.low if s.ci else None,
        ci_high=s.ci.high if s.ci else None,
        ci_text=_ci_text(s.ci.low if s.ci else None, s.ci.high if s.ci else None, lang),
        source=s.source,
        category=main,
        categories=cats,
        rank_low=low,
        rank_high=high,
        rank_interval_text=interval_text,
        probabilities=probs,
        probability_top=f"{probs[0][1]} {probs[0][3]}" if probs else "–",
        probability_text=" · ".join(
            f"{label} {text}" for _, label, p, text in probs if p >= PROBABILITY_SHOWN
        )
        or "–",
        tier=tier,
        tier_text="–" if tier is None else str(tier),
        adequacy=adequacy,
        flags=tuple(m.get(f"flag.{f}", f) for f in r.flags),
        notes=tuple(s.notes),
        placeholder=PLACEHOLDER_NOTE in s.notes,
        items=tuple(items),
        item_map={i.item: i for i in items},
        weakest=tuple(i.label for i in items if i.weakest),
    )


def _distribution_groups(
    rows: Sequence[tuple[str, ScaleView, tuple[int, ...], bool]], title: str
) -> tuple[DistributionGroup, ...]:
    """Bars grouped by scale (one legend per scale), in the order the items come."""
    groups: dict[ScaleView, list[DistributionRow]] = {}
    for label, scale, counts, reverse in rows:
        n = sum(counts)
        percents = tuple(c / n for c in counts) if n else tuple(0.0 for _ in counts)
        groups.setdefault(scale, []).append(
            DistributionRow(label=label, counts=counts, n=n, percents=percents, reverse=reverse)
        )
    return tuple(
        DistributionGroup(title=title, scale=scale, rows=tuple(bars))
        for scale, bars in groups.items()
    )


def _evidence_value(value: float | str | None, lang: Lang) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format_number(value, lang, SCORE_DECIMALS)


def _reliability_views(ev: Evaluation, lang: Lang, m: Messages) -> tuple[ReliabilityView, ...]:
    raw = ev.extras.get("reliability")
    if not isinstance(raw, list):
        return ()
    infos = {i.id: i for i in ev.items}

    def num(value: object) -> str:
        return format_number(value, lang, 3) if isinstance(value, int | float) else m.dash

    views = []
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        ci = entry.get("ci")
        ci_text = f"{num(ci.get('low'))}–{num(ci.get('high'))}" if isinstance(ci, dict) else m.dash
        items = []
        raw_items = entry.get("items")
        for it in raw_items if isinstance(raw_items, list) else []:
            if not isinstance(it, dict):
                continue
            item_id = str(it.get("item"))
            info = infos.get(item_id)
            label = info.text.get(lang) if info is not None else item_id
            if it.get("reverse"):
                label += f" ({m.reverse_keyed})"
            notes = it.get("notes")
            items.append(
                ReliabilityItemView(
                    label=label,
                    alpha_if_deleted_text=num(it.get("alpha_if_deleted")),
                    item_total_text=num(it.get("item_total")),
                    notes=tuple(str(n) for n in notes) if isinstance(notes, list) else (),
                )
            )
        dim = entry.get("dimension")
        notes = entry.get("notes")
        n = entry.get("n")
        views.append(
            ReliabilityView(
                dimension=str(dim) if dim else m.all_items,
                n=int(n) if isinstance(n, int) else 0,
                alpha_text=num(entry.get("alpha")),
                ci_text=ci_text,
                items=tuple(items),
                notes=tuple(str(x) for x in notes) if isinstance(notes, list) else (),
            )
        )
    return tuple(views)


def build_context(evaluation: Evaluation, lang: Lang) -> ReportContext:
    """The report of ``evaluation`` in ``lang``, as data every format can lay out."""
    m = Messages(lang)
    ev = evaluation
    prov = ev.provenance
    infos = {i.id: i for i in ev.items}
    scale = next(
        (r.score.scale for r in ev.opds if r.score.value is not None),
        ev.opds[0].score.scale if ev.opds else ScoreScale(low=0, high=1),
    )

    # schemes: the main one first, then the compared ones (bands drawn on the score scale)
    scheme_infos: list[tuple[ComponentInfo, bool]] = []
    if prov.scheme is not None:
        scheme_infos.append((prov.scheme, True))
    scheme_infos += [
        (c, False) for c in prov.compared_schemes if c.name != getattr(prov.scheme, "name", None)
    ]
    schemes: list[SchemeView] = []
    n_bands: dict[str, int] = {}
    for info, main in scheme_infos:
        seen = [
            c
            for r in ev.opds
            if (c := r.categories.get(info.name) or (r.category if main else None)) is not None
        ]
        views = _band_views(scheme_bands(info, scale, seen), lang)
        n_bands[info.name] = len(views)
        counted = Counter(c.code for c in seen)
        total = len(ev.opds)
        precision = info.options.get("precision")
        schemes.append(
            SchemeView(
                name=info.name,
                title=_scheme_title(info, lang),
                main=main,
                bands=views,
                counts=tuple(
                    (
                        b,
                        counted[b.code],
                        m.format("count_of_total", count=counted[b.code], total=total),
                    )
                    for b in views
                ),
                precision=precision if isinstance(precision, int) else None,
                options_json=_options_json(info.options),
            )
        )
    main_scheme = schemes[0] if schemes and schemes[0].main else None
    band_labels = {b.code: b.label for b in main_scheme.bands} if main_scheme else {}

    ranks = Counter(r.rank for r in ev.opds)
    rows = tuple(_score_row(r, ranks, n_bands, band_labels, infos, m) for r in ev.opds)
    ranked = [r for r in rows if r.score is not None and r.rank is not None]

    # per-item answer distributions pooled over OPDs
    pooled: dict[str, Counter[str]] = {}
    for r in ev.opds:
        for it in r.items:
            pooled.setdefault(it.item, Counter()).update(it.distribution)
    item_ids = [i.id for i in ev.items if i.id in pooled] or list(pooled)
    item_rows = []
    for item_id in item_ids:
        item_info = infos.get(item_id)
        sv = _scale_view(item_info, pooled[item_id], lang)
        item_rows.append(
            (
                item_info.text.get(lang) if item_info else item_id,
                sv,
                _counts(sv, pooled[item_id]),
                bool(item_info and item_info.reverse),
            )
        )

    wide = []
    wide_rows = []
    for w in ev.survey_wide:
        wide_info = infos.get(w.item)
        sv = _scale_view(wide_info, w.distribution, lang)
        counts = _counts(sv, w.distribution)
        ci = w.score.ci
        wide.append(
            SurveyWideRow(
                item=w.item,
                text=w.text.get(lang),
                value=w.score.value,
                value_text=format_number(w.score.value, lang),
                n=w.score.n,
                ci_low=ci.low if ci else None,
                ci_high=ci.high if ci else None,
                ci_text=_ci_text(ci.low if ci else None, ci.high if ci else None, lang),
                category=w.category.label.get(lang) if w.category else None,
                scale=sv,
                counts=counts,
            )
        )
        if sum(counts):
            wide_rows.append((w.text.get(lang), sv, counts, bool(wide_info and wide_info.reverse)))

    names = {r.opd: r.name for r in ev.opds}
    recs = tuple(
        RecommendationView(
            priority=rec.priority,
            target=rec.target,
            target_name=m.city_wide
            if rec.target_kind == "city"
            else names.get(rec.target, rec.target),
            city_wide=rec.target_kind == "city",
            title=rec.title.get(lang),
            text=rec.text.get(lang),
            rule=rec.rule,
            evidence=tuple(
                EvidenceView(
                    metric=m.get(f"metric.{e.metric}", e.metric),
                    value=_evidence_value(e.value, lang),
                    comparator=_COMPARATORS.get(e.comparator, e.comparator),
                    threshold=_evidence_value(e.threshold, lang) if e.threshold is not None else "",
                    target=names.get(e.target, e.target) if e.target else "",
                    note=e.note,
                )
                for e in rec.evidence
            ),
        )
        for rec in ev.recommendations
    )

    d = ev.data
    ci_methods = sorted({r.score.ci.method for r in ev.opds if r.score.ci is not None})
    aggregate = bool(ev.opds) and all(r.score.source == "aggregate" for r in ev.opds)
    return ReportContext(
        lang=lang,
        m=m,
        title=ev.title,
        city=ev.city or m.dash,
        organisation=ev.organisation or m.dash,
        period=period_text(ev.period, m),
        respondents=d.respondents,
        opd_count=len(ev.opds),
        confidence=prov.confidence,
        confidence_text=percent_text(
            prov.confidence, lang, 0 if (prov.confidence * 100).is_integer() else 1
        ),
        scale=scale,
        scale_text=f"{format_number(scale.low, lang)}–{format_number(scale.high, lang)}"
        + (f" ({scale.unit})" if scale.unit else ""),
        aggregate=aggregate,
        method=_component(prov.method, "method", lang, m),
        scheme=main_scheme,
        schemes=tuple(schemes),
        opds=rows,
        any_shared_rank=any(r.shared_rank for r in rows),
        has_rank_intervals=any(r.rank_low is not None for r in rows),
        has_probabilities=any(r.probabilities for r in rows),
        has_tiers=any(r.tier is not None for r in rows),
        ci_method=", ".join(ci_methods) or m.dash,
        items=tuple(infos.get(i) or _bare_item(i, pooled[i]) for i in item_ids),
        item_distributions=_distribution_groups(item_rows, m.all_opds),
        survey_wide=tuple(wide),
        survey_wide_distributions=_distribution_groups(wide_rows, m.survey_wide),
        recommendations=recs,
        rows_read=d.rows_read,
        rows_used=d.rows_used,
        rows_rejected=d.rows_rejected,
        reasons=tuple((code, m.get(f"reason.{code}", code), n) for code, n in d.reasons.items()),
        rejects=tuple(
            RejectView(
                source=e.source or "",
                row=e.row,
                column=e.column or "",
                value=e.value or "",
                reason=e.reason.value,
                reason_label=m.get(f"reason.{e.reason.value}", e.reason.value),
                message=e.message,
            )
            for e in d.rejects
        ),
        rejects_truncated=d.rejects_truncated,
        small_samples=tuple(
            r
            for r in rows
            if r.source == "respondents" and (r.ci_low is None or r.flags or r.notes)
        ),
        warnings=tuple(
            WarningView(
                code=w.code,
                label=m.get(f"warning.{w.code}", w.code),
                target=names.get(w.target, w.target) if w.target else "",
                message=w.in_lang(lang),
            )
            for w in ev.warnings
        ),
        rules=tuple(_component(r, "rule", lang, m) for r in prov.rules),
        library=prov.library,
        version=prov.version,
        schema_version=ev.schema_version,
        seed=m.dash if prov.seed is None else str(prov.seed),
        data_source=prov.data_source or m.dash,
        reliability=_reliability_views(ev, lang, m),
        best=tuple(r for r in ranked if r.rank == ranked[0].rank) if ranked else (),
        worst=tuple(r for r in ranked if r.rank == ranked[-1].rank) if ranked else (),
    )
