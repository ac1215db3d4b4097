"""Dask backend: partitions → aggregates → tree merge gives the in-memory evaluation."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from builders import make_survey

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")

import publiceval as pe  # noqa: E402
from publiceval._core.aggregates import table_aggregates  # noqa: E402
from publiceval._core.dask_backend import dask_aggregates, evaluate_dask  # noqa: E402
from publiceval._core.table import ColumnMap, ResponseTable  # noqa: E402

SURVEY = make_survey(3)


def _frame(n: int, seed: int) -> Any:
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n):
        for t, o in enumerate(rng.choice(3, int(rng.integers(1, 3)), replace=False)):
            row: dict[str, Any] = {
                "respondent": f"r{r:04d}",
                "opd": f"opd{o}",
                "weight": float(rng.uniform(0.5, 2.0)),
                "stratum": f"s{r % 3}",
            }
            for q in ("q1", "q2", "q3"):
                row[q] = str(int(rng.integers(1, 5))) if rng.random() > 0.1 else ""
            row["mayor"] = str(int(rng.integers(1, 5))) if t == 0 and rng.random() < 0.7 else ""
            rows.append(row)
    bad = {"respondent": "bad", "opd": "nowhere", "weight": 1.0, "stratum": "s0", "q1": "1"}
    rows.append({**bad, "q2": "", "q3": "", "mayor": ""})
    return pd.DataFrame(rows)


MAPPING = ColumnMap(weight="weight", stratum="stratum")


def _expected(frame: Any) -> Any:
    columns = {c: frame[c].to_numpy() for c in frame.columns}
    table = ResponseTable.from_columns(SURVEY, columns, mapping=MAPPING)
    return json.loads(pe.evaluate(SURVEY, table, statistics={"uncertainty": False}).to_json())


def _close(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            if k in {"rejects", "data_source"}:  # row numbers and sources are per partition
                continue
            _close(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12), path
    else:
        assert a == b, path


@pytest.mark.parametrize("partitions", [1, 3, 7])
def test_synchronous_scheduler_equals_in_memory(partitions):
    frame = _frame(60, partitions)
    ddf = dd.from_pandas(frame, npartitions=partitions, sort=False)
    got = evaluate_dask(
        SURVEY, ddf, mapping=MAPPING, scheduler="synchronous", statistics={"uncertainty": False}
    )
    _close(_expected(frame), json.loads(got.to_json()))
    assert got.data.rows_rejected == 1


def test_local_cluster_equals_in_memory():
    distributed = pytest.importorskip("distributed")
    frame = _frame(80, 11)
    ddf = dd.from_pandas(frame, npartitions=4, sort=False)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        agg = dask_aggregates(SURVEY, ddf, mapping=MAPPING)
    got = json.loads(pe.evaluate(SURVEY, agg, statistics={"uncertainty": False}).to_json())
    _close(_expected(frame), got)


def test_a_deep_reduction_tree_merges_every_partition_once():
    """Dask's bag reduction merges ``split_every`` partitions at a time over several levels."""
    frame = _frame(150, 5)
    ddf = dd.from_pandas(frame, npartitions=23, sort=False)
    assert ddf.npartitions > 9  # more than two levels with split_every=3
    agg = dask_aggregates(SURVEY, ddf, mapping=MAPPING, scheduler="synchronous", split_every=3)
    columns = {c: frame[c].to_numpy() for c in frame.columns}
    whole = table_aggregates(ResponseTable.from_columns(SURVEY, columns, mapping=MAPPING))
    assert agg.n_respondents == whole.n_respondents
    assert agg.per_opd.n_rows == whole.per_opd.n_rows
    np.testing.assert_allclose(
        agg.per_opd.first().sum(axis=0), whole.per_opd.first().sum(axis=0), rtol=1e-13
    )
    assert agg.rejects.rows_rejected == whole.rejects.rows_rejected == 1
