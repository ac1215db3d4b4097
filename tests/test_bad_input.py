"""Every bad input gives one clear line or a reject entry: never a traceback, never a silent drop."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from _reader_support import write_study
from publiceval import DataError, RejectReason, StudyError
from publiceval._core.cli import cli
from publiceval._core.validation import validate_study


def _cli(*args):
    result = CliRunner().invoke(cli, list(args))
    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in out
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


# --------------------------------------------------------------- whole-file errors
FILE_ERRORS = {
    "empty": (b"", "the file is empty"),
    "blank": (b"\n\n  \n", "the file is empty"),
    "header_only": (b"respondent,opd,q1,q2\n", "header row but no data rows"),
    "binary": (bytes(range(256)) * 20, "expected a text (CSV) file; found binary data"),
    "binary_no_nul": (bytes(range(1, 32)) * 300, "found binary data (control characters)"),
    "xlsx_as_csv": (b"PK\x03\x04" + b"\x00" * 100, "set [data] format = 'xlsx'"),
}


@pytest.mark.parametrize("case", sorted(FILE_ERRORS))
def test_unreadable_file_is_one_clear_line(tmp_path, case):
    content, expected = FILE_ERRORS[case]
    (tmp_path / "data.csv").write_bytes(content)
    study = write_study(tmp_path, "data.csv")
    with pytest.raises(DataError, match=re.escape(expected)):
        validate_study(study)
    r = _cli("validate", str(study))
    assert r.exit_code == 4
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]
    assert "data.csv" in lines[0]


def test_missing_data_file(tmp_path):
    study = write_study(tmp_path, "nowhere.csv")
    with pytest.raises(DataError, match="data file not found"):
        validate_study(study)
    r = _cli("validate", str(study))
    assert r.exit_code == 4 and "data file not found" in r.stderr and "nowhere.csv" in r.stderr


def test_study_key_typo_names_key_and_suggests(tmp_path):
    (tmp_path / "data.csv").write_text("respondent,opd,q1\nr1,dinkes,3\n")
    study = write_study(tmp_path, "data.csv", data_extra='layuot = "long"')
    with pytest.raises(StudyError, match=r"key 'data.layuot': unknown key; did you mean 'layout'"):
        validate_study(study)
    r = _cli("validate", str(study))
    assert r.exit_code == 3
    assert "line 7" in r.stderr and "did you mean 'layout'" in r.stderr


def test_reader_option_typo_suggests(tmp_path):
    (tmp_path / "data.csv").write_text("respondent,opd,q1\nr1,dinkes,3\n")
    study = write_study(tmp_path, "data.csv", data_extra='options = { delimeter = ";" }')
    r = _cli("validate", str(study))
    assert r.exit_code == 5 and "did you mean 'delimiter'" in r.stderr


# --------------------------------------------------------------- row-level rejects
def _rejects(tmp_path, body: str, header="respondent,opd,q1,q2,w", required=False):
    (tmp_path / "data.csv").write_text(header + "\n" + body, encoding="utf-8")
    study = write_study(
        tmp_path, "data.csv", data_extra='columns = { weight = "w" }', required=required
    )
    report = validate_study(study, show=50)
    r = _cli("validate", str(study), "--show", "50")
    assert r.exit_code == 0
    assert report.rows_read == report.rows_used + report.rows_rejected
    entries = [e for g in report.groups for e in g.examples]
    return report, entries, r.output


def test_ragged_rows(tmp_path):
    report, entries, out = _rejects(tmp_path, "r1,dinkes,3,3,1\nr2,dinkes,3\nr3,dinkes,3,3,1,9,9\n")
    assert report.rows_rejected == 2
    assert {e.row for e in entries if e.reason is RejectReason.MALFORMED_ROW} == {3, 4}
    assert "expected 5 cells as in the header; found 3" in out


def test_formulas(tmp_path):
    _report, entries, out = _rejects(tmp_path, "r1,dinkes,=A1*2,3,1\nr2,dinkes,3,3,1\n")
    (e,) = entries
    assert (
        e.reason is RejectReason.UNKNOWN_LABEL
        and e.row == 2
        and "cell C2" in e.message
        and "formula" in e.message
    )
    assert "cell C2: spreadsheet formula '=A1*2'" in out


@pytest.mark.parametrize("huge", ["1e400", "99999999999999999999999999", "1e308", "-1e999"])
def test_huge_numbers(tmp_path, huge):
    _report, entries, _out = _rejects(tmp_path, f"r1,dinkes,{huge},3,1\nr2,dinkes,3,3,1\n")
    (e,) = entries
    assert e.reason is RejectReason.OUT_OF_RANGE and e.row == 2 and huge in e.message
    assert "expected 1..4" in e.message


def test_huge_cell_is_rejected_not_kept(tmp_path):
    _report, entries, _ = _rejects(tmp_path, f"r1,{'x' * 5000},3,3,1\nr2,dinkes,3,3,1\n")
    (e,) = entries
    assert e.reason is RejectReason.MALFORMED_ROW and "5,000 characters" in e.message


def test_negative_values(tmp_path):
    _report, entries, _ = _rejects(
        tmp_path, "r1,dinkes,-1,3,1\nr2,dinkes,3,3,-2\nr3,dinkes,3,3,1\n"
    )
    reasons = {(e.row, e.reason) for e in entries}
    assert reasons == {(2, RejectReason.OUT_OF_RANGE), (3, RejectReason.BAD_WEIGHT)}


def test_nan_values(tmp_path):
    # NaN in an answer cell is "no answer" (counted, not dropped): it fails a required item;
    # a NaN weight is rejected.
    report, entries, _ = _rejects(
        tmp_path, "r1,dinkes,NaN,3,1\nr2,dinkes,3,nan,1\nr3,dinkes,3,3,NaN\n", required=True
    )
    reasons = {(e.row, e.reason) for e in entries}
    assert reasons == {(2, RejectReason.MISSING_REQUIRED), (4, RejectReason.BAD_WEIGHT)}
    assert report.rows_used == 1


def test_wrong_encoding_warns(tmp_path):
    (tmp_path / "data.csv").write_bytes(
        "respondent;opd;q1\nr1;Dinas Kesehatan;3\nr2;dinkés;2\n".encode("cp1252")
    )
    study = write_study(tmp_path, "data.csv")
    report = validate_study(study)
    assert any("expected UTF-8" in w and "cp1252" in w for w in report.warnings)
    r = _cli("validate", str(study))
    assert r.exit_code == 0 and "warning:" in r.output and "cp1252" in r.output
    # the mis-typed OPD is a reject with a suggestion, correctly decoded
    assert "'dinkés'" in r.output and "did you mean 'dinkes'" in r.output


def test_evaluate_carries_the_same_errors(tmp_path):
    (tmp_path / "data.csv").write_bytes(b"")
    study = write_study(tmp_path, "data.csv")
    r = _cli("evaluate", str(study))
    assert r.exit_code == 4 and r.stderr.startswith("error: ") and "empty" in r.stderr
