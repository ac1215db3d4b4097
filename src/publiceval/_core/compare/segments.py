"""Segments: an evaluation broken down by a respondent-profile question (gender, age group …).

Each segment's rows are evaluated as the study evaluates all rows (same method, scheme and
design options), per OPD and pooled over OPDs (every respondent once). The gap of each segment
from the reference segment (the first choice of the question with respondents) is tested as two
independent samples (Welch), Holm-corrected across the OPDs (and across segments for the
pooled gaps). A cell below ``min_n`` respondents is suppressed: its n is shown, its score not.

With strata or PSUs, each segment (and each OPD × segment cell) is a *domain* of the whole
design (:mod:`.segment_design`): scored over all rows with the domain estimator, and a gap's SE
comes from the PSU totals of the difference's linearised variable (the two segments share PSUs,
so they are not independent). A simple random sample is scored segment by segment, which is
then exact. A segment is a choice question's answer as given (numbers such as an age in years
must be grouped in the data first).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..errors import StudyError
from ..profile import ProfileQuestion, name_key
from ..results import Evaluation, Score
from ..survey import OPD, Item
from ..table import ResponseTable
from ..text import Text
from .change import adjust_family, score_change
from .models import Change
from .segment_design import DomainGap, designed, domain_table, gap_change, linearised

__all__ = ["SEGMENTS_SCHEMA_VERSION", "SegmentBreakdown", "segment_breakdown", "segment_labels"]

SEGMENTS_SCHEMA_VERSION = "1.0"
_FROZEN = ConfigDict(frozen=True, extra="forbid")


class SegmentCell(BaseModel):
    """One segment's score (in one OPD, or pooled); ``score`` is None when suppressed."""

    model_config = _FROZEN

    segment: str
    n: int
    score: Score | None = None
    suppressed: bool = False
    note: str = ""


class Gap(BaseModel):
    """``segment − reference`` with its interval and Holm-corrected test."""

    model_config = _FROZEN

    segment: str
    reference: str
    change: Change


class OPDSegments(BaseModel):
    """One OPD's cells and gaps."""

    model_config = _FROZEN

    opd: str
    name: str
    short_name: str | None = None
    cells: list[SegmentCell]
    gaps: list[Gap] = Field(default_factory=list)


class SegmentBreakdown(BaseModel):
    """The result of ``publiceval compare STUDY --by QUESTION``."""

    model_config = _FROZEN

    schema_version: str = SEGMENTS_SCHEMA_VERSION
    kind: str = "segments"
    title: str
    by: str
    question: Text
    segments: list[str]
    labels: dict[str, Text] = Field(default_factory=dict)
    reference: str
    min_n: int
    confidence: float
    no_answer: int = 0
    """Rows without an answer to the question (left out of every segment)."""
    pooled: list[SegmentCell]
    pooled_gaps: list[Gap] = Field(default_factory=list)
    opds: list[OPDSegments]
    notes: list[str] = Field(default_factory=list)
    estimator: str = "subsample"
    """``"domain"``: segments as domains of the whole design (strata or PSUs declared);
    ``"subsample"``: each segment's rows scored as their own simple random sample."""


def segment_labels(question: ProfileQuestion, answers: Sequence[str | None]) -> list[str | None]:
    """Each answer as its choice's Indonesian text (matched as the form matches), else as typed."""
    by_key = {name_key(c.id): c.id for c in question.choices}
    by_key.update({name_key(c.en): c.id for c in question.choices})
    out: list[str | None] = []
    for a in answers:
        text = None if a is None else str(a).strip()
        out.append(by_key.get(name_key(text), text) if text else None)
    return out


def _pooled(table: ResponseTable, rows: np.ndarray[Any, Any]) -> ResponseTable:
    """The rows as one OPD ("all"), so one score pools every respondent of the segment."""
    survey = table.survey.model_copy(update={"opds": (OPD(id="all", name="Semua OPD"),)})
    sub = table.take_opd_rows(rows)
    block = dataclasses.replace(sub.per_opd, opd=np.zeros_like(sub.per_opd.opd))
    return dataclasses.replace(sub, survey=survey, per_opd=block)


def _cell(segment: str, score: Score | None, n: int, min_n: int) -> SegmentCell:
    if n < min_n:
        return SegmentCell(
            segment=segment, n=n, suppressed=True, note=f"suppressed: n = {n} < {min_n}"
        )
    return SegmentCell(segment=segment, n=n, score=score)


