"""The evaluation: OPD results, recommendations, warnings, data quality and provenance."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

from ..rejects import Reject
from ..text import Lang, Text
from .base import FROZEN, SCHEMA_VERSION
from .profile import ProfileSummary, Suggestion
from .scores import Category, ItemScore, SchemeInfo, Score
from .statistics import DimensionReliability, OPDUncertainty


class Evidence(BaseModel):
    """A fact that made a rule fire: which number, compared with what."""

    model_config = FROZEN

    metric: str
    value: int | float | str | None
    """A rank or count stays an integer (``5``, not ``5.0``)."""
    comparator: str = ""
    threshold: int | float | str | None = None
    target: str | None = None
    note: str = ""


class Recommendation(BaseModel):
    """What to do next, for whom, how urgently, and why."""

    model_config = FROZEN

    target: str
    """An OPD id, or ``"city"`` for a city-wide recommendation."""
    target_kind: Literal["opd", "city"] = "opd"
    priority: int = Field(ge=1)
    """1 is the most urgent."""
    title: Text
    text: Text
    rule: str
    evidence: list[Evidence] = Field(default_factory=list)

    def key(self) -> tuple[int, str, str, str, str]:
        """Sort and de-duplication key: priority, then target, then rule and title."""
        return (
            self.priority,
            "0" if self.target_kind == "city" else "1",
            self.target,
            self.rule,
            self.title.en,
        )


class EvaluationWarning(BaseModel):
    """Something a reader of the results must know (a small sample, a failing rule …)."""

    model_config = FROZEN

    code: str
    message: str
    """The message in English (what logs and scripts read)."""
    target: str | None = None
    text: Text | None = None
    """The message in Indonesian and English, for reports; None where only English exists."""

    def in_lang(self, lang: Lang) -> str:
        """The message in ``lang`` when a translation exists, else the English message."""
        return self.text.get(lang) if self.text is not None else self.message


class ComponentInfo(BaseModel):
    """A plugin used in the evaluation: its registered name, the plugin it came from, its options."""

    model_config = FROZEN

    name: str
    plugin: str | None = None
    options: dict[str, JsonValue] = Field(default_factory=dict)
    title: Text | None = None
    """The component's title in both languages (None in evaluations written before 1.1)."""


class OPDResult(BaseModel):
    """Everything about one OPD."""

    model_config = FROZEN

    opd: str
    name: str
    short_name: str | None = None
    tags: list[str] = Field(default_factory=list)
    score: Score
    rank: int | None = None
    """Competition rank (1 2 2 4): tied scores share a rank. None when not ranked."""
    category: Category | None = None
    categories: dict[str, Category] = Field(default_factory=dict)
    """Category under each compared scheme, by scheme name."""
    items: list[ItemScore] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    uncertainty: OPDUncertainty = Field(default_factory=OPDUncertainty)
    """Rank interval, category probabilities and the like, when the statistics provide them."""


class ItemInfo(BaseModel):
    """An item as a report names it: its text, SKM element and the labels of its scale's points.

    Results refer to items by id; this lets a report show "Waktu pelayanan" instead of ``u3`` and
    label the points of an answer distribution without the survey at hand.
    """

    model_config = FROZEN

    id: str
    text: Text
    scope: Literal["opd", "survey"] = "opd"
    dimension: str | None = None
    element: str | None = None
    role: Literal["performance", "importance", "expectation"] = "performance"
    reverse: bool = False
    scale_min: int
    scale_max: int
    labels: dict[str, Text] = Field(default_factory=dict)
    """Label of each named scale point (keys are the points as strings)."""


class SurveyWideResult(BaseModel):
    """A survey-wide question (asked once per respondent) and its result."""

    model_config = FROZEN

    item: str
    text: Text
    score: Score
    category: Category | None = None
    distribution: dict[str, int] = Field(default_factory=dict)


class DataQuality(BaseModel):
    """How many rows were read, used and rejected, and why; the first rejects in full."""

    model_config = FROZEN

    rows_read: int
    rows_used: int
    rows_rejected: int
    respondents: int
    reasons: dict[str, int] = Field(default_factory=dict)
    rejects: list[Reject] = Field(default_factory=list)
    rejects_truncated: bool = False


