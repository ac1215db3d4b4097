"""``[[periods]]`` and ``[segments]`` in one study file: loading, errors, compare and evaluate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from publiceval._core.cli import cli
from publiceval._core.compare.command import run_compare
from publiceval._core.errors import StudyError
from publiceval._core.study import load_study

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "two-semesters"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("study.toml", "responses-s1.csv", "responses-s2.csv", "semester-2.toml"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_periods_give_the_same_comparison_as_two_study_files():
    one = run_compare([EXAMPLE / "study.toml"])
    two = run_compare(
        [EXAMPLE / "semester-1.toml", EXAMPLE / "semester-2.toml"],
        map_file=EXAMPLE / "compare.toml",
    )
    assert one.steps == two.steps
    assert [p.label for p in one.periods] == ["semester-1", "semester-2"]
    assert [p.source for p in one.periods] == [
        f"{EXAMPLE / 'study.toml'}#2025-s1",
        f"{EXAMPLE / 'study.toml'}#2025-s2",
    ]
    for a, b in zip(one.periods, two.periods, strict=True):
        assert a.model_dump(exclude={"source"}) == b.model_dump(exclude={"source"})
    renamed = next(o for o in one.steps[0].opds if o.opd == "diskumdag")
    assert renamed.matched_by == "mapping"  # from the period's own `rename`


def test_a_period_is_its_data_dates_and_opds():
    study = load_study(EXAMPLE / "study.toml")
    assert [p.id for p in study.periods] == ["2025-s1", "2025-s2"]
    assert study.period_id == "2025-s2" and study.period_note is not None
    first = study.period("2025-s1")
    assert first.data_path == (EXAMPLE / "responses-s1.csv").resolve()
    assert first.spec.data is not None and first.spec.data.columns.respondent == "respondent"
    assert [o.id for o in first.survey.opds][-1] == "diskop"
    assert str(first.survey.period_end) == "2025-06-30"
    assert first.period_label() == "semester-1" and first.period_note is None
    with pytest.raises(StudyError, match="no period 'nope'"):
        study.period("nope")


def test_evaluate_takes_the_latest_period_and_says_so(folder: Path):
    res = CliRunner().invoke(cli, ["evaluate", str(folder / "study.toml"), "-f", "json"])
    assert res.exit_code == 0, res.output
    assert "evaluating the latest, '2025-s2'" in res.stderr
    assert '"code": "period"' in res.stdout and "periode terakhir" in res.stdout
    assert '"mpp"' in res.stdout and '"diskop"' not in res.stdout


def test_compare_one_study_file_on_the_command_line(folder: Path):
    runner = CliRunner()
    res = runner.invoke(cli, ["compare", str(folder / "study.toml"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "semester-1 → semester-2" in res.stdout and "Dishub" in res.stdout
    # a study without periods and without [segments] by: one file is not a comparison
    res = runner.invoke(cli, ["compare", str(folder / "semester-2.toml")])
    assert res.exit_code == 2 and "[[periods]]" in res.output


def test_segments_min_n_and_by_from_the_study(folder: Path):
    study = folder / "study.toml"
    _edit(study, "[segments]\nmin_n = 30", '[segments]\nmin_n = 55\nby = "gender"')
    runner = CliRunner()
    res = runner.invoke(cli, ["compare", str(study), "--by", "gender", "-f", "json"])
    assert res.exit_code == 0, res.output
    assert '"min_n": 55' in res.stdout
    res = runner.invoke(
        cli, ["compare", str(study), "--by", "gender", "--min-n", "5", "-f", "json"]
    )
    assert '"min_n": 5' in res.stdout
    # [segments] by is the default only for a study with one period (else: compare periods)
    single = folder / "semester-2.toml"
    single.write_text(
        single.read_text(encoding="utf-8") + '\n[segments]\nby = "gender"\nmin_n = 40\n',
        encoding="utf-8",
    )
    res = runner.invoke(cli, ["compare", str(single), "-f", "json"])
    assert res.exit_code == 0, res.output
    assert '"by": "gender"' in res.stdout and '"min_n": 40' in res.stdout


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('id = "2025-s2"', 'id = "2025-s1"', "'2025-s1' repeats"),
        ('"dinsos", "diskop"]', '"dinsos", "diskopp"]', "'diskopp' not an OPD"),
        ('rename = { diskop = "diskumdag" }', 'rename = { diskop = "x" }', "'x' not an OPD"),
        (
            'data = "responses-s2.csv"',
            'dta = "responses-s2.csv"',
            "unknown key; did you mean 'data'",
        ),
        (
            'data = "responses-s2.csv"',
            "",
            "line 197, key 'periods[1].data': required key is missing",
        ),
    ],
)
def test_period_mistakes_name_the_file_and_key(folder: Path, old: str, new: str, message: str):
    study = folder / "study.toml"
    _edit(study, old, new)
    with pytest.raises(StudyError, match="study.toml") as err:
        load_study(study)
    assert message in str(err.value)


def test_a_period_data_outside_the_folder_is_refused(folder: Path):
    study = folder / "study.toml"
    _edit(study, 'data = "responses-s2.csv"', 'data = "../elsewhere.csv"')
    with pytest.raises(StudyError, match="outside"):
        load_study(study)


def test_period_option_chooses_another_period(folder: Path):
    study = str(folder / "study.toml")
    runner = CliRunner()
    res = runner.invoke(cli, ["evaluate", study, "-f", "json", "--period", "2025-s1"])
    assert res.exit_code == 0, res.output
    assert "evaluating the latest" not in res.stderr and '"code": "period"' not in res.stdout
    assert '"diskop"' in res.stdout and '"mpp"' not in res.stdout  # semester 1's OPDs
    res = runner.invoke(cli, ["validate", study, "--json", "--period", "2025-s1"])
    assert res.exit_code == 0, res.output
    assert "responses-s1.csv" in res.stdout
    res = runner.invoke(cli, ["compare", study, "--by", "gender", "--period", "2025-s1"])
    assert res.exit_code == 0, res.output
    assert "Diskop" in res.stdout and "MPP" not in res.stdout
    # an unknown id names the periods there are; --period needs --by in compare
    for args in (["evaluate", study], ["validate", study], ["compare", study, "--by", "gender"]):
        res = runner.invoke(cli, [*args, "--period", "2024"])
        assert res.exit_code != 0
        assert "no period '2024' (periods: '2025-s1', '2025-s2')" in res.output
    res = runner.invoke(cli, ["compare", study, "--period", "2025-s1"])
    assert res.exit_code == 2 and "give --by too" in res.output
    res = runner.invoke(cli, ["evaluate", str(folder / "semester-2.toml"), "--period", "x"])
    assert res.exit_code != 0 and "has no [[periods]]" in res.output


def test_a_period_from_python():
    study = load_study(EXAMPLE / "study.toml")
    assert study.period_id == "2025-s2"
    first = study.period("2025-s1")
    assert first.period_id == "2025-s1" and first.period_note is None
    with pytest.raises(StudyError, match="periods: '2025-s1', '2025-s2'"):
        study.period("2026")
