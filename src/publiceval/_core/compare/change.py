"""The change between two independent design-based estimates: interval and test.

Two periods' samples are drawn independently, so the variance of ``after − before`` is the sum
of the two design variances (less twice their covariance when respondents are linked, see
:mod:`.paired`); the t reference takes Welch–Satterthwaite degrees of freedom from
the two design df (Satterthwaite 1946; the same rule as the pairwise tests of one evaluation).
Tests of one family (every OPD's score, or one element across OPDs) are Holm-adjusted, so the
chance of calling *any* unchanged OPD changed stays at most α.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..results import Interval, Score
from ..stats.pairwise import holm
from .models import Change
from .paired import Link, overlap_df

__all__ = ["adjust_family", "score_change", "t_quantile", "welch_df"]


def welch_df(se_a: float, df_a: float | None, se_b: float, df_b: float | None) -> float | None:
    """Welch–Satterthwaite df of ``se_a² + se_b²``; None (normal) when neither side has df."""
    va, vb = se_a**2, se_b**2
    terms = [v**2 / d for v, d in ((va, df_a), (vb, df_b)) if d is not None and d > 0 and v > 0]
    if not terms:
        return None
    return float((va + vb) ** 2 / sum(terms))


def t_quantile(level: float, df: float | None) -> float:
    from scipy import stats  # loaded when a comparison runs, not at CLI start-up

    upper = 0.5 + level / 2
    return float(stats.norm.ppf(upper) if df is None else stats.t.ppf(upper, df))


def score_change(
    before: Score | None, after: Score | None, level: float = 0.95, *, link: Link | None = None
) -> Change:
    """``after − before`` with its SE, Welch df, interval and unadjusted two-sided p-value.

    ``link`` (respondents answering in both periods, :mod:`.paired`) subtracts twice their
    covariance from the variance and takes Derrick et al.'s df: the partially overlapping
    samples t-test, the paired t-test for a full panel. Without linked respondents the result
    is the independent one, unchanged.
    """
    linked = link.n_linked if link is not None else 0
    notes = [link.note] if link is not None and link.note else []
    a = before.value if before is not None else None
    b = after.value if after is not None else None
    n_a = before.n if before is not None else 0
    n_b = after.n if after is not None else 0
    if a is None or b is None or before is None or after is None:
        return Change(
            before=a,
            after=b,
            difference=None,
            n_before=n_a,
            n_after=n_b,
            notes=["no score in one of the periods"],
            n_linked=linked,
        )
    diff = b - a
    if (
        before.se is None
        or after.se is None
        or not (math.isfinite(before.se) and math.isfinite(after.se))
    ):
        side = "the earlier period" if before.se is None else "the later period"
        return Change(
            before=a,
            after=b,
            difference=diff,
            n_before=n_a,
            n_after=n_b,
            before_ci=before.ci,
            after_ci=after.ci,
            notes=[
                f"no standard error in {side} (one respondent, or a published figure): "
                "the change cannot be tested"
            ],
            n_linked=linked,
        )
    df = welch_df(before.se, before.df, after.se, after.df)
    cov = link.cov if link is not None else None
    if cov is not None and cov > before.se * after.se:
        # No covariance of two estimates exceeds the product of their SEs; with few linked
        # respondents the estimate can, and would drive the variance to zero: false certainty.
        notes.append(
            f"{linked} respondent(s) answered in both periods, but too few to estimate their "
            "covariance (it exceeds what the two standard errors allow): the change is "
            "treated as independent samples"
        )
        cov = None
    paired = cov is not None
    if link is not None and cov is not None:
        se = math.sqrt(max(before.se**2 + after.se**2 - 2 * cov, 0.0))
        df = overlap_df(df, n_a, n_b, link.n_linked)
        how = "paired t" if link.n_linked == n_a == n_b else "t (partially overlapping samples)"
    else:
        se = math.sqrt(before.se**2 + after.se**2)
        how = "t (Welch-Satterthwaite)"
    if se == 0.0:  # two censuses (or a panel whose every answer moved alike): known exactly
        p = 0.0 if diff != 0 else 1.0
        ci = Interval(low=diff, high=diff, level=level, method="exact (census)")
    else:
        q = t_quantile(level, df)
        ci = Interval(
            low=diff - q * se,
            high=diff + q * se,
            level=level,
            method=how if df is not None else "normal",
        )
        from scipy import stats

        tstat = abs(diff) / se
        p = float(2 * (stats.norm.sf(tstat) if df is None else stats.t.sf(tstat, df)))
    return Change(
        before=a,
        after=b,
        difference=diff,
        se=se,
        df=df,
        ci=ci,
        p_value=p,
        n_before=n_a,
        n_after=n_b,
        before_ci=before.ci,
        after_ci=after.ci,
        paired=paired,
        n_linked=linked,
        notes=notes,
    )


def adjust_family(changes: Sequence[Change], family: str, level: float = 0.95) -> list[Change]:
    """The changes with Holm-adjusted p-values over the family, a verdict and a direction."""
    p = np.array([c.p_value if c.p_value is not None else np.nan for c in changes], dtype=float)
    adjusted = holm(p) if p.size else p
    alpha = 1 - level
    out = []
    for change, padj in zip(changes, adjusted, strict=True):
        if not np.isfinite(padj) or change.difference is None:
            out.append(change.model_copy(update={"family": family}))
            continue
        sig = bool(padj <= alpha)
        direction = ("better" if change.difference > 0 else "worse") if sig else "within-chance"
        out.append(
            change.model_copy(
                update={
                    "family": family,
                    "p_adjusted": float(padj),
                    "significant": sig,
                    "direction": direction,
                }
            )
        )
    return out
