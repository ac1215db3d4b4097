"""``publiceval validate``: check a study's data before evaluating it.

The report says how many rows were read, used and rejected and why, grouped so a person can fix
the file: duplicate respondents, out-of-range values, unknown OPD names with the closest known
name, missing required items. A threshold on rejects turns the check into a gate for scripts.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field

from .gates import check_gates
from .ingest import Progress
from .plugins import PluginHost
from .rejects import Reject, RejectReason, RejectThreshold
from .study import Study, load_study
from .table import ResponseTable
from .text import one_line

__all__ = ["RejectGroup", "RejectThreshold", "ValidationReport", "validate_study"]

_THRESHOLD = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*$")

#: Reasons reported first, in this order: the checks the validate command promises.
_HEADLINE = (
    RejectReason.DUPLICATE,
    RejectReason.OUT_OF_RANGE,
    RejectReason.UNKNOWN_OPD,
    RejectReason.MISSING_REQUIRED,
)


class RejectGroup(BaseModel):
    """All rejects of one reason: how many rows, and the first few to look at."""

    reason: RejectReason
    rows: int
    examples: list[Reject]
    details: list[str] = Field(default_factory=list)
    kept: bool = False
    """The rows were used: only the answers shown were left out (or the copy was kept)."""
    """Summaries across rows, e.g. ``'Dinas Kesehatn' (12 rows): did you mean 'Dinas Kesehatan'?``."""


class ValidationReport(BaseModel):
    """What ``publiceval validate`` found (``--json`` prints this model)."""

    study: str
    data: str | None
    rows_read: int
    rows_used: int
    rows_rejected: int
    respondents: int
    rows_per_opd: dict[str, int]
    reasons: dict[str, int]
    groups: list[RejectGroup]
    warnings: list[str]
    max_rejects: str | None = None
    limit: int | None = None
    exceeded: bool = False
    skipped: dict[str, int] = Field(default_factory=dict)
    """Answers left out as unanswered (their rows used) per reason."""
    empty_opds: list[str] = Field(default_factory=list)
    gate_problems: list[str] = Field(default_factory=list)
    """Why ``evaluate`` would stop (exit code 6); empty when the gates pass."""

    @property
    def failed(self) -> bool:
        """A gate stops the run: too many rejects, or an OPD without a usable row."""
        return bool(self.gate_problems)

    def lines(self) -> list[str]:
        """The report as text lines for a terminal."""
        out = [
            f"study: {self.study}",
            f"data: {self.data or '(published scores, no response rows)'}",
            f"{self.rows_read} rows read, {self.rows_used} used, {self.rows_rejected} rejected; "
            f"{self.respondents} respondent(s)",
        ]
        if self.rows_per_opd:
            empty = [k for k, v in self.rows_per_opd.items() if v == 0]
            out.append(
                "rows per OPD: " + ", ".join(f"{k} {v}" for k, v in self.rows_per_opd.items())
            )
            if empty:
                out.append(f"OPDs without any used row: {', '.join(empty)}")
        if self.skipped:
            out.append(
                "answers counted as unanswered (their rows used): "
                + ", ".join(f"{k} {v}" for k, v in self.skipped.items())
            )
        for w in self.warnings:
            out.append(f"warning: {w}")
        for g in self.groups:
            kept = " (row used; only this answer left out)" if g.kept else ""
            out.append(f"{g.reason.value}: {g.rows} row(s){kept}")
            out.extend(f"    {d}" for d in g.details)
            for e in g.examples:
                out.append(f"    {e.where()}: {e.message}")
            shown = len(g.examples)
            if g.rows > shown and not g.details:
                out.append(f"    … and {g.rows - shown} more (use --show N or --json)")
        if self.limit is not None:
            verdict = "exceeded" if self.exceeded else "within"
            out.append(
                f"rejects {self.rows_rejected} {verdict} the limit of {self.limit} "
                f"(max_rejects {self.max_rejects})"
            )
        elif self.rows_rejected == 0:
            out.append("no rows rejected")
        out.extend(f"gate: {p}" for p in self.gate_problems)
        # names and cells as typed, but on one line each and without raw control characters
        return [one_line(line) for line in out]


def _groups(
    entries: list[Reject], show: int, known_opds: list[str], scope: str = "row"
) -> list[RejectGroup]:
    rows: dict[RejectReason, set[tuple[str | None, int]]] = {}
    examples: dict[RejectReason, list[Reject]] = {}
    unknown: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    for e in entries:
        rows.setdefault(e.reason, set()).add((e.source, e.record))
        ex = examples.setdefault(e.reason, [])
        if len(ex) < show:
            ex.append(e)
        if e.reason is RejectReason.UNKNOWN_OPD and e.value is not None:
            unknown[e.value] += 1
        if e.reason is RejectReason.MISSING_REQUIRED:
            missing[e.column or "?"] += 1
    order = [*_HEADLINE, *sorted(set(rows) - set(_HEADLINE), key=lambda r: r.value)]
    out = []
    for reason in order:
        if reason not in rows:
            continue
        details: list[str] = []
        if reason is RejectReason.UNKNOWN_OPD:
            for name, count in unknown.most_common():
                hint = difflib.get_close_matches(name, known_opds, n=1, cutoff=0.5)
                tip = (
                    f": did you mean {hint[0]!r}? If so, add {name!r} to that OPD's aliases "
                    "([[opds]] aliases = [...]) in the study"
                    if hint
                    else ": no similar OPD name; correct the cell, or add the OPD to the study "
                    "as an [[opds]] entry"
                )
                details.append(f"{name!r} ({count} row(s)){tip}")
        elif reason is RejectReason.MISSING_REQUIRED:
            details = [f"column {c!r}: {n} row(s) without an answer" for c, n in missing.items()]
        out.append(
            RejectGroup(
                reason=reason,
                rows=len(rows[reason]),
                examples=examples[reason],
                details=details,
                kept=scope == "cell",
            )
        )
    return out


def report_for(
    study: Study,
    table: ResponseTable | None,
    *,
    show: int = 5,
    threshold: RejectThreshold | None = None,
    allow_empty_opds: bool | None = None,
) -> ValidationReport:
    """The validation report of responses already read, with the gates' verdict."""
    survey = study.survey
    data = str(study.data_path) if study.data_path else None
    if table is None:
        return ValidationReport(
            study=str(study.path),
            data=data,
            rows_read=0,
            rows_used=0,
            rows_rejected=0,
            respondents=0,
            rows_per_opd={},
            reasons={},
            groups=[],
            warnings=[],
        )
    log = table.rejects
    counts = table.opd_counts()
    known = [name for o in survey.opds for name in o.names()]
    per_opd = {o.id: int(counts[k]) for k, o in enumerate(survey.opds)}
    verdict = check_gates(
        study.spec.data,
        rows_read=log.rows_read,
        rows_rejected=log.rows_rejected,
        rows_per_opd=per_opd,
        opd_names={o.id: o.name for o in survey.opds},
        max_rejects=threshold,
        allow_empty_opds=allow_empty_opds,
        command=f"publiceval validate {study.path}",
    )
    return ValidationReport(
        study=str(study.path),
        data=data,
        rows_read=log.rows_read,
        rows_used=log.rows_used,
        rows_rejected=log.rows_rejected,
        respondents=table.n_respondents,
        rows_per_opd=per_opd,
        reasons=log.by_reason(),
        groups=_groups([e for e in log.entries if e.scope == "row"], show, known)
        + _groups(log.skipped_answers, show, known, scope="cell"),
        warnings=list(table.warnings),
        max_rejects=verdict.max_rejects,
        limit=verdict.limit,
        exceeded=log.rows_rejected > verdict.limit,
        skipped=log.skipped_by_reason(),
        empty_opds=verdict.empty_opds,
        gate_problems=verdict.problems,
    )


def validate_study(
    path: str | Path,
    *,
    max_rejects: str | RejectThreshold | None = None,
    show: int = 5,
    host: PluginHost | None = None,
    progress: Progress | None = None,
    allow_outside_data: bool = False,
    allow_empty_opds: bool | None = None,
    period: str | None = None,
) -> ValidationReport:
    """Load a study (its ``period``, default the latest), read its data and report every
    problem found.

    ``allow_outside_data`` lets ``[data] path`` name a file outside the study's folder (see
    :func:`~publiceval.load_study`).

    Raises :class:`~publiceval._core.errors.StudyError` or :class:`~publiceval._core.errors.DataError` when
    the study or the file cannot be read at all; problems with rows are in the report.
    """
    threshold = RejectThreshold.parse(max_rejects) if isinstance(max_rejects, str) else max_rejects
    study = load_study(path, host, allow_outside_data=allow_outside_data)
    study = study if period is None else study.period(period)
    responses = study.load_responses(host, progress)
    table = responses if isinstance(responses, ResponseTable) else None
    return report_for(
        study, table, show=show, threshold=threshold, allow_empty_opds=allow_empty_opds
    )
