"""Cronbach's α within OPDs: differences between OPDs are not consistency of the items."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from publiceval import OPD, Item, ResponseTable, Scale, Survey
from publiceval._core.reliability import PER_OPD_MIN_N, reliability
from publiceval._core.stats.reliability import cronbach_alpha


def _two_opds(n: int = 80, k: int = 4, seed: int = 0):
    """Items independent within each OPD, but one OPD answers 1 point higher on all."""
    rng = np.random.default_rng(seed)
    group = np.repeat([0, 1], n)
    y = np.clip(np.round(2.0 + group[:, None] + rng.normal(0, 0.7, (2 * n, k))), 1, 4)
    return y, group


def test_within_opd_alpha_is_alpha_of_the_group_centred_answers():
    y, group = _two_opds()
    within = cronbach_alpha(y, group=group)
    centred = y - np.stack([y[group == g].mean(axis=0) for g in (0, 1)])[group]
    ref, _ = pg.cronbach_alpha(pd.DataFrame(centred))
    assert within.alpha == pytest.approx(ref, abs=1e-9)
    # Feldt's interval on n − groups degrees of freedom
    dof = y.shape[0] - 2
    k = y.shape[1]
    low = 1 - (1 - within.alpha) * stats.f.isf(0.025, dof, dof * (k - 1))
    assert within.low == pytest.approx(low, rel=1e-12)


def test_differences_between_opds_inflate_pooled_alpha_but_not_within_alpha():
    y, group = _two_opds()
    assert cronbach_alpha(y).alpha > 0.6  # the OPD difference looks like consistency
    assert abs(cronbach_alpha(y, group=group).alpha) < 0.2  # the items are independent


def test_pairwise_within_alpha_equals_listwise_without_missing_answers():
    y, group = _two_opds(seed=3)
    a = cronbach_alpha(y, group=group).alpha
    b = cronbach_alpha(y, group=group, nan_policy="pairwise").alpha
    assert a == pytest.approx(b, rel=1e-12)


def test_an_evaluation_reports_within_total_and_per_opd_alpha():
    y, group = _two_opds(n=PER_OPD_MIN_N + 5)
    survey = Survey(
        title="R",
        scales=(Scale(id="s", min=1, max=4),),
        items=tuple(Item(id=f"u{j}", text=f"U{j}", scale="s") for j in range(4)),
        opds=(OPD(id="a", name="A"), OPD(id="b", name="B")),
    )
    table = ResponseTable.from_arrays(survey, opd=group, answers=y)
    (dim,) = reliability(table)
    assert dim.alpha == pytest.approx(cronbach_alpha(y, group=group).alpha)
    assert dim.alpha_total == pytest.approx(cronbach_alpha(y).alpha)
    assert set(dim.per_opd) == {"a", "b"}
    assert dim.per_opd["a"] == pytest.approx(cronbach_alpha(y[group == 0]).alpha)
