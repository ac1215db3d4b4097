"""Cities: evaluations of the same instrument from different cities (or years), side by side.

A city's score is the **average of its OPDs' scores** (each OPD counts once, as the SKM of a
government is usually summarised), with variance ``Σ se_k² / K²`` — the OPDs are independent
samples — and Welch–Satterthwaite df ``(Σ v_k)² / Σ (v_k² / df_k)``. Each element is averaged
the same way. Every pair of cities is compared as two independent estimates, Holm-corrected
across the pairs. The instruments must agree (items, elements, scales, method, score scale);
each city may keep its own category scheme.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from ..errors import StudyError
from ..results import Evaluation, Interval, Score, ScoreScale
from ..text import Lang, Text
from .change import adjust_family, score_change, t_quantile
from .match import check_instruments
from .models import Change

__all__ = [
    "CITIES_SCHEMA_VERSION",
    "CITY_NOTES",
    "CityComparison",
    "average_score",
    "city_notes",
    "compare_cities",
]

CITIES_SCHEMA_VERSION = "1.1"
"""1.1: an OPD's category in both languages; notes are codes of :data:`CITY_NOTES`."""

#: The comparison-wide notes, by code, in both languages (``CityComparison.notes`` holds codes).
CITY_NOTES: dict[str, Text] = {
    "schemes_differ": Text(
        id="kota-kota memakai skema kategori yang berbeda: setiap kategori menurut skema kotanya sendiri",
        en="the cities use different category schemes: each category is its city's own",
    ),
}
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class CityItem(BaseModel):
    """One element (item) of a city: the average over its OPDs."""

    model_config = _FROZEN

    item: str
    element: str | None = None
    text: Text
    score: Score


class CityResult(BaseModel):
    """One city: its OPD-average score and elements."""

    model_config = _FROZEN

    label: str
    title: str
    city: str | None = None
    respondents: int
    opds: int
    score: Score
    items: list[CityItem] = Field(default_factory=list)
    scheme: str | None = None


class CityPair(BaseModel):
    """``second − first`` for two cities, Holm-corrected across all pairs."""

    model_config = _FROZEN

    first: str
    second: str
    change: Change


class CityOPD(BaseModel):
    """One OPD of one city in the combined table."""

    model_config = _FROZEN

    city: str
    opd: str
    name: str
    short_name: str | None = None
    score: Score
    category: Text | None = None
    """The category's label under the OPD's own city's scheme."""


class CityComparison(BaseModel):
    """The result of ``publiceval compare --cities``."""

    model_config = _FROZEN

    schema_version: str = CITIES_SCHEMA_VERSION
    kind: str = "cities"
    confidence: float
    scale: ScoreScale
    cities: list[CityResult]
    pairs: list[CityPair]
    opds: list[CityOPD]
    """Every OPD of every city, best score first."""
    notes: list[str] = Field(default_factory=list)
    """Codes of :data:`CITY_NOTES`."""


def average_score(scores: Sequence[Score], scale: ScoreScale, level: float) -> Score:
    """The unweighted average of independent scores, with its SE, df and t interval."""
    values = [s.value for s in scores if s.value is not None]
    if not values:
        return Score(value=None, scale=scale, notes=["no OPD has a score"])
    k = len(values)
    mean = sum(values) / k
    n = sum(s.n for s in scores)
    ses = [s.se for s in scores if s.value is not None]
    if any(se is None for se in ses):
        return Score(
            value=mean,
            scale=scale,
            n=n,
            notes=["an OPD has no standard error: the average has none"],
        )
    var = [(se or 0.0) ** 2 for se in ses]
    se = math.sqrt(sum(var)) / k
    dfs = [s.df for s in scores if s.value is not None]
    terms = [v**2 / d for v, d in zip(var, dfs, strict=True) if d and v > 0]
    df = sum(var) ** 2 / sum(terms) if terms and len(terms) == len(var) else None
    q = t_quantile(level, df)
    ci = Interval(
        low=mean - q * se,
        high=mean + q * se,
        level=level,
        method="t (average of independent OPD scores)",
    )
    return Score(value=mean, scale=scale, n=n, se=se, df=df, ci=ci)


def _city(ev: Evaluation, label: str, level: float, scale: ScoreScale) -> CityResult:
    info = {i.id: i for i in ev.items if i.scope == "opd"}
    items = []
    for item_id, item in info.items():
        per_opd = [s.score for r in ev.opds for s in r.items if s.item == item_id]
        if per_opd:
            item_scale = per_opd[0].scale
            items.append(
                CityItem(
                    item=item_id,
                    element=item.element,
                    text=item.text,
                    score=average_score(per_opd, item_scale, level),
                )
            )
    return CityResult(
        label=label,
        title=ev.title,
        city=ev.city,
        respondents=ev.data.respondents,
        opds=len(ev.opds),
        score=average_score([r.score for r in ev.opds], scale, level),
        items=items,
        scheme=ev.provenance.scheme.name if ev.provenance.scheme else None,
    )


def compare_cities(
    evaluations: Sequence[Evaluation],
    *,
    labels: Sequence[str] | None = None,
    confidence: float | None = None,
) -> CityComparison:
    """Put cities side by side: OPD-average scores, elements, every pair tested, all OPDs."""
    if len(evaluations) < 2:
        raise StudyError(f"compare --cities: expected two or more cities; found {len(evaluations)}")
    names = list(labels or [e.city or e.title for e in evaluations])
    if len(names) != len(evaluations) or len(set(names)) != len(names):
        raise StudyError(f"compare --cities: expected one distinct label per city; found {names}")
    level = confidence if confidence is not None else evaluations[0].provenance.confidence
    first = evaluations[0]
    for ev, name in zip(evaluations[1:], names[1:], strict=True):
        check_instruments(first, ev, names[0], name, same_scheme=False)
    scale = next((r.score.scale for r in first.opds), None)
    if scale is None:
        raise StudyError(f"compare --cities: {names[0]} has no OPD results")
    cities = [_city(ev, n, level, scale) for ev, n in zip(evaluations, names, strict=True)]
    pairs = list(itertools.combinations(range(len(cities)), 2))
    raw = [score_change(cities[i].score, cities[j].score, level) for i, j in pairs]
    tested = adjust_family(raw, "city-pairs", level)
    opds = [
        CityOPD(
            city=n,
            opd=r.opd,
            name=r.name,
            short_name=r.short_name,
            score=r.score,
            category=r.category.label if r.category else None,
        )
        for ev, n in zip(evaluations, names, strict=True)
        for r in ev.opds
    ]
    opds.sort(key=lambda o: (o.score.value is None, -(o.score.value or 0.0), o.city, o.opd))
    notes = []
    if len({c.scheme for c in cities}) > 1:
        notes.append("schemes_differ")
    return CityComparison(
        confidence=level,
        scale=scale,
        cities=cities,
        pairs=[
            CityPair(first=cities[i].label, second=cities[j].label, change=c)
            for (i, j), c in zip(pairs, tested, strict=True)
        ],
        opds=opds,
        notes=notes,
    )


def city_notes(comparison: CityComparison, lang: Lang) -> list[str]:
    """The comparison's notes in ``lang`` (a code not in the catalogue is shown as it is)."""
    return [getattr(CITY_NOTES[n], lang) if n in CITY_NOTES else n for n in comparison.notes]
