"""No finite sample is certain: the SE floor, intervals at the scale's ends, and what follows.

Hand values of the floor and of Wilson's interval at an end, seeded coverage simulations near
the ceiling (fast versions; the full runs' figures are in docs/statistics.md), and the issue's
cases end to end: two respondents who both answered 4 do not beat an OPD of 100, and one
respondent has no SE (``null``), never 0.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from publiceval import OPD, Item, ResponseTable, Scale, Survey, evaluate
from publiceval._core.aggregate_scoring import estimates_of
from publiceval._core.aggregates import table_aggregates
from publiceval._core.estimation import item_estimates
from publiceval._core.proportion_scores import with_proportion_interval
from publiceval._core.results import ScoreScale
from publiceval._core.scoring import make_scores
from publiceval._core.stats.edges import combination_floor, edge_interval, se_floor
from publiceval._core.stats.proportions import wilson_interval

SCHEME = (
    "cutoffs",
    {
        "bands": [
            {"code": "A", "label": "Sangat Baik", "low": 3.5},
            {"code": "B", "label": "Baik", "low": 3.0},
            {"code": "C", "label": "Kurang Baik", "low": 2.5},
            {"code": "D", "label": "Tidak Baik", "low": 1.0},
        ]
    },
)


def _survey(n_opd: int, items: int = 1, population: int | None = None) -> Survey:
    return Survey(
        title="Edges",
        scales=(Scale(id="s", min=1, max=4),),
        items=tuple(Item(id=f"q{j}", text=f"Q{j}", scale="s") for j in range(items)),
        opds=tuple(OPD(id=f"o{g}", name=f"OPD {g}", population=population) for g in range(n_opd)),
    )


# --------------------------------------------------------------------------- hand values
def test_the_floor_is_the_jeffreys_posterior_sd_by_hand():
    # 8 answers all at the top of [0, 1]: Beta(8.5, 0.5), whose variance is ab/((a+b)²(a+b+1))
    a, b = 8.5, 0.5
    assert se_floor(1.0, 0.0, 1.0, 8) == pytest.approx(
        np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    )
    assert se_floor(4.0, 1.0, 4.0, 8) == pytest.approx(3 * np.sqrt(a * b / (81 * 10)))
    assert se_floor(0.5, 0.0, 1.0, 30, fpc=0.0) == 0.0  # a census is certain


def test_wilson_at_the_end_of_the_scale_by_hand():
    lo, hi = edge_interval(np.array([4.0, 1.0, 3.0]), 1.0, 4.0, 8, 0.95, df=np.full(3, 7.0))
    q = stats.t.ppf(0.975, 7)
    assert lo[0] == pytest.approx(1 + 3 * 8 / (8 + q * q)) and hi[0] == 4.0
    assert lo[1] == 1.0 and hi[1] == pytest.approx(1 + 3 * q * q / (8 + q * q))
    assert np.isnan(lo[2]) and np.isnan(hi[2])  # between the ends the t interval stays


def test_eight_of_eight_at_the_top_box_is_not_certain():
    survey = _survey(1)
    table = ResponseTable.from_arrays(survey, opd=np.zeros(8, int), answers=np.full((8, 1), 4.0))
    s = evaluate(survey, table, method="top-box").opds[0].score
    lo, _ = wilson_interval(1.0, 8, 0.95, df=7)
    assert s.value == 100.0 and s.ci is not None
    assert s.ci.low == pytest.approx(100 * float(lo)) and s.ci.high == 100.0
    assert s.se == pytest.approx(100 * float(se_floor(1.0, 0.0, 1.0, 8)))
    assert any("floor" in n for n in s.notes)


# --------------------------------------------------------------------------- end to end
def _two_fours_and_a_hundred():
    rng = np.random.default_rng(0)
    big = rng.choice([2.0, 3.0, 4.0], size=100, p=[0.1, 0.5, 0.4])
    answers = np.concatenate([[4.0, 4.0], big, [3.0]])[:, None]
    opd = np.concatenate([[0, 0], np.ones(100, int), [2]])
    return ResponseTable.from_arrays(_survey(3), opd=opd, answers=answers)


def test_two_identical_answers_do_not_win_against_an_opd_of_a_hundred():
    ev = evaluate(
        _survey(3),
        _two_fours_and_a_hundred(),
        scheme=SCHEME,
        statistics={"pairwise": True, "seed": 1},
    )
    two, one = ev.opd("o0"), ev.opd("o2")
    assert two.score.se is not None and two.score.se > 0.2
    assert two.score.ci is not None and two.score.ci.low < 3.5
    assert two.uncertainty.pairwise is not None and two.uncertainty.pairwise.better_than == []
    ri = two.uncertainty.rank_interval
    assert ri is not None and ri.high > ri.low
    probs = two.uncertainty.category_probabilities
    assert probs is not None and max(probs.values()) < 1.0
    # one respondent: no SE, never 0, and flagged
    assert one.score.se is None and one.score.ci is None
    assert "no-standard-error" in one.flags
    data = json.loads(ev.model_dump_json())
    assert [o["score"]["se"] for o in data["opds"] if o["opd"] == "o2"] == [None]


def test_every_method_keeps_a_width_at_the_ceiling():
    survey = _survey(2, items=14)
    answers = np.vstack([np.full((6, 14), 4.0), np.full((6, 14), 3.0)])
    table = ResponseTable.from_arrays(survey, opd=np.repeat([0, 1], 6), answers=answers)
    nps_survey = Survey(
        title="NPS",
        scales=(Scale(id="r", min=0, max=10),),
        items=(Item(id="rec", text="Recommend", scale="r"),),
        opds=survey.opds,
    )
    nps = ResponseTable.from_arrays(
        nps_survey, opd=np.repeat([0, 1], 6), answers=np.repeat([10.0, 8.0], 6)[:, None]
    )
    runs = [(survey, table, m) for m in ("mean", "ikm-2004", "top-box")]
    for survey_, table_, method in [*runs, (nps_survey, nps, "nps")]:
        ev = evaluate(survey_, table_, method=method)
        for r in ev.opds:
            assert r.score.se is not None and r.score.se > 0, (method, r.opd)
            assert r.score.ci is not None and r.score.ci.high > r.score.ci.low, (method, r.opd)
            for item in r.items:
                ci = item.score.ci
                assert ci is not None and ci.high > ci.low, (method, r.opd, item.item)


def test_a_census_is_certain():
    survey = _survey(1, population=10)
    answers = np.full((10, 1), 4.0)
    ev = evaluate(survey, ResponseTable.from_arrays(survey, opd=np.zeros(10, int), answers=answers))
    assert ev.opds[0].score.se == 0.0


# --------------------------------------------------------------------------- coverage
REPS = 1500


def _coverage_share(n: int, p: float, seed: int) -> float:
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=(REPS * n, 1)) < p).astype(float)
    group = np.repeat(np.arange(REPS), n)
    est = item_estimates(group, REPS, y, np.ones_like(y, bool), None).combine(np.ones(1))
    scores = make_scores(est, ScoreScale(low=0.0, high=100.0), 0.95, multiplier=100.0)
    hit = [
        (s := with_proportion_interval(sc, "wilson")).ci is not None
        and s.ci.low <= 100 * p <= s.ci.high
        for sc in scores
    ]
    return float(np.mean(hit))


def _coverage_mean(n: int, probs: list[float], seed: int) -> float:
    rng = np.random.default_rng(seed)
    points = np.array([1.0, 2.0, 3.0, 4.0])
    y = rng.choice(points, size=(REPS * n, 1), p=probs)
    group = np.repeat(np.arange(REPS), n)
    est = item_estimates(group, REPS, y, np.ones_like(y, bool), None).combine(np.ones(1))
    truth = float(points @ np.asarray(probs))
    scores = make_scores(est, ScoreScale(low=1.0, high=4.0), 0.95)
    return float(np.mean([s.ci is not None and s.ci.low <= truth <= s.ci.high for s in scores]))


@pytest.mark.parametrize(("n", "p"), [(8, 0.9), (30, 0.95)])
def test_top_box_coverage_near_the_ceiling(n, p):
    assert _coverage_share(n, p, seed=n) >= 0.93


@pytest.mark.parametrize("n", [8, 30])
@pytest.mark.parametrize(
    "probs", [[0.0, 0.0, 0.1, 0.9], [1 / 30, 1 / 30, 1 / 30, 0.9]], ids=["rest-3", "rest-spread"]
)
def test_mean_coverage_with_ninety_percent_in_the_top_answer(n, probs):
    assert _coverage_mean(n, probs, seed=n) >= 0.93


def test_a_score_gets_the_floors_of_its_items_on_their_own_scales():
    """Item 1 all 4 on 1–4, item 2 all 2 on 1–5: the mean's floor, by hand."""

    def one(p: float, n: int) -> float:  # the Jeffreys posterior SD on [0, 1]
        return float(np.sqrt((0.25 + n / (n + 1) * (p - 0.5) ** 2) / ((n + 1) * (n + 2))))

    expected = np.sqrt((0.5 * 3 * one(1.0, 8)) ** 2 + (0.5 * 4 * one(0.25, 8)) ** 2)
    got = combination_floor(
        np.array([[4.0, 2.0]]),
        np.array([1.0, 1.0]),
        np.array([4.0, 5.0]),
        np.array([[8.0, 8.0]]),
        np.array([[0.5, 0.5]]),
    )
    assert got[0] == pytest.approx(expected, rel=1e-12)
    survey = Survey(
        title="Two scales",
        scales=(Scale(id="a", min=1, max=4), Scale(id="b", min=1, max=5)),
        items=(Item(id="q0", text="Q0", scale="a"), Item(id="q1", text="Q1", scale="b")),
        opds=(OPD(id="o0", name="OPD 0"),),
    )
    answers = np.tile([4.0, 2.0], (8, 1))
    table = ResponseTable.from_arrays(survey, opd=np.zeros(8, int), answers=answers)
    est = estimates_of(table_aggregates(table), survey.opd_items).combine(np.array([0.5, 0.5]))
    assert est.se[0] == 0.0  # the design SE of answers without spread
    assert est.se_floor is not None and est.se_floor[0] == pytest.approx(expected, rel=1e-12)
