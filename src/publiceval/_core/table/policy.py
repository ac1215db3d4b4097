"""What the table builder does with an invalid answer and with a form submitted twice."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DuplicatePolicy", "InvalidAnswer", "RecordPolicy"]

InvalidAnswer = Literal["skip-answer", "reject-row"]
"""``skip-answer``: an answer outside the scale (or an unknown label) counts as unanswered and
is logged as a cell; the row's other answers count. PermenPANRB 14/2017 divides each
element's NRR by the answers actually given to it, so this is the SKM reading.
``reject-row``: the whole row is left out."""

DuplicatePolicy = Literal["keep-first", "keep-all", "reject-all"]
"""What to do with a submission that repeats an earlier one: keep the first copy (reject the
later ones), keep every copy (and warn), or reject every copy."""


class RecordPolicy(BaseModel):
    """How rows are judged beyond the cell rules (``[data]`` options of a study)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    invalid_answer: InvalidAnswer = "reject-row"
    duplicates: DuplicatePolicy | None = None
    """``None``: ``keep-first`` when a timestamp shows the copy came within the window,
    ``keep-all`` (reported) for rows identical in every cell with no timestamp to tell."""
    duplicate_window_minutes: float = Field(default=10.0, ge=0)
    """Rows with the same OPD and the same answers submitted within this many minutes of each
    other are one submission sent twice (needs a timestamp column)."""
