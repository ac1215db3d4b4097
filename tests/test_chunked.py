"""Chunked evaluation: chunk boundaries never change an evaluation, in memory or from a file."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import publiceval as pe
from builders import make_survey
from publiceval._core.aggregates import table_aggregates
from publiceval._core.chunked import aggregate_tables, evaluate_file, evaluate_tables, split_table
from publiceval._core.errors import DataError, PublicevalError
from publiceval._core.methods import MethodResult, ScoringContext, ScoringMethod
from publiceval._core.table import ColumnMap, ResponseTable
from publiceval.plugin import get_host

SURVEY = make_survey(4)


def _rows(seed: int, n: int, design: bool, conflicts: bool = True) -> list[dict[str, Any]]:
    """Rows of ``n`` respondents; with ``conflicts``, some give two different survey-wide answers
    (rejected: validation needs the respondent's rows in one chunk)."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n):
        for t, o in enumerate(rng.choice(4, int(rng.integers(1, 3)), replace=False)):
            row: dict[str, Any] = {"respondent": f"r{r}", "opd": f"opd{o}"}
            for q in ("q1", "q2", "q3"):
                if rng.random() > 0.15:
                    row[q] = int(rng.integers(1, 5))
            if rng.random() < 0.6 and (conflicts or t == 0):
                row["mayor"] = int(rng.integers(1, 5))
            if design:
                row["weight"] = float(rng.uniform(0.5, 3.0))
                row["stratum"] = f"s{r % 2}"
                row["psu"] = f"p{r % 5}"
            rows.append(row)
    rows.append({"respondent": "bad", "opd": "nowhere", "q1": 1})  # a reject
    return rows


def _same(a: Any, b: Any, path: str = "") -> None:
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            _same(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12), path
    else:
        assert a == b, path


def _json(ev: pe.Evaluation) -> Any:
    return json.loads(ev.to_json())


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 40), st.booleans(), st.integers(1, 60))
def test_chunk_boundaries_never_change_the_evaluation(seed, n, design, chunk):
    table = ResponseTable.from_rows(SURVEY, _rows(seed, n, design))
    whole = _json(pe.evaluate(SURVEY, table, statistics={"uncertainty": False}))
    chunked = _json(
        evaluate_tables(SURVEY, split_table(table, chunk), statistics={"uncertainty": False})
    )
    _same(whole, chunked)


def test_aggregates_give_the_in_memory_evaluation_with_uncertainty():
    table = ResponseTable.from_rows(SURVEY, _rows(1, 60, True))
    options = {"scheme": "permenpan-2017"} if "permenpan-2017" in get_host().schemes() else {}
    whole = _json(pe.evaluate(SURVEY, table, **options))
    agg = _json(pe.evaluate(SURVEY, table_aggregates(table), **options))
    _same(whole, agg)
    assert agg["data"]["rows_rejected"] == table.rejects.rows_rejected > 0
    assert agg["data"]["respondents"] == table.n_respondents


def test_split_table_keeps_respondents_together_and_all_rows():
    table = ResponseTable.from_rows(SURVEY, _rows(2, 30, False))
    chunks = list(split_table(table, 4))
    assert len(chunks) > 3
    seen: set[int] = set()
    for c in chunks:
        ids = set(c.per_opd.respondent.tolist()) | set(c.survey_wide.respondent.tolist())
        assert not ids & seen  # no respondent in two chunks
        seen |= ids
    assert sum(c.per_opd.n_rows for c in chunks) == table.per_opd.n_rows
    assert sum(c.survey_wide.n_rows for c in chunks) == table.survey_wide.n_rows
    with pytest.raises(DataError, match="chunk_rows must be at least 1"):
        next(split_table(table, 0))


def test_file_evaluated_in_chunks_equals_the_whole_file(tmp_path: Path):
    # the reader validates within a chunk, so the data has no cross-row conflicts
    rows = _rows(3, 80, False, conflicts=False)
    path = tmp_path / "answers.csv"
    cols = ["respondent", "opd", "q1", "q2", "q3", "mayor"]
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, cols)
        writer.writeheader()
        for r in rows:
            writer.writerow({c: r.get(c, "") for c in cols})
    host = get_host()
    reader = host.reader("csv").create(None)
    whole = reader.read(path, SURVEY, ColumnMap())
    expected = _json(pe.evaluate(SURVEY, whole, statistics={"uncertainty": False}))
    got = _json(evaluate_file(SURVEY, path, chunk_rows=7, statistics={"uncertainty": False}))
    _same(expected, got)


class _RowsOnly(ScoringMethod):
    name = "rows-only"

    def score(self, table: ResponseTable, context: ScoringContext) -> MethodResult:
        raise AssertionError("not reached")


def test_methods_without_aggregate_support_are_named():
    table = ResponseTable.from_rows(SURVEY, _rows(4, 10, False))
    agg = table_aggregates(table)
    with pytest.raises(PublicevalError, match="'rows-only' cannot score from aggregates"):
        pe.evaluate(SURVEY, agg, method=_RowsOnly(), statistics={"uncertainty": False})
    with pytest.raises(PublicevalError, match="a method that can: .*ikm-2017.*mean"):
        evaluate_tables(SURVEY, split_table(table, 5), method=_RowsOnly())
    with pytest.raises(DataError, match="no chunks"):
        aggregate_tables([])
