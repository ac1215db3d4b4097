"""Gates: a run that lost data does not look like a success.

A report ranking four OPDs when the study lists six, or built from the 60% of rows that
survived validation, would be published as if it were complete. ``evaluate`` and ``validate``
stop (exit code 6) when more rows were rejected than ``[data] max_rejects`` allows (10% by
default) or an OPD of ``[[opds]]`` has no usable row, unless the study or the command allows
it. The message says what happened and the ways forward.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from .errors import GateError
from .ingest import DataSpec
from .rejects import RejectThreshold

__all__ = ["DEFAULT_MAX_REJECTS", "GateVerdict", "check_gates", "enforce"]

#: Rejected rows allowed when the study and the command do not say.
DEFAULT_MAX_REJECTS = "10%"
#: Whether an OPD without a usable row may pass when the study and the command do not say.
DEFAULT_ALLOW_EMPTY_OPDS = False


class GateVerdict(BaseModel):
    """What the gates found: the limit, and each problem as one sentence (empty: passed)."""

    model_config = ConfigDict(frozen=True)

    max_rejects: str
    limit: int
    empty_opds: list[str]
    problems: list[str]

    @property
    def passed(self) -> bool:
        """No gate stopped the run."""
        return not self.problems


def check_gates(
    data: DataSpec | None,
    *,
    rows_read: int,
    rows_rejected: int,
    rows_per_opd: Mapping[str, int],
    opd_names: Mapping[str, str],
    max_rejects: str | RejectThreshold | None = None,
    allow_empty_opds: bool | None = None,
    command: str = "publiceval validate STUDY",
) -> GateVerdict:
    """Apply both gates; ``max_rejects``/``allow_empty_opds`` (the command's) override the study's."""
    if max_rejects is None:
        max_rejects = (data.max_rejects if data else None) or DEFAULT_MAX_REJECTS
    threshold = (
        max_rejects
        if isinstance(max_rejects, RejectThreshold)
        else RejectThreshold.parse(max_rejects)
    )
    if allow_empty_opds is not None:
        allow = allow_empty_opds
    elif data is not None and "allow_empty_opds" in data.model_fields_set:
        allow = data.allow_empty_opds
    else:
        allow = DEFAULT_ALLOW_EMPTY_OPDS
    limit = threshold.limit(rows_read)
    problems: list[str] = []
    if rows_rejected > limit:
        share = 100.0 * rows_rejected / rows_read if rows_read else 0.0
        problems.append(
            f"{rows_rejected} of {rows_read} rows ({share:.0f}%) were rejected, more than the "
            f"limit of {threshold} ([data] max_rejects); see why with {command}, fix the data, "
            f"or accept it with --max-rejects or [data] max_rejects"
        )
    empty = [opd for opd, n in rows_per_opd.items() if n == 0]
    if empty and not allow:
        names = _names(empty, opd_names)
        problems.append(
            f"{len(empty)} OPD(s) of the study have no usable row: {names}; a report would leave "
            f"them out. Check how the data names them ({command}), add the data's wording as an "
            "alias under [[opds]], remove them from the study, or accept it with "
            "--allow-empty-opds or [data] allow_empty_opds = true"
        )
    return GateVerdict(max_rejects=str(threshold), limit=limit, empty_opds=empty, problems=problems)


def _names(ids: Sequence[str], names: Mapping[str, str]) -> str:
    shown = [names.get(i, i) for i in ids[:8]]
    more = f" and {len(ids) - 8} more" if len(ids) > 8 else ""
    return ", ".join(shown) + more


def enforce(verdict: GateVerdict) -> None:
    """Raise :class:`GateError` (exit code 6) with every problem, one a line."""
    if not verdict.passed:
        raise GateError("\n".join(verdict.problems))
