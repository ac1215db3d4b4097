"""Small-area (Fay–Herriot) estimates: the REML fit, the shrinkage, MSE and coverage, and what
an evaluation does with them (the small OPD is neither first nor last by noise)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize

from publiceval import OPD, Item, ResponseTable, Scale, Survey, evaluate
from publiceval._core.stats.small_area import fay_herriot


def _restricted_nll(a: float, y: np.ndarray, d: np.ndarray, x: np.ndarray) -> float:
    """−log restricted likelihood of the Fay–Herriot model, written out directly."""
    v = a + d
    vi = np.diag(1.0 / v)
    xtvx = x.T @ vi @ x
    beta = np.linalg.solve(xtvx, x.T @ vi @ y)
    r = y - x @ beta
    return 0.5 * (np.sum(np.log(v)) + np.linalg.slogdet(xtvx)[1] + r @ vi @ r)


@pytest.mark.parametrize("covariate", [False, True])
def test_reml_maximises_the_restricted_likelihood(covariate):
    rng = np.random.default_rng(5)
    m = 40
    d = rng.uniform(0.005, 0.05, m)
    x = np.column_stack([np.ones(m), rng.integers(0, 2, m)]) if covariate else np.ones((m, 1))
    theta = x @ np.r_[3.0, 0.3][: x.shape[1]] + rng.normal(0, 0.2, m)
    y = theta + rng.normal(0, np.sqrt(d))
    fit = fay_herriot(y, np.sqrt(d), x)
    best = optimize.minimize_scalar(
        _restricted_nll, bounds=(0, 1), args=(y, d, x), method="bounded", options={"xatol": 1e-12}
    )
    assert fit.variance == pytest.approx(best.x, rel=1e-6)
    # the EB estimate is the precision-weighted compromise, the weights A/(A + D)
    gamma = fit.variance / (fit.variance + d)
    np.testing.assert_allclose(fit.weight, gamma, rtol=1e-12)
    np.testing.assert_allclose(fit.estimate, gamma * y + (1 - gamma) * (x @ fit.beta), rtol=1e-12)
    assert np.all(fit.rmse < np.sqrt(d))  # borrowing strength never costs precision here


def test_shrinkage_lowers_the_mse_and_keeps_coverage_in_simulation():
    """Fast version (300 samples of 30 OPDs); docs/statistics.md has the full run."""
    rng = np.random.default_rng(11)
    m, a = 30, 0.04
    d = rng.uniform(0.005, 0.1, m)
    mse_direct, mse_eb, cover = [], [], []
    for _ in range(300):
        theta = 3.0 + rng.normal(0, np.sqrt(a), m)
        y = theta + rng.normal(0, np.sqrt(d))
        fit = fay_herriot(y, np.sqrt(d))
        mse_direct.append(np.mean((y - theta) ** 2))
        mse_eb.append(np.mean((fit.estimate - theta) ** 2))
        cover.append(np.mean(np.abs(fit.estimate - theta) <= 1.96 * fit.rmse))
    assert np.mean(mse_eb) < 0.7 * np.mean(mse_direct)
    assert np.mean(cover) >= 0.90


def test_too_few_areas_are_refused():
    with pytest.raises(Exception, match="too few"):
        fay_herriot([3.0, 3.1], [0.1, 0.1])


def test_a_small_opd_is_rarely_first_or_last_by_noise():
    """Ten OPDs of ~60 respondents and one of 8, all alike in truth: directly the small one is
    first or last about half the time (its noise dominates); shrunken, rarely."""
    rng = np.random.default_rng(4)
    se = np.r_[np.full(10, 0.045), 0.15]
    extreme_direct = extreme_eb = 0
    reps = 400
    for _ in range(reps):
        y = 3.0 + rng.normal(0, 0.05, 11) + rng.normal(0, se)
        eb = fay_herriot(y, se).estimate
        extreme_direct += y[10] in (y.max(), y.min())
        extreme_eb += eb[10] in (eb.max(), eb.min())
    assert extreme_direct / reps > 0.4
    assert extreme_eb / reps < 0.2  # below the fair share of 2/11


def _city():
    """Ten OPDs of 60 respondents near 3.0 and one of 8 who answered 3 or 4."""
    rng = np.random.default_rng(0)
    survey = Survey(
        title="Kota",
        scales=(Scale(id="s", min=1, max=4),),
        items=tuple(Item(id=f"q{j}", text=f"Q{j}", scale="s") for j in range(3)),
        opds=tuple(
            OPD(id=f"o{g}", name=f"OPD {g}", tags=("besar",) if g < 5 else ("kecil",))
            for g in range(11)
        ),
    )
    level = 2.85 + 0.03 * np.arange(10)
    rows = level[np.repeat(np.arange(10), 60), None] + rng.normal(0, 0.6, (600, 3))
    small = rng.choice([3.0, 4.0], size=(8, 3))
    answers = np.vstack([np.clip(np.round(rows), 1, 4), small])
    opd = np.r_[np.repeat(np.arange(10), 60), np.full(8, 10)]
    return survey, ResponseTable.from_arrays(survey, opd=opd, answers=answers)


def test_ranks_and_categories_use_the_shrunken_estimate_and_scores_stay_direct():
    survey, table = _city()
    scheme = (
        "cutoffs",
        {
            "bands": [
                {"code": "B", "label": "Baik", "low": 3.25},
                {"code": "C", "label": "Cukup", "low": 1.0},
            ]
        },
    )
    direct = evaluate(survey, table, scheme=scheme, statistics={"seed": 1})
    ev = evaluate(survey, table, scheme=scheme, statistics={"seed": 1, "small_area": "city-mean"})
    assert ev.provenance.statistics["small_area"] == "city-mean"
    assert ev.provenance.statistics["ranked"] == "small-area (shrunken)"
    assert direct.provenance.statistics["ranked"] == "direct"
    small = ev.opd("o10")
    assert small.score == direct.opd("o10").score  # the direct score, side by side
    sa = small.uncertainty.small_area
    assert sa is not None and 0 < sa.weight < 1 and sa.ci.low < sa.estimate < sa.ci.high
    assert abs(sa.estimate - sa.synthetic) < abs(small.score.value - sa.synthetic)
    shrunk = {r.opd: r.uncertainty.small_area.estimate for r in ev.opds}
    for r in ev.opds:  # ranks follow the shrunken estimates
        assert r.rank == 1 + sum(v > shrunk[r.opd] for v in shrunk.values())
    assert small.category is not None
    assert small.category.code == ("B" if sa.estimate >= 3.25 else "C")


def test_tags_are_a_regression_and_every_opd_gets_both_estimates():
    survey, table = _city()
    ev = evaluate(survey, table, statistics={"small_area": "tags"})
    for r in ev.opds:
        sa = r.uncertainty.small_area
        assert sa is not None and "tags" in sa.model
        assert r.score.value is not None and sa.rmse > 0


def test_too_few_opds_fall_back_to_direct_scores_and_say_so():
    survey, _ = _city()
    two = Survey(title=survey.title, scales=survey.scales, items=survey.items, opds=survey.opds[:2])
    rows = ResponseTable.from_arrays(
        two, opd=np.repeat([0, 1], 5), answers=np.tile([[3.0, 4.0, 2.0], [4.0, 3.0, 3.0]], (5, 1))
    )
    ev = evaluate(two, rows, statistics={"small_area": "city-mean"})
    assert [w.code for w in ev.warnings if w.code == "small_area_unavailable"]
    assert ev.provenance.statistics["ranked"].startswith("direct")
    assert all(r.uncertainty.small_area is None for r in ev.opds)
