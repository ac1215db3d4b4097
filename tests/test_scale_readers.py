"""The fast paths of the province-scale work give the numbers of the plain paths.

Numeric answer columns (vectorised) against :func:`parse_answer` cell by cell; the Arrow
readers' buffer conversion against the CSV reader; the paced ``csv-arrow`` stream against a
whole read, and stopping it early does not hang. (Speed lives in ``benchmarks/``.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import publiceval as pe
from builders import make_survey
from publiceval._core.cells import _REASON_CODES, CellProblem, parse_answer, parse_column
from publiceval._core.chunked import evaluate_file
from publiceval._core.survey import Scale
from publiceval._core.table import ColumnMap, ResponseTable
from publiceval.plugin import get_host, read_responses

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

SURVEY = make_survey(3)
SCALES = (Scale(id="q", min=1, max=4), Scale(id="z", min=0, max=10), Scale(id="n", min=-2, max=2))
SPECIAL = [np.nan, np.inf, -np.inf, -0.0, 0.5, 4.0000001, 127.0, 128.0, 300.0, -129.0, 1e300]


def _check(col: np.ndarray, scale: Scale) -> None:
    out = parse_column(col, scale)
    for i, raw in enumerate(col.tolist()):
        if isinstance(raw, float) and raw.is_integer() and abs(raw) < 2.0**53:
            raw = int(raw)  # a cell typed 7 is shown as 7, not 7.0
        want = parse_answer(raw, scale)
        if want is None:
            assert not out.observed[i] and out.problem[i] == 0 and out.values[i] == 0, raw
        elif isinstance(want, CellProblem):
            assert _REASON_CODES[out.problem[i]] == want.reason, (raw, scale.id)
            assert out.problem_at(i).message == want.message
            assert not out.observed[i] and out.values[i] == 0
        else:
            assert out.observed[i] and out.values[i] == want and out.problem[i] == 0, raw


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(-300, 300).map(float),
            st.sampled_from(SPECIAL),
            st.floats(-20, 20, allow_nan=False),
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(SCALES),
    st.sampled_from(["float64", "float32", "strided"]),
)
def test_numeric_columns_read_as_cell_by_cell(values: list[float], scale: Scale, kind: str):
    col = np.array(values, dtype=np.float64)
    if kind == "float32":
        with np.errstate(over="ignore"):
            col = col.astype(np.float32)
    elif kind == "strided":
        col = np.stack([col, col[::-1]], axis=1)[:, 0]  # a column of a 2-D array
    _check(col, scale)


@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.uint8, np.int32])
def test_integer_columns_read_as_cell_by_cell(dtype: Any):
    info = np.iinfo(dtype)
    col = np.array([info.min, -3, -2, 0, 1, 4, 5, 10, 11, info.max], dtype=np.int64)
    col = col[(col >= info.min) & (col <= info.max)].astype(dtype)
    for scale in SCALES:
        _check(col, scale)


def test_from_arrays_equals_from_columns_for_strided_answers():
    rng = np.random.default_rng(3)
    n = 500
    answers = rng.integers(0, 6, (n, 3)).astype(float)
    answers[answers == 0] = np.nan
    answers[::37, 1] = 2.5  # not a whole point: rejected the same way
    opd = rng.integers(0, 3, n)
    a = ResponseTable.from_arrays(SURVEY, opd=opd, answers=answers)
    cols: dict[str, Any] = {
        "respondent": np.arange(1, n + 1),
        "opd": np.array([SURVEY.opds[o].id for o in opd], dtype=object),
    }
    for j, item in enumerate(SURVEY.opd_items):
        cols[item.id] = np.ascontiguousarray(answers[:, j])
    b = ResponseTable.from_columns(SURVEY, cols)
    assert np.array_equal(a.per_opd.values, b.per_opd.values)
    assert np.array_equal(a.per_opd.observed, b.per_opd.observed)
    assert [e.message for e in a.rejects.entries] == [e.message for e in b.rejects.entries]


def _frame(n: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {
        "respondent": np.arange(1, n + 1),
        "opd": [f"opd{o}" if o < 3 else None for o in rng.integers(0, 4, n)],
    }
    for q in ("q1", "q2", "q3"):
        x = rng.integers(1, 5, n).astype(float)
        x[rng.random(n) < 0.2] = np.nan
        out[q] = x
    out["mayor"] = [None if v > 3 else str(int(v)) for v in rng.integers(1, 6, n)]
    return out


def _csv(cols: dict[str, Any], path: Path) -> None:
    names = list(cols)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(",".join(names) + "\n")
        for r in range(len(cols["respondent"])):
            cells = []
            for name in names:
                v = cols[name][r]
                if v is None or (isinstance(v, float) and v != v):
                    cells.append("")
                elif isinstance(v, float | np.floating):
                    cells.append(str(int(v)))
                else:
                    cells.append(str(v))
            fh.write(",".join(cells) + "\n")


def _same_tables(a: ResponseTable, b: ResponseTable, shift: int = 0) -> None:
    """Equal tables; ``b`` numbers its rows ``shift`` lower (Parquet has no header row)."""
    for block in ("per_opd", "survey_wide"):
        x, y = getattr(a, block), getattr(b, block)
        for field in ("values", "observed", "opd", "weight"):
            assert np.array_equal(getattr(x, field), getattr(y, field)), (block, field)
        assert np.array_equal(x.source_row, y.source_row + shift)
        assert list(a.respondent_ids[x.respondent]) == list(b.respondent_ids[y.respondent])
    assert [(e.row, e.reason) for e in a.rejects.entries] == [
        (e.row + shift, e.reason) for e in b.rejects.entries
    ]


@pytest.mark.parametrize("dictionary", [False, True])
def test_parquet_reader_equals_csv_reader(tmp_path: Path, dictionary: bool):
    cols = _frame(700, 5)
    _csv(cols, tmp_path / "a.csv")
    table = pa.table(
        {
            "respondent": pa.array(cols["respondent"]),
            "opd": pa.array(cols["opd"]).dictionary_encode()
            if dictionary
            else pa.array(cols["opd"]),
            **{
                q: pa.array(cols[q], mask=np.isnan(cols[q])).cast(pa.int8())
                for q in ("q1", "q2", "q3")
            },
            "mayor": pa.array(cols["mayor"]),
        }
    )
    pq.write_table(table, tmp_path / "a.parquet", row_group_size=97)
    host = get_host()
    want = host.reader("csv").create(None).read(tmp_path / "a.csv", SURVEY, ColumnMap())
    got = host.reader("parquet").create(None).read(tmp_path / "a.parquet", SURVEY, ColumnMap())
    _same_tables(want, got, shift=1)
    arrow = host.reader("csv-arrow").create(None).read(tmp_path / "a.csv", SURVEY, ColumnMap())
    _same_tables(want, arrow)


def test_paced_csv_arrow_stream_equals_whole_read_and_stops_cleanly(tmp_path: Path):
    # a file of several pyarrow blocks (1 MB each), read in small chunks
    cols = _frame(60_000, 6)
    path = tmp_path / "big.csv"
    _csv(cols, path)
    host = get_host()
    reader = host.reader("csv-arrow").create(None)
    whole = reader.read(path, SURVEY, ColumnMap())
    options = {"statistics": {"uncertainty": False}}
    expected = json.loads(pe.evaluate(SURVEY, whole, **options).to_json())
    got = json.loads(
        evaluate_file(SURVEY, path, reader="csv-arrow", chunk_rows=5_000, **options).to_json()
    )
    assert expected["opds"] == got["opds"]
    # stopping after the first chunk closes the paced file: no reader thread left waiting
    chunks = reader.iter_tables(path, SURVEY, ColumnMap(), 5_000)
    next(chunks)
    chunks.close()


def test_paced_stream_reads_on_while_a_batch_is_awaited(tmp_path: Path, monkeypatch):
    """Allowing no read-ahead at all must not deadlock pyarrow's reader thread."""
    from publiceval._core.default_plugins import arrow_csv_reader

    cols = _frame(60_000, 8)
    path = tmp_path / "big.csv"
    _csv(cols, path)
    reader = get_host().reader("csv-arrow").create(None)
    whole = reader.read(path, SURVEY, ColumnMap())
    monkeypatch.setattr(arrow_csv_reader, "AHEAD_BYTES", 1)
    # the streaming road (what chunked reading and studies use): paced, block by block
    _same_tables(whole, read_responses(reader, path, SURVEY, ColumnMap(), chunk_rows=7_000))


