"""The small language of declarative rules: conditions on an evaluation's facts, and bilingual
text templates filled from those facts.

A civil-society group writes its own recommendations in the study file without Python::

    [[rules]]
    name = "when"
    [rules.options]
    id = "basic-services"
    priority = 1
    tags = { any = ["basic-service"] }
    category = { at_or_below = "Tidak Baik" }
    title = { id = "Perhatian mendesak: {short_name}", en = "Urgent attention: {short_name}" }
    text = { id = "Skor {score}, peringkat {rank} dari {n_ranked}.", en = "Score {score}, rank {rank} of {n_ranked}." }

Every model here is strict (unknown keys are refused, with the known ones listed), templates are
checked when the study is loaded (an unknown ``{placeholder}`` is refused, naming the allowed
ones), and every condition that holds leaves an :class:`~publiceval._core.results.Evidence` saying
which number was compared with what. The built-in rules are written with the same pieces.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import PublicevalError
from .results import (
    Category,
    Evaluation,
    Evidence,
    ItemInfo,
    OPDResult,
    Recommendation,
    SurveyWideResult,
)
from .schemes import Band, check_bands, round_half_up, scale_label_bands
from .text import Lang, Text, format_number

__all__ = [
    "CITY_FIELDS",
    "ITEM_FIELDS",
    "LANGS",
    "OPD_FIELDS",
    "SURVEY_ITEM_FIELDS",
    "CategoryCondition",
    "ItemCondition",
    "OPDConditions",
    "OPDMatch",
    "RankCondition",
    "RuleContext",
    "RuleError",
    "SurveyItemCondition",
    "TagCondition",
    "Templated",
    "TemplatedOptions",
    "Threshold",
    "check_slug",
    "check_slugs",
    "check_survey_item_category",
    "check_template",
    "check_text",
    "city_recommendation",
    "fill",
    "fill_text",
    "match_facts",
    "opd_recommendation",
    "rule_recommendation",
    "template_fields",
]

_strict = ConfigDict(frozen=True, extra="forbid")
#: The languages every recommendation is written in.
LANGS: tuple[Lang, Lang] = ("id", "en")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")

#: Placeholders a template about one OPD may use.
OPD_FIELDS = frozenset(
    {"opd", "name", "short_name", "score", "rank", "n_ranked", "n_opds", "category", "n", "city"}
)
#: Placeholders a city-wide template may use (``opds`` lists the OPDs that met the conditions).
CITY_FIELDS = frozenset({"city", "n_opds", "n_ranked", "n_matched", "opds"})
#: Extra placeholders when a rule has an ``items`` condition.
ITEM_FIELDS = frozenset({"items", "item_score"})
#: Extra placeholders when a rule has a ``survey_item`` condition.
SURVEY_ITEM_FIELDS = frozenset({"survey_item", "survey_item_score", "survey_item_category"})


class RuleError(PublicevalError):
    """A rule cannot be applied to this evaluation (e.g. a category its scheme does not have)."""

    exit_code = 5


# --------------------------------------------------------------------------- templates


def template_fields(template: str) -> list[str]:
    """Placeholder names in ``template`` (``"{name} ({score})"`` → ``["name", "score"]``).

    Only bare names are allowed: no ``{0}``/``{}``, no ``{a.b}`` or ``{a[0]}``, no ``!r`` or
    ``:>10``. Numbers are already formatted for the language, so no format is needed.
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(
            f"{exc} in {template!r}; write '{{{{' and '}}}}' for literal braces"
        ) from None
    out = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(
                f"placeholder {{{name}}} in {template!r} is not a plain fact name such as {{name}}"
            )
        if spec or conversion:
            raise ValueError(
                f"placeholder {{{name}}} in {template!r} may not carry '!' or ':' formatting; "
                "numbers are already written the way each language writes them"
            )
        out.append(name)
    return out


