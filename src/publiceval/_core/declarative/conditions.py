"""Declarative rules: the conditions on an OPD, a rank, a category, tags, items and
survey-wide items, each leaving the evidence of what was compared."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field, model_validator

from ..numbers import round_half_up
from ..results import (
    Category,
    Evidence,
    OPDResult,
)
from ..schemes import Band
from .templates import RuleError, _strict

if TYPE_CHECKING:
    from .context import RuleContext


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
        probs = opd.uncertainty.category_probabilities
        if probs is None:
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
        p = sum(v for k, v in probs.items() if k in wanted)
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
