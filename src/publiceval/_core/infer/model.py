"""What ``init --from`` decided about an export, and why: one pydantic model a person can read.

Every decision carries its evidence (``why``, in both languages, written into the study as a
comment) and a confidence, so a wrong guess is easy to spot and a caller can act on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..profile import ProfileQuestion
from ..survey import Scale
from ..text import Text

__all__ = [
    "Check",
    "ColumnRole",
    "Confidence",
    "Inference",
    "ItemGuess",
    "OPDGuess",
    "ProfileGuess",
    "Role",
    "ScaleGuess",
]

Confidence = Literal["high", "medium", "low"]
Role = Literal[
    "timestamp", "respondent", "opd", "profile", "question", "suggestions", "system", "unused"
]

_frozen = ConfigDict(frozen=True, extra="forbid")


class ColumnRole(BaseModel):
    """What one column of the export holds, as decided."""

    model_config = _frozen

    column: str
    letter: str
    """The spreadsheet letter, so a person can find it (A, B, ... AA)."""
    role: Role
    confidence: Confidence
    why: Text


class OPDGuess(BaseModel):
    """One OPD made from the values of the OPD column."""

    model_config = _frozen

    id: str
    name: str
    short_name: str | None = None
    aliases: tuple[str, ...] = ()
    """The wordings in the data other than the name (matched ignoring case and punctuation)."""
    rows: int
    why: Text


class ScaleGuess(BaseModel):
    """An answer scale inferred from the words (or numbers) of some question columns."""

    model_config = _frozen

    scale: Scale
    family: str
    """The word set recognised (``skm``: the SKM 1-4 wordings; ``numbers``; or a set's name)."""
    columns: tuple[str, ...]
    unknown: dict[str, int] = Field(default_factory=dict)
    """Answers that match no word of the scale, with their counts (left for the user to check)."""
    suggestions: dict[str, int] = Field(default_factory=dict)
    """Unknown answers that look like a typo of a label: the point they probably mean."""
    why: Text


class ItemGuess(BaseModel):
    """A question column as an item: its SKM element (found by meaning) and its scale."""

    model_config = _frozen

    id: str
    column: str
    text: Text
    scale: str
    element: str | None = None
    """The SKM element's name as ``ikm-2017`` knows it (``None``: not an SKM element)."""
    number: int | None = None
    """The number the header starts with ("8. ..."), if any."""
    confidence: Confidence
    why: Text


class ProfileGuess(BaseModel):
    """A respondent-profile question (gender, age, education, occupation) found in a column."""

    model_config = _frozen

    question: ProfileQuestion
    confidence: Confidence
    why: Text


class Check(BaseModel):
    """Something the user should look at before trusting the study."""

    model_config = _frozen

    code: str
    message: Text
    column: str | None = None


class Inference(BaseModel):
    """Everything ``init --from`` inferred from an export, decision by decision."""

    model_config = _frozen

    path: str
    format: str
    """The reader to use (``gforms``, ``kobo``, ``csv``, ``xlsx``)."""
    format_why: Text
    rows: int
    columns: tuple[ColumnRole, ...]
    opd_column: str | None
    opds: tuple[OPDGuess, ...]
    scales: tuple[ScaleGuess, ...]
    items: tuple[ItemGuess, ...]
    profile: tuple[ProfileGuess, ...]
    timestamp: str | None
    respondent: str | None
    suggestions: str | None
    city: str | None
    city_why: Text | None = None
    span: tuple[dt.date, dt.date] | None
    """First and last day a form was submitted, from the timestamps (``None``: none readable)."""
    year: int | None
    """The survey year: the year of most submissions (``None`` when unknown)."""
    method: str
    scheme: str
    scheme_options: dict[str, str] = Field(default_factory=dict)
    method_why: Text
    checks: tuple[Check, ...]

    def role_of(self, column: str) -> ColumnRole | None:
        """The decision about ``column``."""
        return next((c for c in self.columns if c.column == column), None)
