"""``nps``: Net Promoter Score, checked by hand."""

from __future__ import annotations

import pytest
from scipy import stats

from publiceval import OPD, Item, PluginError, Scale, Survey, evaluate


def survey(n_nps: int = 1) -> Survey:
    items = [Item(id="q1", text="Kualitas", scale="s4")]
    items += [Item(id=f"rec{k}", text="Rekomendasi", scale="s10") for k in range(n_nps)]
    return Survey(
        title="NPS",
        scales=(Scale(id="s4", min=1, max=4), Scale(id="s10", min=0, max=10)),
        items=tuple(items),
        opds=(OPD(id="o0", name="Unit"), OPD(id="o1", name="Other")),
    )


ANSWERS = [10, 9, 8, 7, 6, 0, 10]  # 3 promoters, 2 passives, 2 detractors


def rows(answers=ANSWERS, opd="o0"):
    return [{"respondent": f"r{i}", "opd": opd, "q1": 3, "rec0": a} for i, a in enumerate(answers)]


def test_hand_computed_nps():
    ev = evaluate(survey(), rows() + rows([0, 0], "o1"), method="nps")
    s = ev.opd("o0").score
    assert s.value == pytest.approx(100 * (3 - 2) / 7, abs=1e-12)
    parts = {k: v for k, v in s.components.items() if not k.endswith(("_ci_low", "_ci_high"))}
    assert parts == pytest.approx(
        {"promoters": 300 / 7, "passives": 200 / 7, "detractors": 200 / 7}
    )
    assert s.se == pytest.approx(100 * stats.sem([1, 1, 0, 0, -1, -1, 1]), abs=1e-12)
    assert s.scale.low == -100 and s.scale.high == 100
    assert ev.opd("o1").score.value == pytest.approx(-100.0)
    assert ev.opd("o0").items[0].item == "rec0"


def test_thresholds_are_options():
    ev = evaluate(survey(), rows(), method=("nps", {"promoter_min": 8, "detractor_max": 5}))
    assert ev.opds[0].score.value == pytest.approx(100 * (4 - 1) / 7)
    with pytest.raises(PluginError, match="detractor_max"):
        evaluate(survey(), rows(), method=("nps", {"promoter_min": 6, "detractor_max": 6}))


def test_the_nps_item_must_be_found_on_a_0_10_scale():
    with pytest.raises(PluginError, match="found 0: none"):
        evaluate(survey(0), [{"respondent": "r", "opd": "o0", "q1": 3}], method="nps")
    two = [dict(r, rec1=5) for r in rows()]
    with pytest.raises(PluginError, match="found 2: rec0, rec1"):
        evaluate(survey(2), two, method="nps")
    assert evaluate(survey(2), two, method=("nps", {"item": "rec1"})).opds[0].score.value == -100
    with pytest.raises(PluginError, match="must be on a 0–10 scale"):
        evaluate(survey(), rows(), method=("nps", {"item": "q1"}))


def test_promoter_and_detractor_shares_get_design_adjusted_wilson_intervals():
    import math

    ev = evaluate(survey(), rows(), method="nps")
    c = ev.opd("o0").score.components
    for part, hits in (("promoters", [1, 1, 0, 0, 0, 0, 1]), ("detractors", [0, 0, 0, 0, 1, 1, 0])):
        p = sum(hits) / 7
        se = stats.sem(hits)
        n = p * (1 - p) / se**2  # effective n (here 6: the SE uses n − 1)
        q = stats.t.ppf(0.975, 6)
        centre = (p + q * q / (2 * n)) / (1 + q * q / n)
        half = q / (1 + q * q / n) * math.sqrt(p * (1 - p) / n + q * q / (4 * n * n))
        assert c[f"{part}_ci_low"] == pytest.approx(100 * (centre - half), abs=1e-9)
        assert c[f"{part}_ci_high"] == pytest.approx(100 * (centre + half), abs=1e-9)
        assert 0 <= c[f"{part}_ci_low"] < c[part] < c[f"{part}_ci_high"] <= 100