GapRule = Callable[[SegmentCell, SegmentCell], Change]


def _gaps(
    cells: list[SegmentCell], reference: str, family: str, level: float, rule: GapRule | None
) -> list[Gap]:
    ref = next((c for c in cells if c.segment == reference), None)
    others = [c for c in cells if c.segment != reference and not c.suppressed]
    if ref is None or ref.suppressed or not others:
        return []
    raw = [
        rule(ref, c) if rule is not None else score_change(ref.score, c.score, level)
        for c in others
    ]
    return [
        Gap(segment=c.segment, reference=reference, change=ch)
        for c, ch in zip(others, adjust_family(raw, family, level), strict=True)
    ]


def segment_breakdown(
    table: ResponseTable,
    by: str,
    evaluate: Any,
    *,
    title: str = "",
    min_n: int = 30,
    confidence: float = 0.95,
    domain_evaluate: Any = None,
    mean_coef: tuple[Sequence[Item], Sequence[float]] | None = None,
    lonely_psu: str = "adjust",
) -> SegmentBreakdown:
    """Break ``table`` down by profile question ``by``; ``evaluate(table) -> Evaluation`` scores
    a table as the study does (same method, scheme and design options).

    With strata or PSUs in the rows and ``domain_evaluate`` given (``evaluate`` with
    ``[statistics] domain = "unconditional"``), segments are domains of the whole design (see
    :mod:`.segment_design`); ``mean_coef`` (the ``mean`` method's items and coefficients)
    gives the gaps' covariance."""
    question = next((q for q in table.survey.profile if q.id == by), None)
    if question is None:
        known = ", ".join(q.id for q in table.survey.profile) or "none"
        raise StudyError(f"--by {by!r}: not a [[profile]] question of the study (known: {known})")
    if question.kind != "choice":
        raise StudyError(
            f"--by {by!r}: a segment needs a choice question; {by!r} is of kind "
            f"{question.kind!r} (group it in the data, e.g. an age_group column)"
        )
    raw = table.per_opd.notes.get(by)
    answers = segment_labels(
        question, list(raw) if raw is not None else [None] * table.per_opd.n_rows
    )
    values = np.array([a if a is not None else "" for a in answers], dtype=object)
    order = [c.id for c in question.choices]
    present = [
        s for s in dict.fromkeys(order + sorted({a for a in answers if a})) if (values == s).any()
    ]
    if not present:
        raise StudyError(f"--by {by!r}: no row answers this question")
    reference = present[0]
    opds = table.survey.opds
    counts = {s: np.bincount(table.per_opd.opd[values == s], minlength=len(opds)) for s in present}
    as_domains = domain_evaluate is not None and designed(table)
    rule_pooled: GapRule | None
    rule_opd: list[GapRule | None]
    if as_domains:
        pooled, cells_by_opd, rule_pooled, rules = _domain_cells(
            table,
            values,
            present,
            counts,
            min_n,
            confidence,
            domain_evaluate,
            mean_coef,
            lonely_psu,
        )
        rule_opd = list(rules)
    else:
        pooled, cells_by_opd = _subsample_cells(table, values, present, counts, min_n, evaluate)
        rule_pooled, rule_opd = None, [None] * len(opds)
    # Holm across OPDs, one family per segment's gap from the reference
    gaps: list[list[Gap]] = [[] for _ in opds]
    for seg in present[1:]:
        fam = [
            next(
                (g for g in _gaps(cells, reference, "", confidence, rule) if g.segment == seg),
                None,
            )
            for cells, rule in zip(cells_by_opd, rule_opd, strict=True)
        ]
        adjusted = iter(adjust_family([g.change for g in fam if g], f"opd-gap:{seg}", confidence))
        for k, g in enumerate(fam):
            if g is not None:
                gaps[k].append(g.model_copy(update={"change": next(adjusted)}))
    out_opds = [
        OPDSegments(opd=o.id, name=o.name, short_name=o.short_name, cells=c, gaps=g)
        for o, c, g in zip(opds, cells_by_opd, gaps, strict=True)
    ]
    notes = []
    if any(c.suppressed for o in out_opds for c in o.cells) or any(c.suppressed for c in pooled):
        notes.append(
            f"cells with fewer than {min_n} respondents are suppressed (n shown, score not)"
        )
    return SegmentBreakdown(
        title=title or table.survey.title,
        by=by,
        question=question.text,
        segments=present,
        labels={c.id: c for c in question.choices if c.id in present},
        reference=reference,
        min_n=min_n,
        confidence=confidence,
        no_answer=int((values == "").sum()),
        pooled=pooled,
        pooled_gaps=_gaps(pooled, reference, "pooled-gap", confidence, rule_pooled),
        opds=out_opds,
        notes=notes,
        estimator="domain" if as_domains else "subsample",
    )


