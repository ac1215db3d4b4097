"""Label columns (respondent, OPD, stratum, PSU ids) as codes, and the OPD name lookup."""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..cells import MISSING_TOKENS, factorize_keys, factorize_text
from ..profile import name_key
from ..survey import Survey
from .handoff import Cells
from .ids import RespondentIds

__all__ = [
    "cell_label_codes",
    "id_codes",
    "label_codes",
    "missing_texts",
    "note_texts",
    "opd_lookup",
    "opd_names",
    "text_codes",
]


#: Every ASCII spelling of the missing tokens (``NA``, ``Null`` …), for a set lookup in C.
#: No non-ASCII character casefolds to an ASCII letter of these tokens, so for any text
#: ``t in _MISSING_FORMS`` is ``t.casefold() in MISSING_TOKENS`` (short non-ASCII texts are
#: still checked the slow way).
_MISSING_FORMS = frozenset(
    "".join(f) for t in MISSING_TOKENS for f in itertools.product(*({c, c.upper()} for c in t))
)


#: A text's UTF-8 bytes through this table: a byte no missing token holds (cased, padded)
#: is kept as 1, the separator becomes 2, the rest (a token's letters, ``/``, ``-``, ASCII
#: whitespace that ``str.strip`` removes, and any byte of a non-ASCII character, which may be
#: whitespace) is deleted. A text left empty may be missing and is checked one by one.
_TOKEN_BYTES = bytes(sorted({ord(c) for t in _MISSING_FORMS for c in t}))
_KEEP = bytes([2] + [1] * 255)
_DROP = _TOKEN_BYTES + bytes([*range(9, 14), *range(28, 33), *range(128, 256)])


def _missing_slow(texts: Sequence[str]) -> NDArray[np.bool_]:
    n = len(texts)
    stripped = list(map(str.strip, texts))
    out = np.fromiter(map(_MISSING_FORMS.__contains__, stripped), dtype=bool, count=n)
    if not all(map(str.isascii, stripped)):
        longest = max(len(t) for t in MISSING_TOKENS)
        for pos, text in enumerate(stripped):
            if len(text) <= longest and not text.isascii():
                out[pos] = text.casefold() in MISSING_TOKENS
    return out


def missing_texts(texts: list[str]) -> NDArray[np.bool_]:
    """``is_missing`` of each text in whole-array steps: the texts are joined once, their
    bytes translated in C, and only a text with no byte outside a missing token's (a few) is
    checked one by one."""
    n = len(texts)
    joined = "\x00".join(texts)
    if n < 64 or joined.count("\x00") != n - 1:  # few texts, or one holds a NUL itself
        return _missing_slow(texts)
    kept = joined.encode("utf-8", "surrogatepass").translate(_KEEP, _DROP)
    # where each text ends in the kept bytes: a text ending where the previous one did is empty
    ends = np.flatnonzero(np.frombuffer(kept, np.uint8) == 2)
    bounds = np.empty(n + 1, np.int64)
    bounds[0], bounds[1:-1], bounds[-1] = -1, ends, len(kept)
    maybe = np.flatnonzero(np.diff(bounds) == 1)
    out = np.zeros(n, bool)
    if maybe.size:
        out[maybe] = _missing_slow([texts[k] for k in maybe.tolist()])
    return out


def label_codes(col: NDArray[Any]) -> tuple[NDArray[np.int64], tuple[str, ...], NDArray[np.bool_]]:
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


def cell_label_codes(
    cells: Cells,
) -> tuple[NDArray[np.int64], tuple[str, ...], NDArray[np.bool_]]:
    """:func:`label_codes` of a field's cells, from their distinct values when the cells
    carry them (``Cells.dictionary``: a column read through the ingest road), so the work
    is per distinct value plus a few whole-array steps, not per cell."""
    table, codes = cells.dictionary, cells.codes
    if table is None or codes is None or codes.shape[0] == 0:
        return label_codes(cells.values)
    at = np.asarray(codes, dtype=np.int64)
    entry_codes, entry_labels, entry_missing = label_codes(table)
    idx = entry_codes[at]  # each cell's label, labels in the dictionary's order
    missing = entry_missing[at]
    n, k = idx.shape[0], len(entry_labels)
    # labels in the cells' first-seen order, without labels no cell holds (a subset of
    # records): the first position of each label, by a reversed scatter (last write wins)
    first = np.full(k, n, np.int64)
    first[idx[::-1]] = np.arange(n - 1, -1, -1, dtype=np.int64)
    if bool(np.all(first < n)) and bool(np.all(first[1:] > first[:-1])):
        return idx, entry_labels, missing
    used = np.flatnonzero(first < n)
    order = used[np.argsort(first[used], kind="stable")]
    rank = np.full(k, -1, np.int64)
    rank[order] = np.arange(order.shape[0])
    return rank[idx], tuple(entry_labels[j] for j in order.tolist()), missing


