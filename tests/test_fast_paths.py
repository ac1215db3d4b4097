"""The fast paths give the results of the plain ones.

Factorising label and answer columns is hash-based (pandas' ``factorize`` when pandas is
installed, a dict otherwise); both must read every cell exactly as ``col.astype(str)`` did, in
first-seen order. Result objects built with ``model_construct`` must equal validated ones.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from publiceval._core import cells, table
from publiceval._core.cells import factorize_text, is_missing, parse_column
from publiceval._core.survey import Scale, ScaleLabel
from publiceval._core.table.labels import label_codes
from publiceval._core.text import Text


def _reference_codes(col: NDArray[Any]) -> tuple[list[int], list[str], list[bool]]:
    """The sort-based factorising the hash path replaced: text of every cell, ``np.unique``."""
    text = col.astype(str)
    uniques, first, inverse = np.unique(text, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    labels = uniques[order].tolist()
    codes = rank[inverse.reshape(-1)].tolist()
    if col.dtype.kind == "f":
        missing = np.isnan(col).tolist()
    elif col.dtype.kind in "iu":
        missing = [False] * len(codes)
    else:
        missing = [is_missing(labels[c]) for c in codes]
    return codes, labels, missing


def _installed_pandas() -> Any:
    try:
        import pandas  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:  # the dict path is still checked
        return None
    return pandas


@pytest.fixture(params=["pandas", "no-pandas"])
def pandas_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "pandas":
        pd = pytest.importorskip("pandas")
        monkeypatch.setattr(cells, "_pandas", lambda n: pd)
    else:
        monkeypatch.setattr(cells, "_pandas", lambda n: None)
    return str(request.param)


TEXTS = st.sampled_from(
    [
        "a",
        "b",
        "A",
        " a",
        "a ",
        "NA",
        "na",
        " n/a ",
        "",
        " ",
        "-",
        "None",
        "nan",
        "NaN",
        "null",
        "3",
        "3.0",
        "1",
        "1.0",
        "True",
        "x\x00",
        "x",
        "dinas kesehatan",
        "Dinas Kesehatan",
        "é",
    ]
)
CELLS = st.one_of(
    TEXTS,
    st.none(),
    st.integers(-3, 5),
    st.sampled_from([1.0, 3.0, -0.0, 0.0, 2.5, float("nan"), float("inf")]),
    st.booleans(),
)


def _objects(values: list[Any]) -> NDArray[np.object_]:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@contextmanager
def _pandas_as(pd: Any) -> Iterator[None]:
    """Force the pandas path (a module) or the dict path (None) inside a hypothesis example."""
    old = cells._pandas
    setattr(cells, "_pandas", lambda n: pd)  # noqa: B010 - a monkeypatch per example
    try:
        yield
    finally:
        setattr(cells, "_pandas", old)  # noqa: B010


def _check(col: NDArray[Any]) -> None:
    codes, labels, missing = label_codes(col)
    ref_codes, ref_labels, ref_missing = _reference_codes(col)
    assert list(labels) == ref_labels
    assert codes.tolist() == ref_codes
    assert missing.tolist() == ref_missing


@settings(max_examples=150, deadline=None)
@given(st.lists(CELLS, max_size=40))
def test_object_cells_read_as_their_text(values: list[Any]) -> None:
    for pd in (None, _installed_pandas()):
        with _pandas_as(pd):
            _check(_objects(values))


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXTS, max_size=40))
def test_text_arrays(values: list[str]) -> None:
    _check(np.array(values, dtype=str) if values else np.zeros(0, dtype="<U1"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-(2**40), 2**40) | st.integers(0, 5), max_size=40))
def test_integer_ids(values: list[int]) -> None:
    _check(np.array(values, dtype=np.int64))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from([1.0, 2.0, -0.0, 0.0, 1e16, 0.1, np.nan, -np.nan, np.inf]), max_size=40
    )
)
def test_float_ids(values: list[float]) -> None:
    _check(np.array(values, dtype=np.float64))


def test_both_paths_on_a_large_column(pandas_mode: str) -> None:
    rng = np.random.default_rng(3)
    ids = rng.integers(0, 5000, 20_000).astype(str).astype(object)
    ids[rng.random(20_000) < 0.01] = None
    ids[rng.random(20_000) < 0.01] = " NA "
    _check(ids)
    _check(rng.integers(0, 5000, 20_000))


def test_floats_keep_negative_zero_apart(pandas_mode: str) -> None:
    codes, labels, missing = label_codes(np.array([0.0, -0.0, np.nan, 0.0]))
    assert labels == ("0.0", "-0.0", "nan")
    assert codes.tolist() == [0, 1, 2, 0]
    assert missing.tolist() == [False, False, True, False]


def test_equal_numbers_of_different_types_stay_apart(pandas_mode: str) -> None:
    # 1 == 1.0 == True as dict keys, but they read as three different texts
    codes, labels, _ = label_codes(_objects([1, 1.0, True, "1", None, "None"]))
    assert labels == ("1", "1.0", "True", "None")
    assert codes.tolist() == [0, 1, 2, 0, 3, 3]


def test_trailing_nul_is_dropped_as_numpy_does(pandas_mode: str) -> None:
    codes, labels, _ = label_codes(_objects(["x\x00", "x", "y"]))
    assert labels == ("x", "y")
    assert codes.tolist() == [0, 0, 1]


def test_unhashable_cells_fall_back_to_text(pandas_mode: str) -> None:
    codes, labels, _ = label_codes(_objects([[1], [1], "a"]))
    assert labels == ("[1]", "a")
    assert codes.tolist() == [0, 0, 1]


def test_factorize_text_declines_other_dtypes() -> None:
    assert factorize_text(np.array([b"a", b"b"])) is None
    _check(np.array([b"a", b"b", b"a"]))
    _check(np.array([True, False, True]))


SCALE = Scale(
    id="q4",
    min=1,
    max=4,
    labels=[
        ScaleLabel(value=v, label=Text(id=t, en=t))
        for v, t in ((1, "Tidak Baik"), (2, "Kurang Baik"), (3, "Baik"), (4, "Sangat Baik"))
    ],
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["1", "2", " 4 ", "baik", "Sangat  Baik", "5", "2.5", "x", "", "NA"]),
            st.none(),
            st.sampled_from([1, 3, 3.0, 7, float("nan")]),
        ),
        max_size=30,
    )
)
def test_parse_column_equals_cell_by_cell(values: list[Any]) -> None:
    col = _objects(values)
    for pd in (None, _installed_pandas()):
        with _pandas_as(pd):
            parsed = parse_column(col, SCALE)
        for pos, raw in enumerate(col.astype(str).tolist()):
            expected = cells.parse_answer(raw, SCALE)
            if isinstance(expected, cells.CellProblem):
                assert parsed.problem[pos] != 0
                assert parsed.problem_at(pos) == expected
            elif expected is None:
                assert not parsed.observed[pos] and parsed.problem[pos] == 0
            else:
                assert parsed.observed[pos] and parsed.values[pos] == expected


def test_pandas_is_imported_only_for_large_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    sentinel = object()

    def fake_import() -> object:
        calls.append(1)
        return sentinel

    monkeypatch.delitem(sys.modules, "pandas", raising=False)
    monkeypatch.setattr(cells, "_import_pandas", fake_import)
    assert cells._pandas(10) is None
    assert calls == []  # a small column never pays for importing pandas
    assert cells._pandas(cells.PANDAS_MIN_ROWS) is sentinel
    assert calls == [1]


def test_float_and_integer_texts_match_numpy(pandas_mode: str) -> None:
    rng = np.random.default_rng(11)
    bits = rng.integers(-(2**62), 2**62, 5000).view(np.float64)
    mixed = np.concatenate(
        [bits, np.round(rng.normal(0, 1e6, 5000), 2), 10.0 ** np.arange(-20, 20)]
    )
    _check(mixed[np.isfinite(mixed)])
    _check(mixed[np.abs(mixed) < 1e30].astype(np.float32))
    _check(rng.integers(-(2**63), 2**63 - 1, 5000, dtype=np.int64))
    _check(rng.integers(0, 2**64 - 1, 5000, dtype=np.uint64))


def test_sorted_integer_ids_take_the_one_pass_path(pandas_mode: str) -> None:
    _check(np.array([3, 3, 5, 9, 9, 9, 12], dtype=np.int64))
    _check(np.arange(1000, dtype=np.int32))
    _check(np.array([1.0, 1.0, 2.0, 7.5]))  # positive floats: their bits sort alike
    _check(np.array([-1.0, -2.0, -2.0, 0.0, -0.0]))
    _check(np.array([5], dtype=np.uint8))


def test_opd_lookup_is_cached_per_survey() -> None:
    from publiceval import OPD, Item, Survey

    def survey(names: list[str]) -> Survey:
        return Survey(
            title="t",
            scales=[SCALE],
            items=[Item(id="q1", text=Text(id="q", en="q"), scale="q4")],
            opds=[OPD(id=f"o{k}", name=n) for k, n in enumerate(names)],
        )

    cols = {"respondent": np.array(["r1", "r2"]), "opd": np.array(["Dinas A", "Dinas B"])}
    cols_q = {**cols, "q1": np.array([3.0, 4.0])}
    first = table.ResponseTable.from_columns(survey(["Dinas A", "Dinas B"]), cols_q)
    assert first.per_opd.opd.tolist() == [0, 1]
    # another survey (same ids, names swapped) must not reuse the first one's lookup
    second = table.ResponseTable.from_columns(survey(["Dinas B", "Dinas A"]), cols_q)
    assert second.per_opd.opd.tolist() == [1, 0]


def test_arrow_text_cells_equal_plain_conversion() -> None:
    pa = pytest.importorskip("pyarrow")
    pc = pytest.importorskip("pyarrow.compute")
    from publiceval._core.default_plugins.arrow_csv_reader import _text_cells

    arr = pa.chunked_array([["Dinas A", None, "Dinas B", ""], [None, "Dinas A", "é"], []])
    got = _text_cells(pa, pc, arr)
    expected = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)
    assert got.dtype == object
    assert got.tolist() == expected.tolist()
    assert _text_cells(pa, pc, pa.chunked_array([[None, None]], type=pa.string())).tolist() == [
        None,
        None,
    ]


def test_csv_arrow_reads_text_columns_like_csv(tmp_path: Any) -> None:
    pytest.importorskip("pyarrow")
    from pathlib import Path

    from publiceval import OPD, Item, Survey
    from publiceval.plugin import get_host

    survey = Survey(
        title="t",
        scales=[SCALE],
        items=[Item(id=f"q{j}", text=Text(id="q", en="q"), scale="q4") for j in range(2)],
        opds=[OPD(id="a", name="Dinas A"), OPD(id="b", name="Dinas B")],
    )
    path = Path(tmp_path) / "answers.csv"
    path.write_text(
        "respondent,opd,q0,q1\n"
        "r1,Dinas A,baik,4\nr2,,3,\nr3,dinas b,Sangat Baik,2\nr4,Dinas C,1,1\nr5,b,,5\n",
        encoding="utf-8",
    )
    tables = {
        name: get_host().reader(name).create(None).read(path, survey, table.ColumnMap())
        for name in ("csv", "csv-arrow")
    }
    a, b = tables["csv"], tables["csv-arrow"]
    assert a.respondent_ids.tolist() == b.respondent_ids.tolist()
    assert a.per_opd.opd.tolist() == b.per_opd.opd.tolist() == [0, 1]
    assert a.per_opd.values.tolist() == b.per_opd.values.tolist()
    assert [(e.row, e.reason) for e in a.rejects.entries] == [
        (e.row, e.reason) for e in b.rejects.entries
    ]


def test_csv_arrow_reads_integer_respondent_ids_like_csv(tmp_path: Any) -> None:
    """Arrow types a column of whole numbers as integers; ids must still read "17", not "17.0"."""
    pytest.importorskip("pyarrow")
    from pathlib import Path

    from publiceval import OPD, Item, Survey
    from publiceval.plugin import get_host

    survey = Survey(
        title="t",
        scales=[SCALE],
        items=[Item(id="q0", text=Text(id="q", en="q"), scale="q4")],
        opds=[OPD(id="a", name="Dinas A")],
    )
    path = Path(tmp_path) / "answers.csv"
    path.write_text("respondent,opd,q0\n17,a,3\n18,a,4\n17,a,2\n", encoding="utf-8")
    tables = {
        name: get_host().reader(name).create(None).read(path, survey, table.ColumnMap())
        for name in ("csv", "csv-arrow")
    }
    assert tables["csv"].respondent_ids.tolist() == ["17", "18"]
    assert tables["csv-arrow"].respondent_ids.tolist() == ["17", "18"]
    dup = [e.message for e in tables["csv-arrow"].rejects.entries]
    assert dup == [e.message for e in tables["csv"].rejects.entries]
    assert "respondent '17' already rated" in dup[0]