def _subsample_cells(
    table: ResponseTable,
    values: np.ndarray[Any, Any],
    present: list[str],
    counts: dict[str, np.ndarray[Any, Any]],
    min_n: int,
    evaluate: Any,
) -> tuple[list[SegmentCell], list[list[SegmentCell]]]:
    """Each segment's rows scored as their own sample (exact for a simple random sample)."""
    per_seg: dict[str, Evaluation] = {}
    pooled: list[SegmentCell] = []
    for seg in present:
        rows = np.flatnonzero(values == seg)
        per_seg[seg] = evaluate(table.take_opd_rows(rows))
        whole = evaluate(_pooled(table, rows)).opds[0].score
        pooled.append(_cell(seg, whole, int(rows.size), min_n))
    cells_by_opd: list[list[SegmentCell]] = []
    for k, o in enumerate(table.survey.opds):
        cells = []
        for seg in present:
            result = next((r for r in per_seg[seg].opds if r.opd == o.id), None)
            n = int(counts[seg][k])
            cells.append(_cell(seg, result.score if result and n else None, n, min_n))
        cells_by_opd.append(cells)
    return pooled, cells_by_opd


def _score(evaluation: Evaluation, code: int) -> Score | None:
    """The score of domain ``code`` (its "OPD" id is ``d{code}``, see :func:`domain_table`)."""
    return next((r.score for r in evaluation.opds if r.opd == f"d{code}"), None)


def _domain_cells(
    table: ResponseTable,
    values: np.ndarray[Any, Any],
    present: list[str],
    counts: dict[str, np.ndarray[Any, Any]],
    min_n: int,
    level: float,
    evaluate: Any,
    mean_coef: tuple[Sequence[Item], Sequence[float]] | None,
    lonely_psu: str,
) -> tuple[list[SegmentCell], list[list[SegmentCell]], GapRule, list[GapRule]]:
    """Segments, and OPD × segment cells, as domains of the whole design (all rows kept)."""
    n_seg = len(present)
    seg_code = np.full(values.size, n_seg, np.int64)  # n_seg: no answer
    for k, seg in enumerate(present):
        seg_code[values == seg] = k
    opds = table.survey.opds
    opd = table.per_opd.opd.astype(np.int64)
    cross = np.where(seg_code < n_seg, opd * n_seg + seg_code, len(opds) * n_seg)
    whole = evaluate(domain_table(table, seg_code, [*present, "-"]))
    both = evaluate(
        domain_table(table, cross, [f"{o.id}/{s}" for o in opds for s in present] + ["-"])
    )
    lin_seg: DomainGap | None = None
    lin_cross: DomainGap | None = None
    if mean_coef is not None:
        lin_seg = linearised(table, seg_code, n_seg + 1, *mean_coef, lonely_psu)
        lin_cross = linearised(table, cross, len(opds) * n_seg + 1, *mean_coef, lonely_psu)
    pooled = [
        _cell(s, _score(whole, k), int((seg_code == k).sum()), min_n) for k, s in enumerate(present)
    ]
    cells_by_opd = [
        [
            _cell(
                s,
                _score(both, o * n_seg + k) if counts[s][o] else None,
                int(counts[s][o]),
                min_n,
            )
            for k, s in enumerate(present)
        ]
        for o in range(len(opds))
    ]

    def rule(lin: DomainGap | None, base: int) -> GapRule:
        def change(ref: SegmentCell, cell: SegmentCell) -> Change:
            d_ref, d_seg = base + present.index(ref.segment), base + present.index(cell.segment)
            return gap_change(ref.score, cell.score, level, lin, d_ref, d_seg)

        return change

    return (
        pooled,
        cells_by_opd,
        rule(lin_seg, 0),
        [rule(lin_cross, o * n_seg) for o in range(len(opds))],
    )
