"""Question headers mapped to the nine SKM elements by meaning, with numbers only breaking ties."""

from __future__ import annotations

import pytest

from publiceval._core.infer.elements import map_elements, score_header
from publiceval._core.infer.headers import leading_number
from publiceval._core.presets import SKM_ELEMENTS

#: The widely copied sample questionnaire: sarana is question 8, pengaduan question 9.
SAMPLE = [
    "1. Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
    "pelayanannya?",
    "2. Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "3. Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "4. Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "5. Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
    "dalam standar pelayanan dengan hasil yang diberikan?",
    "6. Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "7. Bagaimana pendapat Saudara perilaku petugas dalam pelayanan terkait kesopanan dan "
    "keramahan?",
    "8. Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
    "9. Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
]


def _codes(placements):
    return {
        p.column: SKM_ELEMENTS[p.element][0] if p.element is not None else None for p in placements
    }


def test_the_sample_questionnaire_maps_by_meaning_and_u8_u9_swap():
    got = _codes(map_elements(SAMPLE))
    assert [got[h] for h in SAMPLE] == ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u9", "u8"]
    sarana = next(p for p in map_elements(SAMPLE) if p.column == SAMPLE[7])
    assert sarana.confidence == "high"
    assert "U9" in sarana.why.en and "8" in sarana.why.en  # says the number was overruled


def test_order_of_columns_does_not_matter():
    shuffled = SAMPLE[::-1]
    got = _codes(map_elements(shuffled))
    assert got[SAMPLE[8]] == "u8" and got[SAMPLE[7]] == "u9" and got[SAMPLE[0]] == "u1"


def test_english_headers():
    headers = [
        "Q1. Are the requirements clear?",
        "Q2. How easy was the procedure?",
        "Q3. Speed of service",
        "Q4. Fees charged",
        "Q5. Product specification of the service",
        "Q6. Staff competence",
        "Q7. Staff courtesy and friendliness",
        "Q8. Waiting room and facilities",
        "Q9. Handling of complaints",
    ]
    got = _codes(map_elements(headers))
    assert [got[h] for h in headers] == ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u9", "u8"]
    assert all(p.confidence != "low" for p in map_elements(headers))


def test_numbers_alone_follow_the_regulation_with_low_confidence():
    headers = [f"U{k}" for k in range(1, 10)]
    placements = map_elements(headers)
    assert [_codes(placements)[h] for h in headers] == [f"u{k}" for k in range(1, 10)]
    assert {p.confidence for p in placements} == {"low"}


def test_answer_wording_breaks_a_tie_and_unrelated_questions_stay_unplaced():
    # "Gratis ... Sangat mahal" is the cost element's wording (SKM_WORDINGS[3])
    placements = map_elements(
        ["Pertanyaan A", "Secara keseluruhan, apakah Anda puas?"], {"Pertanyaan A": 3}
    )
    got = _codes(placements)
    assert got["Pertanyaan A"] == "u4"
    assert got["Secara keseluruhan, apakah Anda puas?"] is None


def test_a_second_column_on_an_element_needs_a_key_word():
    headers = ["Kebersihan sarana", "Kenyamanan ruang tunggu", "Pendapat lain"]
    placements = {p.column: p for p in map_elements(headers)}
    assert placements["Kebersihan sarana"].element == 8
    assert placements["Kenyamanan ruang tunggu"].element == 8
    assert placements["Kebersihan sarana"].extra != placements["Kenyamanan ruang tunggu"].extra
    assert placements["Pendapat lain"].element is None


def test_sarana_is_not_saran_and_prasarana_is_not_sarana():
    m = score_header("Kualitas prasarana")
    assert m.scores[8] > 0 and m.scores[7] == 0
    m = score_header("Penanganan pengaduan, saran dan masukan")
    assert m.ranked()[0] == 7 and m.scores[8] == 0


@pytest.mark.parametrize(
    ("header", "number"),
    [
        ("8. Sarana", 8),
        ("U8 Pengaduan", 8),
        ("Q12) x", 12),
        ("No. 3 waktu", 3),
        ("Sarana", None),
        ("2026 survey", None),
        ("U9", 9),
    ],
)
def test_leading_number(header, number):
    assert leading_number(header) == number
