"""The change between two periods: its SE, Welch df, interval and Holm test, checked by hand and
against scipy's Welch test."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from publiceval._core.compare import adjust_family, score_change, welch_df
from publiceval._core.results import Interval, Score, ScoreScale

SCALE = ScoreScale(low=1, high=4, unit="mean 1-4")


def _score(value: float, se: float | None, df: float | None, n: int = 50) -> Score:
    ci = None
    if se is not None and df is not None:
        q = stats.t.ppf(0.975, df)
        ci = Interval(low=value - q * se, high=value + q * se)
    return Score(value=value, scale=SCALE, n=n, se=se, df=df, ci=ci)


def test_change_by_hand():
    c = score_change(_score(2.78, 0.06, 40), _score(3.05, 0.05, 60))
    var = 0.06**2 + 0.05**2
    df = var**2 / (0.06**4 / 40 + 0.05**4 / 60)
    assert c.difference == pytest.approx(0.27, abs=1e-12)
    assert c.se == pytest.approx(math.sqrt(var), rel=1e-12)
    assert c.df == pytest.approx(df, rel=1e-12)
    assert df == pytest.approx(86.9, abs=0.05)  # written out: 3.721e-5 / 4.2817e-7
    q = stats.t.ppf(0.975, df)
    assert c.ci is not None
    assert (c.ci.low, c.ci.high) == pytest.approx(
        (0.27 - q * math.sqrt(var), 0.27 + q * math.sqrt(var))
    )
    assert c.p_value == pytest.approx(2 * stats.t.sf(0.27 / math.sqrt(var), df), rel=1e-12)
    assert c.before_ci is not None and c.after_ci is not None


def test_agrees_with_scipy_welch_test():
    # a simple random sample's score: se = sd/√n on n−1 df, exactly Welch's two-sample t test
    m1, s1, n1, m2, s2, n2 = 2.9, 0.7, 35, 3.15, 0.6, 80
    c = score_change(_score(m1, s1 / math.sqrt(n1), n1 - 1), _score(m2, s2 / math.sqrt(n2), n2 - 1))
    ref = stats.ttest_ind_from_stats(m2, s2, n2, m1, s1, n1, equal_var=False)
    assert c.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    assert c.difference / c.se == pytest.approx(ref.statistic, rel=1e-12)


def test_no_se_is_untested_and_never_significant():
    c = adjust_family([score_change(_score(3.0, None, None, n=1), _score(3.5, 0.05, 40))], "f")[0]
    assert c.se is None and c.ci is None and c.p_value is None
    assert c.significant is None and c.direction == "untested"
    assert "cannot be tested" in c.notes[0]
    missing = score_change(None, _score(3.0, 0.05, 40))
    assert missing.difference is None and missing.notes


def test_welch_df_without_design_df_is_normal():
    assert welch_df(0.05, None, 0.05, None) is None
    c = score_change(_score(3.0, 0.05, None), _score(3.2, 0.05, None))
    assert c.ci is not None and c.ci.method == "normal"
    half = (c.ci.high - c.ci.low) / 2
    assert half == pytest.approx(stats.norm.ppf(0.975) * math.sqrt(2) * 0.05)
    # one side with df: that side alone sets the df, ≥ its own df
    assert welch_df(0.05, 10, 0.05, None) == pytest.approx(40.0)


def test_holm_over_the_family_by_hand():
    scores = [(3.0, 3.3), (3.0, 3.12), (3.0, 3.0), (3.0, 2.75)]
    raw = [score_change(_score(a, 0.05, 200), _score(b, 0.05, 200)) for a, b in scores]
    fam = adjust_family(raw, "opd-scores")
    p = sorted((c.p_value, k) for k, c in enumerate(raw))
    m = len(p)
    expected = {}
    running = 0.0
    for rank, (pv, k) in enumerate(p):
        running = max(running, min(1.0, (m - rank) * pv))
        expected[k] = running
    for k, c in enumerate(fam):
        assert c.p_adjusted == pytest.approx(expected[k], rel=1e-12)
        assert c.family == "opd-scores"
    assert [c.direction for c in fam] == ["better", "within-chance", "within-chance", "worse"]
    # p of the +0.12 change is 0.09 unadjusted: 'significant' at 10% alone, not after Holm
    assert raw[1].p_value is not None and 0.05 < raw[1].p_value < 0.1


def test_census_change_is_exact():
    c = adjust_family([score_change(_score(3.0, 0.0, 10), _score(3.1, 0.0, 10))], "f")[0]
    assert c.ci is not None and c.ci.low == c.ci.high == pytest.approx(0.1)
    assert c.significant is True and c.direction == "better"
