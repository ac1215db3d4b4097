"""``top-box``: the share of answers in the top k points, checked by hand."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from publiceval import OPD, Item, PluginError, Scale, Survey, evaluate

SURVEY = Survey(
    title="Top box",
    scales=(Scale(id="s", min=1, max=4),),
    items=(
        Item(id="q1", text="A", scale="s"),
        Item(id="q2", text="B", scale="s"),
        Item(id="q3", text="C", scale="s", reverse=True),
    ),
    opds=(OPD(id="o0", name="Unit"),),
)
NA = None
DATA = [
    {"respondent": "r1", "opd": "o0", "q1": 4, "q2": 4, "q3": 1},
    {"respondent": "r2", "opd": "o0", "q1": 3, "q2": 4, "q3": 2},
    {"respondent": "r3", "opd": "o0", "q1": 2, "q2": NA, "q3": 3},
    {"respondent": "r4", "opd": "o0", "q1": 1, "q2": 1, "q3": 4},
]


def test_hand_computed_top_2_box():
    ev = evaluate(SURVEY, DATA, method="top-box")
    r = ev.opds[0]
    # q1: 4,3 of 4 → 50 %; q2: 4,4 of 3 → 66.7 %; q3 reversed (4,3,2,1): 2 of 4 → 50 %
    assert [i.score.value for i in r.items] == pytest.approx([50.0, 200 / 3, 50.0])
    assert r.score.value == pytest.approx((50 + 200 / 3 + 50) / 3, abs=1e-12)
    assert r.score.scale.unit == "%"
    assert r.items[1].distribution == {"1": 1, "2": 0, "3": 0, "4": 2}
    assert ev.extras["top-box"]["levels"]["q1"] == [3, 4]


def test_top_1_box_and_its_se_on_one_item():
    ev = evaluate(SURVEY, DATA, method=("top-box", {"k": 1, "items": ["q1"], "interval": "t"}))
    s = ev.opds[0].score
    assert s.value == pytest.approx(25.0)
    # the share is a mean of 0/1 indicators: SE = 100 × sd / √n
    assert s.se == pytest.approx(100 * stats.sem([1, 0, 0, 0]), abs=1e-12)
    assert s.ci is not None and s.ci.method == "t (linearised)"
    # the symmetric t interval, clipped to the 0-100 scale (a share cannot leave it)
    half = stats.t.ppf(0.975, 3) * s.se
    assert math.isclose(s.ci.low, max(0.0, s.value - half), abs_tol=1e-9)
    assert math.isclose(s.ci.high, min(100.0, s.value + half), abs_tol=1e-9)


def test_shares_get_a_design_adjusted_wilson_interval_by_default():
    ev = evaluate(SURVEY, DATA, method=("top-box", {"k": 1, "items": ["q1"]}))
    s = ev.opds[0].score
    assert s.ci is not None and s.ci.method == "wilson (design-adjusted)"
    # p = 0.25 with SE 0.25 → effective n = p(1 − p)/SE² = 3; t quantile with 3 df
    p, n, q = 0.25, 3.0, stats.t.ppf(0.975, 3)
    centre = (p + q * q / (2 * n)) / (1 + q * q / n)
    half = q / (1 + q * q / n) * math.sqrt(p * (1 - p) / n + q * q / (4 * n * n))
    assert s.ci.low == pytest.approx(100 * (centre - half), abs=1e-9)
    assert s.ci.high == pytest.approx(100 * (centre + half), abs=1e-9)
    assert 0 <= s.ci.low < s.value < s.ci.high <= 100
    item = ev.opds[0].items[0].score
    assert item.ci is not None and item.ci.method == "wilson (design-adjusted)"
    logit = evaluate(
        SURVEY, DATA, method=("top-box", {"k": 1, "items": ["q1"], "interval": "logit"})
    )
    assert logit.opds[0].score.ci.method == "logit (design-adjusted)"


def test_k_must_leave_something_out_of_the_box():
    with pytest.raises(PluginError, match="k=4 must be below the number of scale points"):
        evaluate(SURVEY, DATA, method=("top-box", {"k": 4}))
    with pytest.raises(PluginError, match="greater than or equal to 1"):
        evaluate(SURVEY, DATA, method=("top-box", {"k": 0}))
