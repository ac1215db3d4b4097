"""Instrument reliability: Cronbach's α per dimension, with Feldt's interval and item diagnostics.

An SKM questionnaire adds up items into one score per *dimension*; that sum means something only
when the items move together. For each dimension this module reports

* Cronbach's α, ``k/(k−1) · (1 − Σ var_j / var_total)``, from the item covariance matrix;
* Feldt's confidence interval (Feldt, Woodruff & Salih 1987):
  ``1 − (1−α)·F_{1−γ/2}`` to ``1 − (1−α)·F_{γ/2}`` with F on (n−1, (n−1)(k−1)) df;
* α if each item were deleted, and each item's *corrected* item–total correlation (with the
  total of the other items), both computed from the same covariance matrix;
* reverse-keyed items (``Item.reverse``) are flipped before anything is computed; an item whose
  corrected item–total correlation is negative gets a note, as it is probably keyed the other
  way round.

Missing answers: ``listwise`` (default) keeps respondents who answered every item of the
dimension; ``pairwise`` estimates each covariance from the respondents who answered both items
(pandas' ``DataFrame.cov``; the Feldt interval then uses the number of respondents with any
answer, as pingouin does). Rows are unweighted: α describes the instrument, not the population.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field

from ..errors import PublicevalError
from ..results import Interval
from ..scoring import oriented, performance_items
from ..table import ResponseTable

__all__ = [
    "AlphaResult",
    "DimensionReliability",
    "ItemReliability",
    "cronbach_alpha",
    "reliability",
]

FloatArray = NDArray[np.float64]
NanPolicy = Literal["listwise", "pairwise"]


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's α of k items with its interval and per-item diagnostics."""

    alpha: float
    low: float
    high: float
    level: float
    n: int
    k: int
    alpha_if_deleted: FloatArray
    """NaN when fewer than three items (α of one item is undefined)."""
    item_total: FloatArray
    """Corrected item–total correlations."""
    covariance: FloatArray