def check_template(template: str, allowed: Iterable[str]) -> str:
    """``template`` unchanged, or a ``ValueError`` naming an unknown placeholder and the allowed ones."""
    allowed = sorted(allowed)
    for name in template_fields(template):
        if name not in allowed:
            known = ", ".join("{" + a + "}" for a in allowed)
            hint = next((h for fields, h in _HINTS if name in fields), "")
            raise ValueError(
                f"unknown placeholder {{{name}}} in {template!r}{hint}; allowed here: {known}"
            )
    return template


_HINTS = (
    (ITEM_FIELDS, " (it needs an items condition)"),
    (SURVEY_ITEM_FIELDS, " (it needs a survey_item condition)"),
    (CITY_FIELDS - OPD_FIELDS, " (it belongs to target = 'city')"),
    (OPD_FIELDS - CITY_FIELDS, " (it belongs to target = 'opd')"),
)


def check_text(text: Text, allowed: Iterable[str]) -> Text:
    """Both languages of a bilingual template checked with :func:`check_template`."""
    allowed = frozenset(allowed)
    for lang, template in (("id", text.id), ("en", text.en)):
        try:
            check_template(template, allowed)
        except ValueError as exc:
            raise ValueError(f"{_LANG_NAMES[lang]}: {exc}") from None
    return text


_LANG_NAMES = {"id": "Indonesian text (id)", "en": "English text (en)"}


def fill(template: str, facts: Mapping[str, str]) -> str:
    """The template with each ``{placeholder}`` replaced by its fact (checked templates only)."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            if name not in facts:
                raise RuleError(f"no fact {{{name}}} is available for this recommendation")
            out.append(facts[name])
    return "".join(out)


def fill_text(text: Text, facts: Mapping[Lang, Mapping[str, str]]) -> Text:
    """A bilingual template filled with the facts of each language."""
    return Text(id=fill(text.id, facts["id"]), en=fill(text.en, facts["en"]))


# --------------------------------------------------------------------------- conditions


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class Threshold(BaseModel):
    """Numeric comparisons, all of which must hold: ``{ below = 2.9 }``, ``{ at_least = 3 }``.

    ``precision`` compares the value rounded half up to that many decimals, as a report prints it.
    """

    model_config = _strict

    below: float | None = None
    at_most: float | None = None
    above: float | None = None
    at_least: float | None = None
    precision: int | None = Field(default=None, ge=0, le=10)

    @model_validator(mode="after")
    def _some(self) -> Threshold:
        if not self.tests():
            raise ValueError("give at least one of below, at_most, above, at_least")
        return self

    def tests(self) -> list[tuple[str, float]]:
        """(comparator, threshold) pairs."""
        pairs = (("<", self.below), ("<=", self.at_most), (">", self.above), (">=", self.at_least))
        return [(op, t) for op, t in pairs if t is not None]

    def check(self, value: float | None, metric: str, target: str | None) -> list[Evidence] | None:
        """Evidence for each comparison when all hold, else None (also for a missing value)."""
        if value is None:
            return None
        compared = round_half_up(value, self.precision) if self.precision is not None else value
        out = []
        for op, t in self.tests():
            if not _compare(compared, op, t):
                return None
            note = f"compared at {self.precision} decimals" if self.precision is not None else ""
            out.append(
                Evidence(
                    metric=metric,
                    value=compared,
                    comparator=op,
                    threshold=t,
                    target=target,
                    note=note,
                )
            )
        return out


def _compare(value: float, op: str, threshold: float) -> bool:
    if op == "<":
        return value < threshold
    if op == "<=":
        return value <= threshold
    if op == ">":
        return value > threshold
    return value >= threshold


class RankCondition(BaseModel):
    """Rank conditions, all of which must hold (rank 1 is the best; tied scores share a rank).

    ``bottom = 5``: among the 5 lowest-ranked, with everyone tied at the cut; ``top = 3``:
    among the 3 best; ``at_least = 16``: rank 16 or worse; ``at_most = 3``: rank 3 or better.
    """

    model_config = _strict

    bottom: int | None = Field(default=None, ge=1)
    top: int | None = Field(default=None, ge=1)
    at_least: int | None = Field(default=None, ge=1)
    at_most: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _some(self) -> RankCondition:
        if all(v is None for v in (self.bottom, self.top, self.at_least, self.at_most)):
            raise ValueError("give at least one of bottom, top, at_least, at_most")
        return self

    def check(self, ctx: RuleContext, opd: OPDResult) -> list[Evidence] | None:
        """Evidence when the OPD's rank meets every condition, else None (unranked: None)."""
        rank = opd.rank
        if rank is None or opd.score.value is None:
            return None
        n = ctx.n_ranked
        tests: list[tuple[str, int, str]] = []
        if self.bottom is not None:
            tests.append(
                (">=", ctx.bottom_cut(self.bottom), f"among the {self.bottom} lowest of {n}")
            )
        if self.top is not None:
            tests.append(("<=", ctx.top_cut(self.top), f"among the {self.top} best of {n}"))
        if self.at_least is not None:
            tests.append((">=", self.at_least, f"rank {self.at_least} or worse, of {n}"))
        if self.at_most is not None:
            tests.append(("<=", self.at_most, f"rank {self.at_most} or better, of {n}"))
        out = []
        for op, cut, note in tests:
            if not _compare(rank, op, cut):
                return None
            out.append(
                Evidence(
                    metric="rank",
                    value=rank,
                    comparator=op,
                    threshold=cut,
                    target=opd.opd,
                    note=note,
                )
            )
        return out


