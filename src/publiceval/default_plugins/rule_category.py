"""``category-at-or-below``: every OPD whose category is a given band or worse."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..declarative import OPD_FIELDS, CategoryCondition, OPDConditions, RuleContext, check_text
from ..declarative import opd_recommendation as _recommend
from ..hookspecs import hookimpl
from ..results import Evaluation, Recommendation
from ..rules import RecommendationRule
from ..text import Text

DEFAULT_TITLE = Text(
    id="Perbaiki layanan {short_name} (kategori {category})",
    en="Improve the services of {short_name} (category {category})",
)
DEFAULT_TEXT = Text(
    id=(
        "{name} mendapat skor {score} dan masuk kategori {category} (peringkat {rank} dari "
        "{n_ranked}). OPD dalam kategori ini menjadi prioritas pertama perbaikan."
    ),
    en=(
        "{name} scores {score} and falls in the category {category} (rank {rank} of "
        "{n_ranked}). OPDs in this category are the first priority for improvement."
    ),
)


class CategoryAtOrBelowOptions(BaseModel):
    """``category``: a band code or label (either language); that band and every worse one fire.

    ``scheme`` picks a scheme from ``[[compare]]``; default: the evaluation's ``[scheme]``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    category: str
    scheme: str | None = None
    priority: int = Field(default=1, ge=1)
    title: Text | None = None
    text: Text | None = None
    decimals: int = Field(default=2, ge=0, le=6)

    @field_validator("title", "text")
    @classmethod
    def _template(cls, v: Text | None) -> Text | None:
        return None if v is None else check_text(v, OPD_FIELDS)


class CategoryAtOrBelow(RecommendationRule):
    """OPDs in a given category or worse, under the evaluation's category scheme."""

    name = "category-at-or-below"
    title = Text(id="Kategori pada atau di bawah", en="Category at or below")
    Options = CategoryAtOrBelowOptions

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        opts = self.options
        assert isinstance(opts, CategoryAtOrBelowOptions)
        ctx = RuleContext(evaluation)
        conditions = OPDConditions(
            category=CategoryCondition(at_or_below=opts.category, scheme=opts.scheme)
        )
        return [
            _recommend(
                ctx,
                found,
                rule=self.label,
                priority=opts.priority,
                title=opts.title or DEFAULT_TITLE,
                text=opts.text or DEFAULT_TEXT,
                decimals=opts.decimals,
            )
            for opd in ctx.opds
            if (found := conditions.match(ctx, opd)) is not None
        ]


@hookimpl
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    register(CategoryAtOrBelow)
