"""Label columns (respondent, OPD, stratum, PSU ids) as codes, and the OPD name lookup."""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..cells import factorize_text, missing_texts
from ..survey import Survey, normalize_label

__all__ = ["label_codes", "opd_names"]


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
        for text in (o.id, o.name, o.short_name):
            if text:
                names.setdefault(normalize_label(text), k)
    if len(_OPD_NAMES) >= 32:
        _OPD_NAMES.clear()
    _OPD_NAMES[id(survey)] = (weakref.ref(survey), names)
    return names
