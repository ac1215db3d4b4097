"""Raking to population margins."""

from __future__ import annotations

import numpy as np
import pytest

from publiceval._core.errors import PublicevalError
from publiceval._core.stats.raking import rake


def test_independent_sample_is_raked_in_one_cycle_by_hand():
    # sample: gender × age is a product table (2:1 men, 1:1 age), so one cycle is exact
    gender = np.array(["m"] * 40 + ["f"] * 20)
    age = np.array((["young"] * 20 + ["old"] * 20) + (["young"] * 10 + ["old"] * 10))
    res = rake(
        {"gender": gender, "age": age},
        {"gender": {"m": 500, "f": 500}, "age": {"young": 300, "old": 700}},
    )
    assert res.iterations <= 2
    # a man: 500/40 = 12.5 after gender; age then × 300/500 (young) or × 700/500 (old)
    w = res.weights
    assert w[0] == pytest.approx(12.5 * 0.6)
    assert w[20] == pytest.approx(12.5 * 1.4)
    assert w[40] == pytest.approx(25 * 0.6)
    assert w.sum() == pytest.approx(1000)


def test_margins_are_met_and_weights_are_multiplicative():
    rng = np.random.default_rng(0)
    n = 5000
    gender = rng.choice(["L", "P"], n, p=[0.7, 0.3])
    age = rng.choice(["17-29", "30-49", "50+"], n, p=[0.5, 0.3, 0.2])
    base = rng.uniform(0.5, 2, n)
    margins = {"gender": {"L": 0.49, "P": 0.51}, "age": {"17-29": 0.3, "30-49": 0.4, "50+": 0.3}}
    res = rake({"gender": gender, "age": age}, margins, base_weight=base, tol=1e-10)
    w = res.weights
    assert w.sum() == pytest.approx(n)  # shares: weights average 1
    for var, codes in (("gender", gender), ("age", age)):
        for cat, share in margins[var].items():
            assert w[codes == cat].sum() / w.sum() == pytest.approx(share, abs=1e-9)
    # the adjustment factor is a product of one factor per category (IPF's fixed point)
    ratio = np.log(w / base)
    design = np.column_stack([gender == "L", age == "30-49", age == "50+", np.ones(n)]).astype(
        float
    )
    coef, *_ = np.linalg.lstsq(design, ratio, rcond=None)
    np.testing.assert_allclose(design @ coef, ratio, atol=1e-9)


def test_integer_codes_and_counts():
    res = rake({"g": [1, 1, 2]}, {"g": {1: 10, 2: 5}})
    np.testing.assert_allclose(res.weights, [5, 5, 5])


@pytest.mark.parametrize(
    ("variables", "margins", "match"),
    [
        ({"g": ["a", "b"]}, {"h": {"a": 1}}, "same variables"),
        ({"g": ["a", "c"]}, {"g": {"a": 0.5, "b": 0.5}}, "without a margin: 'c'"),
        ({"g": ["a", "a"]}, {"g": {"a": 0.5, "b": 0.5}}, "no respondent in category 'b'"),
        ({"g": ["a", None]}, {"g": {"a": 1.0}}, "missing in 1 rows"),
        (
            {"g": ["a", "b"], "h": ["x", "y"]},
            {"g": {"a": 10, "b": 10}, "h": {"x": 5, "y": 5}},
            "same total",
        ),
        ({"g": ["a", "b"], "h": ["x"]}, {"g": {"a": 1, "b": 1}, "h": {"x": 2}}, "expected 2"),
        ({"g": ["a"]}, {"g": {"a": -1.0}}, "non-negative"),
    ],
)
def test_clear_errors(variables, margins, match):
    with pytest.raises(PublicevalError, match=match):
        rake(variables, margins)


def test_impossible_margins_do_not_converge():
    # men are all young and women all old in the sample: gender and age margins conflict
    gender = ["m", "m", "f", "f"]
    age = ["y", "y", "o", "o"]
    with pytest.raises(PublicevalError, match="did not converge"):
        rake(
            {"gender": gender, "age": age},
            {"gender": {"m": 0.5, "f": 0.5}, "age": {"y": 0.2, "o": 0.8}},
            max_iter=50,
        )


def test_bad_base_weights():
    with pytest.raises(PublicevalError, match="positive"):
        rake({"g": ["a", "b"]}, {"g": {"a": 1, "b": 1}}, base_weight=[1.0, 0.0])