class CategoryCondition(BaseModel):
    """Category conditions under one scheme (default: the evaluation's scheme).

    Name a band by its code or its label in either language (case and spacing do not matter).
    ``at_or_below = "Kurang Baik"`` holds for *Kurang Baik* and every worse band.
    """

    model_config = _strict

    at_or_below: str | None = None
    at_or_above: str | None = None
    one_of: list[str] | None = Field(default=None, min_length=1)
    scheme: str | None = None
    """A scheme name from ``[scheme]`` or ``[[compare]]``; default: the main ``[scheme]``."""
    probability: float | None = Field(default=None, gt=0, le=1)
    """Also require this probability (from the score's sampling distribution) that the OPD's
    true category meets the condition: a low score that may be noise does not fire."""

    @model_validator(mode="after")
    def _some(self) -> CategoryCondition:
        if self.at_or_below is None and self.at_or_above is None and self.one_of is None:
            raise ValueError("give at least one of at_or_below, at_or_above, one_of")
        if self.probability is not None and self.scheme is not None:
            raise ValueError(
                "probability needs the category probabilities, which are computed for the main "
                "[scheme] only; remove scheme or probability"
            )
        return self

    def check_probability(
        self, ctx: RuleContext, opd: OPDResult, bands: Sequence[Band], scheme: str
    ) -> list[Evidence] | None:
        """Evidence that P(the condition holds) >= ``probability``, else None."""
        if self.probability is None:
            return []
        ctx.require_category_probabilities()
        probs = opd.uncertainty.get("category_probabilities")
        if not isinstance(probs, dict):
            return None  # no standard error for this OPD: the claim cannot be backed
        wanted = {b.code for b in bands}
        described = []
        for ref, below in ((self.at_or_below, True), (self.at_or_above, False)):
            if ref is not None:
                band = find_band(bands, ref, scheme)
                keep = {b.code for b in bands if (b.order >= band.order) == below or b is band}
                wanted &= keep
                described.append(f"{'at or below' if below else 'at or above'} {band.label.id}")
        if self.one_of is not None:
            wanted &= {find_band(bands, ref, scheme).code for ref in self.one_of}
            described.append("one of " + ", ".join(self.one_of))
        p = sum(float(v) for k, v in probs.items() if k in wanted and isinstance(v, (int, float)))
        if p < self.probability:
            return None
        return [
            Evidence(
                metric="category probability",
                value=p,
                comparator=">=",
                threshold=self.probability,
                target=opd.opd,
                note=f"P(category {' and '.join(described)}) under scheme {scheme!r}",
            )
        ]

    def check_category(
        self,
        category: Category | None,
        bands: Sequence[Band],
        scheme: str,
        target: str | None,
        metric: str = "category",
    ) -> list[Evidence] | None:
        """Evidence when ``category`` meets every condition, else None."""
        if category is None:
            return None
        out = []
        for ref, comparator in (
            (self.at_or_below, "at or below"),
            (self.at_or_above, "at or above"),
        ):
            if ref is None:
                continue
            band = find_band(bands, ref, scheme)
            ok = (
                category.order >= band.order
                if comparator == "at or below"
                else category.order <= band.order
            )
            if not ok:
                return None
            out.append(
                Evidence(
                    metric=metric,
                    value=category.label.id,
                    comparator=comparator,
                    threshold=band.label.id,
                    target=target,
                    note=(
                        f"scheme {scheme!r}: band {category.code!r} (order {category.order}) vs "
                        f"{band.code!r} (order {band.order}); 0 is the best band; compared value "
                        f"{category.compared_value:g}"
                    ),
                )
            )
        if self.one_of is not None:
            wanted = [find_band(bands, ref, scheme) for ref in self.one_of]
            if category.code not in {b.code for b in wanted}:
                return None
            out.append(
                Evidence(
                    metric=metric,
                    value=category.label.id,
                    comparator="one of",
                    threshold=", ".join(b.label.id for b in wanted),
                    target=target,
                    note=f"scheme {scheme!r}",
                )
            )
        return out


