"""Shaping a layout into records for the table builder: a typed :class:`~publiceval._core.table.Handoff`.

* ``wide``: each row is a record (respondent × OPD).
* ``opd-columns`` (melt): a row becomes one record per OPD it rates; cells keep their header.
* ``long`` (pivot): the rows of one respondent × OPD become one record; each answer keeps the
  row it was typed in, so a reject points at that row.

Problems found while shaping (an unknown item, an answer given twice) are rejects at their
source row; the builder writes its own rejects from the rows, headers and cell text the hand-off
carries. Nothing is renamed or re-pointed afterwards.
"""

from __future__ import annotations

import difflib
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..cells import is_missing
from ..errors import DataError
from ..rejects import Reject, RejectReason
from ..survey import Item, Survey, normalize_label
from ..table import Cells, ColumnMap, Handoff
from .accumulate import Parsed
from .plan import Plan, item_names

__all__ = ["shape"]


def shape(plan: Plan, parsed: Parsed, survey: Survey, source: str) -> Handoff:
    """The records of ``parsed`` in the plan's layout."""
    kind = plan.layout.kind
    if kind != "wide":  # integers with a validity mask are for the wide builder's answers
        parsed.columns = {k: c.unmasked() for k, c in parsed.columns.items()}
    if kind == "long":
        return _pivot_long(plan, parsed, survey, source)
    if kind == "opd-columns":
        return _melt(plan, parsed, survey, source)
    return _wide(plan, parsed, survey, source)


def _positions(rows: NDArray[np.int64], rejects: list[Reject]) -> list[int]:
    """The position of each reject's source row in ``rows`` (the first, if repeated)."""
    if not rejects:
        return []
    order = np.argsort(rows, kind="stable")
    keys = rows[order]
    out = []
    for e in rejects:
        i = int(np.searchsorted(keys, e.row))
        if i >= keys.size or keys[i] != e.row:
            raise DataError(f"internal: reject for row {e.row} not among the rows read")
        out.append(int(order[i]))
    return out


def _row_ids(rows: NDArray[np.int64]) -> Cells:
    """Respondent ids when each row is its own respondent: the row a person sees."""
    ids = np.empty(rows.shape[0], dtype=object)
    ids[:] = [f"row {r}" for r in rows.tolist()]
    return Cells(ids)


def _typed(cells: Cells) -> tuple[NDArray[np.object_], NDArray[np.int64]]:
    """Distinct texts as typed and the code of each cell."""
    if cells.typed is not None and cells.codes is not None:
        return cells.typed, cells.codes.astype(np.int64)
    values = np.empty(cells.values.shape[0], dtype=object)
    values[:] = cells.values.tolist()
    return values, np.arange(values.shape[0], dtype=np.int64)


def _wide(plan: Plan, parsed: Parsed, survey: Survey, source: str) -> Handoff:
    m, cols, rows = plan.mapping, parsed.columns, parsed.rows
    items = {i.id: cols[m.item_column(i)] for i in survey.items if m.item_column(i) in cols}

    def plain(name: str | None) -> Cells | None:
        # ids, OPDs and design read integers with gaps as the float column they stand for;
        # answers and weights are checked as integers with a validity mask
        return cols[name].unmasked() if name and name in cols else None

    return Handoff(
        rows=rows,
        source=source,
        respondent=cols[m.respondent].unmasked() if m.respondent else _row_ids(rows),
        opd=plain(m.opd),
        weight=cols.get(m.weight) if m.weight else None,
        stratum=plain(m.stratum),
        psu=plain(m.psu),
        items=items,
        absent={i.id: m.item_column(i) for i in survey.items if i.id not in items},
        prior=parsed.rejects,
        prior_at=_positions(rows, parsed.rejects),
        warnings=tuple(parsed.warnings),
        **_extras(plan, parsed, None),
    )


def _answered(cells: Cells) -> NDArray[np.bool_]:
    col = cells.values
    if col.dtype.kind == "f":
        return np.asarray(~np.isnan(col), dtype=bool)
    uniques, inverse = np.unique(col.astype(str), return_inverse=True)
    return np.array([not is_missing(str(u)) for u in uniques], dtype=bool)[inverse.reshape(-1)]


def _stack(parts: list[tuple[Cells | None, NDArray[np.int64]]]) -> Cells:
    """One column of the cells of several headers (``None``: no such header, empty cells)."""
    values, columns, codes = [], [], []
    typed: list[NDArray[np.object_]] = [np.array([None], dtype=object)]
    offset = 1
    for cells, idx in parts:
        n = idx.size
        header = np.empty(n, dtype=object)
        if cells is None:
            values.append(np.full(n, None, dtype=object))
            columns.append(header)
            codes.append(np.zeros(n, np.int64))
            continue
        part = cells.take(idx)
        values.append(part.values.astype(object))
        header[:] = part.column
        columns.append(header)
        texts, at = _typed(cells)
        typed.append(texts)
        codes.append(at[idx] + offset)
        offset += texts.shape[0]
    return Cells(
        np.concatenate(values),
        np.concatenate(columns),
        typed=np.concatenate(typed),
        codes=np.concatenate(codes),
    )


