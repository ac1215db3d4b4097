"""Study files: one TOML file that declares the survey, its data, and how to evaluate and report it.

A civil-society group adapts publiceval to its city by editing this file, not Python. Every
mistake is reported with the key, the line and, for a misspelt key, the key that was meant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from .errors import StudyError
from .gates import GateVerdict, check_gates, enforce
from .ingest import (
    DataSpec,
    Progress,
    large_file_chunk_rows,
    read_study_data,
)
from .plugins import PluginHost, get_host
from .profile import ProfileQuestion
from .published import PublishedScore, PublishedScores
from .results import Evaluation
from .statistics import StatisticsOptions
from .study_check import check_components, locate
from .study_check import dotted_key as _dotted
from .study_check import model_at as _model_at
from .study_check import short_repr as _short
from .study_periods import PeriodSpec, SegmentsSpec, period_warning, resolve_period, validators
from .survey import OPD, Item, Scale, Survey
from .table import ResponseTable
from .text import Lang, Text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "ComponentEntry",
    "DataSpec",
    "PeriodSpec",
    "SegmentsSpec",
    "Study",
    "StudyFile",
    "check_components",
    "load_study",
    "locate",
]

_strict = ConfigDict(frozen=True, extra="forbid")


class SurveyMeta(BaseModel):
    """``[survey]``: what is evaluated, where and when."""

    model_config = _strict

    title: str | Text
    """A plain string, or ``{ id = "...", en = "..." }`` for both languages (city and
    organisation too)."""
    city: str | Text | None = None
    organisation: str | Text | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class ComponentEntry(BaseModel):
    """A plugin by name with its options: ``{ name = "lowest-k", options = { k = 5 } }``."""

    model_config = _strict

    name: str
    options: dict[str, Any] = Field(default_factory=dict)


class PublishedSpec(BaseModel):
    """``[published]``: OPD-level scores as printed, when there is no respondent data."""

    model_config = _strict

    low: float
    high: float
    unit: str = "mean"
    source: str | None = None
    scores: list[PublishedScore]
    survey_wide: dict[str, float] = Field(default_factory=dict)


class RankingSpec(BaseModel):
    """``[ranking]``: ``precision`` compares scores as printed, so equal printed scores tie."""

    model_config = _strict

    precision: int | None = Field(default=None, ge=0, le=10)


class ReportSpec(BaseModel):
    """``[report]``: language, formats and where reports go."""

    model_config = _strict

    lang: Lang = "id"
    formats: list[str] = Field(default_factory=lambda: ["table"])
    output: str | None = None
    keywords: dict[str, list[str]] = Field(default_factory=dict)
    """``[report.keywords]``: element name = words that mark a suggestion as about it, added
    to the report's own bilingual list (see the reports page)."""


StatisticsSpec = StatisticsOptions
"""``[statistics]``: the same options as ``evaluate(statistics=...)`` (one vocabulary)."""


class StudyFile(BaseModel):
    """The whole study file, as validated."""

    model_config = _strict

    survey: SurveyMeta
    scales: list[Scale]
    items: list[Item]
    opds: list[OPD]
    profile: list[ProfileQuestion] = Field(default_factory=list)
    data: DataSpec | None = None
    published: PublishedSpec | None = None
    method: ComponentEntry = Field(default_factory=lambda: ComponentEntry(name="mean"))
    scheme: ComponentEntry | None = None
    compare: list[ComponentEntry] = Field(default_factory=list)
    rules: list[ComponentEntry] = Field(default_factory=list)
    ranking: RankingSpec = Field(default_factory=RankingSpec)
    report: ReportSpec = Field(default_factory=ReportSpec)
    statistics: StatisticsOptions = Field(default_factory=StatisticsOptions)
    periods: list[PeriodSpec] = Field(default_factory=list)
    """``[[periods]]``: several periods of this instrument, each with its own data, in order
    (earliest first). ``evaluate`` evaluates the latest; ``compare`` compares them in order."""
    segments: SegmentsSpec = Field(default_factory=SegmentsSpec)

    _shared_data, _distinct_periods = validators()

    @field_validator("scales", "items", "opds")
    @classmethod
    def _not_empty(cls, value: list[Any], info: ValidationInfo) -> list[Any]:
        if not value:
            name = str(info.field_name)
            what = {"scales": "answer scale", "items": "item", "opds": "OPD"}[name]
            raise ValueError(
                f"a study needs at least one {what}; found an empty list "
                f"(declare each with a [[{name}]] table)"
            )
        return value