class Provenance(BaseModel):
    """What produced the result, so it can be reproduced."""

    model_config = FROZEN

    library: str = "publiceval"
    version: str
    schema_version: str = SCHEMA_VERSION
    method: ComponentInfo
    scheme: ComponentInfo | None = None
    compared_schemes: list[ComponentInfo] = Field(default_factory=list)
    rules: list[ComponentInfo] = Field(default_factory=list)
    confidence: float = 0.95
    seed: int | None = None
    statistics: dict[str, JsonValue] = Field(default_factory=dict)
    """The uncertainty options used (draws, rank method, adequacy criterion …)."""
    data_source: str | None = None


class Evaluation(BaseModel):
    """The result of :func:`publiceval.evaluate`. Serialise with ``model_dump_json()``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: str = SCHEMA_VERSION
    title: str
    city: str | None = None
    organisation: str | None = None
    period: str | None = None
    """``"start/end"`` as text (kept for 1.0 readers; see ``period_start`` and ``period_end``)."""
    period_start: date | None = None
    period_end: date | None = None
    opds: list[OPDResult]
    """Sorted by rank (best first), unranked OPDs last."""
    survey_wide: list[SurveyWideResult] = Field(default_factory=list)
    items: list[ItemInfo] = Field(default_factory=list)
    """The survey's items (text, element, scale labels), so reports can name what was asked."""
    recommendations: list[Recommendation] = Field(default_factory=list)
    warnings: list[EvaluationWarning] = Field(default_factory=list)
    data: DataQuality
    provenance: Provenance
    schemes: list[SchemeInfo] = Field(default_factory=list)
    """The main scheme (first, ``main=True``) and each compared scheme, with all their bands."""
    reliability: list[DimensionReliability] | None = None
    """Cronbach's α per dimension, when asked for (also mirrored in ``extras["reliability"]``)."""
    profile: list[ProfileSummary] = Field(default_factory=list)
    """The respondent profile (``[[profile]]`` questions), counted over the rows used."""
    suggestions: list[Suggestion] = Field(default_factory=list)
    """The respondents' own criticism and suggestions (``[data.columns] suggestions``)."""
    suggestions_truncated: bool = False
    texts: dict[str, Text] = Field(default_factory=dict, exclude_if=lambda v: not v)
    """The study's texts given in both languages (``title``, ``city``, ``organisation``,
    ``opd:<id>``, ``element:<name>``); the plain fields above hold their Indonesian."""
    extras: dict[str, JsonValue] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _from_1_0(cls, data: Any) -> Any:
        """Fill the 1.1 fields of a 1.0 document from what it holds (the period, reliability)."""
        if not isinstance(data, dict):
            return data
        period = data.get("period")
        if isinstance(period, str) and "period_start" not in data and "period_end" not in data:
            parts = period.split("/")
            data = {**data}
            if len(parts) == 2:
                data["period_start"], data["period_end"] = parts
        extras = data.get("extras")
        if "reliability" not in data and isinstance(extras, dict):
            raw = extras.get("reliability")
            if isinstance(raw, list):
                data = {**data, "reliability": raw}
        return data

    def scheme_info(self, name: str) -> SchemeInfo | None:
        """The scheme named ``name`` among those the evaluation used."""
        return next((s for s in self.schemes if s.name == name), None)

    def opd(self, opd_id: str) -> OPDResult:
        """The result of one OPD."""
        for r in self.opds:
            if r.opd == opd_id:
                return r
        raise KeyError(opd_id)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Stable JSON text: the same evaluation always gives the same bytes."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> Evaluation:
        """Load an evaluation written by :meth:`to_json`."""
        return cls.model_validate_json(text)

    def label(self, text: Text, lang: Lang) -> str:
        """Helper for reporters: a bilingual text in ``lang``."""
        return text.get(lang)

    def summary_rows(self) -> list[dict[str, Any]]:
        """Rank, OPD, score and category per OPD, as plain dicts (for tables)."""
        return [
            {
                "rank": r.rank,
                "opd": r.opd,
                "name": r.name,
                "score": r.score.value,
                "n": r.score.n,
                "category": r.category.label.id if r.category else None,
            }
            for r in self.opds
        ]
