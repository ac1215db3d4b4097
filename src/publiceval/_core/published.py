"""Published aggregates: OPD-level scores as printed, without respondent data.

Many evaluations only ever publish a table of scores. Such input is a first-class case: the
scores are ranked and categorised like any other, but they carry no standard error and no
confidence interval, and every score says so.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .survey import Survey

__all__ = ["PLACEHOLDER_NOTE", "PublishedScore", "PublishedScores"]

#: The note a score carries when its value is a placeholder, not a published figure.
PLACEHOLDER_NOTE = "placeholder: not in the publication"


class PublishedScore(BaseModel):
    """One OPD's published figure; ``placeholder`` marks a value not in the publication."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    opd: str
    value: float
    n: int | None = None
    placeholder: bool = False
    note: str = ""


class PublishedScores(BaseModel):
    """Published scores of a survey's OPDs, on a given range (e.g. the 1–4 mean)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    survey: Survey
    scores: tuple[PublishedScore, ...]
    low: float
    high: float
    unit: str = "mean"
    survey_wide: dict[str, float] = Field(default_factory=dict)
    """Published values of survey-wide items on their own scales, when known."""
    source: str | None = None

    @model_validator(mode="after")
    def _check(self) -> PublishedScores:
        known = self.survey.opd_index
        problems = []
        seen: set[str] = set()
        for s in self.scores:
            if s.opd not in known:
                problems.append(f"unknown OPD {s.opd!r}")
            if s.opd in seen:
                problems.append(f"OPD {s.opd!r} is given twice")
            seen.add(s.opd)
            if not self.low <= s.value <= self.high:
                problems.append(
                    f"OPD {s.opd!r}: score {s.value} is outside {self.low}..{self.high}"
                )
        for item, value in self.survey_wide.items():
            if item not in {i.id for i in self.survey.survey_items}:
                problems.append(f"unknown survey-wide item {item!r}")
            else:
                scale = self.survey.scale_of(item)
                if not scale.min <= value <= scale.max:
                    problems.append(
                        f"survey-wide item {item!r}: {value} outside {scale.min}..{scale.max}"
                    )
        if problems:
            raise ValueError("; ".join(problems))
        return self
