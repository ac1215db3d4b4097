"""Segments of a stratified or clustered sample as *domains* of the whole design.

A segment (women, one age group) cuts across the PSUs, so its score is a domain estimate
(Lumley, *Complex Surveys*, 2010, §2.4; R's ``svyby(~y, ~segment, design, svymean)``): the
linearised variable is zero outside the segment, every PSU and stratum of the design counts
whether or not it holds a member, and the df are those of the whole design. Each segment
(pooled) and each OPD × segment cell is such a domain, scored by the study's own method with
``[statistics] domain = "unconditional"`` over all rows.

The gap between two segments is a difference of two domain estimates from the same PSUs, so
they are not independent. Its variance is that of the difference's linearised variable,
``d_i = z_i(seg) − z_i(ref)``, from its PSU totals within strata:
``Σ_h n_h/(n_h−1) Σ_p (D_hp − D̄_h)²`` (Wolter 2007, §6; R's ``svycontrast`` on the ``svyby``
result, which uses the covariance matrix of the domain estimates). ``z`` is the linearised
variable of the method's ``Σ c_j ȳ_j`` (any method whose score is a linear combination of item
or answer-indicator means: ``mean``, ``ikm-2017``, ``ikm-2004``, ``top-box``, ``nps``; the
coefficients are read off the method, :func:`.paired.linear_coefficients`) and is used only
when it reproduces the method's own estimate and SE of both cells; otherwise (a non-linear
method, an item a cell did not answer, an SE floor) the gap takes the two variances as
independent and says so.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..results import Evaluation, Interval, Score
from ..survey import OPD, Item
from ..table import ResponseTable
from .change import score_change, t_quantile
from .models import Change
from .paired import columns

__all__ = [
    "DomainGap",
    "designed",
    "domain_table",
    "gap_change",
    "linearised",
    "study_scorers",
]

_TOL = 1e-9
ESTIMATOR_DOMAIN = "domain"
ESTIMATOR_SUBSAMPLE = "subsample"


def designed(table: ResponseTable) -> bool:
    """Whether the rows carry strata or PSUs (else each segment is scored as its own sample)."""
    return table.per_opd.stratum is not None or table.per_opd.psu is not None


def domain_table(table: ResponseTable, codes: NDArray[Any], names: Sequence[str]) -> ResponseTable:
    """Every row of ``table``, its "OPD" the domain code (``names[code]``), design unchanged."""
    opds = tuple(OPD(id=f"d{k}", name=n) for k, n in enumerate(names))
    survey = table.survey.model_copy(update={"opds": opds})
    block = dataclasses.replace(table.per_opd, opd=np.asarray(codes, table.per_opd.opd.dtype))
    return dataclasses.replace(table, survey=survey, per_opd=block)


@dataclasses.dataclass(frozen=True)
class DomainGap:
    """The linearised variables of ``Σ c_j ȳ_j`` for each domain code, and the design."""

    own: NDArray[np.float64]
    """Per row: its linearised value for its own domain (zero for every other domain)."""
    domain: NDArray[np.int64]
    """Per row: its domain code."""
    value: NDArray[np.float64]
    key: NDArray[np.int64]
    """Per row: its PSU within its stratum (one code per design PSU)."""
    stratum: NDArray[np.int64]
    lonely: str

    def variance(self, contrast: NDArray[np.float64]) -> float:
        """Design variance of ``Σ_d contrast_d θ_d``: PSU totals of ``z @ contrast`` within
        strata, every PSU of the design counted."""
        d = self.own * np.asarray(contrast, np.float64)[self.domain]
        psu_tot = np.bincount(self.key, weights=d)
        seen = np.bincount(self.key) > 0
        psu_tot = psu_tot[seen]
        psu_stratum = np.zeros(seen.size, np.int64)
        psu_stratum[self.key] = self.stratum
        psu_stratum = psu_stratum[seen]
        n_h = np.bincount(psu_stratum).astype(np.float64)
        s1 = np.bincount(psu_stratum, weights=psu_tot)
        s2 = np.bincount(psu_stratum, weights=psu_tot**2)
        with np.errstate(invalid="ignore", divide="ignore"):
            within = np.where(n_h > 1, n_h / (n_h - 1) * (s2 - s1 * s1 / n_h), 0.0)
        if self.lonely == "adjust":  # R's "adjust": a lone PSU centred at zero
            within = np.where(n_h == 1, s2, within)
        return float(max(within.sum(), 0.0))


def linearised(
    table: ResponseTable,
    codes: NDArray[np.int64],
    n_domains: int,
    items: Sequence[Item],
    coef: Sequence[float],
    lonely_psu: str,
) -> DomainGap:
    """Row-level linearised variables of ``Σ c_j ȳ_j`` per domain (ratio means, weighted; a
    column is an item's oriented answer or an answer indicator, :func:`.paired.columns`)."""
    block = table.per_opd
    y, obs = columns(block, table.survey, items)
    w = block.weight.astype(np.float64)
    wo = w[:, None] * obs
    yv = np.where(obs, y, 0.0)
    big_w = np.zeros((n_domains, len(items)))
    tot = np.zeros((n_domains, len(items)))
    for j in range(len(items)):
        big_w[:, j] = np.bincount(codes, weights=wo[:, j], minlength=n_domains)
        tot[:, j] = np.bincount(codes, weights=wo[:, j] * yv[:, j], minlength=n_domains)
    with np.errstate(invalid="ignore", divide="ignore"):
        ybar = np.where(big_w > 0, tot / big_w, 0.0)
        inv = np.where(big_w > 0, 1.0 / big_w, 0.0)
    c = np.asarray(coef, np.float64)
    own = (wo * (yv - obs * ybar[codes]) * inv[codes]) @ c
    n = codes.size
    stratum = np.zeros(n, np.int64) if block.stratum is None else block.stratum.astype(np.int64)
    psu = np.arange(n, dtype=np.int64) if block.psu is None else block.psu.astype(np.int64)
    width = int(psu.max(initial=0)) + 1
    key = stratum * width + psu
    _, key = np.unique(key, return_inverse=True)
    return DomainGap(
        own=own,
        domain=np.asarray(codes, np.int64),
        value=ybar @ c,
        key=key.astype(np.int64),
        stratum=stratum,
        lonely=lonely_psu,
    )


def _reproduces(lin: DomainGap, d: int, score: Score | None) -> bool:
    if score is None or score.value is None or score.se is None or not math.isfinite(score.se):
        return False
    e = np.zeros(lin.value.size)
    e[d] = 1.0
    var = lin.variance(e)
    close = abs(lin.value[d] - score.value) <= _TOL * max(1.0, abs(score.value))
    return close and abs(var - score.se**2) <= _TOL * max(score.se**2, 1e-300)


def gap_change(
    ref: Score | None,
    seg: Score | None,
    level: float,
    lin: DomainGap | None,
    d_ref: int,
    d_seg: int,
) -> Change:
    """``seg − ref`` of two domains of one design: the SE from the PSU totals of the
    difference's linearised variable (its covariance included) when ``lin`` reproduces both
    scores; else as two independent estimates, with a note."""
    base = score_change(ref, seg, level)
    if base.se is None or base.difference is None or ref is None or seg is None:
        return base
    if lin is None or not (_reproduces(lin, d_ref, ref) and _reproduces(lin, d_seg, seg)):
        note = (
            "the covariance of the two segments (same PSUs) is not estimated for this method: "
            "the gap's SE treats them as independent"
        )
        return base.model_copy(update={"notes": [*base.notes, note]})
    contrast = np.zeros(lin.value.size)
    contrast[d_seg], contrast[d_ref] = 1.0, -1.0
    se = math.sqrt(lin.variance(contrast))
    df = seg.df if seg.df is not None and math.isfinite(seg.df) else None
    diff = base.difference
    if se == 0.0:
        p = 0.0 if diff != 0 else 1.0
        ci = Interval(low=diff, high=diff, level=level, method="exact (census)")
    else:
        from scipy import stats

        q = t_quantile(level, df)
        method = "t (domain contrast, design df)" if df is not None else "normal"
        ci = Interval(low=diff - q * se, high=diff + q * se, level=level, method=method)
        t = abs(diff) / se
        p = float(2 * (stats.norm.sf(t) if df is None else stats.t.sf(t, df)))
    return base.model_copy(update={"se": se, "df": df, "ci": ci, "p_value": p})


def study_scorers(spec: Any, table: ResponseTable, level: float) -> dict[str, Any]:
    """``segment_breakdown``'s scorers for a study (its ``spec``): ``evaluate`` (the study's
    method and design options), ``domain_evaluate`` (the same, segments as domains of the whole
    design), the method's columns and coefficients for the gaps' covariance (None when its
    score is not a linear combination of item means) and the lonely-PSU rule."""
    from ..pipeline import evaluate
    from .paired import linear_coefficients

    options = spec.statistics.model_copy(update={"uncertainty": False, "confidence": level})
    domains = options.model_copy(update={"domain": "unconditional"})
    method = (spec.method.name, spec.method.options)

    def score(sub: ResponseTable, statistics: Any = options) -> Evaluation:
        return evaluate(sub.survey, sub, method=method, statistics=statistics)

    name, opts = spec.method.name, dict(spec.method.options)
    return {
        "evaluate": score,
        "domain_evaluate": lambda sub: score(sub, domains),
        "mean_coef": linear_coefficients(table, name, opts),
        "lonely_psu": options.lonely_psu,
    }
