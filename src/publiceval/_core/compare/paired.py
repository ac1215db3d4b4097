"""Paired changes: the covariance of two periods' estimates when some respondents answered both.

When a respondent id appears in both periods for the same OPD (a panel, or people who came
back), the two estimates are not independent and

    Var(θ̂₂ − θ̂₁) = V₁ + V₂ − 2·Cov(θ̂₁, θ̂₂).

``V₁`` and ``V₂`` are each period's own design variances (the evaluations' SEs); ``Cov`` is
estimated from the linked respondents by linearization. Each estimate here is a linear
combination of ratio means (an item mean, or the ``mean`` method's average of item means), whose
influence value for row ``r`` is ``u_r = Σ_j c_j w_r o_rj (y_rj − ȳ_j) / W_j`` (``o`` answered,
``w`` the weight, ``W_j = Σ w o``). Over the ``n_c`` linked respondents

    Ĉov = n_c / (n_c − 1) · Σ_linked (u₁ᵢ − ū₁)(u₂ᵢ − ū₂),

which for unweighted means is Kish's covariance of partially overlapping samples,
``n_c·S₁₂ / (n₁·n₂)`` with ``S₁₂`` the covariance of the linked respondents' scores (Kish 1965,
*Survey Sampling*, §12.4; Derrick, Russ, Toher & White 2017, "Test statistics for the comparison
of means for two samples that include both paired and independent observations", *Journal of
Modern Applied Statistical Methods* 16(1), 137–157, whose partially overlapping samples
t-test this is). The degrees of freedom are Derrick et al.'s

    ν = (n_c − 1) + (γ − n_c + 1)·(n_a + n_b) / (n_a + n_b + 2·n_c),

``γ`` the Welch–Satterthwaite df of the independent test and ``n_a``, ``n_b`` the unlinked
respondents of each period. With every respondent linked (a full panel) this is exactly the
paired t-test (``scipy.stats.ttest_rel``): ``Var = s_d²/n``, ``ν = n − 1``; with none linked
nothing changes (the independent Welch test).

The covariance is used only when the rows reproduce each period's own estimate and SE (to a
relative 1e-6): the ``mean`` method, rows that are their own PSUs, no strata and no finite
population correction; weights are honoured. Otherwise the linked respondents are counted and a
note says the change is treated as independent samples (conservative when, as usual, the
answers of one person correlate positively across periods).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..errors import PublicevalError
from ..results import Score
from ..scoring.items import oriented, performance_items
from ..survey import Item
from ..table import ResponseTable

__all__ = ["Influence", "Link", "influence", "link", "overlap_df"]

FloatArray = NDArray[np.float64]
_TOL = 1e-6


@dataclass(frozen=True)
class Influence:
    """One estimate's linearized values per respondent id, and what they reproduce."""

    ids: NDArray[np.str_]
    u: FloatArray
    value: float
    variance: float
    problem: str | None = None
    """Why these rows cannot give a covariance (None: they can)."""


@dataclass(frozen=True)
class Link:
    """What the linked respondents say about one change."""

    n_linked: int
    cov: float | None = None
    """``Cov(θ̂₁, θ̂₂)``; None when respondents are linked but the covariance is not used."""
    note: str | None = None


def _design_problem(table: ResponseTable, rows: NDArray[np.int64], wide: bool) -> str | None:
    block = table.survey_wide if wide else table.per_opd
    if block.psu is not None:
        return "clustered design (PSUs)"
    if block.stratum is not None:
        return "stratified design"
    if not wide and any(o.population is not None for o in table.survey.opds):
        return "finite population correction"
    if np.unique(block.respondent[rows]).size != rows.size:
        return "a respondent id repeats within one period"
    return None


