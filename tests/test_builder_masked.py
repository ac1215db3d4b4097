"""Integer answers with a validity mask (what the Arrow readers hand over) are validated exactly
as the float64-with-NaN column they stand for: the same points, rejects, rows, cells and
messages, for random columns with empty, out-of-range, huge and non-integer cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import publiceval as pe
from builders import make_survey
from publiceval._core.cells import parse_column
from publiceval._core.ingest.accumulate import _number_cells
from publiceval._core.ingest.raw import MaskedInts, RawChunk, join_raw
from publiceval._core.table import Cells, Handoff
from publiceval._core.table.policy import RecordPolicy
from publiceval._core.table.validate import build
from publiceval.plugin import get_host

SURVEY = make_survey(3)
CELL = st.one_of(
    st.none(),
    st.integers(-3, 9),
    st.integers(-(2**62), 2**62),
    st.sampled_from([127, -128, 128, 300, 2**53 + 1, 10**18]),
)


def _masked(cells: list[int | None], small: bool) -> tuple[MaskedInts, np.ndarray]:
    valid = np.array([c is not None for c in cells], dtype=bool)
    ints = np.array([0 if c is None else c for c in cells], dtype=np.int64)
    # the slots of empty cells hold anything: Arrow does not promise zeros
    ints[~valid] = 77
    if small and ints.size and ints.min() >= -128 and ints.max() <= 127:
        ints = ints.astype(np.int8)
    floats = np.array([np.nan if c is None else float(c) for c in cells])
    return MaskedInts(ints, valid), floats


@settings(max_examples=150, deadline=None)
@given(st.lists(CELL, min_size=1, max_size=80), st.booleans())
def test_parse_column_of_masked_ints_equals_the_float_column(cells: list[Any], small: bool) -> None:
    masked, floats = _masked(cells, small)
    scale = SURVEY.scale_of(SURVEY.items[0])
    got = parse_column(masked.values, scale, valid=masked.valid)
    old = parse_column(floats, scale)
    assert got.values.tolist() == old.values.tolist()
    assert got.observed.tolist() == old.observed.tolist()
    assert got.problem.tolist() == old.problem.tolist()
    assert got.messages == old.messages
    assert np.array_equal(masked.floats(), floats, equal_nan=True)


def _entries(built: Any) -> list[tuple[Any, ...]]:
    return [
        (e.row, e.record_row, e.column, e.value, e.reason, e.message, e.scope)
        for e in built.rejects.entries
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(CELL, CELL, st.one_of(st.none(), st.integers(-2, 4))), min_size=1, max_size=40
    ),
    st.sampled_from(["skip-answer", "reject-row"]),
    st.booleans(),
)
def test_builder_gives_the_same_table_and_rejects(
    rows: list[tuple[Any, Any, Any]], invalid: Any, small: bool
) -> None:
    n = len(rows)
    q1, f1 = _masked([r[0] for r in rows], small)
    q2, f2 = _masked([r[1] for r in rows], small)
    w, fw = _masked([r[2] for r in rows], small)
    opd = np.array([f"opd{i % 3}" for i in range(n)], dtype=object)
    resp = np.array([f"r{i}" for i in range(n)], dtype=object)

    def handoff(masked: bool) -> Handoff:
        def cells(m: MaskedInts, f: np.ndarray, name: str) -> Cells:
            return Cells(m.values, name, valid=m.valid) if masked else Cells(f, name)

        return Handoff(
            rows=np.arange(2, n + 2, dtype=np.int64),
            source="answers.parquet",
            respondent=Cells(resp, "respondent"),
            opd=Cells(opd, "opd"),
            weight=cells(w, fw, "weight"),
            items={"q1": cells(q1, f1, "q1"), "q2": cells(q2, f2, "q2")},
            absent={"q3": "q3", "mayor": "mayor"},
            policy=RecordPolicy(invalid_answer=invalid),
        )

    new, old = build(SURVEY, handoff(True)), build(SURVEY, handoff(False))
    assert _entries(new) == _entries(old)
    for block in ("per_opd", "survey_wide"):
        a, b = getattr(new, block), getattr(old, block)
        assert a.values.tolist() == b.values.tolist()
        assert a.observed.tolist() == b.observed.tolist()
        assert a.weight.tolist() == b.weight.tolist()
        assert a.source_row.tolist() == b.source_row.tolist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=20), min_size=1, max_size=4), st.booleans())
def test_chunks_join_as_the_float_column(parts: list[list[Any]], plain_first: bool) -> None:
    chunks: list[Any] = [_masked(p, True)[0] for p in parts]
    if plain_first:
        chunks[0] = np.array([5, 6], dtype=np.int64)
    cells = _number_cells(chunks, "q1")
    floats = np.concatenate([c.floats() if isinstance(c, MaskedInts) else c for c in chunks])
    assert np.array_equal(cells.unmasked().values.astype(float), floats, equal_nan=True)
    a = RawChunk(columns={"q1": chunks[0]}, rows=np.arange(len(chunks[0])))
    b = RawChunk(columns={"q1": chunks[-1]}, rows=np.arange(len(chunks[-1])))
    joined = np.asarray(join_raw(a, b).columns["q1"], dtype=float)
    first = chunks[0].floats() if isinstance(chunks[0], MaskedInts) else chunks[0]
    assert np.array_equal(joined[: len(first)], first, equal_nan=True)


@pytest.mark.parametrize("reader", ["parquet", "csv-arrow"])
def test_arrow_readers_hand_integers_with_gaps_as_masked_ints(tmp_path: Path, reader: str) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from publiceval._core.default_plugins._arrow_cells import arrow_cells

    arr = pa.array([1, None, 4, 9, None, -1], type=pa.int64())
    cells = arrow_cells(pa, pa.compute, arr.slice(1))
    assert isinstance(cells, MaskedInts) and cells.values.dtype == np.int8
    assert np.array_equal(cells.floats(), [np.nan, 4, 9, np.nan, -1], equal_nan=True)
    table = pa.table(
        {
            "respondent": ["a", "b", "c", "d", "e", "f"],
            "opd": ["opd0", "opd1", "opd2", "opd0", "opd1", "opd2"],
            "q1": arr,
            "q2": pa.array([2, 3, None, 4, 1, 7], type=pa.int32()),
            "weight": pa.array([1, 2, None, 1, 1, 1], type=pa.int16()),
        }
    )
    if reader == "parquet":
        path = tmp_path / "a.parquet"
        pq.write_table(table, path)
    else:
        import pyarrow.csv as pcsv

        path = tmp_path / "a.csv"
        pcsv.write_csv(table, path)
    got = get_host().reader(reader).create(None).read(path, SURVEY, pe.ColumnMap(weight="weight"))
    shown = [(e.row, e.column, e.value, e.reason.value) for e in got.rejects.entries]
    row = 1 if reader == "parquet" else 2
    assert shown == [
        (row + 2, "weight", "nan", "bad_weight"),  # as the float column showed it
        (row + 3, "q1", "9", "out_of_range"),
        (row + 5, "q1", "-1", "out_of_range"),
        (row + 5, "q2", "7", "out_of_range"),
    ]
