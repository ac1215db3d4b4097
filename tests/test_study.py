from __future__ import annotations

import textwrap

import pytest

import publiceval
from publiceval import DataError, StudyError, load_study
from publiceval._core.study import locate
from test_plugins import STUDY_TEMPLATE


def line_of(text, needle):
    return next(k for k, line in enumerate(text.splitlines(), start=1) if needle in line)


def write(tmp_path, text, data="respondent,opd,q1,q2\nr1,opd0,4,2\nr2,opd1,1,\n"):
    (tmp_path / "answers.csv").write_text(data)
    path = tmp_path / "study.toml"
    path.write_text(text)
    return path


def test_a_study_runs_from_its_file(tmp_path):
    study = load_study(write(tmp_path, STUDY_TEMPLATE.format(method="mean")))
    ev = study.evaluate()
    assert [r.opd for r in ev.opds] == ["opd0", "opd1"]
    assert ev.opd("opd0").score.value == pytest.approx(3.0)
    assert ev.provenance.data_source.endswith("answers.csv")


def test_a_typo_in_a_key_names_the_key_line_and_suggestion(tmp_path):
    text = STUDY_TEMPLATE.format(method="mean").replace('title = "Uji"', 'titel = "Uji"')
    with pytest.raises(StudyError) as info:
        load_study(write(tmp_path, text))
    msg = str(info.value)
    assert (
        f"line {line_of(text, 'titel')}, key 'survey.titel': unknown key; did you mean 'title'?"
        in msg
    )
    assert "key 'survey.title': required key is missing" in msg


def test_a_typo_in_an_array_table_is_located(tmp_path):
    text = STUDY_TEMPLATE.format(method="mean").replace(
        'name = "Dinas Satu"', 'nmae = "Dinas Satu"'
    )
    line = line_of(text, "nmae")
    with pytest.raises(
        StudyError, match=rf"line {line}, key 'opds\[1\].nmae': unknown key; did you mean 'name'\?"
    ):
        load_study(write(tmp_path, text))


def test_unknown_plugin_and_bad_options_are_refused_at_load_time_with_lines(tmp_path):
    text = STUDY_TEMPLATE.format(method="mean") + textwrap.dedent(
        """
        [[rules]]
        name = "lowest-k"
        options = { k = 0 }

        [[rules]]
        name = "lowest-kk"
        """
    )
    with pytest.raises(StudyError) as info:
        load_study(write(tmp_path, text))
    msg = str(info.value)
    k_line, name_line = line_of(text, "k = 0"), line_of(text, '"lowest-kk"')
    assert (
        f"line {k_line}, key 'rules[0].options.k': lowest-k: Input should be greater than or equal to 1 (found 0)"
        in msg
    )
    assert (
        f"line {name_line}: unknown rule 'lowest-kk'" in msg and "did you mean 'lowest-k'?" in msg
    )


def test_inconsistent_survey_is_a_study_error(tmp_path):
    text = STUDY_TEMPLATE.format(method="mean").replace(
        'scale = "quality"\n\n[[items]]', 'scale = "qualty"\n\n[[items]]', 1
    )
    with pytest.raises(StudyError, match="item 'q1' uses unknown scale 'qualty'"):
        load_study(write(tmp_path, text))


def test_missing_data_file_is_a_data_error(tmp_path):
    path = write(
        tmp_path, STUDY_TEMPLATE.format(method="mean").replace("answers.csv", "jawaban.csv")
    )
    with pytest.raises(DataError, match=r"data file not found: .*jawaban.csv"):
        load_study(path).evaluate()


def test_not_toml_and_missing_study(tmp_path):
    with pytest.raises(StudyError, match="not valid TOML"):
        load_study(write(tmp_path, "[survey\n"))
    with pytest.raises(StudyError, match="study file not found"):
        load_study(tmp_path / "nope.toml")


def test_published_study(tmp_path):
    text = STUDY_TEMPLATE.format(method="mean").split("[data]")[0] + textwrap.dedent(
        """
        [published]
        low = 1
        high = 4
        scores = [{ opd = "opd0", value = 3.07 }, { opd = "opd1", value = 2.5 }]
        """
    )
    ev = load_study(write(tmp_path, text)).evaluate()
    assert [r.score.value for r in ev.opds] == [3.07, 2.5]
    assert ev.opds[0].score.ci is None


def test_locate_handles_tables_arrays_and_dotted_keys():
    text = "[a]\nx = 1\n[[b]]\ny = 2\n[[b]]\ny = 3\n[b.c]\n"
    assert locate(text, ("a", "x")) == 2
    assert locate(text, ("b", 1, "y")) == 6
    assert locate(text, ("zz",)) is None


def test_public_namespace_is_sorted_and_complete():
    names = publiceval.__all__
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(publiceval, name)
