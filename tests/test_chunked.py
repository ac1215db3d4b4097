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
from publiceval._core.chunked import (
    DistinctHashes,
    aggregate_tables,
    evaluate_file,
    evaluate_tables,
    split_table,
)
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


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 50), st.integers(1, 400))
def test_distinct_hashes_count_exactly_while_holding_at_most_the_budget(seed, budget, n):
    rng = np.random.default_rng(seed)
    # ids recur across parts (a respondent split over chunks) and some hashes share top bits
    pool = rng.integers(0, 2**64, size=max(1, n // 2), dtype=np.uint64)
    pool[: pool.size // 3] &= np.uint64(0x00FF_FFFF_FFFF_FFFF)
    counter = DistinctHashes(budget)
    seen: list[np.ndarray] = []
    try:
        for _ in range(int(rng.integers(1, 12))):
            part = np.unique(rng.choice(pool, size=int(rng.integers(0, n)), replace=True))
            counter.add(part)
            seen.append(part)
            assert counter.n_held <= budget  # the rest went to the spill files
        every = np.unique(np.concatenate(seen)) if seen else np.zeros(0, np.uint64)
        assert counter.count() == every.size
        assert counter.distinct().tolist() == every.tolist()
    finally:
        counter.close()


def test_distinct_hashes_split_a_range_larger_than_the_budget_again():
    # every hash in one top-bits range: the count re-splits that range on the next bits
    rng = np.random.default_rng(0)
    hashes = rng.integers(0, 2**56, size=5_000, dtype=np.uint64)
    counter = DistinctHashes(100)
    try:
        for part in np.array_split(hashes, 37):
            counter.add(np.unique(part))
        counter.add(np.unique(hashes[:500]))  # seen again in a later part
        assert counter.spilled > 0
        assert counter.count() == np.unique(hashes).size
    finally:
        counter.close()


def test_chunked_respondent_count_is_exact_when_the_ids_spill(tmp_path: Path):
    """A respondent seen in several chunks (rows not grouped) is counted once, with a budget
    far smaller than the respondents, so the hashes go through the spill files."""
    rows = _rows(5, 120, False, conflicts=False)
    rows = rows[::2] + rows[1::2]  # a respondent's rows fall in different chunks
    table = ResponseTable.from_rows(SURVEY, rows)
    chunks = list(split_table(table, 5))
    agg = aggregate_tables(chunks, id_budget=8)
    assert agg.respondents is None  # only the count is kept, not 8 bytes a respondent
    assert agg.n_respondents == table.n_respondents
    kept = aggregate_tables(split_table(table, 5), id_budget=8, keep_ids=True)
    assert kept.respondents is not None and kept.n_respondents == table.n_respondents
    assert kept.merged(kept).n_respondents == table.n_respondents


def test_chunked_scoring_does_not_import_scipy_stats(tmp_path: Path):
    """The quantiles of the intervals come from scipy.special (scipy.stats costs ≈ 45 MB)."""
    import subprocess
    import sys

    code = (
        "import sys; sys.path.insert(0, 'tests'); from builders import make_survey;"
        "import publiceval as pe; from test_chunked import _rows;"
        "from publiceval._core.table import ResponseTable;"
        "s = make_survey(4); t = ResponseTable.from_rows(s, _rows(1, 40, True));"
        "pe.evaluate(s, t, method='top-box');"
        "print('scipy.stats' in sys.modules)"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={**__import__("os").environ, "PUBLICEVAL_LOAD_PLUGINS": ""},
    )
    assert out.stdout.strip().splitlines()[-1] == "False"
