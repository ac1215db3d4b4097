"""The table builder works on codes: respondent ids stay integers until read as text, label
columns are factorised by their distinct values, and every shortcut gives what the plain
per-cell path gives (labels, their first-seen order, empty cells, rejects)."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import publiceval as pe
from builders import make_survey
from publiceval._core.cells import factorize_text
from publiceval._core.ingest.accumulate import _Column
from publiceval._core.ingest.raw import CodedCells
from publiceval._core.table import Cells, ColumnMap, RespondentIds, ResponseTable
from publiceval._core.table.labels import cell_label_codes, label_codes, missing_texts
from publiceval.plugin import get_host

SURVEY = make_survey(3)
TEXTS = ["opd0", "opd1", "opd2", "", "NA", " none ", None, "x", "opd0 "]


def test_integer_respondent_ids_are_not_written_as_text_until_read() -> None:
    n = 5_000
    table = ResponseTable.from_columns(
        SURVEY,
        {
            "respondent": np.arange(10, 10 + n),
            "opd": np.array(["opd0", "opd1"] * (n // 2), dtype=object),
            "q1": np.full(n, 3.0),
        },
    )
    keys = table.respondent_keys
    assert keys.integer and keys._texts is None  # no Python string per id yet
    assert table.n_respondents == n
    assert keys._texts is None
    assert table.respondent_ids[:3].tolist() == ["10", "11", "12"]  # made on first read
    assert table.respondent_ids.dtype == object and len(table.respondent_ids) == n
    assert keys[0] == "10" and isinstance(keys[np.int64(1)], str)
    assert list(keys[np.array([2, 0])]) == ["12", "10"]


def test_respondent_ids_pickle_and_split_like_arrays() -> None:
    ids = RespondentIds(np.array([7, -3, 2**63 - 1], dtype=np.int64))
    back = pickle.loads(pickle.dumps(ids))
    assert back.tolist() == ["7", "-3", str(2**63 - 1)] == list(ids)
    assert np.asarray(ids).tolist() == ids.tolist()
    text = RespondentIds(["a", "b"])
    assert not text.integer and text[1] == "b" and len(text[1:]) == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=60), st.data())
def test_cell_label_codes_equal_label_codes_of_the_cells(cells: list[Any], data: Any) -> None:
    """Codes of a column factorised by its dictionary equal those of its cells, also for a
    subset of the records in any order (a long layout takes records)."""
    values = np.empty(len(cells), dtype=object)
    values[:] = cells
    dictionary = np.empty(len(dict.fromkeys(cells)) + 2, dtype=object)
    dictionary[:-2] = list(dict.fromkeys(cells))
    dictionary[-2:] = ["unused", None]  # entries no cell holds
    index = {v: k for k, v in enumerate(dictionary[:-2].tolist())}
    codes = np.array([index[c] for c in cells], dtype=np.int32)
    whole = Cells(dictionary[codes], "c", codes=codes, dictionary=dictionary)
    picks = data.draw(st.lists(st.integers(0, len(cells) - 1), max_size=40))
    for part in (whole, whole.take(np.asarray(picks, dtype=np.int64))):
        got = cell_label_codes(part)
        want = label_codes(part.values)
        assert got[1] == want[1]
        assert got[0].tolist() == want[0].tolist()
        assert got[2].tolist() == want[2].tolist()


def test_missing_texts_read_every_spelling_of_the_tokens() -> None:
    texts = ["", " ", "NA", " n/A ", "NaN", "None", "nULL", "-", " - ", "x", "nana", "ＮＡ"]
    texts += ["na\u00a0", "\u2003NONE\u2003", "nil", "0", "n/a/", "İ"]
    assert missing_texts(texts).tolist() == [pe._core.cells.is_missing(t) for t in texts]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TEXTS), max_size=30), min_size=1, max_size=4))
def test_coded_chunks_accumulate_as_plain_cells(chunks: list[list[Any]]) -> None:
    """A reader's dictionary-coded chunks give the column the plain cells give."""
    plain, coded = _Column(), _Column()
    for cells in chunks:
        plain.add(list(cells))
        dictionary = np.empty(len(TEXTS) + 1, dtype=object)  # every value, some unused
        dictionary[:-1] = TEXTS[::-1]
        dictionary[-1] = "never"
        index = {v: k for k, v in enumerate(dictionary.tolist())}
        coded.add(CodedCells(np.array([index[c] for c in cells], np.int32), dictionary))
    values_p, codes_p = plain.encoded()
    values_c, codes_c = coded.encoded()
    assert values_p == values_c
    assert codes_p.tolist() == codes_c.tolist()


def test_identity_grouping_merges_equal_texts_in_different_objects() -> None:
    rng = np.random.default_rng(1)
    shared = np.array(["1", "2", None, "", "None"], dtype=object)
    col = shared[rng.integers(0, 5, 3_000)]
    col[17] = "".join(["2"])  # the same text, another object (maybe)
    col[99] = float("nan")
    codes, labels = factorize_text(col)
    plain = [str(v) for v in col.tolist()]
    assert [labels[c] for c in codes.tolist()] == plain
    assert labels == list(dict.fromkeys(plain))


@pytest.mark.parametrize("reader", ["parquet", "csv-arrow"])
def test_arrow_readers_keep_opd_codes_and_integer_ids(tmp_path: Path, reader: str) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    n = 3_000
    opd = np.array(["opd0", "opd1", "nowhere", None] * (n // 4), dtype=object)
    table = pa.table(
        {
            "respondent": pa.array(np.arange(1, n + 1)),
            "opd": pa.array(opd.tolist()).dictionary_encode(),
            "q1": pa.array([1, 2, None, 4] * (n // 4), pa.int8()),
        }
    )
    path = tmp_path / ("x.parquet" if reader == "parquet" else "x.csv")
    if reader == "parquet":
        pq.write_table(table, path)
    else:
        import pyarrow.csv as pacsv

        pacsv.write_csv(table.cast(pa.schema([(f.name, pa.string()) for f in table.schema])), path)
    got = get_host().reader(reader).create(None).read(path, SURVEY, ColumnMap())
    plain = ResponseTable.from_columns(
        SURVEY,
        {"respondent": np.arange(1, n + 1), "opd": opd, "q1": np.tile([1, 2, np.nan, 4], n // 4)},
    )
    assert got.respondent_keys.integer and got.respondent_keys._texts is None
    assert got.per_opd.opd.tolist() == plain.per_opd.opd.tolist()
    assert got.per_opd.values.tolist() == plain.per_opd.values.tolist()
    assert got.rejects.rows_rejected == plain.rejects.rows_rejected > 0
    unknown = [e for e in got.rejects.entries if "unknown OPD" in e.message]
    assert unknown and unknown[0].column == "opd" and unknown[0].value == "nowhere"
    assert unknown[0].source == str(path)
