"""``ikm-2004``: the 14-element index of KepMenPAN 25/2004, checked by hand."""

from __future__ import annotations

import pytest

from publiceval import OPD, Item, PluginError, Scale, Survey, evaluate


def survey(n_items: int = 14) -> Survey:
    return Survey(
        title="IKM 2004",
        scales=(Scale(id="s", min=1, max=4),),
        items=tuple(Item(id=f"e{k + 1}", text=f"Unsur {k + 1}", scale="s") for k in range(n_items)),
        opds=(OPD(id="o0", name="Unit"),),
    )


def rows(answers):
    return [
        {"respondent": f"r{i}", "opd": "o0", **{f"e{k + 1}": v for k, v in enumerate(a)}}
        for i, a in enumerate(answers)
    ]


R1 = [4, 3, 3, 2, 4, 4, 3, 3, 2, 2, 3, 4, 1, 3]  # 41
R2 = [3, 3, 2, 2, 4, 3, 3, 3, 3, 2, 3, 3, 2, 3]  # 39


def test_hand_computed_ikm_2004():
    s = evaluate(survey(), rows([R1, R2]), method="ikm-2004").opds[0].score
    # NRR sum = (41 + 39) / 2 = 40; IKM = 25 × 40 / 14
    assert s.value == pytest.approx(25 * 40 / 14, abs=1e-12)  # 71.43 → B on the 2004 table
    assert s.components["mean_scale"] == pytest.approx(40 / 14)
    assert s.components["nrr:e1"] == pytest.approx(3.5)
    # the linearised SE of two respondents, 25 × (2/14)/2 = 1.79, is below the floor that no
    # finite sample goes under (stats/edges.py): per item, half a pseudo-answer at each end of
    # 1–4, n = 2 at the item's mean; the IKM averages 14 items (× 25)
    design = 25 * (2 / 14) / 2
    p = [((a + b) / 2 - 1) / 3 for a, b in zip(R1, R2, strict=True)]
    item = [3 * ((0.25 + 2 / 3 * (q - 0.5) ** 2) / (3 * 4)) ** 0.5 for q in p]
    floor = 25 * sum((f / 14) ** 2 for f in item) ** 0.5
    assert floor > design
    assert s.se == pytest.approx(floor, abs=1e-12)


def test_legacy_weight_0071():
    s = evaluate(survey(), rows([[4] * 14]), method=("ikm-2004", {"legacy_weight": True}))
    assert s.opds[0].score.value == pytest.approx(25 * 4 * 14 * 0.071)  # 99.4
    s = evaluate(survey(), rows([[4] * 14]), method="ikm-2004")
    assert s.opds[0].score.value == pytest.approx(100.0)


def test_needs_exactly_14_items_or_a_choice_of_14():
    with pytest.raises(PluginError, match="exactly 14 .* found 13"):
        evaluate(survey(13), rows([R1[:13]]), method="ikm-2004")
    data = [dict(r, e15=1) for r in rows([R1, R2])]
    with pytest.raises(PluginError, match="found 15"):
        evaluate(survey(15), data, method="ikm-2004")
    chosen = [f"e{k + 1}" for k in range(14)]
    ev = evaluate(survey(15), data, method=("ikm-2004", {"items": chosen}))
    assert ev.opds[0].score.value == pytest.approx(25 * 40 / 14)


def test_categorised_by_the_2004_bands():
    ev = evaluate(survey(), rows([R1, R2]), method="ikm-2004", scheme="kepmenpan-2004")
    assert ev.opds[0].category is not None and ev.opds[0].category.code == "B"
