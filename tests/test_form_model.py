"""The questionnaire model and its XLSForm sheets: names an export reads back, labels as the study's."""

from __future__ import annotations

import pytest

from publiceval import StudyError
from publiceval._core.form import build_questionnaire, choice_name, xlsform_rows
from publiceval._core.form.model import is_xml_name
from publiceval._core.presets import LABEL_SETS, PRESETS, SKM_WORDINGS
from publiceval._core.profile import STANDARD_PROFILE, ProfileQuestion
from publiceval._core.survey import OPD, Item, Scale, ScaleLabel, Survey
from publiceval._core.table import ColumnMap
from publiceval._core.text import Text

OPDS = (OPD(id="dinkes", name="Dinas Kesehatan"), OPD(id="disdik.2", name="Dinas Pendidikan"))


def skm_survey(**extra) -> Survey:
    p = PRESETS["skm9"]
    return Survey(title="SKM 2026", scales=p.scales, items=p.items, opds=OPDS, **extra)


def test_choice_names_are_xml_names_that_read_back_as_their_label():
    assert choice_name("Sangat Baik") == "sangat_baik"
    assert choice_name("Tidak sopan dan ramah") == "tidak_sopan_dan_ramah"
    assert choice_name("TNI/Polri") == "tni_polri"
    assert choice_name("Très  bien!") == "tres_bien"
    assert choice_name("—") == ""
    for labels in LABEL_SETS.values():
        for ind, eng in labels:
            assert is_xml_name(choice_name(ind)) and is_xml_name(choice_name(eng))
    for wording in SKM_WORDINGS:
        assert len({choice_name(w) for w in wording}) == 4


def test_is_xml_name():
    assert is_xml_name("u1") and is_xml_name("_uuid") and is_xml_name("grp.a-b")
    assert not is_xml_name("1u") and not is_xml_name("Kritik dan saran")
    assert not is_xml_name("xml_thing") and not is_xml_name("")


def test_an_skm_study_without_profile_asks_the_opd_the_items_and_nothing_else():
    form = build_questionnaire(skm_survey())
    assert [s.name for s in form.sections] == ["grp_responden", "grp_penilaian"]
    assert [q.name for q in form.questions] == ["opd", *(f"u{k}" for k in range(1, 10))]
    opd = form.questions[0]
    assert opd.label.id == "Unit layanan (OPD) yang dinilai" and opd.required
    assert [(c.name, c.label.id) for c in form.lists["opd"].choices] == [
        ("dinkes", "Dinas Kesehatan"),
        ("disdik.2", "Dinas Pendidikan"),
    ]
    scale = form.lists["scale_skm"]
    assert [(c.name, c.value, c.label.en) for c in scale.choices] == [
        ("tidak_baik", 1, "Poor"),
        ("kurang_baik", 2, "Fair"),
        ("baik", 3, "Good"),
        ("sangat_baik", 4, "Very good"),
    ]
    assert [q.number for q in form.questions[1:]] == list(range(1, 10))
    assert form.questions[4].label == Text(id="Biaya/Tarif", en="Cost/tariff")


def test_profile_questions_are_exactly_the_declared_ones():
    gender = ProfileQuestion(
        id="gender",
        text=STANDARD_PROFILE["gender"],
        column="Jenis Kelamin",
        choices=(Text(id="Laki-laki", en="Male"), Text(id="Perempuan", en="Female")),
    )
    age = ProfileQuestion(id="age", text=STANDARD_PROFILE["age"], kind="number")
    job = ProfileQuestion(id="job", text=Text(id="Pekerjaan", en="Job"), kind="text")
    form = build_questionnaire(skm_survey(profile=(gender, age, job)))
    q = {q.name: q for q in form.questions}
    # a column with a space cannot name a question: the id does, the column is printed
    assert q["gender"].column == "Jenis Kelamin" and q["gender"].list_name
    assert [c.name for c in form.lists["profile_gender"].choices] == ["laki_laki", "perempuan"]
    assert q["age"].kind == "integer" and q["age"].unit == Text(id="tahun", en="years")
    assert q["job"].kind == "text" and not q["job"].multiline


