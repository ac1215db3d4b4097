"""Instrument reliability of an evaluation: Cronbach's α per dimension of the per-OPD items.

The numbers come from :func:`publiceval._core.stats.reliability.cronbach_alpha`; this module
picks the items of each dimension from a :class:`ResponseTable` and returns typed results. The
headline α pools covariances *within* OPDs (differences between OPDs are not reliability);
α over all rows and α per OPD (where an OPD has :data:`PER_OPD_MIN_N` complete respondents)
come with it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .results import DimensionReliability, Interval, ItemReliability
from .scoring import oriented, performance_items
from .stats.reliability import NanPolicy, cronbach_alpha
from .table import ResponseTable

__all__ = ["PER_OPD_MIN_N", "DimensionReliability", "ItemReliability", "reliability"]

#: Complete respondents an OPD needs for its own α (below, its interval spans most of [0, 1]).
PER_OPD_MIN_N = 30


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
    opd = table.per_opd.opd.astype(np.int64)
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
        yd, od = y[:, cols], obs[:, cols]
        res = cronbach_alpha(yd, observed=od, level=level, nan_policy=nan_policy, group=opd)
        total = cronbach_alpha(yd, observed=od, level=level, nan_policy=nan_policy)
        per_opd: dict[str, float] = {}
        for g in np.unique(opd).tolist():
            rows = opd == g
            if int(od[rows].all(axis=1).sum()) >= PER_OPD_MIN_N:
                a = cronbach_alpha(yd[rows], observed=od[rows], level=level, nan_policy=nan_policy)
                if np.isfinite(a.alpha):
                    per_opd[survey.opds[g].id] = a.alpha
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
                alpha_total=_num(total.alpha),
                per_opd=per_opd,
                nan_policy=nan_policy,
                items=item_rows,
                notes=notes,
            )
        )
    return out
