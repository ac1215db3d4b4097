"""Who answered, and what they wrote: the respondent profile and the suggestions of an evaluation.

An SKM report (PermenPANRB 14/2017) shows the respondents' gender, age, education and occupation,
and the citizens' own criticism and suggestions per unit. They are described, not scored.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ..text import Text
from .base import FROZEN

__all__ = ["ProfileCount", "ProfileSummary", "Suggestion"]


class ProfileCount(BaseModel):
    """One answer of a profile question and how many gave it, overall and per OPD."""

    model_config = FROZEN

    label: Text
    kind: str = "choice"
    """``choice`` (a listed choice), ``other`` (an answer as typed that is no listed choice),
    ``bin`` (a range of a number, e.g. an age group) or ``missing`` (not answered)."""
    count: int
    share: float
    """``count`` over the respondents counted (0..1)."""
    per_opd: dict[str, int] = Field(default_factory=dict)
    """Respondent × OPD records with this answer, by OPD id."""


class ProfileSummary(BaseModel):
    """The distribution of one profile question over the respondents whose rows were used."""

    model_config = FROZEN

    id: str
    text: Text
    kind: str
    respondents: int
    counts: list[ProfileCount]


class Suggestion(BaseModel):
    """One suggestion as the respondent typed it, with the OPD it is about and its row."""

    model_config = FROZEN

    opd: str
    text: str
    row: int
