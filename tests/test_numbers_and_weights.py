"""Numbers read with one locale per column, weights that cannot overflow, cells shown as typed.

Each case writes a real file and study to ``tmp_path`` and runs it through
``publiceval.load_study(...).evaluate()`` and the command line: a bad input gives its exit code
and message fragment; a good one keeps ``rows_read == rows_used + rows_rejected``, per-OPD ``n``
summing to the rows used, and the same result read whole or in chunks of 3 rows.
"""

from __future__ import annotations

import math
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import publiceval
from _reader_support import write_study
from publiceval import DataError, RejectReason, StudyError
from publiceval._core.cli import cli
from publiceval._core.table.numbers import NumberFormat, number_text, read_numbers

HEADER = "respondent;opd;q1;q2;w"
WEIGHT = 'columns = { weight = "w" }'


def _study(folder: Path, text: str, extra: str = "", name: str = "data.csv") -> Path:
    (folder / name).write_text(text, encoding="utf-8")
    return write_study(folder, name, data_extra=WEIGHT + ("\n" + extra if extra else ""))


def _cli(*args: str):
    result = CliRunner().invoke(cli, list(args))
    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in out
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def _scores(ev) -> dict[str, tuple[float | None, int]]:
    return {o.opd: (o.score.value, o.score.n) for o in ev.opds}


def _evaluate_ok(study: Path):
    """Evaluate whole and in chunks of 3 rows; check the invariants; return the evaluation."""
    ev = publiceval.load_study(study).evaluate()
    d = ev.data
    assert d.rows_read == d.rows_used + d.rows_rejected
    assert sum(o.score.n for o in ev.opds) == d.rows_used
    chunked = publiceval.load_study(study).evaluate(chunk_rows=3)
    assert chunked.data.rows_read == d.rows_read and chunked.data.rows_used == d.rows_used
    whole, parts = _scores(ev), _scores(chunked)
    assert whole.keys() == parts.keys()
    for k, (v, n) in whole.items():
        assert parts[k][1] == n
        assert (v is None and parts[k][0] is None) or parts[k][0] == pytest.approx(v, rel=1e-12)
    r = _cli("evaluate", str(study), "--format", "json")
    assert r.exit_code == 0, r.output
    return ev


def _refused(study: Path, *fragments: str, code: int = 4, error: type = DataError) -> None:
    with pytest.raises(error) as info:
        publiceval.load_study(study).evaluate()
    for f in fragments:
        assert f in str(info.value)
    r = _cli("evaluate", str(study))
    assert r.exit_code == code
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    for f in fragments:
        assert f in lines[0]


# --------------------------------------------------------------- the issue's case
ISSUE = HEADER + "\nr1;dinkes;4;4;1.500\nr2;dinkes;1;1;2.000\nr3;disdik;3;3;1\n"


def test_thousands_dots_in_a_semicolon_file_are_refused(tmp_path):
    # 1.500 and 2.000 are 1.5 and 2.0 or 1500 and 2000: nothing in the column says which
    study = _study(tmp_path, ISSUE)
    _refused(
        study,
        "data.csv: column 'w'",
        "'1.500' (row 2), '2.000' (row 3)",
        "read two ways in a ';'-separated file",
        '[data] decimal = ","',
    )


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('decimal = ","', (4 * 1500 + 1 * 2000) / 3500),
        ('decimal = ","\nthousands = "."', (4 * 1500 + 1 * 2000) / 3500),
        ('decimal = "."', (4 * 1.5 + 1 * 2.0) / 3.5),
    ],
)
def test_stated_locale_reads_the_column_one_way(tmp_path, extra, expected):
    ev = _evaluate_ok(_study(tmp_path, ISSUE, extra))
    assert _scores(ev)["dinkes"] == (pytest.approx(expected), 2)


ARROW = 'format = "csv-arrow"\noptions = { delimiter = ";" }'


