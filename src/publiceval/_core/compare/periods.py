"""The periods ``publiceval compare`` compares: each study file (or each of its ``[[periods]]``)
evaluated, with what pairs it with the others (OPD aliases, renames, the responses for linking
respondents across periods)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import StudyError
from ..results import Evaluation
from ..table import ResponseTable

__all__ = ["load_evaluation", "load_periods", "study_defaults"]


def load_evaluation(
    path: Path, allow_outside_data: bool, allow_empty_opds: bool
) -> tuple[Evaluation, dict[str, tuple[str, ...]]]:
    """An evaluation (a study evaluated, or an evaluation's JSON read back) and OPD aliases."""
    if path.suffix.lower() == ".json":
        try:
            return Evaluation.from_json(path.read_bytes()), {}
        except FileNotFoundError:
            raise StudyError(f"evaluation file not found: {path}") from None
        except ValidationError as exc:
            raise StudyError(
                f"{path}: not an evaluation written by publiceval: {exc.errors()[0]['msg']}"
            ) from None
    from ..study import load_study

    study = load_study(path, allow_outside_data=allow_outside_data)
    evaluation = study.evaluate(allow_empty_opds=allow_empty_opds or None)
    aliases = {o.id: (*o.aliases, o.short_name or "") for o in study.survey.opds}
    return evaluation, aliases


@dataclass(frozen=True)
class _Period:
    """One period to compare: its evaluation and what pairs it with the others."""

    evaluation: Evaluation
    aliases: dict[str, tuple[str, ...]]
    label: str
    source: str
    rename: dict[str, str]
    """``[[periods]] rename`` of this period: earlier id = this period's id."""
    table: ResponseTable | None = None
    """The responses, to link respondents across periods (None: not linked)."""


def load_periods(
    path: Path, allow_outside_data: bool, allow_empty_opds: bool, paired: bool
) -> list[_Period]:
    """The periods of one input: a study (each of its ``[[periods]]``, or itself) or an
    evaluation's JSON."""
    if path.suffix.lower() == ".json":
        evaluation, aliases = load_evaluation(path, allow_outside_data, allow_empty_opds)
        return [_Period(evaluation, aliases, path.stem, str(path), {})]
    from ..study import load_study

    study = load_study(path, allow_outside_data=allow_outside_data)
    specs: list[Any] = list(study.periods) or [None]
    out = []
    for spec in specs:
        part = study.period(spec.id) if spec is not None else study
        evaluation = part.evaluate(allow_empty_opds=allow_empty_opds or None)
        table = _linkable(part) if paired else None
        out.append(
            _Period(
                evaluation,
                {o.id: (*o.aliases, o.short_name or "") for o in part.survey.opds},
                part.period_label() or path.stem,
                f"{path}#{spec.id}" if spec is not None else str(path),
                dict(spec.rename) if spec is not None else {},
                table,
            )
        )
    return out


def _linkable(study: Any) -> ResponseTable | None:
    """The study's respondent-level responses, when read whole is possible (for pairing)."""
    if study.spec.data is None or study.auto_chunk_rows() is not None:
        return None
    table = study.load_responses()
    return table if isinstance(table, ResponseTable) else None


def study_defaults(path: Path, allow_outside_data: bool) -> tuple[int, str | None]:
    """How many periods a study file declares, and its ``[segments] by`` (JSON: 1, None)."""
    if path.suffix.lower() == ".json":
        return 1, None
    from ..study import load_study

    study = load_study(path, allow_outside_data=allow_outside_data)
    return max(len(study.periods), 1), study.file_spec.segments.by