def test_the_suggestions_box_only_when_the_study_keeps_one():
    assert "saran" not in " ".join(q.name for q in build_questionnaire(skm_survey()).questions)
    form = build_questionnaire(skm_survey(), ColumnMap(suggestions="Kritik dan saran"))
    box = form.questions[-1]
    assert (box.name, box.column, box.kind, box.multiline) == (
        "kritik_dan_saran",
        "Kritik dan saran",
        "text",
        True,
    )
    assert box.label == Text(id="Kritik dan saran", en="Criticism and suggestions")
    form = build_questionnaire(skm_survey(), ColumnMap(suggestions="saran"))
    assert form.questions[-1].name == "saran"


def test_the_study_columns_name_the_questions():
    columns = ColumnMap(
        opd="Unit yang dinilai",
        items={"u1": "persyaratan", "u2": "2. Bagaimana pendapat Saudara tentang prosedur?"},
    )
    form = build_questionnaire(skm_survey(), columns)
    opd, u1, u2 = form.questions[:3]
    # the study's sentence is the Indonesian label, so a labels export has that very header
    assert (opd.name, opd.column) == ("unit_yang_dinilai", "Unit yang dinilai")
    assert opd.label == Text(id="Unit yang dinilai", en="Service unit (OPD) being rated")
    assert (u1.name, u1.column) == ("persyaratan", "persyaratan")
    # a sentence as an item's column: the id names the question (headers find items by id too)
    assert (u2.name, u2.column) == ("u2", "u2")


def test_survey_wide_items_come_after_the_opd_items_in_their_own_section():
    p = PRESETS["skm9"]
    mayor = Item(
        id="mayor", text=Text(id="Kinerja wali kota", en="Mayor"), scale="skm", scope="survey"
    )
    survey = Survey(title="t", scales=p.scales, items=(mayor, *p.items), opds=OPDS)
    form = build_questionnaire(survey)
    assert form.sections[-1].name == "grp_umum"
    assert [(q.name, q.number) for q in form.sections[-1].questions] == [("mayor", 10)]


def test_unlabelled_points_are_named_by_their_number():
    scale = Scale(
        id="nps-like",
        min=0,
        max=3,
        labels=(ScaleLabel(value=0, label=Text(id="Tidak", en="No")),),
    )
    item = Item(id="q", text=Text(id="Q", en="Q"), scale="nps-like")
    form = build_questionnaire(Survey(title="t", scales=(scale,), items=(item,), opds=OPDS))
    assert [c.name for c in form.lists["scale_nps_like"].choices] == ["tidak", "1", "2", "3"]


def test_a_question_that_cannot_have_an_xlsform_name_is_refused():
    p = PRESETS["skm9"]
    items = (Item(id="1", text=Text(id="A", en="A"), scale="skm"),)
    with pytest.raises(StudyError, match=r"item '1' cannot name an XLSForm question"):
        build_questionnaire(Survey(title="t", scales=p.scales, items=items, opds=OPDS))


def test_two_questions_on_one_column_are_refused():
    gender = ProfileQuestion(id="u1", text=STANDARD_PROFILE["gender"], kind="text")
    with pytest.raises(StudyError, match=r"two questions would share the column 'u1'"):
        build_questionnaire(skm_survey(profile=(gender,)))


def test_a_question_named_like_a_field_of_the_form_is_refused():
    start = ProfileQuestion(id="start", text=Text(id="Mulai", en="Start"), kind="text")
    with pytest.raises(StudyError, match=r"share the column 'start' \(the form's own field"):
        build_questionnaire(skm_survey(profile=(start,)))
    group = ProfileQuestion(id="grp_penilaian", text=Text(id="G", en="G"), kind="text")
    with pytest.raises(StudyError, match=r"share the column 'grp_penilaian'"):
        build_questionnaire(skm_survey(profile=(group,)))


