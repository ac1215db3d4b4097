"""The validated responses of one survey as numpy columns, and the ways to build them.

Bulk data never becomes one pydantic object per row: a reader hands over columns (a typed
:class:`~.handoff.Handoff`), and :mod:`.validate` parses each column once (per distinct value),
rejects bad rows into the :class:`~publiceval._core.rejects.RejectLog` with the same reason codes
as :class:`~publiceval._core.response.Response`, and keeps two answer blocks: answers about OPDs
(respondent × OPD rows) and survey-wide answers (one row per respondent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import DataError
from ..rejects import Reject, RejectLog, RejectReason
from ..response import Response
from ..survey import Survey
from .blocks import AnswerBlock, ColumnMap
from .handoff import Handoff, handoff_from_columns, show
from .ids import RespondentIds
from .validate import build

__all__ = ["ResponseTable"]

_RESERVED = ("respondent", "opd", "weight", "stratum", "psu")


@dataclass(frozen=True, init=False)
class ResponseTable:
    """Validated responses of one survey, in columns, with the log of every row not used.

    ``per_opd`` has one row per respondent × OPD; ``survey_wide`` one row per respondent who
    answered a survey-wide item. Codes in ``respondent``, ``stratum`` and ``psu`` index
    ``respondent_ids``, ``stratum_ids`` and ``psu_ids``; ``opd`` indexes ``survey.opds``.
    """

    survey: Survey
    per_opd: AnswerBlock
    survey_wide: AnswerBlock
    respondent_keys: RespondentIds
    """The distinct respondent ids as read (integer ids stay integers); ``respondent_ids``
    is the same as text, made on first use."""
    stratum_ids: tuple[str, ...] = ()
    psu_ids: tuple[str, ...] = ()
    rejects: RejectLog = field(default_factory=RejectLog)
    source: str | None = None
    warnings: tuple[str, ...] = ()
    """Things a reader noticed that reject no row (e.g. a legacy encoding was assumed)."""

    def __init__(
        self,
        survey: Survey,
        per_opd: AnswerBlock,
        survey_wide: AnswerBlock,
        respondent_ids: RespondentIds | NDArray[Any] | None = None,
        stratum_ids: tuple[str, ...] = (),
        psu_ids: tuple[str, ...] = (),
        rejects: RejectLog | None = None,
        source: str | None = None,
        warnings: tuple[str, ...] = (),
        *,
        respondent_keys: RespondentIds | None = None,
    ) -> None:
        keys = respondent_keys if respondent_keys is not None else respondent_ids
        if keys is None:
            raise TypeError("ResponseTable needs respondent_ids")
        for name, value in (
            ("survey", survey),
            ("per_opd", per_opd),
            ("survey_wide", survey_wide),
            ("respondent_keys", keys if isinstance(keys, RespondentIds) else RespondentIds(keys)),
            ("stratum_ids", stratum_ids),
            ("psu_ids", psu_ids),
            ("rejects", RejectLog() if rejects is None else rejects),
            ("source", source),
            ("warnings", warnings),
        ):
            object.__setattr__(self, name, value)

    @property
    def respondent_ids(self) -> NDArray[np.object_]:
        """The distinct respondent ids as text (an object array of ``str``), indexed by the
        respondent codes; written from integer ids on first use, then kept."""
        return self.respondent_keys.texts()

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_columns(
        cls,
        survey: Survey,
        columns: Mapping[str, ArrayLike],
        *,
        mapping: ColumnMap | None = None,
        source: str | None = None,
        first_row: int = 1,
        extra_rejects: Iterable[Reject] = (),
    ) -> ResponseTable:
        """Validate raw columns (cells as numbers or text) into a table.

        ``first_row`` is the number a person sees for the first data row (2 for a CSV with a
        header line), so reject entries point at the right place. ``extra_rejects`` are problems
        a reader found itself (e.g. a ragged row); their rows are rejected too.
        """
        handoff = handoff_from_columns(
            survey, columns, mapping or ColumnMap(), source, first_row, list(extra_rejects)
        )
        return cls.from_handoff(survey, handoff)

    @classmethod
    def from_handoff(cls, survey: Survey, handoff: Handoff) -> ResponseTable:
        """Validate the records of a typed hand-off (what :mod:`publiceval._core.ingest` builds).

        Every reject carries the file, row, column and cell text the hand-off gives its cell.
        """
        built = build(survey, handoff)
        return cls(
            survey=survey,
            per_opd=built.per_opd,
            survey_wide=built.survey_wide,
            respondent_keys=built.respondent_ids,
            stratum_ids=built.stratum_ids,
            psu_ids=built.psu_ids,
            rejects=built.rejects,
            source=handoff.source,
            warnings=handoff.warnings,
        )

    @classmethod
    def from_rows(
        cls,
        survey: Survey,
        rows: Iterable[Mapping[str, Any] | Response],
        *,
        source: str | None = None,
    ) -> ResponseTable:
        """Build from dicts or ``Response`` objects.

        A dict is either shaped like a ``Response`` (``{"respondent", "opd", "answers": {...}}``)
        or flat (``{"respondent": "r1", "opd": "bpbd", "q1": 3, ...}``). Rows are numbered from 1.
        """
        records: list[dict[str, Any]] = []
        extra: list[Reject] = []
        known = set(survey.item_map)
        for pos, row in enumerate(rows):
            flat = _flatten(row)
            for key in [k for k in flat if k not in known and k not in _RESERVED]:
                extra.append(
                    Reject(
                        row=pos + 1,
                        column=key,
                        value=show(flat.pop(key)),
                        reason=RejectReason.UNKNOWN_ITEM,
                        message=f"unknown item {key!r}; the survey's items are {', '.join(sorted(known))}",
                        source=source,
                    )
                )
            records.append(flat)
        names = [*_RESERVED, *survey.item_map]
        columns: dict[str, NDArray[Any]] = {}
        for name in names:
            col = np.empty(len(records), dtype=object)
            col[:] = [r.get(name) for r in records]
            columns[name] = col
        has = {name for r in records for name in r}
        mapping = ColumnMap(
            respondent="respondent",
            opd="opd",
            weight="weight" if "weight" in has else None,
            stratum="stratum" if "stratum" in has else None,
            psu="psu" if "psu" in has else None,
        )
        return cls.from_columns(
            survey, columns, mapping=mapping, source=source, extra_rejects=extra
        )

    @classmethod
    def from_arrays(
        cls,
        survey: Survey,
        *,
        opd: ArrayLike,
        answers: ArrayLike,
        respondent: ArrayLike | None = None,
        weight: ArrayLike | None = None,
        survey_answers: ArrayLike | None = None,
        stratum: ArrayLike | None = None,
        psu: ArrayLike | None = None,
    ) -> ResponseTable:
        """Build from arrays: ``answers`` is (rows × per-OPD items) in ``survey.opd_items`` order,
        NaN for no answer; ``opd`` holds OPD ids or integer positions in ``survey.opds``.
        """
        values = np.asarray(answers, dtype=np.float64)
        n = values.shape[0]
        if values.ndim != 2 or values.shape[1] != len(survey.opd_items):
            raise DataError(
                f"answers must be (rows × {len(survey.opd_items)}) for items "
                f"{', '.join(i.id for i in survey.opd_items)}; found shape {values.shape}"
            )
        opd_arr = np.asarray(opd)
        if opd_arr.dtype.kind in "iu":
            ids = np.array([o.id for o in survey.opds] + ["<unknown>"], dtype=object)
            opd_arr = ids[
                np.where((opd_arr >= 0) & (opd_arr < len(survey.opds)), opd_arr, len(survey.opds))
            ]
        columns: dict[str, ArrayLike] = {"opd": opd_arr}
        columns["respondent"] = (
            np.arange(1, n + 1) if respondent is None else np.asarray(respondent)
        )
        for j, item in enumerate(survey.opd_items):
            columns[item.id] = values[:, j]
        if survey_answers is not None:
            wide = np.asarray(survey_answers, dtype=np.float64).reshape(n, -1)
            for j, item in enumerate(survey.survey_items):
                columns[item.id] = wide[:, j]
        mapping = ColumnMap(
            weight=None if weight is None else "weight",
            stratum=None if stratum is None else "stratum",
            psu=None if psu is None else "psu",
        )
        for name, arr in (("weight", weight), ("stratum", stratum), ("psu", psu)):
            if arr is not None:
                columns[name] = np.asarray(arr)
        return cls.from_columns(survey, columns, mapping=mapping)

    # ------------------------------------------------------------------ views
    @property
    def n_respondents(self) -> int:
        """Distinct respondents with at least one used row."""
        codes = np.concatenate([self.per_opd.respondent, self.survey_wide.respondent])
        # codes index respondent_ids: a bincount is O(rows), a unique would sort them
        return int(np.count_nonzero(np.bincount(codes, minlength=len(self.respondent_keys))))

    def opd_counts(self) -> NDArray[np.int64]:
        """Rows (respondents) per OPD, in ``survey.opds`` order."""
        return np.bincount(self.per_opd.opd, minlength=len(self.survey.opds)).astype(np.int64)

    def take_opd_rows(self, rows: NDArray[Any]) -> ResponseTable:
        """The same table with only some per-OPD rows (e.g. a resample); survey-wide rows stay."""
        return ResponseTable(
            survey=self.survey,
            per_opd=self.per_opd.take(rows),
            survey_wide=self.survey_wide,
            respondent_keys=self.respondent_keys,
            stratum_ids=self.stratum_ids,
            psu_ids=self.psu_ids,
            rejects=self.rejects,
            source=self.source,
            warnings=self.warnings,
        )


def _flatten(row: Mapping[str, Any] | Response) -> dict[str, Any]:
    data = row.model_dump() if isinstance(row, Response) else dict(row)
    answers = data.pop("answers", None)
    data.pop("profile", None)
    if isinstance(answers, Mapping):
        data.update(answers)
    return data
