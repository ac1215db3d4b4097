"""Paired changes: the covariance of two periods' estimates when some respondents answered both.

When a respondent id appears in both periods for the same OPD (a panel, or people who came
back), the two estimates are not independent and

    Var(θ̂₂ − θ̂₁) = V₁ + V₂ − 2·Cov(θ̂₁, θ̂₂).

``V₁`` and ``V₂`` are each period's own design variances (the evaluations' SEs); ``Cov`` is
estimated from the linked respondents by linearization. Each estimate here is a linear
combination of ratio means ``Σ_j c_j ȳ_j``: an item mean, or the OPD score of any method whose
score is such a combination of item means or of answer-indicator means (``mean``, ``ikm-2017``,
``ikm-2004``, ``top-box``, ``nps``; the scale factor, e.g. 25 for the IKM, is in ``c``). Its
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

The coefficients ``c`` are read off the method itself (:func:`linear_coefficients` scores a
few one-respondent probes with it), so a plugin method that is such a combination pairs too.
The covariance is used only when the rows reproduce each period's own estimate and SE (to a
relative 1e-6): a linear method, every item answered in the OPD, no SE floor, rows that are
their own PSUs, no strata and no finite population correction; weights are honoured. Otherwise the linked respondents are counted and a
note says the change is treated as independent samples (conservative when, as usual, the
answers of one person correlate positively across periods).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..errors import PublicevalError
from ..results import Score
from ..scoring.items import oriented
from ..survey import OPD, Item, Survey
from ..table import AnswerBlock, ResponseTable

__all__ = [
    "IndicatorItem",
    "Influence",
    "Link",
    "columns",
    "influence",
    "linear_coefficients",
    "link",
    "overlap_df",
]

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


class IndicatorItem(Item):
    """A per-OPD item seen as a 0/1 answer indicator: 1 when the raw answer is one of
    ``values`` (its ratio mean is a share: a top-box share, NPS promoters)."""

    values: tuple[int, ...]


def columns(
    block: AnswerBlock, survey: Survey, items: Sequence[Item]
) -> tuple[FloatArray, NDArray[np.bool_]]:
    """Each column's values per row (the oriented answer, or an :class:`IndicatorItem`'s 0/1)
    and whether the item was answered."""
    y, obs = oriented(block, survey, items)
    for j, item in enumerate(items):
        if isinstance(item, IndicatorItem):
            y[:, j] = np.isin(block.values[:, block.items.index(item.id)], item.values)
    return y, obs


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
    y, obs = columns(sub, table.survey, items)
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
        why = (
            "the estimate is not a linear combination of means of the rows (a non-linear "
            "method, an item the OPD's respondents did not answer, or an SE floor)"
        )
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


_PROBE_TOL = 1e-9


def linear_coefficients(
    table: ResponseTable, method: str, options: Mapping[str, object]
) -> tuple[list[Item], list[float]] | None:
    """Columns and coefficients ``c`` with the method's OPD score ``= Σ c_j ȳ_j`` (on the
    score's own scale), read off the method itself; None when it is not such a combination.

    The columns are the method's answer indicators (``aggregate_indicators``) when it names
    any, else its items (``aggregate_items``). The method scores one-respondent probes: every
    column at its low value, then one column at a time raised (``c_j`` is the change in the
    score per unit), then a few sets of columns raised together (all, every other, the first
    half, every third), which with the first must fit ``Σ c_j x_j`` exactly (no intercept, no
    interaction: a ratio such as the CSI fails here). The caller still checks that the rows reproduce the
    evaluation's estimate and SE, so a probe a non-linear method happens to pass changes
    nothing."""
    survey = table.survey
    try:
        key = (
            method,
            json.dumps(dict(options), sort_keys=True, default=str),
            survey.model_copy(update={"opds": ()}).model_dump_json(),
        )
    except (TypeError, ValueError):
        return _read_off(survey, method, options)
    if key not in _READ:
        if len(_READ) >= 64:
            _READ.clear()
        _READ[key] = _read_off(survey, method, options)
    found = _READ[key]
    return None if found is None else (list(found[0]), list(found[1]))


_READ: dict[tuple[str, str, str], tuple[list[Item], list[float]] | None] = {}


def _read_off(
    survey: Survey, method: str, options: Mapping[str, object]
) -> tuple[list[Item], list[float]] | None:
    """:func:`linear_coefficients`, uncached."""
    from ..methods import ScoringContext
    from ..plugins import get_host

    try:
        scorer = get_host().method(method).create(dict(options))
        indicators = scorer.aggregate_indicators(survey)
        cols: list[Item]
        if indicators:
            cols = [
                IndicatorItem(**survey.item_map[i.item].model_dump(), values=i.values)
                for i in indicators
            ]
        else:
            wanted = scorer.aggregate_items(survey)
            cols = [i for i in survey.opd_items if wanted is None or i.id in wanted]
        if not cols:
            return None
        probe = _probe_rows(survey, cols)
        if probe is None:
            return None
        rows, low, step, checks = probe
        k = len(cols)
        opds = tuple(OPD(id=f"p{g}", name=f"p{g}") for g in range(rows.shape[0]))
        psurvey = survey.model_copy(update={"opds": opds})
        n = rows.shape[0]
        wide = np.array([[survey.scale_of(i).min for i in survey.survey_items]] * n, float)
        ptable = ResponseTable.from_arrays(
            psurvey, opd=np.arange(n), answers=rows, survey_answers=wide.reshape(n, -1)
        )
        result = scorer.score(ptable, ScoringContext())
        got = [result.opd_scores[o.id].value for o in opds]
    except (PublicevalError, ValueError, KeyError, ArithmeticError):
        return None
    if any(v is None or not np.isfinite(v) for v in got):
        return None
    s = np.array(got, dtype=np.float64)
    coef = (s[1 : k + 1] - s[0]) / step
    scale = max(1.0, float(np.abs(s).max()))
    fits = abs(s[0] - coef @ low) <= _PROBE_TOL * scale and bool(
        np.all(np.abs(s[k + 1 :] - (low + checks) @ coef) <= _PROBE_TOL * scale)
    )
    return (cols, [float(c) for c in coef]) if fits else None


def _probe_rows(
    survey: Survey, cols: Sequence[Item]
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray] | None:
    """Probe answers (rows × per-OPD items): all low, each column raised alone, then checks
    that raise several columns at once (all, every other, the first half, every third; one
    column per item); each column's low value, its step, and its steps in the checks (None:
    a column cannot be moved alone)."""
    items = survey.opd_items
    pos = {i.id: j for j, i in enumerate(items)}
    base = np.array([survey.scale_of(i).min for i in items], dtype=np.float64)
    k = len(cols)
    high = np.zeros(k)
    low, step = np.zeros(k), np.zeros(k)
    for j, col in enumerate(cols):
        scale = survey.scale_of(col)
        answers = range(scale.min, scale.max + 1)
        if isinstance(col, IndicatorItem):
            others = {v for c in cols if c.id == col.id for v in getattr(c, "values", ())}
            off = [v for v in answers if v not in others]
            alone = [
                v
                for v in col.values
                if not any(
                    v in getattr(c, "values", ()) for c in cols if c.id == col.id and c != col
                )
            ]
            if not off or not alone:
                return None
            base[pos[col.id]], high[j], low[j], step[j] = off[0], alone[0], 0.0, 1.0
        else:
            flip = col.reverse
            base[pos[col.id]] = scale.max if flip else scale.min
            high[j] = scale.min if flip else scale.max
            low[j], step[j] = scale.min, scale.max - scale.min
    index = np.arange(k)
    masks = [index >= 0, index % 2 == 0, index < k / 2, index % 3 == 1]
    rows = np.repeat(base[None, :], k + 1 + len(masks), axis=0)
    raised = np.zeros((len(masks), k))  # a check raises, of each item, its first column asked
    for j, col in enumerate(cols):
        rows[1 + j, pos[col.id]] = high[j]
        for m, mask in enumerate(masks):
            if mask[j] and not any(c.id == col.id and mask[i] for i, c in enumerate(cols[:j])):
                rows[k + 1 + m, pos[col.id]] = high[j]
                raised[m, j] = 1.0
    return rows, low, step, step * raised