def find_band(bands: Sequence[Band], ref: str, scheme: str) -> Band:
    """The band named ``ref`` (code, or label in either language), or a :class:`RuleError`."""
    for band in bands:
        if band.code == ref:
            return band
    key = _norm(ref)
    for band in bands:
        if key in (_norm(band.code), _norm(band.label.id), _norm(band.label.en)):
            return band
    known = ", ".join(f"{b.code} ({b.label.id} / {b.label.en})" for b in bands) or "none"
    raise RuleError(f"category {ref!r} is not a band of scheme {scheme!r}; its bands: {known}")


class TagCondition(BaseModel):
    """OPD tags: ``any`` (at least one), ``all`` (every one), ``none`` (not one of them)."""

    model_config = _strict

    any: list[str] = Field(default_factory=list)
    all: list[str] = Field(default_factory=list)
    none: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _some(self) -> TagCondition:
        if not (self.any or self.all or self.none):
            raise ValueError("give at least one tag in any, all or none")
        return self

    def check(self, opd: OPDResult) -> list[Evidence] | None:
        """Evidence when the OPD's tags meet every condition, else None."""
        tags = set(opd.tags)
        has = ", ".join(sorted(tags)) or "(none)"
        out = []
        for wanted, comparator, ok in (
            (self.any, "has any of", bool(tags & set(self.any))),
            (self.all, "has all of", set(self.all) <= tags),
            (self.none, "has none of", not tags & set(self.none)),
        ):
            if not wanted:
                continue
            if not ok:
                return None
            out.append(
                Evidence(
                    metric="tags",
                    value=has,
                    comparator=comparator,
                    threshold=", ".join(wanted),
                    target=opd.opd,
                )
            )
        return out


class ItemCondition(BaseModel):
    """Per-OPD item results: ``{ ids = ["u3"], score = { below = 2.5 }, match = "any" }``.

    ``ids`` empty means every item of the OPD. ``match = "any"`` holds when at least one item
    meets ``score``; ``"all"`` when every item with a value does.
    """

    model_config = _strict

    ids: list[str] = Field(default_factory=list)
    score: Threshold
    match: Literal["any", "all"] = "any"

    def check(self, opd: OPDResult) -> tuple[list[Evidence], list[str], float] | None:
        """Evidence, the ids of the items that met the condition and the lowest of their values."""
        chosen = [i for i in opd.items if not self.ids or i.item in self.ids]
        chosen = [i for i in chosen if i.score.value is not None]
        if not chosen:
            return None
        hits: list[tuple[str, float, list[Evidence]]] = []
        for item in chosen:
            ev = self.score.check(item.score.value, f"item score {item.item}", opd.opd)
            if ev is not None:
                hits.append((item.item, item.score.value or 0.0, ev))
            elif self.match == "all":
                return None
        if not hits:
            return None
        hits.sort(key=lambda h: (h[1], h[0]))
        return [e for h in hits for e in h[2]], [h[0] for h in hits], hits[0][1]


