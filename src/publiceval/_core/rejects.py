"""Why a row was not used, and the log that keeps every such row.

The same reason codes serve the single-record path (``Response``) and the columnar path
(``ResponseTable``), so a web form and a bulk import explain a bad answer in the same words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import StudyError

__all__ = ["Reject", "RejectLog", "RejectReason", "RejectThreshold"]


class RejectReason(str, Enum):
    """Reason codes for a rejected row (stable strings: scripts may rely on them)."""

    UNKNOWN_OPD = "unknown_opd"
    MISSING_OPD = "missing_opd"
    MISSING_RESPONDENT = "missing_respondent"
    UNKNOWN_ITEM = "unknown_item"
    UNKNOWN_LABEL = "unknown_label"
    NOT_INTEGER = "not_integer"
    OUT_OF_RANGE = "out_of_range"
    BAD_WEIGHT = "bad_weight"
    NO_ANSWERS = "no_answers"
    MISSING_REQUIRED = "missing_required"
    DUPLICATE = "duplicate_response"
    CONFLICTING_ANSWER = "conflicting_answer"
    MALFORMED_ROW = "malformed_row"
    DUPLICATE_SUBMISSION = "duplicate_submission"


class Reject(BaseModel):
    """One problem found in one row: where (source, row, column), what (value) and why."""

    model_config = ConfigDict(frozen=True)

    row: int
    column: str | None = None
    value: str | None = None
    reason: RejectReason
    message: str
    source: str | None = None
    scope: Literal["row", "cell"] = "row"
    """``row``: the row was not used. ``cell``: only this answer was left out (counted as
    unanswered, ``[data] invalid_answer = "skip-answer"``) and the row's other answers count."""
    record_row: int | None = Field(default=None, exclude=True)
    """The row that names the record this cell belongs to, when it is not ``row``: a long
    layout spreads one respondent × OPD record over several rows, and rows are counted by
    record (not serialised: the counts travel with the log)."""

    @property
    def record(self) -> int:
        """The row counted as rejected: ``record_row``, else ``row``."""
        return self.row if self.record_row is None else self.record_row

    def where(self) -> str:
        """``file, row N, column C`` for messages."""
        parts = [self.source] if self.source else []
        parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)


class RejectLog(BaseModel):
    """Every row that was read but not used, with all its problems.

    ``rows_read == rows_used + rows_rejected`` always holds; a row with several bad cells is
    one rejected row with several entries.
    """

    rows_read: int = 0
    entries: list[Reject] = Field(default_factory=list)

    @property
    def rejected_rows(self) -> set[tuple[str | None, int]]:
        """(source, row) of every rejected row."""
        return {(e.source, e.record) for e in self.entries if e.scope == "row"}

    @property
    def skipped_answers(self) -> list[Reject]:
        """Answers left out as unanswered while their row was used."""
        return [e for e in self.entries if e.scope == "cell"]

    @property
    def rows_rejected(self) -> int:
        """How many distinct rows were rejected."""
        return len(self.rejected_rows)

    @property
    def rows_used(self) -> int:
        """How many rows went into the table."""
        return self.rows_read - self.rows_rejected

    def by_reason(self) -> dict[str, int]:
        """Rejected rows per reason (a row counts once per distinct reason it has)."""
        per_row = {(e.source, e.record, e.reason.value) for e in self.entries if e.scope == "row"}
        counts = Counter(reason for _, _, reason in per_row)
        return dict(sorted(counts.items()))

    def skipped_by_reason(self) -> dict[str, int]:
        """Answers left out (not their rows) per reason."""
        counts = Counter(e.reason.value for e in self.entries if e.scope == "cell")
        return dict(sorted(counts.items()))

    def add(self, entries: Iterable[Reject]) -> None:
        """Append entries (the caller keeps ``rows_read`` up to date)."""
        self.entries.extend(entries)

    def merged(self, other: RejectLog) -> RejectLog:
        """The log of two chunks read one after the other."""
        return RejectLog(
            rows_read=self.rows_read + other.rows_read, entries=[*self.entries, *other.entries]
        )

    def summary(self) -> str:
        """One line: read, used, rejected and why."""
        line = f"{self.rows_read} rows read, {self.rows_used} used, {self.rows_rejected} rejected"
        reasons = self.by_reason()
        if reasons:
            line += " (" + ", ".join(f"{k}: {v}" for k, v in reasons.items()) + ")"
        skipped = self.skipped_by_reason()
        if skipped:
            line += f"; {sum(skipped.values())} invalid answers counted as unanswered (" + (
                ", ".join(f"{k}: {v}" for k, v in skipped.items()) + ")"
            )
        return line


_THRESHOLD = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*$")


class RejectThreshold(BaseModel):
    """At most ``value`` rejected rows, or ``value`` percent of the rows read."""

    model_config = ConfigDict(frozen=True)

    value: float
    percent: bool = False

    @classmethod
    def parse(cls, text: str, what: str = "--max-rejects") -> RejectThreshold:
        """``"25"`` (rows) or ``"5%"`` (of the rows read); ``what`` names the setting in errors."""
        m = _THRESHOLD.match(text)
        if not m:
            raise StudyError(
                f"{what}: expected a row count such as 25 or a percentage such as 5%; "
                f"found {text!r}"
            )
        value = float(m.group(1).replace(",", "."))
        percent = m.group(2) == "%"
        if percent and value > 100:
            raise StudyError(f"{what}: a percentage must be 0..100%; found {text!r}")
        if not percent and value != int(value):
            raise StudyError(f"{what}: a row count must be whole; found {text!r}")
        return cls(value=value, percent=percent)

    def limit(self, rows_read: int) -> int:
        """The largest number of rejected rows allowed."""
        if self.percent:
            return math.floor(rows_read * self.value / 100 + 1e-9)
        return int(self.value)

    def __str__(self) -> str:
        return f"{self.value:g}%" if self.percent else f"{int(self.value)}"