def id_codes(cells: Cells) -> tuple[NDArray[np.int64], RespondentIds, NDArray[np.bool_]]:
    """:func:`label_codes` of a respondent column, with the labels as :class:`RespondentIds`:
    integer ids stay integers (no Python string per id until one is read as text)."""
    col = cells.values
    if col.ndim == 1 and col.dtype.kind in "iu":
        codes, keys = factorize_keys(col)
        return codes, RespondentIds(keys), np.zeros(col.shape[0], bool)
    codes, labels, missing = cell_label_codes(cells)
    return codes, RespondentIds(labels), missing


def _codes_by_sort(
    col: NDArray[Any],
) -> tuple[NDArray[np.int64], tuple[str, ...], NDArray[np.bool_]]:
    """:func:`label_codes` for dtypes the hash path does not take (bytes, booleans, dates …)."""
    text = col.astype(str)
    uniques, first, inverse = np.unique(text, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    missing = missing_texts([str(u) for u in uniques.tolist()])[inverse]
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    return (
        rank[inverse].astype(np.int64),
        tuple(uniques[order].tolist()),
        missing,
    )


#: Normalised OPD id/name/short name → position, and the same for each name exactly as
#: written, per survey (surveys are frozen). Keyed by ``id``; the weak reference tells a live
#: survey from a new one that reused a dead one's id.
_OPD_NAMES: dict[int, tuple[weakref.ref[Survey], dict[str, int], dict[str, int]]] = {}


def _opd_tables(survey: Survey) -> tuple[dict[str, int], dict[str, int]]:
    hit = _OPD_NAMES.get(id(survey))
    if hit is not None and hit[0]() is survey:
        return hit[1], hit[2]
    names: dict[str, int] = {}
    for k, o in enumerate(survey.opds):
        for text in o.names():
            names.setdefault(name_key(text), k)
    # a cell typed exactly as an id or name needs no normalising (the usual export)
    exact = {text: names[name_key(text)] for o in survey.opds for text in o.names()}
    if len(_OPD_NAMES) >= 32:
        _OPD_NAMES.clear()
    _OPD_NAMES[id(survey)] = (weakref.ref(survey), names, exact)
    return names, exact


def opd_names(survey: Survey) -> dict[str, int]:
    """The OPD lookup of a survey, built once (normalising 3 names × 1,000 OPDs costs ms)."""
    return _opd_tables(survey)[0]


def opd_lookup(survey: Survey, labels: Sequence[str], unknown: int = -2) -> NDArray[np.int32]:
    """The position in ``survey.opds`` of each label (an id, name or short name, compared
    after normalising), ``unknown`` where none matches."""
    names, exact = _opd_tables(survey)
    out = [exact.get(lab, -3) for lab in labels]
    for j, k in enumerate(out):
        if k == -3:
            out[j] = names.get(name_key(labels[j]), unknown)
    return np.array(out or [unknown], dtype=np.int32)


def text_codes(col: NDArray[Any]) -> NDArray[np.int64]:
    """Codes equal exactly where the cells read equal as text (for "same answers" checks)."""
    return label_codes(col)[0]


def note_texts(cells: Cells) -> NDArray[np.object_]:
    """A note column as text: the cell as typed, ``None`` where empty."""
    codes, labels, missing = cell_label_codes(cells)
    texts = np.array([*labels, None], dtype=object)
    out: NDArray[np.object_] = texts[np.where(missing, len(labels), codes)]
    return out
