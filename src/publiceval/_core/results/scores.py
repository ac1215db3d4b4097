"""Scores and categories: a number with its uncertainty, the band it falls in, the schemes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, JsonValue

from ..text import Text
from .base import FROZEN


class ScoreScale(BaseModel):
    """The range a score lives on (1–4 for a Likert mean, 25–100 for the IKM, −100–100 for NPS)."""

    model_config = FROZEN

    low: float
    high: float
    unit: str = ""
    """Short name of the unit, e.g. ``"mean 1-4"``, ``"IKM 25-100"``, ``"%"``."""


class Interval(BaseModel):
    """A confidence interval and how it was computed."""

    model_config = FROZEN

    low: float
    high: float
    level: float = 0.95
    method: str = "t"


class Score(BaseModel):
    """One number with everything needed to judge it: n, SE, CI, design effect and where it came from.

    ``source="aggregate"`` marks a score given as a published figure, without respondent data:
    it has no SE and no CI, and says so in ``notes``.
    """

    model_config = FROZEN

    value: float | None
    scale: ScoreScale
    n: int = 0
    n_effective: float | None = None
    se: float | None = None
    df: float | None = None
    ci: Interval | None = None
    cv: float | None = None
    deff: float | None = None
    source: Literal["respondents", "aggregate"] = "respondents"
    components: dict[str, float] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


class ItemScore(BaseModel):
    """One item's result for one OPD (or survey-wide): the value and the answer distribution."""

    model_config = FROZEN

    item: str
    score: Score
    distribution: dict[str, int] = Field(default_factory=dict)
    """Unweighted count of answers per scale point (keys are the points as strings)."""
    extra: dict[str, JsonValue] = Field(default_factory=dict)


class Category(BaseModel):
    """The band a score falls in under one category scheme."""

    model_config = FROZEN

    scheme: str
    code: str
    label: Text
    order: int
    """0 is the best band."""
    low: float
    high: float
    compared_value: float
    """The value that was compared with the band edges (after any rounding the scheme asks for)."""


class Band(BaseModel):
    """One band of a category scheme: ``[low, high)``, or ``[low, high]`` for the top band.

    With ``closed="right"`` the band is ``(low, high]`` instead (the bottom band closed), the
    convention of Indonesian interval tables such as *1,76–2,50*, where 2,50 belongs to the
    lower class. All bands of a scheme close on the same side.
    """

    model_config = FROZEN

    code: str
    label: Text
    low: float
    high: float
    order: int = Field(ge=0)
    """0 is the best band."""
    closed: Literal["left", "right"] = "left"


class SchemeInfo(BaseModel):
    """A category scheme used in an evaluation, as rules and reports need it: every band.

    Written by the pipeline from the scheme it instantiated, so a later stage never has to
    look the scheme up again (with another plugin host, or for a scheme given as an instance).
    """

    model_config = FROZEN

    name: str
    title: Text
    main: bool = False
    """True for the evaluation's own scheme, False for a compared one."""
    scale: ScoreScale
    """The score range the bands were drawn on."""
    precision: int | None = None
    """Scores are compared with the edges rounded to this many decimals (None: unrounded)."""
    bands: list[Band] = Field(default_factory=list)
    """Sorted by ``low``; empty when the scheme could not draw bands on ``scale``."""
