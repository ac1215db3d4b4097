"""Declarative rules: the condition on a survey-wide item (asked once per respondent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, model_validator

from ..results import (
    Evidence,
    SurveyWideResult,
)
from .conditions import CategoryCondition, Threshold
from .templates import _strict

if TYPE_CHECKING:
    from .context import RuleContext


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
