"""Messages that point at the right thing: the open quote, the NUL byte, the formula, the option.

Real files in ``tmp_path`` through the command line (``validate`` and ``evaluate``): a file that
cannot be read gives ONE line naming the file, the row or line and the column, and no traceback;
a damaged row is rejected on its own, with ``rows_read == rows_used + rows_rejected``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from _reader_support import write_study
from publiceval import DataError, PluginError, RejectReason
from publiceval._core.cli import cli
from publiceval._core.validation import validate_study

HEADER = b"respondent,opd,q1,q2\n"


def _cli(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in out
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def _one_error_line(result: Result, code: int) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    return lines[0]


def _study(tmp_path: Path, content: bytes, data_extra: str = "") -> Path:
    (tmp_path / "data.csv").write_bytes(content)
    return write_study(tmp_path, "data.csv", data_extra=data_extra)


def _arrow() -> str:
    pytest.importorskip("pyarrow")
    return 'format = "csv-arrow"'


# --------------------------------------------------------------- an unterminated quote
OPEN_QUOTE = HEADER + b'r1,dinkes,3,3\nr2,"dinkes,3,3\nr3,dinkes,3,3\nr4,dinkes,2,2\n'


@pytest.mark.parametrize("command", ["validate", "evaluate"])
@pytest.mark.parametrize("reader", ["csv", "csv-arrow"])
def test_an_open_quote_names_its_row_line_and_column(tmp_path, command, reader):
    study = _study(tmp_path, OPEN_QUOTE, _arrow() if reader == "csv-arrow" else "")
    line = _one_error_line(_cli(command, str(study)), 4)
    assert "data.csv, row 3, column B ('opd'):" in line
    assert 'a quote (") opens here and is never closed' in line
    assert "the rest of the file (3 lines) was read as one cell" in line
    assert "remove the quote on line 3" in line
    assert "cells as in the header" not in line  # not a cell count


def test_an_open_quote_in_python_and_in_chunks(tmp_path):
    study = _study(tmp_path, OPEN_QUOTE)
    with pytest.raises(DataError, match=r"row 3, column B \('opd'\): a quote"):
        validate_study(study)
    for rows in ("1", "2", "4"):
        line = _one_error_line(_cli("evaluate", str(study), "--chunk-rows", rows), 4)
        assert "row 3, column B ('opd')" in line and "never closed" in line


def test_the_line_is_named_when_it_is_not_the_row(tmp_path):
    # a cell over two lines before, and an Excel "sep=" line: rows and lines part ways
    content = b"sep=,\n" + HEADER + b'r1,dinkes,3,"3\n"\nr2,dinkes,"3,3\nr3,dinkes,3,3\n'
    study = _study(tmp_path, content)
    line = _one_error_line(_cli("validate", str(study)), 4)
    assert "row 3 (line 5), column C ('q1')" in line
    assert "(2 lines)" in line and "on line 5" in line


def test_an_open_quote_without_a_final_newline_and_in_the_header(tmp_path):
    study = _study(tmp_path, HEADER + b'r1,dinkes,3,3\nr2,dinkes,3,"3')
    line = _one_error_line(_cli("validate", str(study)), 4)
    assert "row 3, column D ('q2')" in line and "(1 line)" in line
    study = _study(tmp_path, b'respondent,"opd,q1,q2\nr1,dinkes,3,3\n')
    line = _one_error_line(_cli("validate", str(study)), 4)
    assert "row 1, column B:" in line and "never closed" in line


def test_an_empty_first_line_is_still_named(tmp_path):
    study = _study(tmp_path, b"\r" + HEADER + b"r1,dinkes,3,3\n")
    line = _one_error_line(_cli("validate", str(study)), 4)
    assert "data.csv: row 1 is empty; expected the header row" in line


def test_an_open_quote_past_the_cell_limit(tmp_path):
    body = b"".join(b"r%d,dinkes,3,3\n" % i for i in range(20_000))
    study = _study(tmp_path, HEADER + b'r0,"dinkes,3,3\n' + body)
    line = _one_error_line(_cli("validate", str(study)), 4)
    assert "row 2, column B ('opd')" in line
    assert "is not closed within 131,072 characters (20001 lines" in line


def test_closed_quotes_are_not_an_error(tmp_path):
    content = (
        b"respondent,opd,q1,q2,note\n"
        b'r1,dinkes,3,3,"said ""fine"""\n'
        b'r2,dinkes,3,3,"two\nlines"\n'
        b'r3,"Dinas Kesehatan",2,2,"last\nnote"'
    )
    report = validate_study(_study(tmp_path, content))
    assert (report.rows_read, report.rows_used, report.rows_rejected) == (3, 3, 0)


def test_a_quote_closed_rows_later_rejects_its_row_and_says_why(tmp_path):
    content = HEADER + b'r1,dinkes,3,3\nr2,"dinkes,3,3\nr3,dinkes",3,3\nr4,dinkes,2,2\n'
    study = _study(tmp_path, content)
    report = validate_study(study, show=50)
    assert report.rows_read == report.rows_used + report.rows_rejected
    (entry,) = [e for g in report.groups for e in g.examples]
    assert entry.reason is RejectReason.MALFORMED_ROW and entry.row == 3
    assert entry.column == "opd" and "runs over 2 lines" in entry.message
    r = _cli("validate", str(study), "--show", "50")
    assert r.exit_code == 0 and "cell B3 runs over 2 lines" in r.output, r.output


