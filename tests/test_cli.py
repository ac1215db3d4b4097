from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from publiceval import Evaluation
from publiceval._core.cli import cli
from publiceval._core.results import SCHEMA_VERSION
from test_plugins import STUDY_TEMPLATE

BAD_CSV = "respondent,opd,q1,q2\nr1,opd0,4,2\nr2,opd1,1,\nr3,opd9,2,2\nr4,opd0,7,1\nr5,opd1,Baik,\n"


@pytest.fixture
def study(tmp_path):
    (tmp_path / "answers.csv").write_text(BAD_CSV)
    text = STUDY_TEMPLATE.format(method="mean")
    text = text.replace(
        'id = "quality"\nmin = 1\nmax = 4',
        'id = "quality"\nmin = 1\nmax = 4\naliases = { "Baik" = 3 }',
    )
    path = tmp_path / "study.toml"
    path.write_text(text)
    return path


def test_evaluate_prints_a_ranking_and_says_what_was_rejected(study):
    result = CliRunner().invoke(cli, ["evaluate", str(study), "--lang", "en"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Rank" in out and "Dinas Nol" in out
    assert "5 read, 3 used, 2 rejected" in out
    assert "out_of_range: 1" in out and "unknown_opd: 1" in out


def test_evaluate_writes_json_that_loads_again(study, tmp_path):
    target = tmp_path / "out" / "ev.json"
    result = CliRunner().invoke(
        cli, ["evaluate", str(study), "--format", "json", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    ev = Evaluation.from_json(target.read_text())
    assert ev.data.rows_rejected == 2
    assert {r.reason.value for r in ev.data.rejects} == {"unknown_opd", "out_of_range"}
    assert {r.row for r in ev.data.rejects} == {4, 5}  # line numbers as a spreadsheet shows them
    assert json.loads(target.read_text())["schema_version"] == SCHEMA_VERSION


def test_errors_are_one_line_with_documented_exit_codes(tmp_path, study):
    runner = CliRunner()
    missing = runner.invoke(cli, ["evaluate", str(tmp_path / "nope.toml")])
    assert missing.exit_code == 3
    assert missing.output.strip().startswith("error: study file not found")
    assert "Traceback" not in missing.output
    study.write_text(study.read_text().replace("answers.csv", "gone.csv"))
    gone = runner.invoke(cli, ["evaluate", str(study)])
    assert gone.exit_code == 4 and "data file not found" in gone.output
    unknown = runner.invoke(cli, ["evaluate", str(study), "--format", "pdfx"])
    assert unknown.exit_code in (4, 5)


def test_unknown_reporter_is_a_plugin_error(study):
    result = CliRunner().invoke(cli, ["evaluate", str(study), "--format", "jsn"])
    assert result.exit_code == 5
    assert "unknown reporter 'jsn'" in result.output and "did you mean 'json'?" in result.output


def test_debug_shows_the_traceback(tmp_path):
    result = CliRunner().invoke(cli, ["--debug", "evaluate", str(tmp_path / "nope.toml")])
    assert result.exit_code == 3
    assert "Traceback" in result.output


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "version" in result.output
