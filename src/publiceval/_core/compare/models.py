"""The comparison result: what changed between periods, with its uncertainty (JSON schema 1.1).

Defined here rather than in ``results`` so the evaluation's own schema stays untouched; a
comparison is read back with :meth:`Comparison.from_json` and its schema is
:func:`comparison_schema`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..results import ComponentInfo, Interval, RankInterval, ScoreScale
from ..text import Text

__all__ = [
    "COMPARISON_SCHEMA_VERSION",
    "CategoryTransition",
    "Change",
    "Comparison",
    "ItemChange",
    "OPDChange",
    "OPDPresence",
    "PeriodInfo",
    "RankChange",
    "Step",
    "comparison_schema",
]

COMPARISON_SCHEMA_VERSION = "1.1"
"""Bumped on any change of the JSON a comparison writes (minor: fields added)."""

_FROZEN = ConfigDict(frozen=True, extra="forbid")

Direction = Literal["better", "worse", "within-chance", "untested"]


class Change(BaseModel):
    """``after − before`` of two independent design-based estimates, with its interval and test.

    ``se = √(se_before² + se_after²)`` (independent samples), ``df`` by Welch–Satterthwaite from
    the two design df; with respondents linked across periods (``paired``) twice their
    covariance is subtracted and ``df`` is Derrick et al.'s (see :mod:`.paired`); ``p_adjusted`` is Holm's across the family named in ``family``. Without an
    SE on either side (one respondent, published figures) nothing is tested: ``direction`` is
    ``"untested"`` and ``notes`` says why.
    """

    model_config = _FROZEN

    before: float | None
    after: float | None
    difference: float | None
    se: float | None = None
    df: float | None = None
    ci: Interval | None = None
    p_value: float | None = None
    p_adjusted: float | None = None
    family: str = ""
    """Which tests Holm's correction ran over (e.g. ``"opd-scores"``, ``"item:waktu"``)."""
    significant: bool | None = None
    direction: Direction = "untested"
    n_before: int = 0
    n_after: int = 0
    before_ci: Interval | None = None
    after_ci: Interval | None = None
    """Each period's own interval (for the dumbbell chart)."""
    paired: bool = False
    """Whether the covariance of respondents answering in both periods entered the SE (the
    partially overlapping samples t-test; the paired t-test for a full panel)."""
    n_linked: int = 0
    """Respondents (by respondent id) in both periods' estimates, used or not."""
    notes: list[str] = Field(default_factory=list)


class RankChange(BaseModel):
    """The OPD's rank in both periods, each with the ranks it may truly hold."""

    model_config = _FROZEN

    before: int | None
    after: int | None
    before_interval: RankInterval | None = None
    after_interval: RankInterval | None = None
    ranked_before: int
    ranked_after: int


class CategoryTransition(BaseModel):
    """The main scheme's band in both periods (``B → C``)."""

    model_config = _FROZEN

    scheme: str
    before: str | None
    after: str | None
    before_label: Text | None = None
    after_label: Text | None = None
    changed: bool
    after_probability: float | None = None
    """How sure the later band is (its category probability), when the evaluation gives it."""


class ItemChange(BaseModel):
    """The change of one item (an SKM element) for one OPD, or of a survey-wide question."""

    model_config = _FROZEN

    item: str
    element: str | None = None
    text: Text
    change: Change


class OPDChange(BaseModel):
    """One OPD present in both periods: its score, rank, category and elements compared."""

    model_config = _FROZEN

    opd: str
    """The OPD's id in the later period."""
    opd_before: str
    name: str
    short_name: str | None = None
    matched_by: Literal["id", "mapping", "name", "alias"] = "id"
    name_before: str | None = None
    """The earlier name when it differs (a renamed OPD)."""
    score: Change
    rank: RankChange
    category: CategoryTransition | None = None
    items: list[ItemChange] = Field(default_factory=list)


class OPDPresence(BaseModel):
    """An OPD in only one of the two periods."""

    model_config = _FROZEN

    opd: str
    name: str
    short_name: str | None = None
    status: Literal["appeared", "disappeared"]


class PeriodInfo(BaseModel):
    """One evaluated period, as the comparison names it."""

    model_config = _FROZEN

    label: str
    title: str
    source: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    respondents: int
    opds: int


class Step(BaseModel):
    """The comparison of two consecutive periods."""

    model_config = _FROZEN

    before: str
    after: str
    """Labels of the two periods (see :class:`PeriodInfo`)."""
    opds: list[OPDChange]
    """Sorted by the change, largest improvement first."""
    appeared: list[OPDPresence] = Field(default_factory=list)
    disappeared: list[OPDPresence] = Field(default_factory=list)
    survey_wide: list[ItemChange] = Field(default_factory=list)


class Comparison(BaseModel):
    """The result of ``publiceval compare``: per-OPD, per-element and survey-wide changes."""

    model_config = _FROZEN

    schema_version: str = COMPARISON_SCHEMA_VERSION
    kind: Literal["periods"] = "periods"
    title: str
    city: str | None = None
    method: ComponentInfo
    scheme: str | None = None
    scale: ScoreScale
    confidence: float
    test: str = "welch-t, holm"
    periods: list[PeriodInfo]
    steps: list[Step]
    version: str = ""
    """The publiceval version that wrote it."""

    def to_json(self, *, indent: int | None = 2) -> str:
        """Stable JSON text: the same inputs give the same bytes."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> Comparison:
        """Load a comparison written by :meth:`to_json`."""
        return cls.model_validate_json(text)


def comparison_schema() -> dict[str, Any]:
    """The JSON schema of :class:`Comparison` (what ``compare -f json`` writes)."""
    return Comparison.model_json_schema()
