"""Bulk responses as numpy columns, validated column-wise.

Bulk data never becomes one pydantic object per row: a reader hands over columns, and
:meth:`ResponseTable.from_columns` parses each column once (per distinct value), rejects bad rows
into the :class:`~publiceval._core.rejects.RejectLog` with the same reason codes as
:class:`~publiceval._core.response.Response`, and keeps two answer blocks: answers about OPDs
(respondent × OPD rows) and survey-wide answers (one row per respondent).
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field

from .cells import ColumnParse, factorize_text, is_missing, missing_texts, parse_column
from .errors import DataError
from .rejects import Reject, RejectLog, RejectReason
from .response import Response
from .survey import Item, Survey, normalize_label

__all__ = ["AnswerBlock", "ColumnMap", "ResponseTable"]

_RESERVED = ("respondent", "opd", "weight", "stratum", "psu")


class ColumnMap(BaseModel):
    """Which data column holds what. Item columns default to the item id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    respondent: str | None = "respondent"
    opd: str | None = "opd"
    weight: str | None = None
    stratum: str | None = None
    psu: str | None = None
    items: dict[str, str] = Field(default_factory=dict)

    def item_column(self, item: Item) -> str:
        """The column holding answers to ``item``."""
        return self.items.get(item.id, item.id)


@dataclass(frozen=True)
class AnswerBlock:
    """Answers of one scope as columns: ``values[r, j]`` is meaningful only where ``observed``."""

    items: tuple[str, ...]
    values: NDArray[np.int8]
    observed: NDArray[np.bool_]
    respondent: NDArray[np.int64]
    opd: NDArray[np.int32]
    weight: NDArray[np.float64]
    stratum: NDArray[np.int32] | None
    psu: NDArray[np.int32] | None
    source_row: NDArray[np.int64]

    @property
    def n_rows(self) -> int:
        """Rows in the block."""
        return int(self.values.shape[0])

    def take(self, rows: NDArray[Any]) -> AnswerBlock:
        """A block of the selected rows (a boolean mask or positions)."""
        return AnswerBlock(
            items=self.items,
            values=self.values[rows],
            observed=self.observed[rows],
            respondent=self.respondent[rows],
            opd=self.opd[rows],
            weight=self.weight[rows],
            stratum=None if self.stratum is None else self.stratum[rows],
            psu=None if self.psu is None else self.psu[rows],
            source_row=self.source_row[rows],
        )

    def select(self, items: Sequence[str]) -> AnswerBlock:
        """A block with only the answer columns of ``items``, in that order (rows unchanged)."""
        pos = [self.items.index(i) for i in items]
        return dataclasses.replace(
            self,
            items=tuple(items),
            values=self.values[:, pos],
            observed=self.observed[:, pos],
        )


def _empty_block(items: tuple[str, ...], designed: tuple[bool, bool]) -> AnswerBlock:
    return AnswerBlock(
        items=items,
        values=np.zeros((0, len(items)), np.int8),
        observed=np.zeros((0, len(items)), bool),
        respondent=np.zeros(0, np.int64),
        opd=np.zeros(0, np.int32),
        weight=np.zeros(0, np.float64),
        stratum=np.zeros(0, np.int32) if designed[0] else None,
        psu=np.zeros(0, np.int32) if designed[1] else None,
        source_row=np.zeros(0, np.int64),
    )


