"""``publiceval validate``: the report, the threshold and exit code 6, JSON output."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from _reader_support import write_study
from publiceval import StudyError
from publiceval._core.cli import cli
from publiceval._core.validation import RejectThreshold, validate_study

BODY = (
    "r1,dinkes,3,4\n"
    "r1,dinkes,2,2\n"  # duplicate respondent for the same OPD
    "r2,dinkes,5,1\n"  # out of range
    "r3,Dinas Kesehatn,3,3\n"  # unknown OPD, close to a known name
    "r4,disdik,,3\n"  # missing required item q1
    "r5,disdik,4,4\n"
    "r6,disdik,1,1\n"
    "r7,Dinas Kesehatn,2,2\n"
)


@pytest.fixture
def study(tmp_path):
    (tmp_path / "data.csv").write_text("respondent,opd,q1,q2\n" + BODY, encoding="utf-8")
    return write_study(tmp_path, "data.csv", required=True)


def test_report_counts_and_groups(study):
    rep = validate_study(study)
    assert (rep.rows_read, rep.rows_used, rep.rows_rejected) == (8, 3, 5)
    assert rep.rows_per_opd == {"dinkes": 1, "disdik": 2}
    assert rep.reasons == {
        "duplicate_response": 1,
        "missing_required": 1,
        "out_of_range": 1,
        "unknown_opd": 2,
    }
    groups = {g.reason.value: g for g in rep.groups}
    assert [g.reason.value for g in rep.groups][:4] == [
        "duplicate_response",
        "out_of_range",
        "unknown_opd",
        "missing_required",
    ]
    assert groups["duplicate_response"].examples[0].row == 3
    assert "already rated OPD 'dinkes' in row 2" in groups["duplicate_response"].examples[0].message
    assert groups["unknown_opd"].details == [
        "'Dinas Kesehatn' (2 row(s)): did you mean 'Dinas Kesehatan'? If so, add 'Dinas Kesehatn' "
        "to that OPD's aliases ([[opds]] aliases = [...]) in the study"
    ]
    assert groups["missing_required"].details == ["column 'q1': 1 row(s) without an answer"]


def test_cli_text_report(study):
    r = CliRunner().invoke(cli, ["validate", str(study)])
    assert r.exit_code == 0, r.output
    out = r.output
    assert "8 rows read, 3 used, 5 rejected" in out
    assert "duplicate_response: 1 row(s)" in out
    assert "data.csv, row 4, column 'q1': item 'q1': expected 1..4" in out
    assert "did you mean 'Dinas Kesehatan'?" in out
    assert "required item 'q1' has no answer" in out


@pytest.mark.parametrize(
    ("limit", "code"),
    [("5", 0), ("4", 6), ("62.5%", 0), ("62%", 6), ("0", 6), ("100%", 0)],
)
def test_max_rejects_threshold(study, limit, code):
    r = CliRunner().invoke(cli, ["validate", str(study), "--max-rejects", limit])
    assert r.exit_code == code, r.output
    if code:
        assert "more than the limit of" in r.stderr and "5 of 8 rows" in r.stderr


def test_threshold_parsing():
    assert RejectThreshold.parse("10").limit(1000) == 10
    assert RejectThreshold.parse("5%").limit(1000) == 50
    assert RejectThreshold.parse("2,5%").limit(1000) == 25
    assert RejectThreshold.parse("1%").limit(99) == 0
    for bad in ("ten", "5.5", "150%", "-1"):
        with pytest.raises(StudyError, match="--max-rejects"):
            RejectThreshold.parse(bad)
    r = CliRunner().invoke(cli, ["validate", "x.toml", "--max-rejects", "lots"])
    assert r.exit_code == 3 and "expected a row count" in r.stderr


def test_json_output(study):
    r = CliRunner().invoke(cli, ["validate", str(study), "--json", "--max-rejects", "1"])
    assert r.exit_code == 6
    data = json.loads(r.stdout)
    assert data["rows_rejected"] == 5 and data["limit"] == 1 and data["exceeded"] is True
    assert {g["reason"] for g in data["groups"]} >= {"unknown_opd", "duplicate_response"}


def test_no_progress_bar_when_not_a_terminal(study):
    r = CliRunner().invoke(cli, ["validate", str(study)])
    assert "reading" not in r.stderr


def test_progress_bar_on_a_terminal(monkeypatch, capsys):
    import sys

    from publiceval._core import cli as cli_module

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    bar = cli_module._ProgressBar()
    for done in (10, 60, 100):
        bar(done, 100)
    assert bar.shown == 100
    bar.close()
    assert "reading" in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    quiet = cli_module._ProgressBar()
    quiet(50, 100)
    assert quiet.bar is None
