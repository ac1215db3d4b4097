"""``when``: a recommendation rule written in the study file, without Python.

See ``docs/rules/declarative.md``. The conditions and templates are those of
:mod:`publiceval._core.declarative`; this module only wires them into a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from publiceval.plugin import (
    CITY_FIELDS,
    ITEM_FIELDS,
    LANGS,
    OPD_FIELDS,
    SURVEY_ITEM_FIELDS,
    Evaluation,
    Evidence,
    Lang,
    OPDConditions,
    Recommendation,
    RecommendationRule,
    RuleContext,
    SurveyItemCondition,
    Text,
    check_slug,
    check_text,
    city_recommendation,
    hookimpl,
    opd_recommendation,
)


class WhenOptions(OPDConditions):
    """A declarative rule: conditions, a target, a priority and bilingual templates.

    ``target = "opd"`` makes one recommendation per OPD that meets every OPD condition.
    ``target = "city"`` makes one city-wide recommendation when at least ``min_opds`` OPDs meet
    the OPD conditions (if any are given) and the ``survey_item`` condition (if given) holds.
    """

    id: str | None = None
    """A short name for this rule, shown as ``when:<id>`` in results and warnings."""
    target: Literal["opd", "city"] = "opd"
    priority: int = Field(default=2, ge=1)
    survey_item: SurveyItemCondition | None = None
    min_opds: int | None = Field(default=None, ge=1)
    """City rules only: how many OPDs must meet the OPD conditions (default 1)."""
    item_labels: dict[str, Text] = Field(default_factory=dict)
    """Names for items in ``{items}`` (default: the item's SKM element, else its text)."""
    decimals: int = Field(default=2, ge=0, le=6)
    """Decimals of the numbers written into the text."""
    # title and text come last: their placeholders depend on the fields above
    title: Text
    text: Text

    @field_validator("id")
    @classmethod
    def _id(cls, v: str | None) -> str | None:
        return check_slug(v)

    @model_validator(mode="after")
    def _consistent(self) -> WhenOptions:
        if not self.has_opd_conditions() and self.survey_item is None:
            raise ValueError(
                "a rule needs at least one condition, so that every recommendation it makes "
                "says why: opds, tags, category, rank, score, items or survey_item"
            )
        if self.target == "opd" and self.min_opds is not None:
            raise ValueError("min_opds applies only to target = 'city'")
        if self.target == "city" and self.min_opds is not None and not self.has_opd_conditions():
            raise ValueError(
                "min_opds counts the OPDs that meet the OPD conditions, but none is given "
                "(opds, tags, category, rank, score or items)"
            )
        return self

    @field_validator("title", "text")
    @classmethod
    def _template(cls, v: Text, info: ValidationInfo) -> Text:
        data = info.data
        if "target" not in data or "items" not in data or "survey_item" not in data:
            return v  # an earlier key is wrong and reported; placeholders cannot be judged yet
        allowed = CITY_FIELDS if data["target"] == "city" else OPD_FIELDS
        if data["target"] == "opd" and data["items"] is not None:
            allowed = allowed | ITEM_FIELDS
        if data["survey_item"] is not None:
            allowed = allowed | SURVEY_ITEM_FIELDS
        return check_text(v, allowed)


class When(RecommendationRule):
    """Recommendations from conditions and templates written in the study file."""

    name = "when"
    title = Text(id="Aturan deklaratif", en="Declarative rule")
    Options = WhenOptions

    @property
    def label(self) -> str:
        opts = self.options
        return f"{self.name}:{opts.id}" if isinstance(opts, WhenOptions) and opts.id else self.name

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        opts = self.options
        assert isinstance(opts, WhenOptions)
        return recommend_when(evaluation, opts, rule=self.label)


def recommend_when(evaluation: Evaluation, opts: WhenOptions, *, rule: str) -> list[Recommendation]:
    """What a ``when`` rule with ``opts`` recommends, named ``rule`` (presets use their name)."""
    ctx = RuleContext(evaluation)
    survey_evidence: list[Evidence] = []
    survey_facts: dict[Lang, dict[str, str]] = {"id": {}, "en": {}}
    if opts.survey_item is not None:
        hit = opts.survey_item.check(ctx)
        if hit is None:
            return []
        survey_evidence, result = hit
        for lang in LANGS:
            survey_facts[lang] = ctx.survey_item_facts(result, lang, opts.decimals)
    matches = [m for o in ctx.opds if (m := opts.match(ctx, o)) is not None]
    if opts.target == "opd":
        return [
            opd_recommendation(
                ctx,
                m,
                rule=rule,
                priority=opts.priority,
                title=opts.title,
                text=opts.text,
                decimals=opts.decimals,
                item_labels=opts.item_labels,
                extra_facts=survey_facts,
                extra_evidence=survey_evidence,
            )
            for m in matches
        ]
    evidence = list(survey_evidence)
    if opts.has_opd_conditions():
        need = opts.min_opds or 1
        evidence.append(
            Evidence(
                metric="OPDs meeting the conditions",
                value=len(matches),
                comparator=">=",
                threshold=need,
                target="city",
                note=", ".join(m.opd.opd for m in matches),
            )
        )
        if len(matches) < need:
            return []
        for m in matches:
            evidence.extend(m.evidence)
    facts: dict[Lang, dict[str, str]] = {}
    for lang in LANGS:
        facts[lang] = {
            **ctx.base_facts(lang),
            "n_matched": str(len(matches)),
            "opds": ctx.opd_list([m.opd for m in matches], lang),
            **survey_facts[lang],
        }
    return [
        city_recommendation(
            facts,
            rule=rule,
            priority=opts.priority,
            title=opts.title,
            text=opts.text,
            evidence=evidence,
        )
    ]


@hookimpl
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    register(When)