# --------------------------------------------------------------- NUL bytes
@pytest.mark.parametrize("reader", ["csv", "csv-arrow"])
@pytest.mark.parametrize(
    ("row", "column", "letter"),
    [(b"r2,din\x00kes,3,3\n", "opd", "B"), (b"r\x002,dinkes,3,3\n", "respondent", "A")],
)
def test_one_nul_byte_rejects_only_its_row(tmp_path, reader, row, column, letter):
    content = HEADER + b"r1,dinkes,3,3\n" + row + b"r3,dinkes,2,2\n"
    study = _study(tmp_path, content, _arrow() if reader == "csv-arrow" else "")
    report = validate_study(study, show=50)
    assert (report.rows_read, report.rows_used, report.rows_rejected) == (3, 2, 1)
    (entry,) = [e for g in report.groups for e in g.examples]
    assert entry.reason is RejectReason.MALFORMED_ROW and entry.row == 3
    assert entry.column == column and "NUL byte" in entry.message
    r = _cli("validate", str(study), "--show", "50")
    assert r.exit_code == 0
    assert f"row 3, column '{column}': cell {letter}3 holds a NUL byte" in r.output
    assert "\x00" not in r.output and "\\x00" in r.output  # the cell escaped, never raw
    r = _cli("evaluate", str(study), "-f", "json")
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data["data"]["rows_used"] == 2
    assert sum(o["score"]["n"] for o in data["opds"]) == 2


def test_a_nul_byte_late_in_a_large_file_and_in_chunks(tmp_path):
    body = b"".join(b"r%d,dinkes,3,3\n" % i for i in range(30_000))
    study = _study(tmp_path, HEADER + body + b"rx,dinkes,3\x00,3\n")
    for rows in (None, "7"):
        args = ["evaluate", str(study), "-f", "json"] + (["--chunk-rows", rows] if rows else [])
        r = _cli(*args)
        assert r.exit_code == 0
        data = json.loads(r.output)["data"]
        assert (data["rows_read"], data["rows_used"], data["rows_rejected"]) == (30001, 30000, 1)


def test_a_block_of_nul_bytes_is_not_text_and_says_where(tmp_path):
    study = _study(tmp_path, HEADER + b"r1,dinkes,3,3\n" + b"\x00" * 500 + b"\n")
    line = _one_error_line(_cli("validate", str(study)), 4)
    assert (
        "data.csv: expected a text (CSV) file; found binary data (NUL bytes, from line 3)" in line
    )


# --------------------------------------------------------------- a formula as respondent id
@pytest.mark.parametrize("reader", ["csv", "csv-arrow"])
def test_a_formula_as_respondent_id_is_one_reject(tmp_path, reader):
    content = HEADER + b'r1,dinkes,3,3\n=1+2,dinkes,3,3\n=HYPERLINK("http://x"),dinkes,2,2\n'
    study = _study(tmp_path, content, _arrow() if reader == "csv-arrow" else "")
    report = validate_study(study, show=50)
    assert (report.rows_read, report.rows_used, report.rows_rejected) == (3, 1, 2)
    entries = [e for g in report.groups for e in g.examples]
    assert [(e.row, e.column, e.reason) for e in entries] == [
        (3, "respondent", RejectReason.UNKNOWN_LABEL),
        (4, "respondent", RejectReason.UNKNOWN_LABEL),
    ]
    r = _cli("validate", str(study), "--show", "50")
    assert r.exit_code == 0
    assert "respondent id is empty" not in r.output
    assert "row 3, column 'respondent': cell A3: spreadsheet formula '=1+2'" in r.output


# --------------------------------------------------------------- ikm-2017 weights
IKM = """
[method]
name = "ikm-2017"

[method.options]
weights = {{ Persyaratan = 0.5, Biaya = {biaya} }}
"""


@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_ikm_weights_not_summing_to_one_name_the_study_file_and_line(tmp_path, command):
    (tmp_path / "data.csv").write_bytes(HEADER + b"r1,dinkes,3,3\n")
    study = write_study(tmp_path, "data.csv")
    study.write_text(study.read_text(encoding="utf-8") + IKM.format(biaya=0.4), encoding="utf-8")
    number = (
        study.read_text(encoding="utf-8")
        .splitlines()
        .index("weights = { Persyaratan = 0.5, Biaya = 0.4 }")
    )
    line = _one_error_line(_cli(command, str(study)), 3)  # a study error, like other options
    assert f"study.toml, line {number + 1}, key 'method.options.weights'" in line
    assert "ikm-2017: element weights must sum to 1; they sum to 0.9" in line


def test_ikm_weights_summing_to_one_pass_and_python_gets_a_plugin_error(tmp_path):
    from publiceval._core.default_plugins.ikm import IKM2017

    (tmp_path / "data.csv").write_bytes(HEADER + b"r1,dinkes,3,3\n")
    study = write_study(tmp_path, "data.csv")
    study.write_text(study.read_text(encoding="utf-8") + IKM.format(biaya=0.5), encoding="utf-8")
    assert _cli("validate", str(study)).exit_code == 0
    with pytest.raises(PluginError, match=re.escape("must sum to 1; they sum to 1.5")):
        IKM2017.create({"weights": {"Persyaratan": 1.0, "Biaya": 0.5}})
    with pytest.raises(PluginError, match="cannot both be given"):
        IKM2017.create({"weights": {"Persyaratan": 1.0}, "legacy_weight": True})