class Study:
    """A loaded study: the survey, where its data is, and how to evaluate it."""

    def __init__(
        self,
        spec: StudyFile,
        path: Path,
        *,
        allow_outside_data: bool = False,
        period: str | None = None,
    ) -> None:
        self.file_spec = spec
        """The study file as written (with its ``[[periods]]``); ``spec`` is one period's."""
        # the period evaluated (None: no [[periods]]) and a note when the latest was chosen
        spec, self.period_id, self.period_note = resolve_period(spec, path, period)
        self.spec = spec
        self.path = path
        self.base_dir = path.parent
        self.allow_outside_data = allow_outside_data
        """Whether ``[data] path`` may name a file outside the study's folder (never set by the
        study file itself: by ``load_study(..., allow_outside_data=True)`` or the CLI flag)."""
        meta = spec.survey
        try:
            self.survey = Survey(
                title=meta.title,
                city=meta.city,
                organisation=meta.organisation,
                period_start=meta.period_start,
                period_end=meta.period_end,
                scales=tuple(spec.scales),
                items=tuple(spec.items),
                opds=tuple(spec.opds),
                profile=tuple(spec.profile),
                meta=meta.meta,
            )
        except ValidationError as exc:
            msgs = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            raise StudyError(f"{path}: the survey is inconsistent: {msgs}") from None
        if spec.data is None and spec.published is None:
            raise StudyError(
                f"{path}: expected a [data] table (response file) or a [published] table; found neither"
            )
        self.data_path  # noqa: B018 - refuses a data file outside the study's folder, at once

    @property
    def periods(self) -> list[PeriodSpec]:
        """The ``[[periods]]`` of the study file, earliest first (empty: a single period)."""
        return list(self.file_spec.periods)

    def period(self, period_id: str) -> Study:
        """The study restricted to one of its ``[[periods]]`` (its data, OPDs and dates)."""
        return Study(
            self.file_spec, self.path, allow_outside_data=self.allow_outside_data, period=period_id
        )

    def period_label(self) -> str | None:
        """The period's short name (its ``label``, in Indonesian for a two-language label, else
        its id); None for a study without periods."""
        spec = next((p for p in self.file_spec.periods if p.id == self.period_id), None)
        return None if spec is None else str(spec.label or spec.id)

    @property
    def data_path(self) -> Path | None:
        """The response file, resolved against the study file's folder."""
        if self.spec.data is None:
            return None
        return self.spec.data.resolve(
            self.base_dir, allow_outside=self.allow_outside_data, study=self.path
        )

    def load_responses(
        self, host: PluginHost | None = None, progress: Progress | None = None
    ) -> ResponseTable | PublishedScores:
        """Read and validate the responses (or the published scores) the study names.

        ``progress(done, total)`` is called after each chunk of a large file.
        """
        host = host or get_host()
        spec = self.spec
        if spec.data is None:
            assert spec.published is not None
            try:
                return PublishedScores(
                    survey=self.survey,
                    scores=tuple(spec.published.scores),
                    low=spec.published.low,
                    high=spec.published.high,
                    unit=spec.published.unit,
                    survey_wide=spec.published.survey_wide,
                    source=spec.published.source or str(self.path),
                )
            except ValidationError as exc:
                msgs = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
                raise StudyError(f"{self.path}: [published]: {msgs}") from None
        return read_study_data(self, self.survey, host, progress=progress)

    def auto_chunk_rows(self, host: PluginHost | None = None) -> int | None:
        """``[data] chunk_rows`` for a data file too large to read whole whose method scores
        from aggregates (and no option needs each respondent's answers); else ``None``."""
        if self.spec.data is None or self.spec.statistics.reliability:
            return None
        rows = large_file_chunk_rows(
            self.spec.data, self.base_dir, allow_outside=self.allow_outside_data
        )
        method = (host or get_host()).method(self.spec.method.name)
        return rows if rows and method.supports_aggregates else None

    def evaluate(
        self,
        host: PluginHost | None = None,
        progress: Progress | None = None,
        *,
        chunk_rows: int | None = None,
        max_rejects: str | None = None,
        allow_empty_opds: bool | None = None,
        gates: bool = True,
        engine: str | None = None,
    ) -> Evaluation:
        """Run the study as declared.

        With ``chunk_rows`` the data file is read and reduced ``chunk_rows`` rows at a time
        (constant memory; the method must score from aggregates, e.g. ``mean``); the result is
        the same as reading it whole. ``engine`` (``memory``, ``chunked`` or ``dask``; default
        ``[data] engine``) says where: ``dask`` runs one task per file of a folder or glob on
        the ``[data] scheduler`` (see the cluster page of the docs).

        The gates (:mod:`publiceval._core.gates`) raise :class:`GateError` when more rows were
        rejected than ``max_rejects`` (default ``[data] max_rejects``, else 10%) or an OPD has
        no usable row (unless ``allow_empty_opds`` / ``[data] allow_empty_opds``); ``gates=False``
        returns the evaluation regardless (its warnings still say what was lost).
        """
        from .engines import study_aggregates
        from .pipeline import evaluate

        host = host or get_host()
        spec = self.spec
        # chunked or Dask (``engine``, ``[data] engine``, a folder or glob): aggregates
        responses: Any = study_aggregates(
            self, host, chunk_rows=chunk_rows, engine=engine, progress=progress
        )
        evaluation = evaluate(
            self.survey,
            self.load_responses(host, progress) if responses is None else responses,
            method=(spec.method.name, spec.method.options),
            scheme=(spec.scheme.name, spec.scheme.options) if spec.scheme else None,
            compare=[(c.name, c.options) for c in spec.compare],
            rules=[(r.name, r.options) for r in spec.rules],
            statistics=spec.statistics,
            rank_precision=spec.ranking.precision,
            host=host,
        )
        if gates and spec.data is not None:
            enforce(self.gate(evaluation, max_rejects, allow_empty_opds))
        if self.period_note is not None:  # a study with [[periods]]: say which one this is
            print(f"note: {self.period_note}", file=sys.stderr)
            warned = [*evaluation.warnings, period_warning(self.period_id, len(self.periods))]
            evaluation = evaluation.model_copy(update={"warnings": warned})
        if spec.report.keywords:  # for the reports' grouping of suggestions by element
            extras = {**evaluation.extras, "suggestion_keywords": dict(spec.report.keywords)}
            evaluation = evaluation.model_copy(update={"extras": extras})
        return evaluation

    def gate(
        self,
        evaluation: Evaluation,
        max_rejects: str | None = None,
        allow_empty_opds: bool | None = None,
    ) -> GateVerdict:
        """The gates' verdict on an evaluation of this study (see :meth:`evaluate`)."""
        used = {o.opd: o.score.n for o in evaluation.opds}
        return check_gates(
            self.spec.data,
            rows_read=evaluation.data.rows_read,
            rows_rejected=evaluation.data.rows_rejected,
            rows_per_opd={o.id: used.get(o.id, 0) for o in self.survey.opds},
            opd_names={o.id: o.name for o in self.survey.opds},
            max_rejects=max_rejects,
            allow_empty_opds=allow_empty_opds,
            command=f"publiceval validate {self.path}",
        )


