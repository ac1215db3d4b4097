"""Cronbach's α against pingouin, item diagnostics by hand, reverse-keyed items."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from publiceval import OPD, Item, Scale, Survey
from publiceval._core.errors import PublicevalError
from publiceval._core.reliability import reliability
from publiceval._core.stats.reliability import cronbach_alpha
from publiceval._core.table import ResponseTable


def _likert(seed, n=200, k=5, missing=0.0):
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=n)
    y = np.clip(np.round(2.5 + trait[:, None] + rng.normal(0, 0.9, (n, k))), 1, 4)
    if missing:
        y[rng.uniform(size=y.shape) < missing] = np.nan
    return y


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alpha_and_feldt_interval_agree_with_pingouin(seed):
    y = _likert(seed)
    ours = cronbach_alpha(y, level=0.95)
    ref_alpha, ref_ci = pg.cronbach_alpha(pd.DataFrame(y), ci=0.95)
    assert ours.alpha == pytest.approx(ref_alpha, abs=1e-9)
    # pingouin rounds its interval to 3 decimals
    assert ours.low == pytest.approx(ref_ci[0], abs=5e-4)
    assert ours.high == pytest.approx(ref_ci[1], abs=5e-4)
    # Feldt by hand, unrounded
    n, k = y.shape
    f_hi = stats.f.isf(0.025, n - 1, (n - 1) * (k - 1))
    assert ours.low == pytest.approx(1 - (1 - ours.alpha) * f_hi, abs=1e-12)


def test_missing_answers_listwise_and_pairwise_agree_with_pingouin():
    y = _likert(5, missing=0.1)
    ref_l, _ = pg.cronbach_alpha(pd.DataFrame(y), nan_policy="listwise")
    ref_p, ref_ci = pg.cronbach_alpha(pd.DataFrame(y), nan_policy="pairwise")
    assert cronbach_alpha(y).alpha == pytest.approx(ref_l, abs=1e-9)
    pair = cronbach_alpha(y, nan_policy="pairwise")
    assert pair.alpha == pytest.approx(ref_p, abs=1e-9)
    assert pair.low == pytest.approx(ref_ci[0], abs=5e-4)


def test_alpha_if_deleted_and_corrected_item_total_by_hand():
    y = _likert(7, k=4)
    res = cronbach_alpha(y)
    for j in range(4):
        rest = np.delete(y, j, axis=1)
        ref, _ = pg.cronbach_alpha(pd.DataFrame(rest))
        assert res.alpha_if_deleted[j] == pytest.approx(ref, abs=1e-9)
        r = np.corrcoef(y[:, j], rest.sum(axis=1))[0, 1]
        assert res.item_total[j] == pytest.approx(r, abs=1e-12)


def test_textbook_example():
    # three raters, perfectly parallel items shifted by constants: α = 1
    base = np.array([1.0, 2.0, 3.0, 4.0, 2.0])
    y = np.column_stack([base, base + 1, base - 1])
    assert cronbach_alpha(y).alpha == pytest.approx(1.0, abs=1e-12)
    # two items with covariance c and variances v: α = 2·2c/(2v + 2c) = 2c/(v+c)
    y = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 3.0], [4.0, 4.0]])
    c = np.cov(y.T)
    assert cronbach_alpha(y).alpha == pytest.approx(
        2 * c[0, 1] / (0.5 * (c[0, 0] + c[1, 1]) + c[0, 1]), abs=1e-12
    )


def test_bad_input():
    with pytest.raises(PublicevalError, match="at least 2 items"):
        cronbach_alpha(np.ones((5, 1)))
    with pytest.raises(PublicevalError, match="nan_policy"):
        cronbach_alpha(np.ones((5, 2)), nan_policy="drop")  # type: ignore[arg-type]


def _survey_and_table(y, reverse_last):
    scale = Scale(id="q4", min=1, max=4)
    k = y.shape[1]
    items = [
        Item(
            id=f"u{j}",
            text=f"U{j}",
            scale="q4",
            dimension="access" if j < 3 else "staff",
            reverse=reverse_last and j == k - 1,
        )
        for j in range(k)
    ]
    survey = Survey(title="T", scales=[scale], items=items, opds=[OPD(id="a", name="A")])
    rows = [
        {"respondent": f"r{i}", "opd": "a", **{f"u{j}": int(y[i, j]) for j in range(k)}}
        for i in range(y.shape[0])
    ]
    return survey, ResponseTable.from_rows(survey, rows)


def test_reliability_per_dimension_handles_reverse_keyed_items():
    y = _likert(9, n=150, k=5)
    flipped = y.copy()
    flipped[:, 4] = 5 - flipped[:, 4]  # the questionnaire asks item u4 the other way round
    _, table = _survey_and_table(flipped, reverse_last=True)
    dims = {d.dimension: d for d in reliability(table)}
    assert set(dims) == {"access", "staff"}
    ref_staff, _ = pg.cronbach_alpha(pd.DataFrame(y[:, 3:]))
    assert dims["staff"].alpha == pytest.approx(ref_staff, abs=1e-9)
    assert dims["staff"].ci is not None and dims["staff"].ci.method == "Feldt"
    assert dims["staff"].items[1].reverse
    # not declared reverse: the item correlates negatively and is pointed out
    _, table = _survey_and_table(flipped, reverse_last=False)
    staff = {d.dimension: d for d in reliability(table)}["staff"]
    assert staff.items[1].item_total is not None and staff.items[1].item_total < 0
    assert "reverse-keyed" in staff.items[1].notes[0]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(2, 8))
def test_alpha_never_exceeds_one_and_interval_contains_it(seed, k):
    y = _likert(seed, n=40, k=k)
    res = cronbach_alpha(y)
    if np.isfinite(res.alpha):
        assert res.alpha <= 1 + 1e-12
        assert res.low <= res.alpha <= res.high