def _melt(plan: Plan, parsed: Parsed, survey: Survey, source: str) -> Handoff:
    cols, rows = parsed.columns, parsed.rows
    n = rows.shape[0]
    m = plan.mapping
    pos_parts: list[NDArray[np.int64]] = []
    opd_parts: list[NDArray[np.object_]] = []
    opd_headers: list[NDArray[np.object_]] = []
    item_parts: dict[str, list[tuple[Cells | None, NDArray[np.int64]]]] = {
        i.id: [] for i in survey.opd_items
    }
    covered = np.zeros(n, bool)
    for opd, pairs in plan.melt.items():
        answered = np.zeros(n, bool)
        for _, name in pairs:
            answered |= _answered(cols[name])
        idx = np.flatnonzero(answered)
        covered |= answered
        pos_parts.append(idx)
        opd_parts.append(np.full(idx.size, opd, dtype=object))
        opd_headers.append(np.full(idx.size, pairs[0][1], dtype=object))
        given = {item.id: name for item, name in pairs}
        for item in survey.opd_items:
            header = given.get(item.id)
            item_parts[item.id].append((None if header is None else cols[header], idx))
    # a row that rated no OPD still counts: it carries survey-wide answers or is rejected
    rest = np.flatnonzero(~covered)
    pos_parts.append(rest)
    opd_parts.append(np.full(rest.size, None, dtype=object))
    opd_headers.append(np.full(rest.size, None, dtype=object))
    for item in survey.opd_items:
        item_parts[item.id].append((None, rest))
    pos = np.concatenate(pos_parts)
    order = np.argsort(pos, kind="stable")
    pos = pos[order]
    items = {i: _stack(parts).take(order) for i, parts in item_parts.items()}
    first = np.ones(pos.size, bool)
    first[1:] = pos[1:] != pos[:-1]
    for item_id, name in plan.wide_columns.items():
        # survey-wide answers go with the first record of their row
        cells = cols[name].take(pos)
        values = cells.values.astype(object)
        values[~first] = None
        items[item_id] = Cells(values, name, typed=cells.typed, codes=cells.codes)
    record_rows = rows[pos]

    def design(name: str | None) -> Cells | None:
        return cols[name].take(pos) if name else None

    return Handoff(
        rows=record_rows,
        source=source,
        respondent=design(m.respondent) if m.respondent else _row_ids(record_rows),
        opd=Cells(np.concatenate(opd_parts)[order], np.concatenate(opd_headers)[order]),
        weight=design(m.weight),
        stratum=design(m.stratum),
        psu=design(m.psu),
        items=items,
        prior=parsed.rejects,
        prior_at=_positions(record_rows, parsed.rejects),
        grouped=True,
        warnings=tuple(parsed.warnings),
        **_extras(plan, parsed, pos),
    )


def _extras(plan: Plan, parsed: Parsed, take: NDArray[np.int64] | None) -> dict[str, Any]:
    """The hand-off's timestamp, note columns and policy (cells at ``take``: one per record)."""
    cols = parsed.columns

    def pick(name: str | None) -> Cells | None:
        if not name or name not in cols:
            return None
        cells = cols[name].unmasked()
        return cells if take is None else cells.take(take)

    notes = {key: pick(name) for key, name in plan.notes.items()}
    return {
        "timestamp": pick(plan.mapping.timestamp),
        "notes": {k: v for k, v in notes.items() if v is not None},
        "policy": plan.layout.policy,
    }


def _group_codes(cells: Cells) -> NDArray[np.int64]:
    """Equal ids share a code (read as text, as the builder reads them)."""
    return np.unique(cells.values.astype(str), return_inverse=True)[1].reshape(-1).astype(np.int64)


