"""Shares as scores: a share's confidence interval by Wilson or logit, on a score."""

from __future__ import annotations

from typing import Literal

import numpy as np

from .results import Interval, Score
from .stats.proportions import effective_n, logit_interval, wilson_interval

__all__ = ["with_proportion_interval"]


def with_proportion_interval(
    score: Score, method: Literal["wilson", "logit"], *, multiplier: float = 100.0
) -> Score:
    """``score`` (a share times ``multiplier``) with its CI replaced by a Wilson or logit interval.

    The design-based SE and degrees of freedom of the score are kept: Wilson uses the effective
    sample size ``p(1−p)/se²``, logit the SE itself. At a share of 0 or 1, where neither is
    defined, the score keeps the Wilson interval :func:`~publiceval._core.scoring.make_scores`
    gave it on the Kish effective sample (8 of 8 is [0.68, 1] at 95%, not [1, 1]). Without an
    SE (one respondent) the score is returned as it was.
    """
    if score.value is None or score.se is None or score.ci is None:
        return score
    p = min(max(score.value / multiplier, 0.0), 1.0)
    if p in (0.0, 1.0):
        return score
    se = score.se / multiplier
    df = score.df if score.df is not None else None
    level = score.ci.level
    if method == "wilson":
        low, high = wilson_interval(p, effective_n(p, se), level, df=df)
    else:
        low, high = logit_interval(p, se, level, df=df)
    lo, hi = float(low), float(high)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return score
    interval = Interval(
        low=lo * multiplier, high=hi * multiplier, level=level, method=f"{method} (design-adjusted)"
    )
    return score.model_copy(update={"ci": interval})
