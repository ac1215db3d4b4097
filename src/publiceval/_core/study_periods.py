"""``[[periods]]`` and ``[segments]`` of a study file: several periods of one instrument.

A study file may hold its periods, earliest first, each with its own data laid over the study's
``[data]`` table; :class:`~publiceval._core.study.Study` evaluates one period at a time (the
latest by default) and ``publiceval compare`` compares them in order.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import StudyError
from .ingest import DataSpec
from .results import EvaluationWarning
from .text import Text

if TYPE_CHECKING:
    from .study import StudyFile

__all__ = [
    "PeriodSpec",
    "SegmentsSpec",
    "distinct_periods",
    "period_warning",
    "resolve_period",
    "shared_data",
    "validators",
]

_strict = ConfigDict(frozen=True, extra="forbid")


class PeriodSpec(BaseModel):
    """One ``[[periods]]`` entry: a period of the same instrument with its own data.

    ``data`` is a file path, or a table of ``[data]`` keys; either way it is laid over the
    study's own ``[data]`` table (when there is one), so the columns, format and gates are
    declared once. ``title``, ``period_start`` and ``period_end`` override ``[survey]``;
    ``opds`` lists the OPDs surveyed in this period (default: every ``[[opds]]``); ``rename``
    pairs an OPD of the previous period with one of this period (earlier id = this id).
    """

    model_config = _strict

    id: str = Field(min_length=1)
    label: str | Text | None = None
    """A short name for reports (default: ``id``); a string or ``{ id = "...", en = "..." }``."""
    data: str | DataSpec
    title: str | Text | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    opds: list[str] | None = None
    rename: dict[str, str] = Field(default_factory=dict)


class SegmentsSpec(BaseModel):
    """``[segments]``: defaults of ``publiceval compare STUDY --by QUESTION``."""

    model_config = _strict

    by: str | None = None
    """The profile question broken down by when ``--by`` is not given."""
    min_n: int = Field(default=30, ge=1)
    """Cells with fewer respondents are suppressed (their n shown, their score not)."""


def shared_data(raw: Any) -> Any:
    """With ``[[periods]]``, ``[data]`` holds what the periods share and may omit ``path``
    (each period names its file)."""
    data = raw.get("data") if isinstance(raw, dict) else None
    if isinstance(data, dict) and raw.get("periods") and "path" not in data:
        return {**raw, "data": {**data, "path": ""}}
    return raw


def distinct_periods(value: list[PeriodSpec]) -> list[PeriodSpec]:
    """Each period its own id."""
    ids = [p.id for p in value]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"each period needs its own id; {', '.join(map(repr, twice))} repeats")
    return value


def validators() -> tuple[Any, Any]:
    """The study file's validators of ``[[periods]]`` (:func:`shared_data`,
    :func:`distinct_periods`), for ``StudyFile``."""
    return model_validator(mode="before")(shared_data), field_validator("periods")(distinct_periods)


def resolve_period(
    spec: StudyFile, path: Path, period: str | None
) -> tuple[StudyFile, str | None, str | None]:
    """The study file as ``period`` (default: the latest) sees it, the period's id, and a note
    saying the latest of several periods was chosen (None when one was asked for)."""
    if not spec.periods:
        if period is not None:
            raise StudyError(
                f"{path}: period {period!r} asked for, but the study has no [[periods]]"
            )
        return spec, None, None
    _check_periods(spec, path)
    chosen = period or spec.periods[-1].id
    note = None
    if period is None and len(spec.periods) > 1:
        note = (
            f"{path} has {len(spec.periods)} periods; evaluating the latest, {chosen!r} "
            f"(publiceval compare {path} compares them)"
        )
    return _period_spec(spec, chosen, path), chosen, note


def period_warning(period_id: str | None, count: int) -> EvaluationWarning:
    """The evaluation's warning that it is of the latest of ``count`` periods."""
    return EvaluationWarning(
        code="period",
        message=f"the latest period, {period_id!r}, of {count} is evaluated",
        text=Text(
            id=f"Yang dinilai adalah periode terakhir, {period_id!r}, dari {count} periode "
            "studi ini",
            en=f"The latest period, {period_id!r}, of the study's {count} periods is evaluated",
        ),
    )


def _check_periods(spec: StudyFile, path: Path) -> None:
    """Every period's OPDs and renames name declared OPDs; no [published] with periods."""
    if spec.published is not None:
        raise StudyError(
            f"{path}: [[periods]] need respondent data per period; a [published] table "
            "cannot be combined with them (use one study file per period)"
        )
    known = {o.id for o in spec.opds}
    for k, period in enumerate(spec.periods):
        where = f"{path}: key 'periods[{k}]' (period {period.id!r})"
        unknown = [o for o in period.opds or () if o not in known]
        if unknown:
            raise StudyError(
                f"{where}.opds: {', '.join(map(repr, unknown))} not an OPD of [[opds]] "
                f"(known: {', '.join(sorted(known))})"
            )
        for old, new in period.rename.items():
            if k == 0:
                raise StudyError(f"{where}.rename: the first period has no earlier period")
            bad = [x for x in (old, new) if x not in known]
            if bad:
                raise StudyError(
                    f"{where}.rename: {', '.join(map(repr, bad))} not an OPD of [[opds]]"
                )


def _period_spec(spec: StudyFile, period_id: str, path: Path) -> StudyFile:
    """The study file as one period sees it: its data over ``[data]``, its dates, its OPDs."""
    period = next((p for p in spec.periods if p.id == period_id), None)
    if period is None:
        known = ", ".join(repr(p.id) for p in spec.periods)
        raise StudyError(f"{path}: no period {period_id!r} (periods: {known})")
    base = spec.data.model_dump(exclude_unset=True) if spec.data is not None else {}
    own = (
        {"path": period.data}
        if isinstance(period.data, str)
        else period.data.model_dump(exclude_unset=True)
    )
    try:
        data = DataSpec.model_validate({**base, **own})
    except ValidationError as exc:
        msgs = "; ".join(e["msg"] for e in exc.errors())
        raise StudyError(f"{path}: period {period_id!r}: its data: {msgs}") from None
    survey = spec.survey.model_copy(
        update={
            k: v
            for k, v in (
                ("title", period.title),
                ("period_start", period.period_start),
                ("period_end", period.period_end),
            )
            if v is not None
        }
    )
    opds = (
        [o for o in spec.opds if o.id in set(period.opds)] if period.opds is not None else spec.opds
    )
    return spec.model_copy(update={"data": data, "survey": survey, "opds": opds, "periods": []})
