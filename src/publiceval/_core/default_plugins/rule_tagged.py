"""``tagged``: OPDs with given tags (basic-service, enforcement …) that also score low.

The evaluators' advice depends on the kind of service: a basic service rated low needs urgent
attention, an enforcement agency a change of approach. Tags on the OPDs say the kind; a
category, rank or score condition says "low"; the text comes from the tag's preset wording or
from the study.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field, model_validator

from publiceval.plugin import (
    CategoryCondition,
    Evaluation,
    RankCondition,
    Recommendation,
    RecommendationRule,
    TagCondition,
    TemplatedOptions,
    Text,
    Threshold,
    hookimpl,
)

from .rule_when import WhenOptions, recommend_when

_LOW_ID = "skor {score}, peringkat {rank} dari {n_ranked}, kategori {category}"
_LOW_EN = "score {score}, rank {rank} of {n_ranked}, category {category}"

#: Preset (title, text) per tag, used when the study gives no ``title``/``text``.
PRESETS: dict[str, tuple[Text, Text]] = {
    "basic-service": (
        Text(
            id="Perhatian mendesak untuk layanan dasar {short_name}",
            en="Urgent attention for the basic services of {short_name}",
        ),
        Text(
            id=f"{{name}} memberi layanan dasar yang vital dan dinilai rendah ({_LOW_ID}). "
            "Layanan ini memerlukan perhatian segera.",
            en=f"{{name}} provides a vital basic service and is rated low ({_LOW_EN}). "
            "It needs urgent attention.",
        ),
    ),
    "enforcement": (
        Text(
            id="Perubahan pendekatan mendasar di {short_name}",
            en="A fundamental change of approach at {short_name}",
        ),
        Text(
            id=f"{{name}} menjalankan fungsi penegakan dan pengawasan dan dinilai rendah "
            f"({_LOW_ID}). Diperlukan perubahan pendekatan yang mendasar dan lebih responsif.",
            en=f"{{name}} carries out enforcement and supervision and is rated low ({_LOW_EN}). "
            "It needs a fundamental change of approach and to become more responsive.",
        ),
    ),
    "transport": (
        Text(
            id="Investasi besar pada infrastruktur transportasi ({short_name})",
            en="Large investment in transport infrastructure ({short_name})",
        ),
        Text(
            id=f"{{name}} menangani masalah transportasi yang kompleks dan dinilai rendah "
            f"({_LOW_ID}). Diperlukan investasi besar pada infrastruktur transportasi.",
            en=f"{{name}} deals with complex transport problems and is rated low ({_LOW_EN}). "
            "Large investment in transport infrastructure is needed.",
        ),
    ),
    "infrastructure": (
        Text(
            id="Investasi infrastruktur untuk {short_name}",
            en="Infrastructure investment for {short_name}",
        ),
        Text(
            id=f"{{name}} mengelola infrastruktur dan dinilai rendah ({_LOW_ID}). "
            "Diperlukan investasi infrastruktur yang terencana.",
            en=f"{{name}} manages infrastructure and is rated low ({_LOW_EN}). "
            "Planned investment in infrastructure is needed.",
        ),
    ),
    "employment": (
        Text(
            id="Program pemberdayaan yang lebih efektif dan terukur di {short_name}",
            en="More effective, measurable empowerment programmes at {short_name}",
        ),
        Text(
            id=f"{{name}} menangani ketenagakerjaan dan dinilai rendah ({_LOW_ID}). "
            "Program pemberdayaan perlu lebih efektif dan hasilnya terukur.",
            en=f"{{name}} deals with employment and is rated low ({_LOW_EN}). "
            "Its empowerment programmes must become more effective and measurable.",
        ),
    ),
}
GENERIC = (
    Text(id="Perbaiki layanan {short_name}", en="Improve the services of {short_name}"),
    Text(
        id=f"{{name}} dinilai rendah ({_LOW_ID}).",
        en=f"{{name}} is rated low ({_LOW_EN}).",
    ),
)


class TaggedOptions(TemplatedOptions):
    """``tags`` (``match = "any"`` or ``"all"``) plus at least one of category, rank, score.

    Without ``title``/``text`` the wording is the preset of the first tag in ``tags`` that has
    one (basic-service, enforcement, transport, infrastructure, employment), else a generic one.
    """

    tags: list[str] = Field(min_length=1)
    match: Literal["any", "all"] = "any"
    category: CategoryCondition | None = None
    rank: RankCondition | None = None
    score: Threshold | None = None
    priority: int = Field(default=1, ge=1)
    title: Text | None = None
    text: Text | None = None
    decimals: int = Field(default=2, ge=0, le=6)

    @model_validator(mode="after")
    def _consistent(self) -> TaggedOptions:
        if self.category is None and self.rank is None and self.score is None:
            raise ValueError(
                "a tag alone says what kind of service, not that it is rated low; "
                "add a category, rank or score condition"
            )
        return self

    def wording(self) -> tuple[Text, Text]:
        """Title and text: the study's, else the first preset among the tags."""
        preset = next((PRESETS[t] for t in self.tags if t in PRESETS), GENERIC)
        return self.title or preset[0], self.text or preset[1]


class Tagged(RecommendationRule):
    """OPDs of a kind (by tag) that score low, with wording that fits the kind of service."""

    name = "tagged"
    title = Text(id="Berdasarkan jenis layanan", en="By kind of service")
    Options = TaggedOptions

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        opts = self.options
        assert isinstance(opts, TaggedOptions)
        return recommend_when(evaluation, as_when(opts), rule=self.label)


def as_when(opts: TaggedOptions) -> WhenOptions:
    """The ``when`` rule this preset is: the tag, category, rank and score conditions, and the
    wording of the first tag that has a preset."""
    tags = TagCondition(any=opts.tags) if opts.match == "any" else TagCondition(all=opts.tags)
    title, text = opts.wording()
    return WhenOptions(
        tags=tags,
        category=opts.category,
        rank=opts.rank,
        score=opts.score,
        priority=opts.priority,
        title=title,
        text=text,
        decimals=opts.decimals,
    )


@hookimpl
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    register(Tagged)
