"""``publiceval validate``: check a study's data before evaluating it.

The report says how many rows were read, used and rejected and why, grouped so a person can fix
the file: duplicate respondents, out-of-range values, unknown OPD names with the closest known
name, missing required items. A threshold on rejects turns the check into a gate for scripts.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .errors import StudyError
from .ingest import Progress
from .plugins import PluginHost
from .rejects import Reject, RejectReason
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


class RejectThreshold(BaseModel):
    """At most ``value`` rejected rows, or ``value`` percent of the rows read."""

    model_config = ConfigDict(frozen=True)

    value: float
    percent: bool = False

    @classmethod
    def parse(cls, text: str) -> RejectThreshold:
        """``"25"`` (rows) or ``"5%"`` (of the rows read)."""
        m = _THRESHOLD.match(text)
        if not m:
            raise StudyError(
                f"--max-rejects: expected a row count such as 25 or a percentage such as 5%; "
                f"found {text!r}"
            )
        value = float(m.group(1).replace(",", "."))
        percent = m.group(2) == "%"
        if percent and value > 100:
            raise StudyError(f"--max-rejects: a percentage must be 0..100%; found {text!r}")
        if not percent and value != int(value):
            raise StudyError(f"--max-rejects: a row count must be whole; found {text!r}")
        return cls(value=value, percent=percent)

    def limit(self, rows_read: int) -> int:
        """The largest number of rejected rows allowed."""
        if self.percent:
            return math.floor(rows_read * self.value / 100 + 1e-9)
        return int(self.value)

    def __str__(self) -> str:
        return f"{self.value:g}%" if self.percent else f"{int(self.value)}"


class RejectGroup(BaseModel):
    """All rejects of one reason: how many rows, and the first few to look at."""

    reason: RejectReason
    rows: int
    examples: list[Reject]
    details: list[str] = Field(default_factory=list)
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
        for w in self.warnings:
            out.append(f"warning: {w}")
        for g in self.groups:
            out.append(f"{g.reason.value}: {g.rows} row(s)")
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
                f"(--max-rejects {self.max_rejects})"
            )
        elif self.rows_rejected == 0:
            out.append("no rows rejected")
        # names and cells as typed, but on one line each and without raw control characters
        return [one_line(line) for line in out]


def _groups(entries: list[Reject], show: int, known_opds: list[str]) -> list[RejectGroup]:
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
                tip = f": did you mean {hint[0]!r}?" if hint else ": no similar OPD name"
                details.append(f"{name!r} ({count} row(s)){tip}")
        elif reason is RejectReason.MISSING_REQUIRED:
            details = [f"column {c!r}: {n} row(s) without an answer" for c, n in missing.items()]
        out.append(
            RejectGroup(
                reason=reason, rows=len(rows[reason]), examples=examples[reason], details=details
            )
        )
    return out


def report_for(
    study: Study,
    table: ResponseTable | None,
    *,
    show: int = 5,
    threshold: RejectThreshold | None = None,
) -> ValidationReport:
    """The validation report of responses already read."""
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
    known = [o.name for o in survey.opds] + [o.id for o in survey.opds]
    limit = threshold.limit(log.rows_read) if threshold else None
    return ValidationReport(
        study=str(study.path),
        data=data,
        rows_read=log.rows_read,
        rows_used=log.rows_used,
        rows_rejected=log.rows_rejected,
        respondents=table.n_respondents,
        rows_per_opd={o.id: int(counts[k]) for k, o in enumerate(survey.opds)},
        reasons=log.by_reason(),
        groups=_groups(log.entries, show, known),
        warnings=list(table.warnings),
        max_rejects=str(threshold) if threshold else None,
        limit=limit,
        exceeded=limit is not None and log.rows_rejected > limit,
    )


def validate_study(
    path: str | Path,
    *,
    max_rejects: str | RejectThreshold | None = None,
    show: int = 5,
    host: PluginHost | None = None,
    progress: Progress | None = None,
    allow_outside_data: bool = False,
) -> ValidationReport:
    """Load a study, read its data and report every problem found.

    ``allow_outside_data`` lets ``[data] path`` name a file outside the study's folder (see
    :func:`~publiceval.load_study`).

    Raises :class:`~publiceval._core.errors.StudyError` or :class:`~publiceval._core.errors.DataError` when
    the study or the file cannot be read at all; problems with rows are in the report.
    """
    threshold = RejectThreshold.parse(max_rejects) if isinstance(max_rejects, str) else max_rejects
    study = load_study(path, host, allow_outside_data=allow_outside_data)
    responses = study.load_responses(host, progress)
    table = responses if isinstance(responses, ResponseTable) else None
    return report_for(study, table, show=show, threshold=threshold)
