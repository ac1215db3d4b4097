"""One validation pass over a :class:`~.handoff.Handoff`: answer blocks and the reject log.

Each column is parsed once (per distinct value); bad rows are rejected with the same reason
codes as :class:`~publiceval._core.response.Response`, each reject written once with the row,
column and cell text the hand-off carries for it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..cells import ColumnParse, parse_column
from ..rejects import Reject, RejectLog, RejectReason
from ..survey import Item, Survey
from .blocks import AnswerBlock, empty_block
from .handoff import Cells, Handoff
from .ids import RespondentIds
from .labels import cell_label_codes, id_codes, note_texts, opd_lookup
from .messages import bad_weight_message, conflict_message
from .numbers import text_numbers
from .submissions import reject_repeats

__all__ = ["MAX_WEIGHT", "MIN_WEIGHT", "Built", "build"]

#: Weights are accepted within this range. The estimates are ratios, the same for weights
#: scaled by any factor; the range keeps every sum of weights, their squares and the design
#: variances finite and exact for a billion rows of answers up to 100.
MAX_WEIGHT = 1e100
MIN_WEIGHT = 1e-100


@dataclass(frozen=True)
class Built:
    """What the builder found: the parts of a :class:`ResponseTable`."""

    per_opd: AnswerBlock
    survey_wide: AnswerBlock
    respondent_ids: RespondentIds
    stratum_ids: tuple[str, ...]
    psu_ids: tuple[str, ...]
    rejects: RejectLog


def build(survey: Survey, handoff: Handoff) -> Built:
    """Validate the records of ``handoff`` against ``survey``."""
    return _Builder(survey, handoff).build()


class _Builder:
    """One validation pass over the records of a hand-off."""

    def __init__(self, survey: Survey, handoff: Handoff) -> None:
        self.survey = survey
        self.h = handoff
        self.source = handoff.source
        self.rows = np.asarray(handoff.rows, dtype=np.int64)
        self.n = handoff.n
        self.entries: list[Reject] = []
        self.bad = np.zeros(self.n, dtype=bool)
        for e, pos in zip(handoff.prior, handoff.prior_at, strict=True):
            if 0 <= pos < self.n:
                self.bad[pos] = True
                record = int(self.rows[pos])
                if record != e.row and e.record_row is None:
                    e = e.model_copy(update={"record_row": record})
            self.entries.append(e)

    def reject(
        self,
        rows: NDArray[np.bool_],
        cells: Cells | None,
        reason: RejectReason,
        message: Any,
        column: str | None = None,
        scope: Literal["row", "cell"] = "row",
    ) -> None:
        """Log ``rows`` as rejected; ``message`` is a string or a function of the row position.

        ``column`` names the column when there are no ``cells`` (an absent item column).
        ``scope="cell"`` logs a left-out answer and keeps its row.
        """
        for pos in np.flatnonzero(rows).tolist():
            record = int(self.rows[pos])
            row = record if cells is None else cells.row_at(pos, record)
            self.entries.append(
                Reject(
                    row=row,
                    record_row=None if row == record else record,
                    column=column if cells is None else cells.column_at(pos),
                    value=None if cells is None else cells.text_at(pos),
                    reason=reason,
                    message=message(pos) if callable(message) else message,
                    source=self.source,
                    scope=scope,
                )
            )
        if scope == "row":
            self.bad |= rows

    def build(self) -> Built:
        survey, h, n = self.survey, self.h, self.n
        # respondent
        if h.respondent is None:
            resp_codes = np.arange(n, dtype=np.int64)
            resp_ids = RespondentIds(self.rows.copy())  # each row its own respondent
        else:
            resp_codes, resp_ids, resp_missing = id_codes(h.respondent)
            self.reject(
                resp_missing & ~self.bad,  # a cell the reader rejected (a formula) is not "empty"
                h.respondent,
                RejectReason.MISSING_RESPONDENT,
                "respondent id is empty",
            )
        # OPD
        opd_codes = np.full(n, -1, dtype=np.int32)
        if h.opd is not None:
            opd_codes = self._opdlabel_codes(h.opd)
        # answers
        opd_items, wide_items = survey.opd_items, survey.survey_items
        values_opd, obs_opd, parsed_opd = self._parse_items(opd_items)
        values_wide, obs_wide, parsed_wide = self._parse_items(wide_items)
        any_opd = _any([p.observed for p in parsed_opd], n)
        any_wide = _any([p.observed for p in parsed_wide], n)
        self.reject(
            (opd_codes == -1) & any_opd & ~self.bad,
            h.opd,
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
                        h.items.get(item.id),
                        RejectReason.MISSING_REQUIRED,
                        f"required item {item.id!r} has no answer",
                        column=h.absent.get(item.id),
                    )
        weight = self._weights()
        stratum, stratum_ids = self._design(h.stratum, "stratum")
        psu, psu_ids = self._design(h.psu, "PSU")
        if h.respondent is not None:
            self._duplicates(resp_codes, opd_codes, any_opd, resp_ids)
        if (h.respondent is None or h.respondent.column is None) and not h.grouped:
            reject_repeats(self, opd_codes, parsed_opd + parsed_wide)
        wide_values = values_wide
        if h.respondent is not None and wide_items:
            self._conflicts(resp_codes, wide_values, obs_wide, resp_ids)
        rows_read = n
        if h.grouped:
            # one source row holds several records: a bad record rejects its whole row
            rows_read = int(np.unique(self.rows).size)
            if self.bad.any():
                self.bad |= np.isin(self.rows, self.rows[self.bad])
        good = ~self.bad
        opd_rows = good & (opd_codes >= 0) & any_opd
        # every record kept (the usual file): the arrays built here are the block's, uncopied
        keep: NDArray[np.bool_] | slice = slice(None) if opd_rows.all() else opd_rows
        per_opd = AnswerBlock(
            items=tuple(i.id for i in opd_items),
            values=values_opd[keep],
            observed=obs_opd[keep],
            respondent=resp_codes[keep],
            opd=opd_codes[keep],
            weight=weight[keep],
            stratum=None if stratum is None else stratum[keep],
            psu=None if psu is None else psu[keep],
            source_row=(self.rows.copy() if self.rows is h.rows else self.rows)[keep],
            notes={k: note_texts(c)[keep] for k, c in h.notes.items()},
        )
        survey_wide = self._survey_wide_block(
            good & any_wide, resp_codes, wide_values, obs_wide, weight, stratum, psu
        )
        self.entries.sort(key=lambda e: e.row)
        return Built(
            per_opd=per_opd,
            survey_wide=survey_wide,
            respondent_ids=resp_ids,
            stratum_ids=stratum_ids,
            psu_ids=psu_ids,
            rejects=RejectLog(rows_read=rows_read, entries=self.entries),
        )

    def _opdlabel_codes(self, cells: Cells) -> NDArray[np.int32]:
        survey = self.survey
        col = cells.values
        codes, labels, missing = cell_label_codes(cells)
        lut = opd_lookup(survey, labels)
        opd = lut[codes] if codes.size else np.zeros(0, np.int32)
        opd = np.where(missing, -1, opd).astype(np.int32)
        known: list[str] = []  # every OPD name, listed on the first unknown OPD only

        def message(pos: int) -> str:
            if not known:
                known.extend(name for o in survey.opds for name in o.names())
            choices = known
            found = str(col[pos])
            hint = difflib.get_close_matches(found, choices, n=1, cutoff=0.5)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            return f"unknown OPD {found!r}: expected an id, name or short name of the survey's OPDs{tip}"

        self.reject(opd == -2, cells, RejectReason.UNKNOWN_OPD, message)
        return opd

    def _parse_items(
        self, items: Sequence[Item]
    ) -> tuple[NDArray[np.int8], NDArray[np.bool_], list[ColumnParse]]:
        """Each column parsed straight into its column of a row-major (n, k) block, with no
        stacking afterwards (the aggregates read rows: column-major costs them more)."""
        values = np.zeros((self.n, len(items)), np.int8)
        observed = np.zeros((self.n, len(items)), bool)
        parsed = [self._parse_item(it, values[:, j], observed[:, j]) for j, it in enumerate(items)]
        return values, observed, parsed

    def _parse_item(
        self, item: Item, values: NDArray[np.int8], observed: NDArray[np.bool_]
    ) -> ColumnParse:
        scale = self.survey.scale_of(item)
        cells = self.h.items.get(item.id)
        if cells is None:  # the block's column stays zero: unanswered
            return ColumnParse(values, np.zeros(self.n, bool), np.zeros(self.n, np.int8), {})
        parsed = parse_column(cells.values, scale, valid=cells.valid, out=(values, observed))
        skip = self.h.policy.invalid_answer == "skip-answer"
        for code in np.unique(parsed.problem[parsed.problem != 0]).tolist():
            rows = parsed.problem == code
            first = parsed.problem_at(int(np.flatnonzero(rows)[0]))
            self.reject(
                rows,
                cells,
                first.reason,
                lambda pos, p=parsed: (
                    f"item {item.id!r}: {p.problem_at(pos).message}"
                    + (" (counted as unanswered)" if skip else "")
                ),
                scope="cell" if skip else "row",
            )
        return parsed

    def _weights(self) -> NDArray[np.float64]:
        cells = self.h.weight
        if cells is None:
            return np.ones(self.n, np.float64)
        col = cells.values
        if col.dtype.kind in "iuf":
            w = cells.unmasked().values.astype(np.float64, copy=False)
        else:
            # cells handed over as text (ResponseTable.from_columns): one locale per column
            w = text_numbers(
                col, f"{self.source or 'data'}: column {cells.column_at(0)!r}", self.rows
            )
        ok = np.isfinite(w) & (w > 0)
        self.reject(
            ~ok & ~self.bad,
            cells,
            RejectReason.BAD_WEIGHT,
            lambda pos: bad_weight_message(cells.text_at(pos)),
        )
        # sums of weights, of their squares and of weighted squared answers must stay finite
        # and exact: refuse weights far outside the range any real survey uses
        huge = ok & ((w > MAX_WEIGHT) | (w < MIN_WEIGHT))
        self.reject(
            huge & ~self.bad,
            cells,
            RejectReason.BAD_WEIGHT,
            lambda pos: (
                f"weight {cells.text_at(pos)!r} is outside {MIN_WEIGHT:g}..{MAX_WEIGHT:g}: its "
                "sums and squares would overflow or lose precision; expected weights on a "
                "usual scale (divide them all by a common factor)"
            ),
        )
        return np.where(ok & ~huge, w, 0.0)

    def _design(
        self, cells: Cells | None, what: str
    ) -> tuple[NDArray[np.int32] | None, tuple[str, ...]]:
        if cells is None:
            return None, ()
        codes, labels, missing = cell_label_codes(cells)
        self.reject(missing, cells, RejectReason.MALFORMED_ROW, f"{what} is empty")
        return codes.astype(np.int32), labels

    def _duplicates(
        self,
        resp: NDArray[np.int64],
        opd: NDArray[np.int32],
        any_opd: NDArray[np.bool_],
        ids: RespondentIds,
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
            int(k): int(self.rows[cand[f]])
            for k, f in zip(uniq.tolist(), first.tolist(), strict=True)
        }

        def message(pos: int) -> str:
            k = int(resp[pos] * (len(self.survey.opds) + 1) + opd[pos])
            return (
                f"respondent {ids[resp[pos]]!r} already rated OPD {self.survey.opds[opd[pos]].id!r} "
                f"in row {first_row[k]}"
            )

        self.reject(rows, self.h.respondent, RejectReason.DUPLICATE, message)

    def _conflicts(
        self,
        resp: NDArray[np.int64],
        values: NDArray[np.int8],
        observed: NDArray[np.bool_],
        ids: RespondentIds,
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
                self.h.items.get(item.id),
                RejectReason.CONFLICTING_ANSWER,
                conflict_message(ids, resp, values[:, j], reference, item.id),
                column=self.h.absent.get(item.id),
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
            return empty_block(items, (stratum is not None, psu is not None))
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
            source_row=self.rows[base],
        )


def _any(cols: Sequence[NDArray[np.bool_]], n: int) -> NDArray[np.bool_]:
    """Rows where any column is set: contiguous passes, not a reduction across a short axis."""
    out = np.zeros(n, bool)
    for col in cols:
        out |= col
    return out
