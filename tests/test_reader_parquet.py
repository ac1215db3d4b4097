"""Parquet reader: a file written by pyarrow, numeric and text columns, nulls."""

from __future__ import annotations

import numpy as np
import pytest

from _reader_support import survey
from publiceval import ColumnMap, DataError, RejectReason
from publiceval._core.default_plugins.parquet_reader import ParquetReader
from publiceval._core.ingest import read_responses

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def _write(path, **cols):
    pq.write_table(pa.table(cols), path)
    return path


def _read(path, **kw):
    return read_responses(ParquetReader.create(), path, survey(), ColumnMap(weight="w"), **kw)


def test_numeric_and_text_columns_with_nulls(tmp_path):
    p = _write(
        tmp_path / "r.parquet",
        respondent=["r1", "r2", "r3", "r4"],
        opd=["dinkes", "Dinas Pendidikan", "dinkes", "nowhere"],
        q1=pa.array([4, None, 7, 1], pa.int8()),
        q2=["Baik", "1", None, "2"],
        w=[1.5, 1.0, 2.0, 1.0],
        unused=["a", "b", "c", "d"],
    )
    t = _read(p)
    assert t.rejects.rows_read == 4
    assert t.per_opd.values.tolist() == [[4, 3], [0, 1]]
    assert t.per_opd.observed.tolist() == [[True, True], [False, True]]
    assert t.per_opd.weight.tolist() == [1.5, 1.0]
    reasons = {e.row: e.reason for e in t.rejects.entries}
    assert reasons == {3: RejectReason.OUT_OF_RANGE, 4: RejectReason.UNKNOWN_OPD}


def test_batches_equal_whole(tmp_path):
    rng = np.random.default_rng(1)
    n = 500
    p = _write(
        tmp_path / "r.parquet",
        respondent=[f"r{i}" for i in range(n)],
        opd=rng.choice(["dinkes", "disdik"], n).tolist(),
        q1=rng.integers(0, 6, n),
        q2=rng.integers(1, 5, n).astype(float),
        w=np.ones(n),
    )
    a = _read(p, chunk_rows=37)
    b = _read(p)
    assert np.array_equal(a.per_opd.values, b.per_opd.values)
    assert a.rejects.entries == b.rejects.entries
    assert a.rejects.rows_rejected == int(
        ((np.asarray(pq.read_table(p)["q1"]) < 1) | (np.asarray(pq.read_table(p)["q1"]) > 4)).sum()
    )


def test_not_parquet(tmp_path):
    p = tmp_path / "x.parquet"
    p.write_bytes(b"hello, world\n")
    with pytest.raises(DataError, match="expected a Parquet file"):
        _read(p)
