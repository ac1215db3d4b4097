"""Respondent-profile questions from their columns: numbers, choices (both languages) or text."""

from __future__ import annotations

from publiceval._core.infer.export import ColumnValues
from publiceval._core.infer.respondents import MAX_CHOICES, profile_question
from publiceval._core.text import Text

WHY = Text(id="judul", en="header")


def column(name: str, counts: dict[str, int]) -> ColumnValues:
    c = ColumnValues(name, "C")
    for v, n in counts.items():
        c.counts[v] += n
    return c


def test_gender_choices_in_both_languages_variants_as_one():
    q = profile_question(
        "gender", column("Jenis Kelamin", {"Perempuan": 5, "perempuan ": 1, "Laki-laki": 3}), WHY
    ).question
    assert (q.kind, q.data_column) == ("choice", "Jenis Kelamin")
    assert [(c.id, c.en) for c in q.choices] == [("Perempuan", "Female"), ("Laki-laki", "Male")]
    assert q.choice_of("PEREMPUAN") == 0


def test_age_in_years_is_a_number_and_age_bands_are_ordered():
    years = profile_question("age", column("Usia", {"17": 2, "45": 1, "": 0}), WHY).question
    assert years.kind == "number" and years.choices == ()
    bands = profile_question(
        "age", column("Umur", {"41-60 tahun": 3, "< 17 tahun": 1, "17-25 tahun": 5}), WHY
    ).question
    assert [c.id for c in bands.choices] == ["< 17 tahun", "17-25 tahun", "41-60 tahun"]


def test_education_in_school_order_and_many_answers_as_text():
    q = profile_question("education", column("Pendidikan", {"S1": 4, "SMA": 9, "SD": 1}), WHY)
    assert [c.id for c in q.question.choices] == ["SD", "SMA", "S1"]
    assert "3 choices" in q.why.en
    many = {f"Pekerjaan {k}": 1 for k in range(MAX_CHOICES + 1)}
    assert profile_question("occupation", column("Pekerjaan", many), WHY).question.kind == "text"
