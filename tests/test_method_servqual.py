"""``servqual``: perception − expectation gaps per item, dimension and OPD, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from publiceval import OPD, Item, PublicevalError, ResponseTable, Scale, Survey, evaluate

SURVEY = Survey(
    title="SERVQUAL",
    scales=(Scale(id="s", min=1, max=5),),
    items=(
        Item(id="a", text="Gedung", scale="s", dimension="tangibles"),
        Item(id="b", text="Peralatan", scale="s", dimension="tangibles"),
        Item(id="c", text="Tepat janji", scale="s", dimension="reliability"),
        Item(id="ea", text="Harapan gedung", scale="s", role="expectation", pairs_with="a"),
        Item(id="eb", text="Harapan peralatan", scale="s", role="expectation", pairs_with="b"),
        Item(id="ec", text="Harapan tepat janji", scale="s", role="expectation", pairs_with="c"),
    ),
    opds=(OPD(id="o0", name="Unit"),),
)
# perception means (3, 2, 4), expectation means (4, 4, 3): gaps (-1, -2, +1)
DATA = [
    {"respondent": "r1", "opd": "o0", "a": 3, "b": 1, "c": 5, "ea": 5, "eb": 4, "ec": 3},
    {"respondent": "r2", "opd": "o0", "a": 3, "b": 3, "c": 3, "ea": 3, "eb": 4, "ec": 3},
]


def test_hand_computed_gaps():
    ev = evaluate(SURVEY, DATA, method="servqual")
    r = ev.opds[0]
    assert [i.score.value for i in r.items] == pytest.approx([-1.0, -2.0, 1.0])
    assert r.items[0].extra == {"perception": 3.0, "expectation": 4.0, "dimension": "tangibles"}
    assert r.score.components["gap:tangibles"] == pytest.approx(-1.5)
    assert r.score.components["gap:reliability"] == pytest.approx(1.0)
    # unweighted SERVQUAL: the mean of the dimension gaps
    assert r.score.value == pytest.approx((-1.5 + 1.0) / 2, abs=1e-12)
    assert r.score.scale.low == -4 and r.score.scale.high == 4
    items = evaluate(SURVEY, DATA, method=("servqual", {"overall": "items"})).opds[0].score
    assert items.value == pytest.approx(-2 / 3, abs=1e-12)


def test_gap_se_on_complete_data_is_that_of_the_row_gap():
    rng = np.random.default_rng(8)
    n = 25
    x = rng.integers(1, 6, (n, 6)).astype(float)
    table = ResponseTable.from_arrays(SURVEY, opd=np.zeros(n, int), answers=x)
    s = evaluate(SURVEY, table, method="servqual").opds[0].score
    g = x[:, :3] - x[:, 3:]
    row = 0.25 * g[:, 0] + 0.25 * g[:, 1] + 0.5 * g[:, 2]
    assert s.value == pytest.approx(row.mean(), abs=1e-12)
    assert s.se == pytest.approx(stats.sem(row), abs=1e-12)


def test_an_item_without_its_expectation_answers_has_no_gap():
    data = [dict(r, ec=None) for r in DATA]
    r = evaluate(SURVEY, data, method="servqual").opds[0]
    assert r.items[2].score.value is None
    assert r.score.value == pytest.approx(-1.5)  # only the tangibles dimension is left


def test_servqual_needs_expectation_items():
    plain = Survey(title="x", scales=SURVEY.scales, items=SURVEY.items[:3], opds=SURVEY.opds)
    with pytest.raises(PublicevalError, match="needs per-OPD expectation items"):
        evaluate(plain, [{"respondent": "r", "opd": "o0", "a": 3}], method="servqual")