@dataclass(frozen=True)
class ResponseTable:
    """Validated responses of one survey, in columns, with the log of every row not used.

    ``per_opd`` has one row per respondent × OPD; ``survey_wide`` one row per respondent who
    answered a survey-wide item. Codes in ``respondent``, ``stratum`` and ``psu`` index
    ``respondent_ids``, ``stratum_ids`` and ``psu_ids``; ``opd`` indexes ``survey.opds``.
    """

    survey: Survey
    per_opd: AnswerBlock
    survey_wide: AnswerBlock
    respondent_ids: NDArray[np.object_]
    stratum_ids: tuple[str, ...] = ()
    psu_ids: tuple[str, ...] = ()
    rejects: RejectLog = field(default_factory=RejectLog)
    source: str | None = None
    warnings: tuple[str, ...] = ()
    """Things a reader noticed that reject no row (e.g. a legacy encoding was assumed)."""

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
        return _Builder(
            survey, columns, mapping or ColumnMap(), source, first_row, extra_rejects
        ).build()

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
                        value=_show(flat.pop(key)),
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
        return int(np.count_nonzero(np.bincount(codes, minlength=len(self.respondent_ids))))

    def opd_counts(self) -> NDArray[np.int64]:
        """Rows (respondents) per OPD, in ``survey.opds`` order."""
        return np.bincount(self.per_opd.opd, minlength=len(self.survey.opds)).astype(np.int64)

    def take_opd_rows(self, rows: NDArray[Any]) -> ResponseTable:
        """The same table with only some per-OPD rows (e.g. a resample); survey-wide rows stay."""
        return ResponseTable(
            survey=self.survey,
            per_opd=self.per_opd.take(rows),
            survey_wide=self.survey_wide,
            respondent_ids=self.respondent_ids,
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


def _show(raw: object) -> str | None:
    return None if raw is None else str(raw)[:200]


def _codes(col: NDArray[Any]) -> tuple[NDArray[np.int64], tuple[str, ...], NDArray[np.bool_]]:
    """Factorise a label column: codes, labels in first-seen order, and which cells are empty.

    Labels are the cells read as text (``col.astype(str)``); the factorising is hash-based
    (:func:`~publiceval._core.cells.factorize_text`) and the missing-token check runs once per
    distinct label, not per cell.
    """
    factorized = factorize_text(col)
    if factorized is None:
        return _codes_by_sort(col)
    codes, labels = factorized
    if col.dtype.kind in "iu":
        missing = np.zeros(col.shape[0], bool)
    elif col.dtype.kind == "f":
        missing = np.asarray(np.isnan(col), dtype=bool)
    else:
        missing = missing_texts(labels)[codes]
    return codes, tuple(labels), missing


def _codes_by_sort(
    col: NDArray[Any],
) -> tuple[NDArray[np.int64], tuple[str, ...], NDArray[np.bool_]]:
    """:func:`_codes` for dtypes the hash path does not take (bytes, booleans, dates …)."""
    text = col.astype(str)
    uniques, first, inverse = np.unique(text, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    missing = _missing_uniques(uniques)[inverse]
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    return (
        rank[inverse].astype(np.int64),
        tuple(uniques[order].tolist()),
        missing,
    )


def _missing_uniques(uniques: NDArray[Any]) -> NDArray[np.bool_]:
    """``is_missing`` of each distinct text."""
    return missing_texts([str(u) for u in uniques.tolist()])


#: Normalised OPD id/name/short name → position, per survey (surveys are frozen). Keyed by
#: ``id``; the weak reference tells a live survey from a new one that reused a dead one's id.
_OPD_NAMES: dict[int, tuple[weakref.ref[Survey], dict[str, int]]] = {}


def _opd_names(survey: Survey) -> dict[str, int]:
    """The OPD lookup of a survey, built once (normalising 3 names × 1,000 OPDs costs ms)."""
    hit = _OPD_NAMES.get(id(survey))
    if hit is not None and hit[0]() is survey:
        return hit[1]
    names: dict[str, int] = {}
    for k, o in enumerate(survey.opds):
        for text in (o.id, o.name, o.short_name):
            if text:
                names.setdefault(normalize_label(text), k)
    if len(_OPD_NAMES) >= 32:
        _OPD_NAMES.clear()
    _OPD_NAMES[id(survey)] = (weakref.ref(survey), names)
    return names


class _Builder:
    """One validation pass over raw columns (kept private: the table is the public face)."""

    def __init__(
        self,
        survey: Survey,
        columns: Mapping[str, ArrayLike],
        mapping: ColumnMap,
        source: str | None,
        first_row: int,
        extra: Iterable[Reject],
    ) -> None:
        self.survey = survey
        self.mapping = mapping
        self.source = source
        self.first_row = first_row
        self.cols = {k: np.asarray(v) for k, v in columns.items()}
        lengths = {k: v.shape[0] for k, v in self.cols.items()}
        if len(set(lengths.values())) > 1:
            raise DataError(f"columns have different lengths: {lengths}")
        self.n = next(iter(lengths.values()), 0)
        self.entries: list[Reject] = list(extra)
        self.bad = np.zeros(self.n, dtype=bool)
        for e in self.entries:
            pos = e.row - first_row
            if 0 <= pos < self.n:
                self.bad[pos] = True

    def reject(
        self, rows: NDArray[np.bool_], column: str | None, reason: RejectReason, message: Any
    ) -> None:
        """Log ``rows`` as rejected; ``message`` is a string or a function of the row position."""
        col = self.cols.get(column) if column else None
        for pos in np.flatnonzero(rows).tolist():
            text = message(pos) if callable(message) else message
            value = (
                _show(col[pos].item() if hasattr(col[pos], "item") else col[pos])
                if col is not None
                else None
            )
            self.entries.append(
                Reject(
                    row=self.first_row + pos,
                    column=column,
                    value=value,
                    reason=reason,
                    message=text,
                    source=self.source,
                )
            )
        self.bad |= rows

    def column(self, name: str | None, what: str) -> NDArray[Any] | None:
        if name is None:
            return None
        if name not in self.cols:
            found = ", ".join(sorted(self.cols)[:20]) or "no columns"
            hint = difflib.get_close_matches(name, list(self.cols), n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            raise DataError(
                f"{self._where()}: expected a {what} column {name!r}; found {found}{tip}"
            )
        return self.cols[name]

    def _where(self) -> str:
        return self.source or "data"

    def build(self) -> ResponseTable:
        survey, m, n = self.survey, self.mapping, self.n
        # respondent
        resp_col = self.column(m.respondent, "respondent")
        if resp_col is None:
            resp_codes = np.arange(n, dtype=np.int64)
            resp_ids: tuple[str, ...] = tuple(str(self.first_row + i) for i in range(n))
        else:
            resp_codes, resp_ids, resp_missing = _codes(resp_col)
            self.reject(
                resp_missing,
                m.respondent,
                RejectReason.MISSING_RESPONDENT,
                "respondent id is empty",
            )
        # OPD
        opd_codes = np.full(n, -1, dtype=np.int32)
        opd_col = self.column(m.opd, "OPD")
        if opd_col is not None:
            opd_codes = self._opd_codes(opd_col)
        # answers
        opd_items, wide_items = survey.opd_items, survey.survey_items
        parsed_opd = [self._parse_item(it) for it in opd_items]
        parsed_wide = [self._parse_item(it) for it in wide_items]
        obs_opd = _stack([p.observed for p in parsed_opd], n)
        obs_wide = _stack([p.observed for p in parsed_wide], n)
        any_opd: NDArray[np.bool_] = np.asarray(obs_opd.any(axis=1), dtype=bool)
        any_wide: NDArray[np.bool_] = np.asarray(obs_wide.any(axis=1), dtype=bool)
        self.reject(
            (opd_codes == -1) & any_opd & ~self.bad,
            m.opd,
            RejectReason.MISSING_OPD,
            "the row answers per-OPD items but names no OPD",
        )
        self.reject(
            ~any_opd & ~any_wide & ~self.bad,
            None,
            RejectReason.NO_ANSWERS,
            "the row answers none of the survey's items",
        )
        for items, obs, scope_rows in (
            (opd_items, obs_opd, opd_codes >= 0),
            (wide_items, obs_wide, any_wide),
        ):
            for j, item in enumerate(items):
                if item.required:
                    self.reject(
                        scope_rows & ~obs[:, j] & ~self.bad,
                        m.item_column(item),
                        RejectReason.MISSING_REQUIRED,
                        f"required item {item.id!r} has no answer",
                    )
        weight = self._weights()
        stratum, stratum_ids = self._design(m.stratum, "stratum")
        psu, psu_ids = self._design(m.psu, "PSU")
        if resp_col is not None:
            self._duplicates(resp_codes, opd_codes, any_opd, resp_ids)
        wide_values = _stack_values([p.values for p in parsed_wide], n)
        if resp_col is not None and wide_items:
            self._conflicts(resp_codes, wide_values, obs_wide, resp_ids)
        good = ~self.bad
        rows = np.arange(n, dtype=np.int64)
        opd_rows = good & (opd_codes >= 0) & any_opd
        per_opd = AnswerBlock(
            items=tuple(i.id for i in opd_items),
            values=_stack_values([p.values for p in parsed_opd], n)[opd_rows],
            observed=obs_opd[opd_rows],
            respondent=resp_codes[opd_rows],
            opd=opd_codes[opd_rows],
            weight=weight[opd_rows],
            stratum=None if stratum is None else stratum[opd_rows],
            psu=None if psu is None else psu[opd_rows],
            source_row=rows[opd_rows] + self.first_row,
        )
        survey_wide = self._survey_wide_block(
            good & any_wide, resp_codes, wide_values, obs_wide, weight, stratum, psu
        )
        self.entries.sort(key=lambda e: e.row)
        log = RejectLog(rows_read=n, entries=self.entries)
        return ResponseTable(
            survey=survey,
            per_opd=per_opd,
            survey_wide=survey_wide,
            respondent_ids=np.array(resp_ids, dtype=object),
            stratum_ids=stratum_ids,
            psu_ids=psu_ids,
            rejects=log,
            source=self.source,
        )

    def _opd_codes(self, col: NDArray[Any]) -> NDArray[np.int32]:
        survey = self.survey
        names = _opd_names(survey)
        codes, labels, missing = _codes(col)
        lut = np.array(
            [names.get(normalize_label(lab), -2) for lab in labels] or [-2], dtype=np.int32
        )
        opd = lut[codes] if codes.size else np.zeros(0, np.int32)
        opd = np.where(missing, -1, opd).astype(np.int32)
        choices = [o.name for o in survey.opds] + [o.id for o in survey.opds]

        def message(pos: int) -> str:
            found = str(col[pos])
            hint = difflib.get_close_matches(found, choices, n=1, cutoff=0.5)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            return f"unknown OPD {found!r}: expected an id, name or short name of the survey's OPDs{tip}"

        self.reject(opd == -2, self.mapping.opd, RejectReason.UNKNOWN_OPD, message)
        return opd

    def _parse_item(self, item: Item) -> ColumnParse:
        name = self.mapping.item_column(item)
        scale = self.survey.scale_of(item)
        col = self.cols.get(name)
        if col is None:
            zeros = np.zeros(self.n, np.int8)
            return ColumnParse(zeros, np.zeros(self.n, bool), zeros, {})
        parsed = parse_column(col, scale)
        for code in np.unique(parsed.problem[parsed.problem != 0]).tolist():
            rows = parsed.problem == code
            first = parsed.problem_at(int(np.flatnonzero(rows)[0]))
            self.reject(
                rows,
                name,
                first.reason,
                lambda pos, p=parsed: f"item {item.id!r}: {p.problem_at(pos).message}",
            )
        return parsed

    def _weights(self) -> NDArray[np.float64]:
        col = self.column(self.mapping.weight, "weight")
        if col is None:
            return np.ones(self.n, np.float64)
        if col.dtype.kind in "iuf":
            w = col.astype(np.float64)
        else:
            text = np.char.replace(col.astype(str), ",", ".")
            w = np.full(self.n, np.nan)
            for u in np.unique(text).tolist():
                with contextlib.suppress(ValueError):
                    w[text == u] = float(u)
        ok = np.isfinite(w) & (w > 0)
        self.reject(
            ~ok,
            self.mapping.weight,
            RejectReason.BAD_WEIGHT,
            lambda pos: (
                "weight is empty; expected a positive number"
                if _missing_weight(col[pos])
                else f"weight must be a positive finite number; found {str(col[pos])!r}"
            ),
        )
        return np.where(ok, w, 0.0)

    def _design(
        self, name: str | None, what: str
    ) -> tuple[NDArray[np.int32] | None, tuple[str, ...]]:
        col = self.column(name, what)
        if col is None:
            return None, ()
        codes, labels, missing = _codes(col)
        self.reject(missing, name, RejectReason.MALFORMED_ROW, f"{what} is empty")
        return codes.astype(np.int32), labels

    def _duplicates(
        self,
        resp: NDArray[np.int64],
        opd: NDArray[np.int32],
        any_opd: NDArray[np.bool_],
        ids: tuple[str, ...],
    ) -> None:
        if len(ids) == self.n:
            return  # every row has its own respondent: no (respondent, OPD) pair can repeat
        cand = np.flatnonzero(~self.bad & (opd >= 0) & any_opd)
        if cand.size == 0:
            return
        key = resp[cand] * (len(self.survey.opds) + 1) + opd[cand]
        uniq, first = np.unique(key, return_index=True)
        dup = np.ones(cand.size, bool)
        dup[first] = False
        if not dup.any():
            return
        rows = np.zeros(self.n, bool)
        rows[cand[dup]] = True
        first_row = {
            int(k): int(cand[f]) + self.first_row
            for k, f in zip(uniq.tolist(), first.tolist(), strict=True)
        }

        def message(pos: int) -> str:
            k = int(resp[pos] * (len(self.survey.opds) + 1) + opd[pos])
            return (
                f"respondent {ids[resp[pos]]!r} already rated OPD {self.survey.opds[opd[pos]].id!r} "
                f"in row {first_row[k]}"
            )

        self.reject(rows, self.mapping.respondent, RejectReason.DUPLICATE, message)

    def _conflicts(
        self,
        resp: NDArray[np.int64],
        values: NDArray[np.int8],
        observed: NDArray[np.bool_],
        ids: tuple[str, ...],
    ) -> None:
        for j, item in enumerate(self.survey.survey_items):
            rows = np.flatnonzero(~self.bad & observed[:, j])
            if rows.size == 0:
                continue
            _, first = np.unique(resp[rows], return_index=True)
            reference = np.full(len(ids), -128, dtype=np.int16)
            reference[resp[rows[first]]] = values[rows[first], j]
            clash = np.zeros(self.n, bool)
            clash[rows] = values[rows, j] != reference[resp[rows]]
            self.reject(
                clash,
                self.mapping.item_column(item),
                RejectReason.CONFLICTING_ANSWER,
                _conflict_message(ids, resp, values[:, j], reference, item.id),
            )

    def _survey_wide_block(
        self,
        rows: NDArray[np.bool_],
        resp: NDArray[np.int64],
        values: NDArray[np.int8],
        observed: NDArray[np.bool_],
        weight: NDArray[np.float64],
        stratum: NDArray[np.int32] | None,
        psu: NDArray[np.int32] | None,
    ) -> AnswerBlock:
        items = tuple(i.id for i in self.survey.survey_items)
        idx = np.flatnonzero(rows)
        if idx.size == 0:
            return _empty_block(items, (stratum is not None, psu is not None))
        # one row per respondent: the first row that answered, then fill each item from any row
        respondents, first = np.unique(resp[idx], return_index=True)
        slot = np.searchsorted(respondents, resp[idx])
        out_v = np.zeros((respondents.size, len(items)), np.int8)
        out_o = np.zeros((respondents.size, len(items)), bool)
        for j in range(len(items)):
            have = observed[idx, j]
            out_v[slot[have][::-1], j] = values[idx[have], j][::-1]
            out_o[slot[have], j] = True
        base = idx[first]
        return AnswerBlock(
            items=items,
            values=out_v,
            observed=out_o,
            respondent=respondents.astype(np.int64),
            opd=np.full(respondents.size, -1, np.int32),
            weight=weight[base],
            stratum=None if stratum is None else stratum[base],
            psu=None if psu is None else psu[base],
            source_row=base.astype(np.int64) + self.first_row,
        )


def _missing_weight(cell: object) -> bool:
    return is_missing(cell if not isinstance(cell, np.generic) else cell.item())


def _conflict_message(
    ids: tuple[str, ...],
    resp: NDArray[np.int64],
    values: NDArray[np.int8],
    reference: NDArray[np.int16],
    item: str,
) -> Callable[[int], str]:
    def message(pos: int) -> str:
        return (
            f"respondent {ids[resp[pos]]!r} answered survey-wide item {item!r} with "
            f"{reference[resp[pos]]} in an earlier row and {values[pos]} here"
        )

    return message


def _stack(cols: Sequence[NDArray[np.bool_]], n: int) -> NDArray[np.bool_]:
    return np.column_stack(cols) if cols else np.zeros((n, 0), bool)


def _stack_values(cols: Sequence[NDArray[np.int8]], n: int) -> NDArray[np.int8]:
    return np.column_stack(cols).astype(np.int8) if cols else np.zeros((n, 0), np.int8)