def test_csv_arrow_whole_read_equals_the_streamed_road_with_bad_rows(tmp_path: Path):
    """``read`` parses the whole file with pyarrow's multithreaded reader; the rows, values,
    rejects (row, column, cell, message) equal those of the streamed road."""
    cols = {k: np.array(v, dtype=object) for k, v in _frame(9_000, 4).items()}
    cols["opd"][[5, 4_000]] = "nowhere"
    cols["q1"][[7, 8_500]] = 9.0
    cols["respondent"][3] = 3  # a repeated respondent
    path = tmp_path / "bad.csv"
    _csv(cols, path)
    reader = get_host().reader("csv-arrow").create(None)
    whole = reader.read(path, SURVEY, ColumnMap())
    streamed = read_responses(reader, path, SURVEY, ColumnMap(), chunk_rows=1_000)
    _same_tables(whole, streamed)
    reasons = {e.reason.value for e in whole.rejects.entries}
    assert {"unknown_opd", "out_of_range"} <= reasons, reasons
    assert [e.model_dump() for e in whole.rejects.entries] == [
        e.model_dump() for e in streamed.rejects.entries
    ]


def test_arrow_readers_do_not_import_pandas(tmp_path: Path):
    """pyarrow's to_numpy, pa.array and pa.scalar import pandas (≈ 80 MB): the readers avoid them."""
    cols = _frame(300, 7)
    _csv(cols, tmp_path / "a.csv")
    pq.write_table(pa.table({"respondent": pa.array(cols["respondent"])}), tmp_path / "r.parquet")
    code = f"""
import sys
from pathlib import Path
from publiceval.plugin import get_host
from publiceval._core.table import ColumnMap
sys.path.insert(0, {str(Path(__file__).parent)!r})
from builders import make_survey
survey = make_survey(3)
host = get_host()
host.reader("csv-arrow").create(None).read(Path({str(tmp_path / "a.csv")!r}), survey, ColumnMap())
print("pandas" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr
