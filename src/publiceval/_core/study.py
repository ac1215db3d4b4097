"""Study files: one TOML file that declares the survey, its data, and how to evaluate and report it.

A civil-society group adapts publiceval to its city by editing this file, not Python. Every
mistake is reported with the key, the line and, for a misspelt key, the key that was meant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import DataError, PluginError, StudyError
from .layouts import (
    DEFAULT_CHUNK_ROWS,
    LayoutKind,
    LayoutSpec,
    Progress,
    TabularReader,
    read_responses,
)
from .plugins import PluginHost, get_host
from .published import PublishedScore, PublishedScores
from .results import Evaluation
from .stats.adequacy import AdequacyOptions
from .survey import OPD, Item, Scale, Survey
from .table import ColumnMap, ResponseTable
from .text import Lang

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["ComponentEntry", "DataSpec", "Study", "StudyFile", "load_study"]

_strict = ConfigDict(frozen=True, extra="forbid")


class SurveyMeta(BaseModel):
    """``[survey]``: what is evaluated, where and when."""

    model_config = _strict

    title: str
    city: str | None = None
    organisation: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class ComponentEntry(BaseModel):
    """A plugin by name with its options: ``{ name = "lowest-k", options = { k = 5 } }``."""

    model_config = _strict

    name: str
    options: dict[str, Any] = Field(default_factory=dict)


class DataSpec(BaseModel):
    """``[data]``: the response file, its format and which column holds what."""

    model_config = _strict

    path: str
    format: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    columns: ColumnMap = Field(default_factory=ColumnMap)
    layout: LayoutKind | None = None
    """``wide`` (row per respondent × OPD), ``long`` (row per answer) or ``opd-columns``
    (row per respondent, a column per item per OPD); default: the reader's."""
    item_column: str = "item"
    value_column: str = "value"
    header_pattern: str = "{item} [{opd}]"
    chunk_rows: int = Field(default=DEFAULT_CHUNK_ROWS, ge=1)

    def layout_spec(self, default: LayoutKind = "wide") -> LayoutSpec:
        """The layout options as one object."""
        return LayoutSpec(
            kind=self.layout or default,
            item_column=self.item_column,
            value_column=self.value_column,
            header_pattern=self.header_pattern,
        )


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


class StatisticsSpec(BaseModel):
    """``[statistics]``: confidence level, random seed and the uncertainty options."""

    model_config = _strict

    confidence: float = Field(default=0.95, gt=0, lt=1)
    seed: int = 0
    uncertainty: bool = True
    """Rank intervals, tiers and category probabilities (see ``docs/statistics.md``)."""
    draws: int = Field(default=1000, ge=100, le=1_000_000)
    rank_method: Literal["simultaneous", "marginal"] = "simultaneous"
    adequacy: AdequacyOptions = Field(default_factory=AdequacyOptions)
    """``[statistics.adequacy]``: criterion (krejcie-morgan, slovin, min-n, max-cv, none),
    min_n, max_cv, margin."""
    suppress_inadequate: bool = False
    pairwise: bool = False
    reliability: bool = False
    """Add Cronbach's α per dimension of the instrument (respondent-level data only)."""


class StudyFile(BaseModel):
    """The whole study file, as validated."""

    model_config = _strict

    survey: SurveyMeta
    scales: list[Scale]
    items: list[Item]
    opds: list[OPD]
    data: DataSpec | None = None
    published: PublishedSpec | None = None
    method: ComponentEntry = Field(default_factory=lambda: ComponentEntry(name="mean"))
    scheme: ComponentEntry | None = None
    compare: list[ComponentEntry] = Field(default_factory=list)
    rules: list[ComponentEntry] = Field(default_factory=list)
    ranking: RankingSpec = Field(default_factory=RankingSpec)
    report: ReportSpec = Field(default_factory=ReportSpec)
    statistics: StatisticsSpec = Field(default_factory=StatisticsSpec)


