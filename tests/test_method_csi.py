"""``csi``: the importance-weighted Customer Satisfaction Index, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from publiceval import OPD, Item, PublicevalError, ResponseTable, Scale, Survey, evaluate

SURVEY = Survey(
    title="CSI",
    scales=(Scale(id="s", min=1, max=4), Scale(id="s5", min=1, max=5)),
    items=(
        Item(id="p1", text="Waktu", scale="s"),
        Item(id="p2", text="Biaya", scale="s"),
        Item(id="i1", text="Pentingnya waktu", scale="s5", role="importance", pairs_with="p1"),
        Item(id="i2", text="Pentingnya biaya", scale="s5", role="importance", pairs_with="p2"),
    ),
    opds=(OPD(id="o0", name="Unit"),),
)


def csi(p: np.ndarray, i: np.ndarray, hs: float = 4.0) -> float:
    """The plain formula: WF = MIS / ΣMIS, CSI = Σ WF·MSS / HS × 100."""
    wf = i / i.sum()
    return float((wf * p).sum() / hs * 100)


def test_hand_computed_csi():
    data = [
        {"respondent": "r1", "opd": "o0", "p1": 3, "p2": 1, "i1": 5, "i2": 2},
        {"respondent": "r2", "opd": "o0", "p1": 3, "p2": 3, "i1": 3, "i2": 2},
    ]
    ev = evaluate(SURVEY, data, method="csi")
    s = ev.opds[0].score
    # MSS = (3, 2), MIS = (4, 2): WF = (2/3, 1/3); Σ WF·MSS = 8/3; CSI = 8/3 / 4 × 100
    assert s.value == pytest.approx(200 / 3, abs=1e-12)
    assert s.components["wf:p1"] == pytest.approx(2 / 3)
    assert s.components["mean_scale"] == pytest.approx(8 / 3)
    items = ev.opds[0].items
    assert [i.score.value for i in items] == pytest.approx([3.0, 2.0])
    assert items[0].extra == {"importance": 4.0, "weight_factor": pytest.approx(2 / 3)}


def test_all_top_answers_give_100():
    data = [{"respondent": "r1", "opd": "o0", "p1": 4, "p2": 4, "i1": 1, "i2": 5}]
    assert evaluate(SURVEY, data, method="csi").opds[0].score.value == pytest.approx(100.0)


def test_delta_method_se_matches_a_numerical_gradient():
    rng = np.random.default_rng(2)
    n = 40
    p = rng.integers(1, 5, (n, 2)).astype(float)
    i = rng.integers(1, 6, (n, 2)).astype(float)
    table = ResponseTable.from_arrays(SURVEY, opd=np.zeros(n, int), answers=np.hstack([p, i]))
    s = evaluate(SURVEY, table, method="csi").opds[0].score
    means = np.concatenate([p.mean(0), i.mean(0)])

    def f(m: np.ndarray) -> float:
        return csi(m[:2], m[2:])

    assert s.value == pytest.approx(f(means), abs=1e-10)
    h = 1e-6
    grad = np.array([(f(means + h * e) - f(means - h * e)) / (2 * h) for e in np.eye(4)])
    u = np.hstack([p, i]) @ grad  # linearised variable; its mean's SE is the CSI's SE
    assert s.se == pytest.approx(stats.sem(u), rel=1e-6)


def test_csi_needs_importance_items():
    plain = Survey(
        title="x",
        scales=(Scale(id="s", min=1, max=4),),
        items=(Item(id="p1", text="Waktu", scale="s"),),
        opds=(OPD(id="o0", name="Unit"),),
    )
    with pytest.raises(PublicevalError, match="needs per-OPD importance items"):
        evaluate(plain, [{"respondent": "r", "opd": "o0", "p1": 3}], method="csi")