def check_survey_item_category(category: CategoryCondition | None, key: str) -> None:
    """Refuse what a survey-wide item's category cannot have; ``key`` names it in the message.

    Such an item is categorised by its own scale's labels, and has no category probabilities.
    """
    if category is not None and category.scheme is not None:
        raise ValueError(
            f"{key}.scheme cannot be set: a survey-wide item is categorised by its own scale's "
            "labels"
        )
    if category is not None and category.probability is not None:
        raise ValueError(
            f"{key}.probability is not available: category probabilities are computed for OPD "
            "scores only"
        )


class SurveyItemCondition(BaseModel):
    """A survey-wide item (asked once per respondent) and its category or score.

    Its category comes from the item's own scale labels (e.g. *Tidak Puas* … *Sangat Puas*).
    """

    model_config = _strict

    id: str
    category: CategoryCondition | None = None
    score: Threshold | None = None

    @model_validator(mode="after")
    def _some(self) -> SurveyItemCondition:
        if self.category is None and self.score is None:
            raise ValueError(f"survey_item {self.id!r}: give a category or a score condition")
        check_survey_item_category(self.category, "survey_item.category")
        return self

    def check(self, ctx: RuleContext) -> tuple[list[Evidence], SurveyWideResult] | None:
        """Evidence and the item's result when every condition holds, else None."""
        result = ctx.survey_item(self.id)
        out: list[Evidence] = []
        metric = f"survey-wide item {self.id}"
        if self.score is not None:
            ev = self.score.check(result.score.value, metric, "city")
            if ev is None:
                return None
            out.extend(ev)
        if self.category is not None:
            bands = ctx.survey_item_bands(self.id)
            scheme = result.category.scheme if result.category else "scale-labels"
            ev = self.category.check_category(result.category, bands, scheme, "city", metric)
            if ev is None:
                return None
            out.extend(ev)
        return out, result


# --------------------------------------------------------------------------- facts


@dataclass
class OPDMatch:
    """An OPD that met a rule's conditions, with the evidence and the items involved."""

    opd: OPDResult
    evidence: list[Evidence]
    items: list[str] = field(default_factory=list)
    item_score: float | None = None


