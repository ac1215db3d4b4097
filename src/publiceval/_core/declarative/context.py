"""Declarative rules: the facts of one evaluation that rules share (ranks, bands, labels).

Everything is read from the evaluation itself (its ``schemes`` carry every band), never
looked up in a plugin host.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..results import (
    Category,
    Evaluation,
    Evidence,
    ItemInfo,
    OPDResult,
    SurveyWideResult,
)
from ..schemes import Band, check_bands, scale_label_bands
from ..text import Lang, Text, format_number
from .templates import RuleError

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
        """Bands of a scheme used in the evaluation, as the evaluation carries them.

        An evaluation written before schema 1.1 carries none: its bands are then rebuilt from
        the categories it holds (which leaves out bands no OPD fell in).
        """
        if scheme in self._bands:
            return self._bands[scheme]
        info = self.evaluation.scheme_info(scheme)
        bands: tuple[Band, ...] = tuple(info.bands) if info is not None else ()
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
        if not any(o.uncertainty.category_probabilities is not None for o in self.evaluation.opds):
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
            both = self.evaluation.texts.get(f"element:{info.element}")
            return both.get(lang) if both is not None else info.element
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
            "name": self.opd_name(opd, lang),
            "short_name": opd.short_name or self.opd_name(opd, lang),
            "score": format_number(opd.score.value, lang, decimals),
            "rank": "–" if opd.rank is None else str(opd.rank),
            "category": cat.label.get(lang) if cat else "–",
            "n": str(opd.score.n),
        }

    def opd_name(self, opd: OPDResult, lang: Lang) -> str:
        """The OPD's name in ``lang`` when the study gives both, else as given."""
        both = self.evaluation.texts.get(f"opd:{opd.opd}")
        return both.get(lang) if both is not None else opd.name

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
        names = [o.short_name or self.opd_name(o, lang) for o in ordered]
        if len(names) <= 1:
            return "".join(names)
        last = " dan " if lang == "id" else " and "
        return ", ".join(names[:-1]) + last + names[-1]