def test_csv_arrow_reads_a_semicolon_file_with_one_locale_too(tmp_path):
    """pyarrow alone would read '1.500' as 1.5: the arrow reader hands the cells over as text."""
    pytest.importorskip("pyarrow")
    _refused(_study(tmp_path, ISSUE, ARROW), "data.csv: column 'w'", "read two ways")
    stated = tmp_path / "stated"
    stated.mkdir()
    ev = _evaluate_ok(_study(stated, ISSUE, ARROW + '\ndecimal = ","'))
    assert _scores(ev)["dinkes"] == (pytest.approx((4 * 1500 + 1 * 2000) / 3500), 2)


def test_column_evidence_settles_the_locale(tmp_path):
    # 1.250,5 can only be Indonesian: the whole column is read that way, 1.500 is 1500
    text = HEADER + "\nr1;dinkes;3;3;1.250,5\nr2;dinkes;4;4;1.500\nr3;dinkes;1;1;2.000\n"
    ev = _evaluate_ok(_study(tmp_path, text))
    expected = (4 * 1500 + 1 * 2000 + 3 * 1250.5) / (1500 + 2000 + 1250.5)
    assert _scores(ev)["dinkes"] == (pytest.approx(expected), 3)
    assert ev.data.rows_rejected == 0


def test_evidence_only_after_the_first_chunk(tmp_path):
    # the first chunk alone reads two ways: it waits for the chunk that settles the column,
    # so read in chunks equals read whole
    rows = ["r1;dinkes;4;4;1.500", "r2;dinkes;1;1;2.000", "r3;disdik;3;3;1", "r4;disdik;2;2;3"]
    rows += ["r5;disdik;2;2;1", "r6;disdik;3;3;1.250,5"]
    ev = _evaluate_ok(_study(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n"))
    assert _scores(ev)["dinkes"] == (pytest.approx((4 * 1500 + 2000) / 3500), 2)


def test_a_file_that_never_settles_is_refused_in_chunks_too(tmp_path):
    rows = ["r1;dinkes;4;4;1.500", "r2;dinkes;1;1;2.000", "r3;disdik;3;3;1", "r4;disdik;2;2;3"]
    study = _study(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    for chunk_rows in (None, 1, 3):
        with pytest.raises(DataError, match=re.escape("'1.500' (row 2), '2.000' (row 3)")):
            publiceval.load_study(study).evaluate(chunk_rows=chunk_rows)


def test_decimal_commas_as_before(tmp_path):
    text = HEADER + "\nr1;dinkes;4;4;1,5\nr2;dinkes;1;1;0,5\nr3;disdik;3;3;2\n"
    ev = _evaluate_ok(_study(tmp_path, text))
    assert _scores(ev)["dinkes"] == (pytest.approx((4 * 1.5 + 0.5) / 2.0), 2)


def test_decimal_points_in_a_comma_file_as_before(tmp_path):
    text = "respondent,opd,q1,q2,w\nr1,dinkes,4,4,1.500\nr2,dinkes,1,1,2.000\nr3,disdik,3,3,1\n"
    ev = _evaluate_ok(_study(tmp_path, text))
    assert _scores(ev)["dinkes"] == (pytest.approx((4 * 1.5 + 2.0) / 3.5), 2)


def test_two_locales_in_one_column_are_refused(tmp_path):
    text = HEADER + "\nr1;dinkes;4;4;1.5\nr2;dinkes;1;1;2,5\n"
    _refused(
        _study(tmp_path, text),
        "column 'w'",
        "written two ways: '1.5' (row 2) with a decimal point, '2,5' (row 3)",
        '[data] decimal = ","',
    )


def test_stated_locale_rejects_the_other_way_as_typed(tmp_path):
    text = HEADER + "\nr1;dinkes;4;4;1.5\nr2;dinkes;1;1;1.250,5\nr3;disdik;3;3;2\n"
    ev = _evaluate_ok(_study(tmp_path, text, 'decimal = "."'))
    (e,) = ev.data.rejects
    assert (e.row, e.column, e.value, e.reason) == (3, "w", "1.250,5", RejectReason.BAD_WEIGHT)
    assert "found '1.250,5'" in e.message


def test_bad_locale_keys_are_study_errors(tmp_path):
    study = _study(tmp_path, ISSUE, 'decimal = ","\nthousands = ","')
    _refused(study, "must differ", code=3, error=StudyError)
    study = _study(tmp_path, ISSUE, 'decimal = ";"')
    _refused(study, "decimal", code=3, error=StudyError)


# --------------------------------------------------------------- chunks
def test_a_later_chunk_cannot_read_the_column_another_way(tmp_path):
    rows = ["r1;dinkes;4;4;1,5", "r2;dinkes;1;1;2", "r3;dinkes;3;3;1", "r4;disdik;3;3;2.5"]
    study = _study(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    # read whole, the column mixes two ways
    with pytest.raises(DataError, match="written two ways"):
        publiceval.load_study(study).evaluate()
    # in chunks, the first chunk decided: the later one is refused, naming both
    with pytest.raises(DataError) as info:
        publiceval.load_study(study).evaluate(chunk_rows=3)
    msg = str(info.value)
    assert "'2.5' (row 5)" in msg and "earlier rows" in msg and "'1,5' in row 2" in msg


def test_a_later_chunk_follows_the_first_ones_locale(tmp_path):
    # 1.500 in the last chunk alone reads two ways; the first chunk settled it as Indonesian
    rows = ["r1;dinkes;4;4;1,5", "r2;dinkes;1;1;2", "r3;dinkes;3;3;1", "r4;disdik;3;3;1.500"]
    ev = _evaluate_ok(_study(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n"))
    assert ev.data.rows_used == 4


# --------------------------------------------------------------- weights that overflow
def test_weights_that_would_overflow_are_rejected_not_silent(tmp_path):
    text = "respondent,opd,q1,q2,w\nr1,dinkes,4,4,1e308\nr2,dinkes,2,2,1e308\nr3,disdik,3,3,1\n"
    ev = _evaluate_ok(_study(tmp_path, text))
    assert ev.data.rows_used == 1 and ev.data.rows_rejected == 2
    assert {(e.row, e.value, e.reason) for e in ev.data.rejects} == {
        (2, "1e308", RejectReason.BAD_WEIGHT),
        (3, "1e308", RejectReason.BAD_WEIGHT),
    }
    assert all("would overflow" in e.message for e in ev.data.rejects)
    assert _scores(ev) == {"dinkes": (None, 0), "disdik": (3.0, 1)}


def test_every_weight_huge(tmp_path):
    text = "respondent,opd,q1,q2,w\nr1,dinkes,4,4,1e308\nr2,disdik,2,2,1e308\n"
    ev = publiceval.load_study(_study(tmp_path, text)).evaluate()
    assert ev.data.rows_used == 0 and ev.data.rows_rejected == 2
    assert sum(o.score.n for o in ev.opds) == 0


def _weighted_csv(folder: Path, weights: list[float], answers: list[int]) -> Path:
    lines = ["respondent,opd,q1,q2,w"]
    for k, (w, a) in enumerate(zip(weights, answers, strict=True)):
        opd = "dinkes" if k % 2 == 0 else "disdik"
        lines.append(f"r{k},{opd},{a},{(a % 4) + 1},{w!r}")
    return _study(folder, "\n".join(lines) + "\n")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(st.floats(0.05, 20.0), st.integers(1, 4)), min_size=4, max_size=12),
    st.integers(-90, 90),
)
def test_scaling_every_weight_gives_the_same_evaluation(rows, k):
    weights = [w for w, _ in rows]
    answers = [a for _, a in rows]
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        base = publiceval.load_study(_weighted_csv(Path(a), weights, answers)).evaluate()
        scaled_study = _weighted_csv(Path(b), [w * 10.0**k for w in weights], answers)
        scaled = publiceval.load_study(scaled_study).evaluate()
    assert scaled.data.rows_used == base.data.rows_used == len(rows)
    # paired by OPD: tied scores may come out in either order (2.5 vs 2.5000000000000004)
    pairs = zip(
        sorted(base.opds, key=lambda r: r.opd),
        sorted(scaled.opds, key=lambda r: r.opd),
        strict=True,
    )
    for x, y in pairs:
        assert x.score.n == y.score.n
        assert y.score.value == pytest.approx(x.score.value, rel=1e-9)
        if x.score.se is None or y.score.se is None:
            assert x.score.se == y.score.se
        else:
            assert y.score.se == pytest.approx(x.score.se, rel=1e-6, abs=1e-12)
        assert (x.score.n_effective is None) == (y.score.n_effective is None)
        if x.score.n_effective is not None:
            assert y.score.n_effective == pytest.approx(x.score.n_effective, rel=1e-9)


# --------------------------------------------------------------- the cell as typed
def test_csv_cells_as_typed(tmp_path):
    text = "respondent,opd,q1,q2,w\nr1,dinkes,5,3,1\nr2,dinkes,3,3,0\nr3,dinkes,3,3,abc\nr4,disdik,3,3,1\n"
    ev = _evaluate_ok(_study(tmp_path, text))
    got = {(e.row, e.column, e.value) for e in ev.data.rejects}
    assert got == {(2, "q1", "5"), (3, "w", "0"), (4, "w", "abc")}
    messages = " ".join(e.message for e in ev.data.rejects)
    assert "5.0" not in messages and "0.0" not in messages


def test_xlsx_numeric_cells_as_typed(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["respondent", "opd", "q1", "q2", "w"])
    ws.append(["r1", "dinkes", 5, 3, 1])
    ws.append(["r2", "dinkes", 3, 3, 0])
    ws.append(["r3", "dinkes", 2.5, 3, 1.5])
    ws.append(["r4", "disdik", 3, 3, 1])
    wb.save(tmp_path / "data.xlsx")
    study = write_study(tmp_path, "data.xlsx", data_extra=WEIGHT)
    ev = _evaluate_ok(study)
    got = {(e.row, e.column, e.value) for e in ev.data.rejects}
    assert got == {(2, "q1", "5"), (3, "w", "0"), (4, "q1", "2.5")}
    assert all(".0" not in e.message for e in ev.data.rejects)


def test_parquet_numeric_cells_as_typed(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "respondent": ["r1", "r2", "r3"],
            "opd": ["dinkes", "dinkes", "disdik"],
            "q1": [5.0, 3.0, 3.0],
            "q2": [3.0, 3.0, 3.0],
            "w": [1.0, -2.0, 1.0],
        }
    )
    pq.write_table(table, tmp_path / "data.parquet")
    study = write_study(tmp_path, "data.parquet", data_extra=WEIGHT)
    ev = _evaluate_ok(study)
    got = {(e.row, e.column, e.value) for e in ev.data.rejects}
    assert got == {(1, "q1", "5"), (2, "w", "-2")}


# --------------------------------------------------------------- the parser itself
def test_read_numbers_per_locale():
    def read(values, **kw):
        return read_numbers(values, where="f: column 'w'", **kw)[0].tolist()

    assert read(["1.500", "2.000"], delimiter=",") == [1.5, 2.0]
    assert read(["1.000.000", "2"], delimiter=";") == [1e6, 2.0]
    assert read(["1,000,000.5", "2"]) == [1000000.5, 2.0]
    assert read(["1.500", "2.000"], fmt=NumberFormat(",")) == [1500.0, 2000.0]
    assert read(["1 500,5"], fmt=NumberFormat(",", " ")) == [1500.5]
    assert math.isnan(read([""])[0]) and read(["7", 3]) == [7.0, 3.0]
    with pytest.raises(DataError, match=re.escape("'1,500' read two ways")):
        read(["1,500"])


def test_number_text():
    assert [number_text(x) for x in (5.0, -2.0, 2.5, 1e300)] == ["5", "-2", "2.5", "1e+300"]
    assert number_text(float("nan")) is None
    assert np.isnan(read_numbers(["x"])[0][0]) and read_numbers(["x"])[1][0]