class RuleContext:
    """Facts of one evaluation that rules share: ranked OPDs, cut ranks, category bands.

    Everything here is independent of the order in which the survey listed its OPDs.
    """

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self.opds = sorted(evaluation.opds, key=lambda r: (r.rank is None, r.rank or 0, r.opd))
        self.ranked = [r for r in self.opds if r.rank is not None and r.score.value is not None]
        self.n_ranked = len(self.ranked)
        self.items: dict[str, ItemInfo] = {i.id: i for i in evaluation.items}
        self._bands: dict[str, tuple[Band, ...]] = {}

    # ranks ----------------------------------------------------------------
    def bottom_cut(self, k: int) -> int:
        """The rank an OPD needs (or worse) to be among the k lowest, ties at the cut included."""
        if not self.ranked:
            return 1
        return self.ranked[max(self.n_ranked - k, 0)].rank or 1

    def top_cut(self, k: int) -> int:
        """The rank an OPD needs (or better) to be among the k best, ties at the cut included."""
        if not self.ranked:
            return 0
        return self.ranked[min(k, self.n_ranked) - 1].rank or 0

    # categories -----------------------------------------------------------
    def scheme_name(self, scheme: str | None) -> str:
        """The scheme a condition refers to (default: the evaluation's main scheme)."""
        prov = self.evaluation.provenance
        names = [c.name for c in ([prov.scheme] if prov.scheme else []) + prov.compared_schemes]
        if scheme is None:
            if prov.scheme is None:
                raise RuleError(
                    "a category condition needs a category scheme, but the evaluation has none; "
                    "set [scheme] in the study (or scheme= in evaluate())"
                )
            return prov.scheme.name
        if scheme not in names:
            known = ", ".join(names) or "none"
            raise RuleError(f"category scheme {scheme!r} was not used (schemes used: {known})")
        return scheme

    def category_of(self, opd: OPDResult, scheme: str) -> Category | None:
        """The OPD's category under ``scheme``."""
        if opd.category is not None and opd.category.scheme == scheme:
            return opd.category
        return opd.categories.get(scheme)

    def scheme_bands(self, scheme: str) -> tuple[Band, ...]:
        """Bands of a scheme used in the evaluation: rebuilt from its provenance, else as observed."""
        if scheme in self._bands:
            return self._bands[scheme]
        bands: tuple[Band, ...] = ()
        prov = self.evaluation.provenance
        info = next(
            (
                c
                for c in ([prov.scheme] if prov.scheme else []) + prov.compared_schemes
                if c.name == scheme
            ),
            None,
        )
        scale = next((o.score.scale for o in self.evaluation.opds), None)
        if info is not None and scale is not None:
            try:
                from .plugins import get_host

                obj = get_host().scheme(scheme).create(info.options)
                bands = obj.checked_bands(scale)
            except PublicevalError:
                bands = ()
        if not bands:
            seen: dict[str, Band] = {}
            for o in self.evaluation.opds:
                cat = self.category_of(o, scheme)
                if cat is not None:
                    seen[cat.code] = Band(
                        code=cat.code, label=cat.label, low=cat.low, high=cat.high, order=cat.order
                    )
            bands = tuple(sorted(seen.values(), key=lambda b: b.order))
        self._bands[scheme] = bands
        return bands

    def require_category_probabilities(self) -> None:
        """A :class:`RuleError` when no OPD has category probabilities (e.g. published figures)."""
        if not any("category_probabilities" in o.uncertainty for o in self.evaluation.opds):
            raise RuleError(
                "a category condition with 'probability' needs category probabilities, which "
                "come from standard errors; this evaluation has none (published aggregates, or "
                "too few respondents)"
            )

    # survey-wide items ----------------------------------------------------
    def survey_item(self, item_id: str) -> SurveyWideResult:
        """The result of a survey-wide item, or a :class:`RuleError` listing those present."""
        for s in self.evaluation.survey_wide:
            if s.item == item_id:
                return s
        known = ", ".join(s.item for s in self.evaluation.survey_wide) or "none"
        raise RuleError(
            f"survey-wide item {item_id!r} has no result in this evaluation (present: {known})"
        )

    def survey_item_bands(self, item_id: str) -> tuple[Band, ...]:
        """The bands of a survey-wide item's scale labels, as the pipeline categorised it."""
        key = f"item:{item_id}"
        if key in self._bands:
            return self._bands[key]
        info = self.items.get(item_id)
        result = self.survey_item(item_id)
        bands: tuple[Band, ...] = ()
        if info is not None and len(info.labels) >= 2:
            labels = [(int(v), t) for v, t in info.labels.items()]
            bands = check_bands(
                f"scale labels of {item_id}",
                scale_label_bands(info.scale_min, info.scale_max, labels),
            )
        elif result.category is not None:
            c = result.category
            bands = (Band(code=c.code, label=c.label, low=c.low, high=c.high, order=c.order),)
        self._bands[key] = bands
        return bands

    def item_label(self, item_id: str, lang: Lang, labels: Mapping[str, Text] | None = None) -> str:
        """What to call an item: a label the rule was given, its SKM element, its text, its id."""
        if labels and item_id in labels:
            return labels[item_id].get(lang)
        info = self.items.get(item_id)
        if info is None:
            return item_id
        if info.element:
            return info.element
        return info.text.get(lang)

    # template facts -------------------------------------------------------
    def base_facts(self, lang: Lang) -> dict[str, str]:
        """Facts every template may use."""
        return {
            "city": self.evaluation.city or "",
            "n_opds": str(len(self.evaluation.opds)),
            "n_ranked": str(self.n_ranked),
        }

    def opd_facts(self, opd: OPDResult, lang: Lang, decimals: int = 2) -> dict[str, str]:
        """Facts of one OPD, numbers written as ``lang`` writes them."""
        cat = opd.category
        return {
            **self.base_facts(lang),
            "opd": opd.opd,
            "name": opd.name,
            "short_name": opd.short_name or opd.name,
            "score": format_number(opd.score.value, lang, decimals),
            "rank": "–" if opd.rank is None else str(opd.rank),
            "category": cat.label.get(lang) if cat else "–",
            "n": str(opd.score.n),
        }

    def survey_item_facts(
        self, result: SurveyWideResult, lang: Lang, decimals: int = 2
    ) -> dict[str, str]:
        """Facts of a survey-wide item."""
        return {
            "survey_item": result.text.get(lang),
            "survey_item_score": format_number(result.score.value, lang, decimals),
            "survey_item_category": result.category.label.get(lang) if result.category else "–",
        }

    def opd_list(self, opds: Sequence[OPDResult], lang: Lang) -> str:
        """OPD short names joined as a sentence lists them: lowest rank first, ties by id."""
        ordered = sorted(opds, key=lambda o: (o.rank is None, -(o.rank or 0), o.opd))
        names = [o.short_name or o.name for o in ordered]
        if len(names) <= 1:
            return "".join(names)
        last = " dan " if lang == "id" else " and "
        return ", ".join(names[:-1]) + last + names[-1]


