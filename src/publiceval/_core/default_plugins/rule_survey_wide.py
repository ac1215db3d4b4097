"""``survey-wide``: a city-wide recommendation from a survey-wide item rated low.

Questions asked once per respondent (satisfaction with the mayor, whether a programme is a fair
yardstick) are about the city government as a whole, so their recommendations target the city.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from publiceval.plugin import (
    LANGS,
    SURVEY_ITEM_FIELDS,
    CategoryCondition,
    Evaluation,
    Lang,
    Recommendation,
    RecommendationRule,
    RuleContext,
    SurveyItemCondition,
    TemplatedOptions,
    Text,
    Threshold,
    check_survey_item_category,
    city_recommendation,
    hookimpl,
)

#: Placeholders of this rule.
FIELDS = frozenset({"city", "n_opds", "n_ranked"}) | SURVEY_ITEM_FIELDS

_SEEN_ID = "Warga menilai \u201c{survey_item}\u201d pada kategori {survey_item_category} (rata-rata {survey_item_score})."
_SEEN_EN = "Citizens rated \u201c{survey_item}\u201d in the category {survey_item_category} (mean {survey_item_score})."

#: Preset (title, text) per topic.
TOPICS: dict[str, tuple[Text, Text]] = {
    "general": (
        Text(
            id="Tindak lanjuti penilaian rendah: {survey_item}",
            en="Follow up a low rating: {survey_item}",
        ),
        Text(
            id=_SEEN_ID + " Pemerintah kota perlu menindaklanjutinya.",
            en=_SEEN_EN + " The city government needs to act on it.",
        ),
    ),
    "communication": (
        Text(
            id="Perbaikan komunikasi publik pemerintah kota",
            en="Better public communication by the city government",
        ),
        Text(
            id=_SEEN_ID
            + " Diperlukan strategi komunikasi yang efektif, keterlibatan warga melalui berbagai "
            "kanal, dan laporan capaian secara berkala.",
            en=_SEEN_EN
            + " An effective communication strategy, engagement through many channels and "
            "regular reporting of achievements are needed.",
        ),
    ),
    "programme-review": (
        Text(
            id="Evaluasi menyeluruh atas program: {survey_item}",
            en="A comprehensive evaluation of the programme: {survey_item}",
        ),
        Text(
            id=_SEEN_ID
            + " Tinjau substansi dan pelaksanaan program, perkuat monitoring dan evaluasi, serta "
            "tingkatkan transparansi dan akuntabilitas.",
            en=_SEEN_EN
            + " Review the programme's substance and implementation, strengthen monitoring and "
            "evaluation, and raise transparency and accountability.",
        ),
    ),
}


class SurveyWideOptions(TemplatedOptions):
    """``item`` with a ``category`` (e.g. ``{ at_or_below = "Kurang Puas" }``) or ``score`` condition.

    ``topic`` picks preset wording (``general``, ``communication``, ``programme-review``);
    ``title``/``text`` replace it.
    """

    TEMPLATE_FIELDS: ClassVar[frozenset[str]] = FIELDS

    item: str
    category: CategoryCondition | None = None
    score: Threshold | None = None
    topic: Literal["general", "communication", "programme-review"] = "general"
    priority: int = Field(default=2, ge=1)
    title: Text | None = None
    text: Text | None = None
    decimals: int = Field(default=2, ge=0, le=6)

    @model_validator(mode="after")
    def _consistent(self) -> SurveyWideOptions:
        if self.category is None and self.score is None:
            raise ValueError(f"give a category or a score condition for item {self.item!r}")
        check_survey_item_category(self.category, "category")
        return self

    def condition(self) -> SurveyItemCondition:
        """The condition as a declarative ``survey_item`` condition."""
        return SurveyItemCondition(id=self.item, category=self.category, score=self.score)


class SurveyWide(RecommendationRule):
    """A city-wide recommendation when a survey-wide item falls at or below a category or value."""

    name = "survey-wide"
    title = Text(id="Pertanyaan tingkat kota", en="Survey-wide question")
    Options = SurveyWideOptions

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        opts = self.options
        assert isinstance(opts, SurveyWideOptions)
        ctx = RuleContext(evaluation)
        hit = opts.condition().check(ctx)
        if hit is None:
            return []
        evidence, result = hit
        facts: dict[Lang, dict[str, str]] = {}
        for lang in LANGS:
            facts[lang] = {
                **ctx.base_facts(lang),
                **ctx.survey_item_facts(result, lang, opts.decimals),
            }
        title, text = TOPICS[opts.topic]
        return [
            city_recommendation(
                facts,
                rule=self.label,
                priority=opts.priority,
                title=opts.title or title,
                text=opts.text or text,
                evidence=evidence,
            )
        ]


@hookimpl
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    register(SurveyWide)