def load_study(
    path: str | Path, host: PluginHost | None = None, *, allow_outside_data: bool = False
) -> Study:
    """Read and validate a study file, including every plugin's options (with their lines).

    ``[data] path`` must name a file inside the study file's folder (after resolving ``..``
    and symlinks) unless ``allow_outside_data``: a study file from someone else cannot opt
    itself out of that.
    """
    path = Path(path)
    if not path.exists():
        raise StudyError(f"study file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StudyError(
            f"{path}: expected UTF-8 text; found an invalid byte at position {exc.start}"
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StudyError(f"{path}: not valid TOML: {exc}") from None
    try:
        spec = StudyFile.model_validate(raw)
    except ValidationError as exc:
        raise StudyError(describe_errors(path, text, raw, exc)) from None
    check_components(path, text, spec, host or get_host())
    return Study(spec, path, allow_outside_data=allow_outside_data)


def describe_errors(path: Path, text: str, raw: dict[str, Any], exc: ValidationError) -> str:
    """One line per problem: where (key and line), what was expected, and a suggestion for typos."""
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        line = locate(text, loc)
        where = f"{path}" + (f", line {line}" if line else "") + f", key {_dotted(loc)!r}"
        if err["type"] == "extra_forbidden":
            parent = _model_at(StudyFile, loc[:-1], raw)
            fields = list(parent.model_fields) if parent else []
            hint = difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
            tip = (
                f"; did you mean {hint[0]!r}?"
                if hint
                else f" (known keys: {', '.join(fields)})"
                if fields
                else ""
            )
            lines.append(f"{where}: unknown key{tip}")
        elif err["type"] == "missing":
            lines.append(f"{where}: required key is missing")
        else:
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"{where}: {msg} (found {_short(err.get('input'))})")
    return "\n".join(lines)
