"""``ipa``: importance–performance quadrants (Martilla & James 1977), checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from publiceval import OPD, Item, ResponseTable, Scale, Survey, evaluate
from publiceval._core.default_plugins.ipa import quadrant

ITEMS = ["a", "b", "c", "d"]
SURVEY = Survey(
    title="IPA",
    scales=(Scale(id="s", min=1, max=4),),
    items=(
        *(Item(id=x, text=f"Kinerja {x}", scale="s") for x in ITEMS),
        *(
            Item(id=f"i{x}", text=f"Kepentingan {x}", scale="s", role="importance", pairs_with=x)
            for x in ITEMS
        ),
    ),
    opds=(OPD(id="o0", name="Unit"), OPD(id="o1", name="Other")),
)
# importance means (4, 3.5, 2, 2.5), performance means (2, 3.5, 4, 2)
DATA = [
    {
        "respondent": "r1",
        "opd": "o0",
        "a": 2,
        "b": 4,
        "c": 4,
        "d": 2,
        "ia": 4,
        "ib": 4,
        "ic": 2,
        "id": 3,
    },
    {
        "respondent": "r2",
        "opd": "o0",
        "a": 2,
        "b": 3,
        "c": 4,
        "d": 2,
        "ia": 4,
        "ib": 3,
        "ic": 2,
        "id": 2,
    },
]


def test_hand_computed_quadrants_with_grand_mean_cuts():
    ev = evaluate(SURVEY, DATA, method="ipa")
    cells = ev.extras["ipa"]["o0"]
    # grand means: importance 3, performance 2.875
    assert cells == {
        "a": {"importance": 4.0, "performance": 2.0, "quadrant": "concentrate-here"},
        "b": {"importance": 3.5, "performance": 3.5, "quadrant": "keep-up-the-good-work"},
        "c": {"importance": 2.0, "performance": 4.0, "quadrant": "possible-overkill"},
        "d": {"importance": 2.5, "performance": 2.0, "quadrant": "low-priority"},
    }
    r = ev.opd("o0")
    assert [i.extra["quadrant"] for i in r.items] == [cells[x]["quadrant"] for x in ITEMS]
    assert r.score.components == pytest.approx({"cut_importance": 3.0, "cut_performance": 2.875})
    # conformity level: 100 × Σ P / Σ I = 100 × 11.5 / 12
    assert r.score.value == pytest.approx(100 * 11.5 / 12, abs=1e-12)
    assert ev.extras["ipa"]["o1"] == {}
    assert ev.opd("o1").score.value is None


def test_scale_midpoint_cuts_are_an_option():
    cells = evaluate(SURVEY, DATA, method=("ipa", {"cut": "scale-midpoint"})).extras["ipa"]["o0"]
    # cut 2.5 on both axes: d (2.5, 2) now counts as important
    assert {k: v["quadrant"] for k, v in cells.items()} == {
        "a": "concentrate-here",
        "b": "keep-up-the-good-work",
        "c": "possible-overkill",
        "d": "concentrate-here",
    }


def test_quadrant_edges_count_as_high():
    assert quadrant(3.0, 3.0, 3.0, 3.0) == "keep-up-the-good-work"
    assert quadrant(2.9, 3.0, 3.0, 3.0) == "possible-overkill"
    assert quadrant(2.9, 2.9, 3.0, 3.0) == "low-priority"
    assert quadrant(3.0, 2.9, 3.0, 3.0) == "concentrate-here"


def test_conformity_se_by_the_delta_method():
    rng = np.random.default_rng(4)
    n = 30
    x = rng.integers(1, 5, (n, 8)).astype(float)
    table = ResponseTable.from_arrays(SURVEY, opd=np.zeros(n, int), answers=x)
    s = evaluate(SURVEY, table, method="ipa").opd("o0").score
    sp, si = x[:, :4].mean(0).sum(), x[:, 4:].mean(0).sum()
    assert s.value == pytest.approx(100 * sp / si)
    u = 100 * (x[:, :4].sum(1) / si - sp * x[:, 4:].sum(1) / si**2)
    assert s.se == pytest.approx(stats.sem(u), rel=1e-9)
