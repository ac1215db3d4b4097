"""Gates: a run that lost data (too many rejected rows, an OPD with no usable row) does not exit 0.

The arithmetic is by hand: 10 rows with 2 rejected is 20%, above the default limit of 10%
(floor(10 × 10 / 100) = 1 row allowed); the same file with ``--max-rejects 2`` passes.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from publiceval import load_study
from publiceval._core.cli import cli
from publiceval._core.errors import GateError, StudyError
from publiceval._core.gates import check_gates

STUDY = """
[survey]
title = "Gerbang"

[[scales]]
id = "q4"
min = 1
max = 4

[[items]]
id = "q1"
text = "Persyaratan"
scale = "q4"

[[opds]]
id = "dinkes"
name = "Dinas Kesehatan"

[[opds]]
id = "disdik"
name = "Dinas Pendidikan"

[[opds]]
id = "dishub"
name = "Dinas Perhubungan"

[data]
path = "data.csv"
{extra}

[method]
name = "mean"
"""


def _folder(tmp_path: Path, rows: list[str], extra: str = "") -> Path:
    (tmp_path / "data.csv").write_text("respondent,opd,q1\n" + "\n".join(rows) + "\n")
    study = tmp_path / "study.toml"
    study.write_text(textwrap.dedent(STUDY).format(extra=extra))
    return study


def _rows(bad: int, opds: tuple[str, ...] = ("dinkes", "disdik", "dishub")) -> list[str]:
    good = [f"r{k},{opds[k % len(opds)]},{1 + k % 4}" for k in range(10 - bad)]
    return good + [f"x{k},dinkes,9" for k in range(bad)]  # 9 is outside 1..4: rejected


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_more_rejects_than_the_default_limit_stop_evaluate_and_validate(tmp_path):
    study = _folder(tmp_path, _rows(bad=2))
    out = _run("evaluate", str(study), "--format", "json")
    assert out.exit_code == 6
    assert "2 of 10 rows (20%) were rejected, more than the limit of 10%" in out.output
    assert "Traceback" not in out.output and "{" not in out.output  # no report printed
    val = _run("validate", str(study))
    assert val.exit_code == 6
    assert "gate: 2 of 10 rows (20%)" in val.output
    with pytest.raises(GateError, match="20%"):
        load_study(study).evaluate()


def test_one_reject_in_ten_is_within_the_default_limit(tmp_path):
    study = _folder(tmp_path, _rows(bad=1))
    assert _run("evaluate", str(study), "--format", "json").exit_code == 0
    assert _run("validate", str(study)).exit_code == 0


@pytest.mark.parametrize(
    ("flag", "extra", "code"),
    [
        (["--max-rejects", "2"], "", 0),
        (["--max-rejects", "20%"], "", 0),
        (["--max-rejects", "19%"], "", 6),
        ([], 'max_rejects = "25%"', 0),
        ([], 'max_rejects = "1"', 6),
        (["--max-rejects", "1"], 'max_rejects = "100%"', 6),  # the command overrides the study
    ],
)
def test_the_limit_comes_from_the_command_or_the_study(tmp_path, flag, extra, code):
    study = _folder(tmp_path, _rows(bad=2), extra)
    assert _run("evaluate", str(study), "--format", "json", *flag).exit_code == code
    assert _run("validate", str(study), *flag).exit_code == code


def test_an_opd_without_a_usable_row_stops_the_run_naming_it(tmp_path):
    study = _folder(tmp_path, _rows(bad=0, opds=("dinkes", "disdik")))
    out = _run("evaluate", str(study), "--format", "json")
    assert out.exit_code == 6
    assert "no usable row: Dinas Perhubungan" in out.output
    assert "alias under [[opds]]" in out.output
    assert _run("validate", str(study)).exit_code == 6
    ok = _run("evaluate", str(study), "--format", "json", "--allow-empty-opds")
    assert ok.exit_code == 0, ok.output
    assert {o["opd"] for o in json.loads(ok.stdout)["opds"]} <= {"dinkes", "disdik", "dishub"}


def test_the_study_may_allow_empty_opds(tmp_path):
    study = _folder(tmp_path, _rows(bad=0, opds=("dinkes", "disdik")), "allow_empty_opds = true")
    assert _run("evaluate", str(study), "--format", "json").exit_code == 0
    assert _run("validate", str(study)).exit_code == 0


def test_python_can_evaluate_without_the_gates_and_read_the_verdict(tmp_path):
    study = load_study(_folder(tmp_path, _rows(bad=3)))
    evaluation = study.evaluate(gates=False)
    verdict = study.gate(evaluation)
    assert not verdict.passed and verdict.limit == 1
    assert evaluation.data.rows_rejected == 3


def test_a_bad_threshold_in_the_study_names_the_key(tmp_path):
    study = _folder(tmp_path, _rows(bad=0), 'max_rejects = "lots"')
    with pytest.raises(StudyError, match="max_rejects: expected a row count"):
        load_study(study)


def test_check_gates_by_hand():
    verdict = check_gates(
        None,
        rows_read=147,
        rows_rejected=57,
        rows_per_opd={"a": 40, "b": 0, "c": 50},
        opd_names={"a": "A", "b": "Badan B", "c": "C"},
    )
    assert verdict.limit == 14  # floor(147 × 10%)
    assert verdict.empty_opds == ["b"]
    assert len(verdict.problems) == 2
    assert "57 of 147 rows (39%)" in verdict.problems[0]
    assert "Badan B" in verdict.problems[1]