class Study:
    """A loaded study: the survey, where its data is, and how to evaluate it."""

    def __init__(self, spec: StudyFile, path: Path) -> None:
        self.spec = spec
        self.path = path
        self.base_dir = path.parent
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
                meta=meta.meta,
            )
        except ValidationError as exc:
            msgs = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            raise StudyError(f"{path}: the survey is inconsistent: {msgs}") from None
        if spec.data is None and spec.published is None:
            raise StudyError(
                f"{path}: expected a [data] table (response file) or a [published] table; found neither"
            )

    @property
    def data_path(self) -> Path | None:
        """The response file, resolved against the study file's folder."""
        if self.spec.data is None:
            return None
        p = Path(self.spec.data.path)
        return p if p.is_absolute() else self.base_dir / p

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
        path = self.data_path
        assert path is not None
        if not path.exists():
            raise DataError(f"data file not found: {path} (named by [data] path in {self.path})")
        reader_cls = (
            host.reader(spec.data.format)
            if spec.data.format
            else host.reader_for_suffix(path.suffix)
        )
        reader = reader_cls.create(spec.data.options)
        default = reader.default_layout if isinstance(reader, TabularReader) else "wide"
        return read_responses(
            reader,
            path,
            self.survey,
            spec.data.columns,
            layout=spec.data.layout_spec(default),
            chunk_rows=spec.data.chunk_rows,
            progress=progress,
        )

    def evaluate(
        self, host: PluginHost | None = None, progress: Progress | None = None
    ) -> Evaluation:
        """Run the study as declared."""
        from .pipeline import evaluate

        host = host or get_host()
        spec = self.spec
        return evaluate(
            self.survey,
            self.load_responses(host, progress),
            method=(spec.method.name, spec.method.options),
            scheme=(spec.scheme.name, spec.scheme.options) if spec.scheme else None,
            compare=[(c.name, c.options) for c in spec.compare],
            rules=[(r.name, r.options) for r in spec.rules],
            confidence=spec.statistics.confidence,
            seed=spec.statistics.seed,
            uncertainty=spec.statistics.uncertainty,
            draws=spec.statistics.draws,
            rank_method=spec.statistics.rank_method,
            adequacy=spec.statistics.adequacy,
            suppress_inadequate=spec.statistics.suppress_inadequate,
            pairwise=spec.statistics.pairwise,
            reliability=spec.statistics.reliability,
            rank_precision=spec.ranking.precision,
            host=host,
        )


def load_study(path: str | Path, host: PluginHost | None = None) -> Study:
    """Read and validate a study file, including every plugin's options (with their lines)."""
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
    return Study(spec, path)


def check_components(path: Path, text: str, spec: StudyFile, host: PluginHost) -> None:
    """Refuse unknown plugin names and bad plugin options at load time, naming the line."""
    entries: list[tuple[tuple[str | int, ...], str, ComponentEntry]] = [
        (("method",), "methods", spec.method)
    ]
    if spec.scheme is not None:
        entries.append((("scheme",), "schemes", spec.scheme))
    entries += [(("compare", k), "schemes", c) for k, c in enumerate(spec.compare)]
    entries += [(("rules", k), "rules", r) for k, r in enumerate(spec.rules)]
    problems: list[str] = []
    for loc, kind, entry in entries:
        try:
            cls = getattr(host, kind[:-1])(entry.name)
        except PluginError as exc:
            line = locate(text, (*loc, "name"))
            problems.append(f"{path}" + (f", line {line}" if line else "") + f": {exc}")
            continue
        try:
            cls.Options.model_validate(entry.options)
        except ValidationError as exc:
            for err in exc.errors():
                full = (*loc, "options", *err["loc"])
                line = locate(text, full)
                where = f"{path}" + (f", line {line}" if line else "") + f", key {_dotted(full)!r}"
                if err["type"] == "extra_forbidden":
                    parent = _model_at(cls.Options, tuple(err["loc"][:-1]), entry.options)
                    fields = list((parent or cls.Options).model_fields)
                    hint = difflib.get_close_matches(str(err["loc"][-1]), fields, n=1, cutoff=0.6)
                    tip = (
                        f"; did you mean {hint[0]!r}?" if hint else f" (known: {', '.join(fields)})"
                    )
                    problems.append(f"{where}: {entry.name}: unknown option{tip}")
                else:
                    msg = err["msg"].removeprefix("Value error, ")
                    problems.append(
                        f"{where}: {entry.name}: {msg} (found {_short(err.get('input'))})"
                    )
    if problems:
        raise StudyError("\n".join(problems))


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


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_at(model: type[BaseModel], loc: tuple[Any, ...], raw: Any) -> type[BaseModel] | None:
    """The pydantic model that validates the table at ``loc`` (for listing its keys)."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = field.annotation
        for _ in range(3):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            if isinstance(current, type) and issubclass(current, BaseModel):
                break
            if not args:
                break
            current = args[-1] if typing.get_origin(current) is dict else args[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def locate(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of the key at ``loc`` (a pydantic error location) in TOML text, if found.

    Understands ``[table]``, ``[[array]]`` and ``key = value`` lines; good enough to point a
    person at the right place, which is all it is for.
    """
    path = [str(p) for p in loc if not isinstance(p, int)]
    indices = [p for p in loc if isinstance(p, int)]
    counts: dict[str, int] = {}
    table: list[str] = []
    table_index: int | None = None
    array: str | None = None
    best: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name = header.group(2).replace('"', "")
            table = name.split(".")
            if header.group(1) == "[[":
                counts[name] = counts.get(name, -1) + 1
                table_index = counts[name]
                array = name
            elif not (array and name.startswith(array + ".")):
                # a sub-table such as [rules.options] belongs to the last [[rules]] entry
                table_index = None
            if table == path[: len(table)] and (
                table_index is None or indices[:1] == [table_index]
            ):
                best = best or number
                if len(table) == len(path):
                    return number
            continue
        key = _KEY.match(line)
        if (
            key
            and table == path[: len(table)]
            and (table_index is None or indices[:1] == [table_index])
        ):
            full = [*table, *key.group(1).replace('"', "").split(".")]
            if full == path[: len(full)]:
                if len(full) == len(path):
                    return number
                best = number
    return best
