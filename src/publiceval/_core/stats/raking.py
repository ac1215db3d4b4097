"""Raking: weights that make the sample match known population margins.

A city survey over-represents whoever was at the service counter; the city's population by
gender and by age group is known from the census. Raking (iterative proportional fitting,
Deming & Stephan 1940) adjusts the weights one variable at a time until the weighted sample
reproduces every margin; the result is the multiplicative adjustment closest to the base
weights (in the Kullback–Leibler sense) that meets all margins.

Margins may be counts or shares. Counts of every variable must add up to the same total (the
weights then add up to it); shares are scaled so the weights average 1.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import PublicevalError

__all__ = ["RakeResult", "rake"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class RakeResult:
    """Raked weights and how the fit went."""

    weights: FloatArray
    iterations: int
    max_error: float
    """Largest relative gap between a weighted margin and its target at the end."""


def _codes(name: str, values: ArrayLike, n: int | None) -> tuple[NDArray[np.int64], list[Hashable]]:
    """Integer codes per row and the categories they stand for (first spelling seen)."""
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise PublicevalError(f"rake: variable {name!r} must be one value per row")
    if n is not None and arr.size != n:
        raise PublicevalError(
            f"rake: variable {name!r} has {arr.size} values; expected {n} like the other variables"
        )
    text = arr.astype(str)
    missing = np.isin(text, ["None", "nan", "NaN", "", "<NA>"])
    if missing.any():
        row = int(np.flatnonzero(missing)[0])
        raise PublicevalError(
            f"rake: variable {name!r} is missing in {int(missing.sum())} rows (first: row {row}); "
            "every row needs a category to be raked"
        )
    _, first, inverse = np.unique(text, return_index=True, return_inverse=True)
    cats: list[Hashable] = [arr[i].item() if hasattr(arr[i], "item") else arr[i] for i in first]
    return inverse.reshape(-1).astype(np.int64), cats


def rake(
    variables: Mapping[str, ArrayLike],
    margins: Mapping[str, Mapping[Hashable, float]],
    *,
    base_weight: ArrayLike | None = None,
    max_iter: int = 100,
    tol: float = 1e-8,
) -> RakeResult:
    """Weights whose weighted totals match ``margins`` for every variable.

    :param variables: per variable, one category per row (e.g. ``{"gender": [...], "age": [...]}``).
    :param margins: per variable, the population count or share of each category.
    :param base_weight: starting weights (design weights); default 1.
    :param max_iter: full cycles over the variables before giving up.
    :param tol: convergence when every margin is within this relative error.
    :raises PublicevalError: unknown or missing categories, empty cells, inconsistent totals, or
        no convergence (the message gives the remaining error and the worst margin).
    """
    if not variables:
        raise PublicevalError("rake: expected at least one variable with margins; found none")
    if set(variables) != set(margins):
        only_v = sorted(set(variables) - set(margins))
        only_m = sorted(set(margins) - set(variables))
        raise PublicevalError(
            "rake: variables and margins must name the same variables; "
            + (f"no margins for {only_v}" if only_v else "")
            + ("; " if only_v and only_m else "")
            + (f"no data for {only_m}" if only_m else "")
        )
    names = list(variables)
    n: int | None = None
    coded: list[tuple[NDArray[np.int64], FloatArray]] = []
    totals = []
    for name in names:
        codes, cats = _codes(name, variables[name], n)
        n = codes.size
        given = margins[name]
        by_str = {str(c): float(v) for c, v in given.items()}
        unknown = [c for c in cats if str(c) not in by_str]
        if unknown:
            raise PublicevalError(
                f"rake: variable {name!r} has categories without a margin: "
                + ", ".join(repr(c) for c in unknown)
            )
        if any(v < 0 or not np.isfinite(v) for v in by_str.values()):
            raise PublicevalError(f"rake: margins of {name!r} must be finite and non-negative")
        present = {str(c) for c in cats}
        empty = [c for c, v in given.items() if v > 0 and str(c) not in present]
        if empty:
            raise PublicevalError(
                f"rake: variable {name!r}: no respondent in categor{'y' if len(empty) == 1 else 'ies'} "
                + ", ".join(repr(c) for c in empty)
                + " although the margin is positive; merge it with a neighbouring category"
            )
        target = np.array([by_str[str(c)] for c in cats], dtype=np.float64)
        totals.append(float(sum(by_str.values())))
        coded.append((codes, target))
    assert n is not None
    if n == 0:
        raise PublicevalError("rake: no rows to weight")
    shares = all(abs(t - 1.0) < 1e-6 for t in totals)
    if not shares and max(totals) - min(totals) > 1e-6 * max(totals):
        listed = ", ".join(f"{nm} {t:g}" for nm, t in zip(names, totals, strict=True))
        raise PublicevalError(
            f"rake: the margins of every variable must add up to the same total; found {listed}"
        )
    grand = float(n) if shares else totals[0]
    w = np.ones(n) if base_weight is None else np.asarray(base_weight, dtype=np.float64).copy()
    if w.shape != (n,):
        raise PublicevalError(f"rake: base_weight has shape {w.shape}; expected ({n},)")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise PublicevalError("rake: base weights must be positive finite numbers")
    targets = [(codes, tgt / tgt.sum() * grand) for codes, tgt in coded]
    error = np.inf
    it = 0
    for it in range(1, max_iter + 1):
        for codes, tgt in targets:
            cur = np.bincount(codes, weights=w, minlength=tgt.size)
            with np.errstate(invalid="ignore", divide="ignore"):
                factor = np.where(cur > 0, tgt / cur, 0.0)
            w *= factor[codes]
        error = 0.0
        for codes, tgt in targets:
            cur = np.bincount(codes, weights=w, minlength=tgt.size)
            with np.errstate(invalid="ignore", divide="ignore"):
                rel = np.abs(cur - tgt) / np.where(tgt > 0, tgt, 1.0)
            error = max(error, float(rel.max()))
        if error <= tol:
            return RakeResult(weights=w, iterations=it, max_error=error)
    raise PublicevalError(
        f"rake: did not converge in {max_iter} cycles (largest relative margin error {error:.3g}); "
        "the margins may be impossible to meet with this sample (e.g. a combination of "
        "categories with no respondents) — merge sparse categories or raise max_iter"
    )
