"""``ikm-2017``: the SKM index of PermenPANRB 14/2017, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from publiceval import OPD, Item, PluginError, ResponseTable, Scale, Survey, Text, evaluate
from publiceval._core.default_plugins.ikm import SKM_2017_ELEMENTS, element_key

NAMES = [e.name.id for e in SKM_2017_ELEMENTS]
# Two respondents about one OPD; columns in the regulation's element order.
R1 = [4, 4, 3, 3, 2, 4, 3, 3, 4]
R2 = [3, 3, 3, 2, 2, 4, 4, 3, 2]
NRR = [3.5, 3.5, 3.0, 2.5, 2.0, 4.0, 3.5, 3.0, 3.0]  # sum 28


def skm_survey(elements=NAMES, order=None, scale=(1, 4), extra=(), n_opds=1) -> Survey:
    order = order or list(range(len(elements)))
    items = [
        Item(
            id=f"u{k + 1}",
            text=Text(id=f"Pertanyaan {k + 1}", en=f"Q{k + 1}"),
            scale="s",
            element=elements[k],
        )
        for k in order
    ]
    return Survey(
        title="SKM",
        scales=(Scale(id="s", min=scale[0], max=scale[1]),),
        items=(*items, *extra),
        opds=tuple(OPD(id=f"o{k}", name=f"Unit {k}") for k in range(n_opds)),
    )


def rows(answers, opd="o0"):
    return [
        {"respondent": f"r{i}", "opd": opd, **{f"u{k + 1}": v for k, v in enumerate(a)}}
        for i, a in enumerate(answers)
    ]


def test_hand_computed_ikm_with_exact_one_ninth():
    ev = evaluate(skm_survey(), rows([R1, R2]), method="ikm-2017")
    s = ev.opds[0].score
    assert s.value == pytest.approx(25 * 28 / 9, abs=1e-12)  # 77.777…
    assert s.scale.low == 25 and s.scale.high == 100
    for name, nrr in zip(NAMES, NRR, strict=True):
        assert s.components[f"nrr:{name}"] == pytest.approx(nrr)
    assert s.components["mean_scale"] == pytest.approx(28 / 9)
    # complete data: IKM = 25 × mean of the row means; SE = 25 × |30/9 − 26/9| / 2
    assert s.se == pytest.approx(25 * (4 / 9) / 2, abs=1e-12)
    assert s.n == 2
    assert [i.score.value for i in ev.opds[0].items] == pytest.approx(NRR)


def test_legacy_weight_reproduces_the_printed_0111_and_its_gap_to_one_ninth():
    exact = evaluate(skm_survey(), rows([R1, R2]), method="ikm-2017").opds[0].score.value
    legacy = (
        evaluate(skm_survey(), rows([R1, R2]), method=("ikm-2017", {"legacy_weight": True}))
        .opds[0]
        .score.value
    )
    assert legacy == pytest.approx(25 * 0.111 * 28, abs=1e-12)  # 77.7
    assert exact - legacy == pytest.approx(25 * 28 * (1 / 9 - 0.111), abs=1e-12)  # 0.0777…
    top = rows([[4] * 9])
    assert evaluate(skm_survey(), top, method="ikm-2017").opds[0].score.value == pytest.approx(100)
    ev = evaluate(skm_survey(), top, method=("ikm-2017", {"legacy_weight": True}))
    assert ev.opds[0].score.value == pytest.approx(99.9)
    assert ev.extras["ikm-2017"]["max_ikm"] == pytest.approx(99.9)


def test_elements_are_matched_by_name_not_position_ignoring_case_spaces_and_punctuation():
    spelled = [
        "PERSYARATAN",
        "sistem mekanisme prosedur",
        "Waktu  Penyelesaian",
        "Biaya / Tarif",
        "produk spesifikasi jenis pelayanan",
        "Kompetensi Pelaksana",
        "perilaku pelaksana",
        "Penanganan Pengaduan Saran dan Masukan",
        "sarana & prasarana",
    ]
    order = [8, 7, 0, 1, 2, 3, 4, 5, 6]  # apps order the last two differently: any order works
    survey = skm_survey(spelled, order)
    ev = evaluate(survey, rows([R1, R2]), method="ikm-2017")
    assert ev.opds[0].score.value == pytest.approx(25 * 28 / 9)
    assert ev.opds[0].score.components["nrr:Sarana dan Prasarana"] == pytest.approx(3.0)
    assert element_key("Sistem, Mekanisme, dan Prosedur") == element_key(
        "sistem mekanisme prosedur"
    )


def test_item_text_is_the_fallback_when_no_element_is_named():
    items = tuple(
        Item(id=f"u{k + 1}", text=Text(id=n, en=n), scale="s") for k, n in enumerate(NAMES)
    )
    survey = Survey(
        title="T",
        scales=(Scale(id="s", min=1, max=4),),
        items=items,
        opds=(OPD(id="o0", name="U"),),
    )
    assert evaluate(survey, rows([R1, R2]), method="ikm-2017").opds[0].score.value == pytest.approx(
        25 * 28 / 9
    )


def test_missing_and_unknown_elements_are_named():
    with pytest.raises(PluginError, match=r"no item measures element\(s\): Sarana dan Prasarana"):
        evaluate(skm_survey(NAMES[:8]), rows([R1[:8]]), method="ikm-2017")
    odd = [*NAMES[:8], "Kebersihan"]
    with pytest.raises(PluginError, match=r"unknown element\(s\): u9 \(element 'Kebersihan'\)"):
        evaluate(skm_survey(odd), rows([R1]), method="ikm-2017")


def test_items_that_name_no_element_are_left_out_with_a_warning():
    extra = (Item(id="overall", text="Kepuasan umum", scale="s"),)
    data = [dict(r, overall=1) for r in rows([R1, R2])]
    ev = evaluate(skm_survey(extra=extra), data, method="ikm-2017")
    assert ev.opds[0].score.value == pytest.approx(25 * 28 / 9)
    assert any(w.code == "ikm_items_ignored" and "overall" in w.message for w in ev.warnings)


def test_custom_weights_may_add_elements_and_must_sum_to_one():
    weights = dict.fromkeys(NAMES[:8], 0.1) | {"Kebersihan": 0.2}
    odd = [*NAMES[:8], "Kebersihan"]
    ev = evaluate(skm_survey(odd), rows([R1, R2]), method=("ikm-2017", {"weights": weights}))
    expected = 25 * (0.1 * sum(NRR[:8]) + 0.2 * NRR[8])
    assert ev.opds[0].score.value == pytest.approx(expected, abs=1e-12)
    bad = dict.fromkeys(NAMES, 0.111)
    with pytest.raises(PluginError, match=r"must sum to 1; they sum to 0\.999"):
        evaluate(skm_survey(), rows([R1]), method=("ikm-2017", {"weights": bad}))
    with pytest.raises(PluginError, match="cannot both be given"):
        evaluate(
            skm_survey(),
            rows([R1]),
            method=("ikm-2017", {"weights": dict.fromkeys(NAMES, 1 / 9), "legacy_weight": True}),
        )


def test_several_items_for_one_element_are_averaged_into_its_nrr():
    names = [*NAMES, NAMES[0]]  # two questions on Persyaratan
    survey = skm_survey(names)
    data = [dict(r, u10=a) for r, a in zip(rows([R1, R2]), [2, 1], strict=True)]
    ev = evaluate(survey, data, method="ikm-2017")
    nrr0 = (3.5 + 1.5) / 2
    assert ev.opds[0].score.components["nrr:Persyaratan"] == pytest.approx(nrr0)
    assert ev.opds[0].score.value == pytest.approx(25 * (28 - 3.5 + nrr0) / 9)


def test_the_ikm_needs_answers_on_1_to_4():
    with pytest.raises(PluginError, match="defined on answers 1–4"):
        evaluate(skm_survey(scale=(1, 5)), rows([R1]), method="ikm-2017")


def test_an_element_nobody_answered_at_one_opd_is_noted():
    survey = skm_survey(n_opds=2)
    data = rows([R1, R2]) + [dict(r, u9=None) for r in rows([R1, R2], opd="o1")]
    ev = evaluate(survey, data, method="ikm-2017")
    s = ev.opd("o1").score
    assert s.value == pytest.approx(25 * (28 - 3.0) / 8)  # weights rescaled to the same total
    assert any("Sarana dan Prasarana" in n for n in s.notes)
    assert any(w.code == "ikm_missing_element" and w.target == "o1" for w in ev.warnings)


def test_weighted_ikm_is_the_weighted_mean_of_row_scores_on_complete_data():
    rng = np.random.default_rng(5)
    answers = rng.integers(1, 5, size=(30, 9)).astype(float)
    weight = rng.uniform(0.5, 2.0, 30)
    survey = skm_survey()
    table = ResponseTable.from_arrays(survey, opd=np.zeros(30, int), answers=answers, weight=weight)
    s = evaluate(survey, table, method="ikm-2017").opds[0].score
    row = 25 * answers.mean(axis=1)
    assert s.value == pytest.approx(float(np.average(row, weights=weight)), abs=1e-10)
    assert s.deff is not None and not math.isnan(s.deff)


def test_an_unanswered_question_of_a_two_question_element_leaves_the_other_as_its_nrr():
    survey = skm_survey([*NAMES, NAMES[0]], n_opds=2)
    data = [dict(r, u10=1) for r in rows([R1, R2])] + [
        dict(r, u10=None) for r in rows([R1, R2], opd="o1")
    ]
    ev = evaluate(survey, data, method="ikm-2017")
    assert ev.opd("o0").score.value == pytest.approx(25 * (28 - 3.5 + (3.5 + 1) / 2) / 9)
    o1 = ev.opd("o1").score
    assert o1.components["nrr:Persyaratan"] == pytest.approx(3.5)
    assert o1.value == pytest.approx(25 * 28 / 9)
    assert o1.se == pytest.approx(25 * (4 / 9) / 2, abs=1e-12)
    assert not o1.notes