def _pivot_long(plan: Plan, parsed: Parsed, survey: Survey, source: str) -> Handoff:
    m, lay = plan.mapping, plan.layout
    cols, rows = parsed.columns, parsed.rows
    assert m.respondent is not None  # checked when planning
    resp_codes = _group_codes(cols[m.respondent])
    opd_codes = _group_codes(cols[m.opd]) if m.opd else np.zeros(rows.shape[0], np.int64)
    key = resp_codes * (int(opd_codes.max(initial=0)) + 1) + opd_codes
    _, first, group = np.unique(key, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    # number groups in order of first appearance
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    group = rank[group]
    lead = first[order]
    n_groups = order.size
    which = _item_of_lines(survey, m, cols[lay.item_column])
    prior: list[Reject] = list(parsed.rejects)
    prior_at = [int(group[p]) for p in _positions(rows, parsed.rejects)]

    def reject(pos: int, column: str, value: str | None, reason: RejectReason, msg: str) -> None:
        prior.append(
            Reject(
                row=int(rows[pos]),
                column=column,
                value=value,
                reason=reason,
                message=msg,
                source=source,
            )
        )
        prior_at.append(int(group[pos]))

    item_col = cols[lay.item_column]
    known = ", ".join(i.id for i in survey.items)
    for pos in np.flatnonzero(which < 0).tolist():
        raw = item_col.text_at(pos)
        if is_missing(raw):
            msg = f"the item cell is empty; expected one of {known}"
        else:
            hint = difflib.get_close_matches(str(raw), [i.id for i in survey.items], n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            msg = f"unknown item {raw!r}; expected one of {known}{tip}"
        reject(pos, lay.item_column, raw, RejectReason.UNKNOWN_ITEM, msg)
    ok = np.flatnonzero(which >= 0)
    cell = group[ok] * len(survey.items) + which[ok]
    _, counts = np.unique(cell, return_counts=True)
    if (counts > 1).any():
        # a stable sort keeps file order within a cell: every position after a cell's first
        # is a repeat (found without a Python loop over the rows; only repeats are visited)
        order = np.argsort(cell, kind="stable")
        repeat = np.zeros(order.size, dtype=bool)
        repeat[1:] = cell[order][1:] == cell[order][:-1]
        first = order[np.maximum.accumulate(np.where(repeat, 0, np.arange(order.size)))]
        again, first_of = order[repeat], first[repeat]
        in_file_order = np.argsort(again, kind="stable")
        for j, f in zip(
            again[in_file_order].tolist(), first_of[in_file_order].tolist(), strict=True
        ):
            pos = int(ok[j])
            item = survey.items[int(which[pos])]
            msg = (
                f"item {item.id!r} answered again for the same respondent and OPD "
                f"(first in row {rows[int(ok[f])]})"
            )
            reject(pos, lay.item_column, item.id, RejectReason.DUPLICATE, msg)
    value = cols[lay.value_column]
    texts, text_codes = _typed(value)
    typed = np.concatenate([np.array([None], dtype=object), texts])
    items: dict[str, Cells] = {}
    record_rows = rows[lead]
    for j, item in enumerate(survey.items):
        sel = ok[which[ok] == j]
        values = np.full(n_groups, None, dtype=object)
        values[group[sel]] = value.values[sel]
        codes = np.zeros(n_groups, np.int64)
        codes[group[sel]] = text_codes[sel] + 1
        # the row each answer was typed in (the record's row where there is none)
        lines = record_rows.copy()
        lines[group[sel][::-1]] = rows[sel][::-1]
        items[item.id] = Cells(values, lay.value_column, lines, typed, codes)
    design: dict[str, Cells | None] = {}
    for key_name in ("weight", "stratum", "psu"):
        name = getattr(m, key_name)
        if not name:
            design[key_name] = None
            continue
        cells = cols[name]
        design[key_name] = cells.take(lead)
        text = cells.values.astype(str)
        for pos in np.flatnonzero(text != text[lead][group]).tolist():
            base = int(lead[group[pos]])
            reject(
                pos,
                name,
                cells.text_at(pos),
                RejectReason.BAD_WEIGHT if key_name == "weight" else RejectReason.MALFORMED_ROW,
                f"{key_name} {cells.text_at(pos)!r} differs from "
                f"{cells.text_at(base)!r} in row {rows[base]} of the same respondent and OPD",
            )
    return Handoff(
        rows=record_rows,
        source=source,
        respondent=cols[m.respondent].take(lead),
        opd=cols[m.opd].take(lead) if m.opd else None,
        weight=design["weight"],
        stratum=design["stratum"],
        psu=design["psu"],
        items=items,
        prior=prior,
        prior_at=prior_at,
        warnings=tuple(parsed.warnings),
        **_extras(plan, parsed, lead),
    )


def _item_of_lines(survey: Survey, m: ColumnMap, item_col: Cells) -> NDArray[np.int64]:
    """The position in ``survey.items`` of the item each row names (-1: none)."""
    names: dict[str, Item] = {}
    for item in survey.items:
        for n in item_names(item, m):
            names.setdefault(n, item)
    item_vals, item_inv = np.unique(item_col.values.astype(str), return_inverse=True)
    item_inv = item_inv.reshape(-1)
    lut = np.array(
        [
            survey.items.index(names[normalize_label(str(v))])
            if normalize_label(str(v)) in names
            else -1
            for v in item_vals
        ],
        dtype=np.int64,
    )
    return lut[item_inv] if item_inv.size else np.zeros(0, np.int64)