def _covariance(y: FloatArray, obs: NDArray[np.bool_], policy: NanPolicy) -> tuple[FloatArray, int]:
    if policy == "listwise":
        rows = obs.all(axis=1)
        x = y[rows]
        n = int(x.shape[0])
        if n < 2:
            return np.full((y.shape[1], y.shape[1]), np.nan), n
        xc = x - x.mean(axis=0)
        return (xc.T @ xc) / (n - 1), n
    m = obs.astype(np.float64)
    n = int(obs.any(axis=1).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.where(
            m.sum(axis=0) > 0, (np.where(obs, y, 0.0)).sum(axis=0) / m.sum(axis=0), 0.0
        )
    y0 = np.where(obs, y - centre, 0.0)
    n_jl = m.T @ m
    s_j = y0.T @ m  # [j, l]: sum of y_j over rows answering both
    prod = y0.T @ y0
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = np.where(n_jl > 1, (prod - s_j * s_j.T / n_jl) / (n_jl - 1), np.nan)
    return cov, n


def cronbach_alpha(
    data: ArrayLike,
    *,
    observed: ArrayLike | None = None,
    level: float = 0.95,
    nan_policy: NanPolicy = "listwise",
) -> AlphaResult:
    """Cronbach's α of the columns of ``data`` (respondents × items).

    ``observed`` marks answered cells (default: the non-NaN ones).
    """
    from scipy import stats  # imported here: scipy.stats costs ~0.5 s at start-up

    y = np.asarray(data, dtype=np.float64)
    if y.ndim != 2:
        raise PublicevalError(
            f"cronbach_alpha: expected respondents × items; found {y.ndim}-d data"
        )
    obs = ~np.isnan(y) if observed is None else np.asarray(observed, dtype=bool)
    if obs.shape != y.shape:
        raise PublicevalError(
            f"cronbach_alpha: observed has shape {obs.shape}; expected {y.shape} like the data"
        )
    if nan_policy not in ("listwise", "pairwise"):
        raise PublicevalError(
            f"cronbach_alpha: expected nan_policy 'listwise' or 'pairwise'; found {nan_policy!r}"
        )
    if not 0 < level < 1:
        raise PublicevalError(f"cronbach_alpha: expected 0 < level < 1; found {level}")
    k = y.shape[1]
    if k < 2:
        raise PublicevalError(f"cronbach_alpha: expected at least 2 items; found {k}")
    cov, n = _covariance(np.where(obs, y, 0.0), obs, nan_policy)
    total = cov.sum()
    trace = np.trace(cov)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = k / (k - 1) * (1.0 - trace / total)
        row = cov.sum(axis=1)
        diag = np.diag(cov)
        rest_var = total - 2.0 * row + diag  # variance of the total without item j
        item_total = (row - diag) / np.sqrt(diag * rest_var)
        if k >= 3:
            aid = (k - 1) / (k - 2) * (1.0 - (trace - diag) / rest_var)
        else:
            aid = np.full(k, np.nan)
    gamma = 1.0 - level
    low = high = float("nan")
    if n >= 2 and np.isfinite(alpha):
        df1, df2 = n - 1, (n - 1) * (k - 1)
        low = float(1.0 - (1.0 - alpha) * stats.f.isf(gamma / 2.0, df1, df2))
        high = float(1.0 - (1.0 - alpha) * stats.f.isf(1.0 - gamma / 2.0, df1, df2))
    return AlphaResult(
        alpha=float(alpha),
        low=low,
        high=high,
        level=level,
        n=n,
        k=k,
        alpha_if_deleted=np.asarray(aid, dtype=np.float64),
        item_total=np.asarray(item_total, dtype=np.float64),
        covariance=cov,
    )


class ItemReliability(BaseModel):
    """One item's diagnostics within its dimension."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    item: str
    reverse: bool = False
    alpha_if_deleted: float | None = None
    item_total: float | None = None
    """Corrected item–total correlation (with the sum of the dimension's other items)."""
    notes: list[str] = Field(default_factory=list)


class DimensionReliability(BaseModel):
    """Cronbach's α of one dimension (or of all items when the survey has no dimensions)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dimension: str | None
    n: int
    alpha: float | None
    ci: Interval | None = None
    nan_policy: NanPolicy = "listwise"
    items: list[ItemReliability] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


def _num(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def reliability(
    table: ResponseTable,
    *,
    items: Sequence[str] | None = None,
    level: float = 0.95,
    nan_policy: NanPolicy = "listwise",
) -> list[DimensionReliability]:
    """α per dimension of the per-OPD performance items (all items together when none has one).

    Each row of the table (a respondent's answers about one OPD) is one observation.
    """
    survey = table.survey
    chosen = performance_items(survey, items)
    groups: dict[str | None, list[int]] = {}
    for j, item in enumerate(chosen):
        groups.setdefault(item.dimension, []).append(j)
    y, obs = oriented(table.per_opd, survey, chosen)
    out = []
    for dim, cols in groups.items():
        members = [chosen[j] for j in cols]
        if len(cols) < 2:
            out.append(
                DimensionReliability(
                    dimension=dim,
                    n=int(obs[:, cols].any(axis=1).sum()),
                    alpha=None,
                    nan_policy=nan_policy,
                    items=[ItemReliability(item=i.id, reverse=i.reverse) for i in members],
                    notes=["one item only: α needs at least two"],
                )
            )
            continue
        res = cronbach_alpha(y[:, cols], observed=obs[:, cols], level=level, nan_policy=nan_policy)
        item_rows = []
        for j, item in enumerate(members):
            itc = _num(res.item_total[j])
            notes = (
                ["negative corrected item–total correlation: is this item reverse-keyed?"]
                if itc is not None and itc < 0
                else []
            )
            item_rows.append(
                ItemReliability(
                    item=item.id,
                    reverse=item.reverse,
                    alpha_if_deleted=_num(res.alpha_if_deleted[j]),
                    item_total=itc,
                    notes=notes,
                )
            )
        ci = (
            Interval(low=res.low, high=res.high, level=level, method="Feldt")
            if np.isfinite(res.low) and np.isfinite(res.high)
            else None
        )
        notes = [] if res.n >= 2 else ["fewer than two complete respondents"]
        out.append(
            DimensionReliability(
                dimension=dim,
                n=res.n,
                alpha=_num(res.alpha),
                ci=ci,
                nan_policy=nan_policy,
                items=item_rows,
                notes=notes,
            )
        )
    return out