def check_slug(value: str | None) -> str | None:
    if value is not None and not _SLUG.match(value):
        raise ValueError(
            f"id must start with a letter or digit and use only letters, digits, '-', '_' or "
            f"'.'; found {value!r}"
        )
    return value


class OPDConditions(BaseModel):
    """Conditions on one OPD; every condition given must hold (an empty set matches every OPD)."""

    model_config = _strict

    opds: list[str] | None = Field(default=None, min_length=1)
    """Only these OPD ids."""
    tags: TagCondition | None = None
    category: CategoryCondition | None = None
    rank: RankCondition | None = None
    score: Threshold | None = None
    items: ItemCondition | None = None

    def has_opd_conditions(self) -> bool:
        """Whether any condition on OPDs is given."""
        return any(
            v is not None
            for v in (self.opds, self.tags, self.category, self.rank, self.score, self.items)
        )

    def match(self, ctx: RuleContext, opd: OPDResult) -> OPDMatch | None:
        """The evidence when every condition holds for ``opd``, else None."""
        evidence: list[Evidence] = []
        if self.opds is not None:
            if opd.opd not in self.opds:
                return None
            evidence.append(
                Evidence(
                    metric="opd",
                    value=opd.opd,
                    comparator="one of",
                    threshold=", ".join(self.opds),
                    target=opd.opd,
                )
            )
        if self.tags is not None:
            ev = self.tags.check(opd)
            if ev is None:
                return None
            evidence.extend(ev)
        if self.category is not None:
            scheme = ctx.scheme_name(self.category.scheme)
            bands = ctx.scheme_bands(scheme)
            ev = self.category.check_category(ctx.category_of(opd, scheme), bands, scheme, opd.opd)
            if ev is None:
                return None
            evidence.extend(ev)
            ev = self.category.check_probability(ctx, opd, bands, scheme)
            if ev is None:
                return None
            evidence.extend(ev)
        if self.rank is not None:
            ev = self.rank.check(ctx, opd)
            if ev is None:
                return None
            evidence.extend(ev)
        if self.score is not None:
            ev = self.score.check(opd.score.value, "score", opd.opd)
            if ev is None:
                return None
            evidence.extend(ev)
        found = OPDMatch(opd=opd, evidence=evidence)
        if self.items is not None:
            hit = self.items.check(opd)
            if hit is None:
                return None
            found.evidence.extend(hit[0])
            found.items, found.item_score = hit[1], hit[2]
        return found

    def allowed_opd_fields(self) -> frozenset[str]:
        """Placeholders an OPD template of these conditions may use."""
        return OPD_FIELDS | (ITEM_FIELDS if self.items is not None else frozenset())

    @field_validator("opds")
    @classmethod
    def _opd_ids(cls, v: list[str] | None) -> list[str] | None:
        return check_slugs(v)


def check_slugs(values: list[str] | None) -> list[str] | None:
    """:func:`check_slug` for each of a list of ids (e.g. an ``opds`` option)."""
    for x in values or []:
        check_slug(x)
    return values