def test_the_timestamp_column_names_the_submission_time():
    form = build_questionnaire(skm_survey(), ColumnMap(timestamp="Stempel waktu"))
    assert form.timestamp_name == "stempel_waktu"
    survey = xlsform_rows(form)["survey"]
    assert survey[1][:2] == ["start", "start"] and survey[2][:2] == ["end", "stempel_waktu"]
    form = build_questionnaire(skm_survey(), ColumnMap(timestamp="start"))
    assert xlsform_rows(form)["survey"][1][:2] == ["end", "start"]


def test_the_xlsform_sheets():
    age = ProfileQuestion(id="age", text=STANDARD_PROFILE["age"], kind="number")
    form = build_questionnaire(skm_survey(profile=(age,)), ColumnMap(suggestions="saran"))
    sheets = xlsform_rows(form, "en")
    survey = sheets["survey"]
    assert survey[0][:4] == ["type", "name", "label::Indonesian (id)", "label::English (en)"]
    types = [r[0] for r in survey[1:]]
    assert types[:3] == ["start", "end", "begin_group"]
    assert types.count("begin_group") == types.count("end_group") == 2
    assert "select_one opd" in types and "select_one scale_skm" in types
    assert "integer" in types
    # a group of one question is left out: "Kritik dan saran/Kritik dan saran" helps no one
    assert survey[-1][:2] == ["text", "saran"] and survey[-1][-1] == "multiline"
    age_row = next(r for r in survey if r[1] == "age")
    assert age_row[4:6] == ["Dalam tahun", "In years"]
    choices = sheets["choices"]
    assert choices[0] == ["list_name", "name", "label::Indonesian (id)", "label::English (en)"]
    assert ["opd", "dinkes", "Dinas Kesehatan", "Dinas Kesehatan"] in choices
    assert ["scale_skm", "sangat_baik", "Sangat Baik", "Very good"] in choices
    settings = dict(zip(*sheets["settings"], strict=True))
    assert settings["default_language"] == "English (en)"
    assert settings["form_id"] == "skm_2026" and settings["form_title"] == "SKM 2026"
    assert settings["version"] == form.version
    assert xlsform_rows(form, "id")["settings"][1][3] == "Indonesian (id)"


def test_the_version_changes_with_the_form_only():
    a = build_questionnaire(skm_survey())
    assert a.version == build_questionnaire(skm_survey()).version
    more = (*OPDS, OPD(id="x", name="X"))
    b = build_questionnaire(skm_survey().model_copy(update={"opds": more}))
    assert a.version != b.version


def test_an_unusual_form_still_converts_with_pyxform(tmp_path):
    """Dotted OPD ids, numbered points, a text and a number question, survey-wide items, one
    question per section: pyxform (what Kobo and ODK run) accepts it without a warning."""
    xls2xform = pytest.importorskip("pyxform.xls2xform")
    from publiceval._core.form import xlsform_bytes

    pytest.importorskip("openpyxl")
    five = Scale(id="lima.titik", min=1, max=5)
    p = PRESETS["skm9-puas"]
    items = (
        Item(id="kepuasan", text=Text(id="Kepuasan", en="Satisfaction"), scale="lima.titik"),
        Item(
            id="umum_1", text=Text(id="Kinerja wali kota", en="Mayor"), scale="skm", scope="survey"
        ),
    )
    profile = (
        ProfileQuestion(id="age", text=STANDARD_PROFILE["age"], kind="number"),
        ProfileQuestion(id="job", text=Text(id="Pekerjaan", en="Job"), kind="text"),
    )
    survey = Survey(
        title="2026: survei <khusus> & uji",
        scales=(*p.scales, five),
        items=items,
        opds=OPDS,
        profile=profile,
    )
    form = build_questionnaire(survey, ColumnMap(suggestions="Kritik dan saran"))
    path = tmp_path / "form.xlsx"
    path.write_bytes(xlsform_bytes(form))
    result = xls2xform.convert(xlsform=str(path), validate=False)
    assert result.warnings == []
    assert "<disdik.2>" not in result.xform  # choices are values, not elements
    assert "<name>disdik.2</name>" in result.xform
    assert 'id="f_2026_survei_khusus_uji"' in result.xform
