"""Label columns (respondent, OPD, stratum, PSU ids) as codes, and the OPD name lookup."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..cells import factorize_text, missing_texts
from ..profile import name_key
from ..survey import Survey

__all__ = ["label_codes", "note_texts", "opd_names", "text_codes"]


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


#: Normalised OPD id/name/short name → position, per survey (surveys are frozen). Keyed by
#: ``id``; the weak reference tells a live survey from a new one that reused a dead one's id.
_OPD_NAMES: dict[int, tuple[weakref.ref[Survey], dict[str, int]]] = {}


def opd_names(survey: Survey) -> dict[str, int]:
    """The OPD lookup of a survey, built once (normalising 3 names × 1,000 OPDs costs ms)."""
    hit = _OPD_NAMES.get(id(survey))
    if hit is not None and hit[0]() is survey:
        return hit[1]
    names: dict[str, int] = {}
    for k, o in enumerate(survey.opds):
        for text in o.names():
            names.setdefault(name_key(text), k)
    if len(_OPD_NAMES) >= 32:
        _OPD_NAMES.clear()
    _OPD_NAMES[id(survey)] = (weakref.ref(survey), names)
    return names


def text_codes(col: NDArray[Any]) -> NDArray[np.int64]:
    """Codes equal exactly where the cells read equal as text (for "same answers" checks)."""
    return label_codes(col)[0]


def note_texts(cells: Any) -> NDArray[np.object_]:
    """A note column as text: the cell as typed, ``None`` where empty."""
    codes, labels, missing = label_codes(cells.values)
    texts = np.array([*labels, None], dtype=object)
    out: NDArray[np.object_] = texts[np.where(missing, len(labels), codes)]
    return out
