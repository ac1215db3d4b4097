"""``category-at-or-below``: every OPD whose category is a given band or worse.

A preset of the declarative ``when`` rule: ``category = { at_or_below = ... }`` with its own
name, priority 1 and default wording.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import Field

from publiceval.plugin import (
    CategoryCondition,
    Evaluation,
    Recommendation,
    RecommendationRule,
    TemplatedOptions,
    Text,
    hookimpl,
)

from .rule_when import WhenOptions, recommend_when

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


class CategoryAtOrBelowOptions(TemplatedOptions):
    """``category``: a band code or label (either language); that band and every worse one fire.

    ``scheme`` picks a scheme from ``[[compare]]``; default: the evaluation's ``[scheme]``.
    """

    category: str
    scheme: str | None = None
    priority: int = Field(default=1, ge=1)
    title: Text | None = None
    text: Text | None = None
    decimals: int = Field(default=2, ge=0, le=6)


class CategoryAtOrBelow(RecommendationRule):
    """OPDs in a given category or worse, under the evaluation's category scheme."""

    name = "category-at-or-below"
    title = Text(id="Kategori pada atau di bawah", en="Category at or below")
    Options = CategoryAtOrBelowOptions

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        opts = self.options
        assert isinstance(opts, CategoryAtOrBelowOptions)
        return recommend_when(evaluation, as_when(opts), rule=self.label)


def as_when(opts: CategoryAtOrBelowOptions) -> WhenOptions:
    """The ``when`` rule this preset is."""
    return WhenOptions(
        category=CategoryCondition(at_or_below=opts.category, scheme=opts.scheme),
        priority=opts.priority,
        title=opts.title or DEFAULT_TITLE,
        text=opts.text or DEFAULT_TEXT,
        decimals=opts.decimals,
    )


@hookimpl
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    register(CategoryAtOrBelow)
