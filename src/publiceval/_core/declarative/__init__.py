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

from .conditions import CategoryCondition, ItemCondition, RankCondition, TagCondition, Threshold
from .context import OPDMatch, RuleContext
from .recommend import (
    OPDConditions,
    Templated,
    TemplatedOptions,
    check_slug,
    check_slugs,
    city_recommendation,
    match_facts,
    opd_recommendation,
    rule_recommendation,
)
from .survey_item import SurveyItemCondition, check_survey_item_category
from .templates import (
    CITY_FIELDS,
    ITEM_FIELDS,
    LANGS,
    OPD_FIELDS,
    SURVEY_ITEM_FIELDS,
    RuleError,
    check_template,
    check_text,
    fill,
    fill_text,
    template_fields,
)

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