def influence(
    table: ResponseTable,
    items: Sequence[Item],
    coef: Sequence[float],
    *,
    opd: int | None,
) -> Influence:
    """Linearized values of ``Σ c_j ȳ_j`` over the rows of OPD index ``opd`` (None: the
    survey-wide block), keyed by respondent id, with the estimate and its variance."""
    wide = opd is None
    block = table.survey_wide if wide else table.per_opd
    rows = np.arange(block.n_rows) if wide else np.flatnonzero(block.opd == opd)
    if wide:
        wanted = {i.id for i in items}
        present = [i for i in items if i.id in block.items]
        if len(present) != len(wanted):
            return Influence(np.empty(0, str), np.empty(0), np.nan, np.nan, "missing items")
        rows = rows[block.observed[:, [block.items.index(i.id) for i in items]].any(axis=1)]
    sub = block.take(rows)
    y, obs = oriented(sub, table.survey, items)
    w = sub.weight.astype(np.float64)
    wo = w[:, None] * obs
    big_w = wo.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ybar = (wo * np.where(obs, y, 0.0)).sum(axis=0) / big_w
        u = (wo * np.where(obs, y - ybar, 0.0) / big_w) @ np.asarray(coef, np.float64)
    n = u.size
    var = float(n / (n - 1) * np.sum((u - u.mean()) ** 2)) if n > 1 else np.nan
    ids = np.asarray(table.respondent_ids[sub.respondent], dtype=object).astype(str)
    return Influence(
        ids=ids,
        u=u,
        value=float(np.asarray(coef) @ ybar),
        variance=var,
        problem=_design_problem(table, rows, wide),
    )


def _reproduces(inf: Influence, score: Score) -> bool:
    if score.value is None or score.se is None or not np.isfinite(inf.variance):
        return False
    close_value = abs(inf.value - score.value) <= _TOL * max(1.0, abs(score.value))
    return close_value and abs(inf.variance - score.se**2) <= _TOL * max(score.se**2, 1e-300)


def link(
    before: Influence | None,
    after: Influence | None,
    score_before: Score | None,
    score_after: Score | None,
) -> Link:
    """The linked respondents of one change and, when usable, the covariance of the two
    estimates (see the module docstring)."""
    if before is None or after is None:
        return Link(0)
    common, ia, ib = np.intersect1d(before.ids, after.ids, assume_unique=False, return_indices=True)
    nc = int(common.size)
    if nc == 0:
        return Link(0)
    why = before.problem or after.problem
    if why is None and not (
        score_before is not None
        and score_after is not None
        and _reproduces(before, score_before)
        and _reproduces(after, score_after)
    ):
        why = "the estimate is not a mean of the rows (a method other than mean, or an SE floor)"
    if why is None and nc < 2:
        why = "only one respondent is linked"
    if why is not None:
        return Link(
            nc,
            None,
            f"{nc} respondent(s) answered in both periods, but the covariance cannot be "
            f"estimated ({why}): the change is treated as independent samples",
        )
    ua, ub = before.u[ia], after.u[ib]
    cov = float(nc / (nc - 1) * np.sum((ua - ua.mean()) * (ub - ub.mean())))
    return Link(nc, cov)


def overlap_df(gamma: float | None, n1: int, n2: int, nc: int) -> float | None:
    """Derrick et al.'s (2017) df of the partially overlapping samples t-test: ``n_c − 1`` for a
    full panel, the Welch df ``γ`` with no overlap."""
    if gamma is None:
        return None
    na, nb = n1 - nc, n2 - nc
    return float((nc - 1) + (gamma - nc + 1) * (na + nb) / (na + nb + 2 * nc))


def mean_coefficients(
    table: ResponseTable, options: dict[str, object]
) -> tuple[list[Item], list[float]] | None:
    """The ``mean`` method's items and coefficients (its OPD score is ``Σ c_j ȳ_j``)."""
    only = options.get("items")
    try:
        items = performance_items(table.survey, list(only) if isinstance(only, list) else None)
    except PublicevalError:  # an unknown item: no pairing (the evaluation said so already)
        return None
    if not items:
        return None
    if all(i.weight is not None for i in items) and not only:
        return items, [float(i.weight or 0.0) for i in items]
    return items, [1.0 / len(items)] * len(items)
