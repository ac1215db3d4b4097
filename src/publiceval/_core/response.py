"""One respondent's answers about one OPD (or the survey-wide questions): the single-record path.

A web form that posts one response validates it here, against the survey, with the same reason
codes a bulk import gets from ``ResponseTable``.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from .cells import CellProblem, is_missing, parse_answer
from .rejects import RejectReason
from .survey import Survey

__all__ = ["Response"]

Answer = int | str | float | None


def _fail(reason: RejectReason, message: str) -> PydanticCustomError:
    return PydanticCustomError(reason.value, message)


class Response(BaseModel):
    """A respondent's answers about one OPD, or (``opd=None``) to the survey-wide items.

    Validate against a survey with :meth:`validate_for` (or ``model_validate(data,
    context={"survey": survey})``): text answers become scale points, and every problem is
    reported with the reason code a ``ResponseTable`` would log for it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    respondent: str = Field(min_length=1)
    opd: str | None = None
    answers: dict[str, Answer] = Field(default_factory=dict)
    weight: float = 1.0
    stratum: str | None = None
    psu: str | None = None
    profile: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _against_survey(self, info: ValidationInfo) -> Response:
        if not math.isfinite(self.weight) or self.weight <= 0:
            raise _fail(
                RejectReason.BAD_WEIGHT,
                f"weight must be a positive finite number; found {self.weight!r}",
            )
        survey = info.context.get("survey") if isinstance(info.context, dict) else None
        if not isinstance(survey, Survey):
            return self
        parsed, problems = check_answers(self, survey)
        if problems:
            reason, message = problems[0]
            if len(problems) > 1:
                message += f" (and {len(problems) - 1} more problem(s))"
            raise _fail(reason, message)
        object.__setattr__(self, "answers", parsed)
        return self

    @classmethod
    def validate_for(cls, survey: Survey, data: Any) -> Response:
        """Validate ``data`` (a dict or a ``Response``) against ``survey``; labels become points."""
        if isinstance(data, Response):
            data = data.model_dump()
        return cls.model_validate(data, context={"survey": survey})


def check_answers(
    response: Response, survey: Survey
) -> tuple[dict[str, Answer], list[tuple[RejectReason, str]]]:
    """Parsed answers and every problem, in the order the columnar path reports them."""
    problems: list[tuple[RejectReason, str]] = []
    if response.opd is not None and response.opd not in survey.opd_index:
        problems.append((RejectReason.UNKNOWN_OPD, f"unknown OPD {response.opd!r}"))
    scope = "survey" if response.opd is None else "opd"
    allowed = {
        i.id for i in survey.items if i.scope == scope or (scope == "opd" and i.scope == "survey")
    }
    parsed: dict[str, Answer] = {}
    for key, raw in response.answers.items():
        if key not in allowed and key in survey.item_map and is_missing(raw):
            continue  # an empty cell of an item not asked in this scope is no answer
        if key not in allowed:
            where = "survey-wide" if scope == "survey" else "per-OPD or survey-wide"
            problems.append((RejectReason.UNKNOWN_ITEM, f"unknown {where} item {key!r}"))
            continue
        result = parse_answer(raw, survey.scale_of(key))
        if isinstance(result, CellProblem):
            problems.append((result.reason, f"item {key!r}: {result.message}"))
        else:
            parsed[key] = result
    asked = [i for i in survey.items if i.scope == scope]
    for item in asked:
        if item.required and is_missing(parsed.get(item.id)):
            problems.append(
                (RejectReason.MISSING_REQUIRED, f"required item {item.id!r} has no answer")
            )
    if (
        not problems
        and all(parsed.get(i.id) is None for i in asked)
        and (scope == "survey" or all(parsed.get(i.id) is None for i in survey.survey_items))
    ):
        problems.append((RejectReason.NO_ANSWERS, "the response answers none of the items"))
    return parsed, problems
