"""Rows of a report: an OPD's score line, bands and schemes, components, reliability.

Everything is read from the evaluation (schemes with every band, component titles, typed
uncertainty and reliability); no plugin is looked up.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

from ..published import PLACEHOLDER_NOTE
from ..results import (
    Band,
    Category,
    ComponentInfo,
    Evaluation,
    ItemInfo,
    ItemScore,
    OPDResult,
    SchemeInfo,
)
from ..text import Lang, Text, format_number
from .colors import band_color, heat_color
from .formatting import ci_text, edge_text, options_json
from .messages import Messages
from .plain import adequacy_sentence, probability_text
from .views import (
    PROBABILITY_SHOWN,
    SCORE_DECIMALS,
    BandView,
    CategoryView,
    ComponentView,
    DistributionGroup,
    DistributionRow,
    ItemRow,
    OPDRow,
    ReliabilityItemView,
    ReliabilityView,
    ScaleView,
)


def scale_view(info: ItemInfo | None, counts: Mapping[str, int], lang: Lang) -> ScaleView:
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


def bare_item(item_id: str, counts: Mapping[str, int]) -> ItemInfo:
    """Item metadata for an evaluation that has none: the id as its text, points from the counts."""
    points = [int(k) for k in counts] or [0]
    return ItemInfo(
        id=item_id,
        text=Text(id=item_id, en=item_id),
        scale_min=min(points),
        scale_max=max(points),
    )


def counts_on(scale: ScaleView, distribution: Mapping[str, int]) -> tuple[int, ...]:
    return tuple(int(distribution.get(str(p), 0)) for p in scale.points)


def _category_view(cat: Category, n_bands: int, lang: Lang) -> CategoryView:
    return CategoryView(
        scheme=cat.scheme,
        code=cat.code,
        label=cat.label.get(lang),
        order=cat.order,
        color=band_color(cat.order, n_bands),
    )


def band_views(bands: Sequence[Band], lang: Lang) -> tuple[BandView, ...]:
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


def scheme_bands(scheme: SchemeInfo | None, seen: Sequence[Category]) -> list[Band]:
    """The bands of a scheme as the evaluation carries them.

    An evaluation written before schema 1.1 carries none: the bands are then rebuilt from the
    categories it holds (which leaves out bands no OPD fell in).
    """
    if scheme is not None and scheme.bands:
        return list(scheme.bands)
    unique = {c.code: c for c in seen}
    return [
        Band(code=c.code, label=c.label, low=c.low, high=c.high, order=c.order)
        for c in unique.values()
    ]


def scheme_title(name: str, scheme: SchemeInfo | None, lang: Lang) -> str:
    title = scheme.title.get(lang) if scheme is not None else ""
    return title or name


def component_view(info: ComponentInfo, lang: Lang, m: Messages) -> ComponentView:
    title = info.title.get(lang) if info.title is not None else ""
    return ComponentView(
        name=info.name,
        title=title or info.name,
        plugin=info.plugin or m.dash,
        options_json=options_json(info.options),
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
    r: OPDResult, band_labels: Mapping[str, str], m: Messages
) -> tuple[
    int | None,
    int | None,
    str,
    tuple[tuple[str, str, float, str], ...],
    int | None,
    str,
]:
    """Rank interval, category probabilities, tier and adequacy, when the statistics gave them."""
    u = r.uncertainty
    low = high = None
    interval_text = "–"
    if u.rank_interval is not None:
        low, high = u.rank_interval.low, u.rank_interval.high
        interval_text = str(low) if low == high else m.format("rank_range_of", low=low, high=high)
    probs: list[tuple[str, str, float, str]] = []
    for code, p in (u.category_probabilities or {}).items():
        if math.isfinite(p):
            probs.append((code, band_labels.get(code, code), p, probability_text(p, m.lang)))
    probs.sort(key=lambda x: -x[2])
    return low, high, interval_text, tuple(probs), u.tier, adequacy_sentence(u.adequacy, m)


def score_row(
    r: OPDResult,
    ranks: Counter[int | None],
    n_bands: Mapping[str, int],
    band_labels: Mapping[str, str],
    infos: Mapping[str, ItemInfo],
    m: Messages,
    name: str | None = None,
) -> OPDRow:
    """One OPD's line; ``name`` is its name in the report's language (default: as stored)."""
    lang = m.lang
    name = name or r.name
    s = r.score
    shared = r.rank is not None and ranks[r.rank] > 1
    rank_text = "–" if r.rank is None else f"{r.rank}{'=' if shared else ''}"
    low, high, interval_text, probs, tier, adequacy = _uncertainty(r, band_labels, m)
    weakest = _weakest(r.items, infos)
    items = []
    for it in r.items:
        info = infos.get(it.item)
        scale = scale_view(info, it.distribution, lang)
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
                ci_text=ci_text(
                    it.score.ci.low if it.score.ci else None,
                    it.score.ci.high if it.score.ci else None,
                    lang,
                ),
                weakest=it.item in weakest,
                reverse=bool(info and info.reverse),
                counts=counts_on(scale, it.distribution),
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
        name=name,
        label=r.short_name or name,
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
        ci_text=ci_text(s.ci.low if s.ci else None, s.ci.high if s.ci else None, lang),
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


def distribution_groups(
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


def reliability_views(ev: Evaluation, lang: Lang, m: Messages) -> tuple[ReliabilityView, ...]:
    infos = {i.id: i for i in ev.items}

    def num(value: float | None) -> str:
        return format_number(value, lang, 3) if value is not None else m.dash

    views = []
    for entry in ev.reliability or ():
        ci_text = f"{num(entry.ci.low)}–{num(entry.ci.high)}" if entry.ci is not None else m.dash
        items = []
        for it in entry.items:
            info = infos.get(it.item)
            label = info.text.get(lang) if info is not None else it.item
            if it.reverse:
                label += f" ({m.reverse_keyed})"
            items.append(
                ReliabilityItemView(
                    label=label,
                    alpha_if_deleted_text=num(it.alpha_if_deleted),
                    item_total_text=num(it.item_total),
                    notes=tuple(it.notes),
                )
            )
        views.append(
            ReliabilityView(
                dimension=entry.dimension or m.all_items,
                n=entry.n,
                alpha_text=num(entry.alpha),
                ci_text=ci_text,
                items=tuple(items),
                notes=tuple(entry.notes),
            )
        )
    return tuple(views)
