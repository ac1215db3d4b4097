"""Declarative rules: the options every templated rule shares, and turning the OPDs that
matched into recommendations."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar, Protocol

from pydantic import BaseModel, Field, field_validator

from ..results import (
    Evidence,
    OPDResult,
    Recommendation,
)
from ..text import Lang, Text, format_number
from .conditions import CategoryCondition, ItemCondition, RankCondition, TagCondition, Threshold
from .context import OPDMatch, RuleContext
from .templates import _SLUG, ITEM_FIELDS, LANGS, OPD_FIELDS, _strict, check_text, fill_text


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