class TemplatedOptions(BaseModel):
    """Base of the options of the built-in rules with ``title``/``text`` templates.

    Strict like every model here, it checks the templates against ``TEMPLATE_FIELDS`` (each
    rule sets its placeholders) and the ids of an ``opds`` option. The rules declare ``title``,
    ``text``, ``priority``, ``decimals`` and ``opds`` themselves: their defaults and their
    place in the option list (shown in error messages) differ from rule to rule.
    """

    model_config = _strict

    TEMPLATE_FIELDS: ClassVar[frozenset[str]] = OPD_FIELDS
    """The placeholders ``title`` and ``text`` may use."""

    @field_validator("title", "text", check_fields=False)
    @classmethod
    def _template(cls, v: Text | None) -> Text | None:
        return None if v is None else check_text(v, cls.TEMPLATE_FIELDS)

    @field_validator("opds", check_fields=False)
    @classmethod
    def _opd_ids(cls, v: list[str] | None) -> list[str] | None:
        return check_slugs(v)


class Templated(Protocol):
    """The options :func:`rule_recommendation` reads (a :class:`TemplatedOptions` subclass)."""

    @property
    def priority(self) -> int: ...
    @property
    def title(self) -> Text | None: ...
    @property
    def text(self) -> Text | None: ...
    @property
    def decimals(self) -> int: ...


def match_facts(
    ctx: RuleContext,
    found: OPDMatch,
    lang: Lang,
    decimals: int = 2,
    item_labels: Mapping[str, Text] | None = None,
) -> dict[str, str]:
    """Facts of a matched OPD, including the items that met an ``items`` condition."""
    facts = ctx.opd_facts(found.opd, lang, decimals)
    facts["items"] = ", ".join(ctx.item_label(i, lang, item_labels) for i in found.items)
    facts["item_score"] = format_number(found.item_score, lang, decimals)
    return facts


def opd_recommendation(
    ctx: RuleContext,
    found: OPDMatch,
    *,
    rule: str,
    priority: int,
    title: Text,
    text: Text,
    decimals: int = 2,
    item_labels: Mapping[str, Text] | None = None,
    extra_facts: Mapping[Lang, Mapping[str, str]] | None = None,
    extra_evidence: Sequence[Evidence] = (),
) -> Recommendation:
    """A recommendation for one matched OPD, its templates filled in both languages."""
    facts: dict[Lang, dict[str, str]] = {}
    for lang in LANGS:
        facts[lang] = {
            **match_facts(ctx, found, lang, decimals, item_labels),
            **(extra_facts or {}).get(lang, {}),
        }
    return Recommendation(
        target=found.opd.opd,
        target_kind="opd",
        priority=priority,
        title=fill_text(title, facts),
        text=fill_text(text, facts),
        rule=rule,
        evidence=[*extra_evidence, *found.evidence],
    )


def rule_recommendation(
    ctx: RuleContext,
    found: OPDMatch,
    opts: Templated,
    *,
    rule: str,
    default: tuple[Text, Text],
    item_labels: Mapping[str, Text] | None = None,
    extra_facts: Mapping[Lang, Mapping[str, str]] | None = None,
) -> Recommendation:
    """:func:`opd_recommendation` with a rule's options: the study's title and text, else the
    rule's ``default`` (title, text)."""
    return opd_recommendation(
        ctx,
        found,
        rule=rule,
        priority=opts.priority,
        title=opts.title or default[0],
        text=opts.text or default[1],
        decimals=opts.decimals,
        item_labels=item_labels,
        extra_facts=extra_facts,
    )


def city_recommendation(
    facts: Mapping[Lang, Mapping[str, str]],
    *,
    rule: str,
    priority: int,
    title: Text,
    text: Text,
    evidence: list[Evidence],
) -> Recommendation:
    """A city-wide recommendation, its templates filled with ``facts`` in both languages."""
    return Recommendation(
        target="city",
        target_kind="city",
        priority=priority,
        title=fill_text(title, facts),
        text=fill_text(text, facts),
        rule=rule,
        evidence=evidence,
    )
