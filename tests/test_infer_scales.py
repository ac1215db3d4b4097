"""Answer scales inferred from the answers' words, case and spacing variants, typos listed."""

from __future__ import annotations

from publiceval._core.infer.export import ColumnValues
from publiceval._core.infer.scales import build_scales, fit_column, wording_of
from publiceval._core.presets import SKM_WORDINGS


def values(name: str, counts: dict[str, int]) -> ColumnValues:
    c = ColumnValues(name, "A")
    for v, n in counts.items():
        for _ in range(n):
            c.add(v)
    return c


def test_quality_words_with_case_and_spacing_variants():
    c = values("q", {"Sangat Baik": 5, "baik": 3, "  KURANG   baik ": 2, "Tidak Baik": 1, "": 4})
    fit = fit_column(c)
    assert fit is not None and fit.set_name == "skm" and fit.share == 1.0
    assert fit.unknown == {} and c.empty == 4
    scales, of = build_scales([fit])
    assert of == {"q": "skm"} and scales[0].scale.labels[3].label.id == "Sangat Baik"
    # every variant reads through the scale as written
    lookup = scales[0].scale.lookup
    assert {lookup[" ".join(v.split()).casefold()] for v in c.counts} == {1, 2, 3, 4}


def test_satisfaction_words_name_the_skm_scale():
    fits = [
        fit_column(values("a", {"Sangat Puas": 4, "Puas": 6, "Kurang Puas": 1})),
        fit_column(values("b", {"Puas": 3, "Tidak Puas": 1})),
    ]
    scales, _ = build_scales([f for f in fits if f])
    assert len(scales) == 1 and scales[0].scale.labels[3].label.id == "Sangat Puas"


def test_typos_are_listed_with_a_suggestion_not_guessed():
    fit = fit_column(values("q", {"Sangat mudah": 40, "Mudah": 30, "Sangat mudaah": 1, "???": 1}))
    assert fit is not None and fit.is_question
    assert fit.unknown == {"Sangat mudaah": 1, "???": 1}
    assert fit.suggestions == {"Sangat mudaah": 4}
    scales, _ = build_scales([fit])
    # the typo is not an alias of the scale: the user confirms it
    assert "sangat mudaah" not in scales[0].scale.lookup
    assert scales[0].suggestions == {"Sangat mudaah": 4}


def test_skm_element_wordings_are_one_scale_and_hint_the_element():
    fits = []
    for k, wording in enumerate(SKM_WORDINGS):
        c = values(f"q{k}", dict.fromkeys(wording, 3))
        fits.append(fit_column(c))
        assert wording_of(c) == k
    scales, of = build_scales([f for f in fits if f])
    assert [s.scale.id for s in scales] == ["skm"] and set(of.values()) == {"skm"}
    assert wording_of(values("x", {"Gratis": 10, "Murah": 2})) == 3
    assert wording_of(values("x", {"Buruk": 2, "Cukup": 5, "Baik": 3})) == 7
    assert wording_of(values("x", {"Baik": 5, "Sangat Baik": 5})) is None  # common labels


def test_five_point_and_strongly_sets():
    five = fit_column(
        values(
            "a",
            {"Sangat Puas": 2, "Puas": 2, "Cukup Puas": 2, "Tidak Puas": 1, "Sangat Tidak Puas": 1},
        )
    )
    # nobody chose the middle option here: still the five-point set of the other column
    four_looking = fit_column(
        values("b", {"Sangat Puas": 2, "Puas": 2, "Tidak Puas": 1, "Sangat Tidak Puas": 1})
    )
    assert five and four_looking and five.set_name == "puas5"
    scales, of = build_scales([five, four_looking])
    assert of == {"a": "puas5", "b": "puas5"}
    assert (scales[0].scale.min, scales[0].scale.max) == (1, 5)
    alone = fit_column(values("c", {"Sangat Setuju": 1, "Setuju": 1, "Sangat Tidak Setuju": 1}))
    assert alone and alone.set_name == "setuju4"


def test_numbers():
    four = fit_column(values("a", {"1": 1, "2": 2, "3": 5, "4": 3}))
    three = fit_column(values("b", {"2": 2, "3": 5}))
    five = fit_column(values("c", {"1": 1, "5": 2, "3": 1}))
    scales, of = build_scales([f for f in (four, three, five) if f])
    assert of == {"a": "skm", "b": "skm", "c": "scale-1-5"}
    assert {(s.scale.id, s.scale.min, s.scale.max) for s in scales} == {
        ("skm", 1, 4),
        ("scale-1-5", 1, 5),
    }
    age = fit_column(values("age", {"17": 1, "45": 3}))
    assert age is not None and not age.is_question


def test_free_text_is_not_a_question():
    fit = fit_column(values("s", {"Pelayanan bagus": 1, "Antrean panjang": 1, "Baik": 1}))
    assert fit is not None and not fit.is_question


def test_kobo_choice_names_read_with_spaces():
    c = values("q1", {"sangat_baik": 3, "kurang_baik": 1})
    fit = fit_column(c, underscores=True)
    assert fit is not None and fit.share == 1.0
    plain = fit_column(c)
    assert plain is not None and not plain.is_question
