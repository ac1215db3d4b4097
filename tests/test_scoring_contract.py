"""One scoring contract: every built-in method scores mergeable aggregates, so the same data
evaluated in memory, in chunks and on Dask gives the same evaluation (to 1e-12)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import publiceval as pe
from publiceval import OPD, Item, Scale, Survey, Text
from publiceval._core.aggregates import Indicator, table_aggregates
from publiceval._core.chunked import evaluate_tables, split_table
from publiceval._core.errors import DataError, PublicevalError
from publiceval._core.hookspecs import hookimpl
from publiceval._core.methods import (
    AGGREGATE_METHODS,
    MethodResult,
    ScoringContext,
    ScoringMethod,
)
from publiceval._core.plugins import PluginHost, get_host
from publiceval._core.table import ColumnMap, ResponseTable

ELEMENTS = (
    "Persyaratan",
    "Sistem, Mekanisme, dan Prosedur",
    "Waktu Penyelesaian",
    "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan",
    "Kompetensi Pelaksana",
    "Perilaku Pelaksana",
    "Penanganan Pengaduan, Saran dan Masukan",
    "Sarana dan Prasarana",
)
N_OPDS = 4


def _survey() -> Survey:
    items = [
        Item(
            id=f"e{k + 1}",
            text=Text(id=name, en=name),
            scale="q",
            element=name,
            reverse=k == 3,
            dimension="tangibles" if k == 0 else ("reliability" if k == 5 else None),
        )
        for k, name in enumerate(ELEMENTS)
    ]
    items += [Item(id=f"x{k}", text=f"Tambahan {k}", scale="q") for k in range(1, 6)]
    items += [
        Item(id="rec", text="Rekomendasi", scale="n"),
        Item(id="imp1", text="Penting 1", scale="q", role="importance", pairs_with="e1"),
        Item(id="imp2", text="Penting 2", scale="q", role="importance", pairs_with="e2"),
        Item(id="imp5", text="Penting 5", scale="q", role="importance", pairs_with="e5"),
        Item(id="exp1", text="Harapan 1", scale="q", role="expectation", pairs_with="e1"),
        Item(id="exp6", text="Harapan 6", scale="q", role="expectation", pairs_with="e6"),
        Item(id="expx", text="Harapan x1", scale="q", role="expectation", pairs_with="x1"),
        Item(id="mayor", text="Wali kota", scale="q", scope="survey"),
        Item(id="city", text="Kota", scale="n", scope="survey", reverse=True),
    ]
    return Survey(
        title="Kontrak penilaian",
        scales=(Scale(id="q", min=1, max=4), Scale(id="n", min=0, max=10)),
        items=tuple(items),
        opds=tuple(
            OPD(id=f"o{k}", name=f"Unit {k}", population=400 if k == 1 else None)
            for k in range(N_OPDS)
        ),
    )


SURVEY = _survey()
PER_OPD = [i for i in SURVEY.items if i.scope == "opd"]
LIKERT = [i.id for i in PER_OPD if i.role == "performance" and i.scale == "q"]

#: Every built-in method, with options that fit the survey above.
METHODS: list[tuple[str, dict[str, Any]]] = [
    ("mean", {"items": LIKERT}),
    ("ikm-2017", {}),
    ("ikm-2017", {"legacy_weight": True}),
    ("ikm-2004", {"items": LIKERT}),
    ("top-box", {}),
    ("top-box", {"k": 1, "interval": "t", "items": ["e1", "e4", "rec"]}),
    ("nps", {}),
    ("csi", {}),
    ("ipa", {}),
    ("ipa", {"cut": "scale-midpoint"}),
    ("servqual", {}),
    ("servqual", {"overall": "items"}),
]
MAPPING = ColumnMap(weight="weight", stratum="stratum", psu="psu")


def _columns(seed: int, n: int, *, missing: float = 0.15) -> dict[str, Any]:
    """Rows of ``n`` respondents, each rating one or two OPDs, with weights, strata, PSUs
    (nested in strata) and missing answers; OPD o3 never answers ``e2``."""
    rng = np.random.default_rng(seed)
    cols: dict[str, list[Any]] = {c: [] for c in ("respondent", "opd", "weight", "stratum", "psu")}
    for i in PER_OPD + [i for i in SURVEY.items if i.scope == "survey"]:
        cols[i.id] = []
    for r in range(n):
        opds = rng.choice(N_OPDS, int(rng.integers(1, 3)), replace=False)
        stratum = int(rng.integers(0, 2))
        for t, o in enumerate(opds):
            cols["respondent"].append(f"r{r:04d}")
            cols["opd"].append(f"o{o}")
            cols["weight"].append(float(rng.uniform(0.5, 3.0)))
            cols["stratum"].append(f"s{stratum}")
            cols["psu"].append(f"s{stratum}p{int(rng.integers(0, 4))}")
            for item in PER_OPD:
                top = 10 if item.scale == "n" else 4
                low = 0 if item.scale == "n" else 1
                gone = rng.random() < missing or (item.id == "e2" and o == 3)
                cols[item.id].append("" if gone else str(int(rng.integers(low, top + 1))))
            for item_id, low, top in (("mayor", 1, 4), ("city", 0, 10)):
                answer = t == 0 and rng.random() > missing
                cols[item_id].append(str(int(rng.integers(low, top + 1))) if answer else "")
    return {k: np.asarray(v, dtype=object) for k, v in cols.items()}


def _table(seed: int, n: int) -> ResponseTable:
    return ResponseTable.from_columns(SURVEY, _columns(seed, n), mapping=MAPPING)


def _json(ev: pe.Evaluation) -> Any:
    return json.loads(ev.to_json())


def _same(a: Any, b: Any, path: str = "", skip: frozenset[str] = frozenset()) -> None:
    """Equal JSON, numbers to 1e-12 relative (1e-12 absolute near zero)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and set(a) == set(b), path
        for k in a:
            if k not in skip:
                _same(a[k], b[k], f"{path}/{k}", skip)
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{path}[{i}]", skip)
    elif isinstance(a, float) or isinstance(b, float):
        assert isinstance(a, (int, float)) and isinstance(b, (int, float)), path
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12), path
    else:
        assert a == b, path


def _evaluate(responses: Any, name: str, options: dict[str, Any]) -> Any:
    return _json(pe.evaluate(SURVEY, responses, method=name, method_options=options))


# --------------------------------------------------------------------------- the contract
def test_every_builtin_method_declares_aggregate_support():
    builtin = PluginHost(entrypoints=False).methods()
    assert set(builtin) == set(AGGREGATE_METHODS)
    for name, cls in builtin.items():
        assert cls.supports_aggregates, name
        # implemented on the class itself, not the base's refusal
        assert cls.score_aggregates is not ScoringMethod.score_aggregates, name
    assert {name for name, _ in METHODS} == set(AGGREGATE_METHODS)


@pytest.fixture(scope="module")
def designed() -> ResponseTable:
    table = _table(20261206, 160)
    assert table.rejects.rows_rejected == 0
    return table


@pytest.mark.parametrize(("name", "options"), METHODS, ids=[f"{n}{o}" for n, o in METHODS])
def test_memory_chunks_and_aggregates_agree(designed, name, options):
    whole = _evaluate(designed, name, options)
    assert any(o["score"]["se"] for o in whole["opds"])  # the comparison covers SEs
    for chunk in (1, 13, 97):
        chunked = _json(
            evaluate_tables(
                SURVEY, split_table(designed, chunk), method=name, method_options=options
            )
        )
        _same(whole, chunked, f"chunk={chunk}")
    # one table's merged-ready aggregates (with the method's indicators) score the same
    method = get_host().method(name).create(options)
    agg = table_aggregates(designed, indicators=method.aggregate_indicators(SURVEY))
    _same(whole, _evaluate(agg, name, options), "aggregates")


def test_the_designed_data_exercises_what_it_should(designed):
    ikm = _evaluate(designed, "ikm-2017", {})
    o3 = next(o for o in ikm["opds"] if o["opd"] == "o3")
    assert any("no answers for element" in n for n in o3["score"]["notes"])
    scores = [o["score"] for o in ikm["opds"]]
    assert all(s["deff"] is not None and s["deff"] != pytest.approx(1.0) for s in scores)
    mean = _evaluate(designed, "mean", {"items": LIKERT})
    assert _opd(mean, 1)["se"] != _opd(mean, 0)["se"]


def test_top_box_and_nps_from_indicators_match_hand_computed_shares(designed):
    """The indicator moments give the weighted shares a reader computes from the rows."""
    cols = _columns(20261206, 160)
    w = cols["weight"].astype(float)
    top = _evaluate(designed, "top-box", {"k": 1, "items": ["e4"], "interval": "t"})
    nps = _evaluate(designed, "nps", {})
    for o in range(N_OPDS):
        rows = cols["opd"] == f"o{o}"
        # e4 is reverse-coded: oriented = 5 - answer, so its top-1-box is the answer 1
        e4 = cols["e4"][rows]
        seen = e4 != ""
        share = float(np.sum(w[rows][seen] * (e4[seen] == "1")) / np.sum(w[rows][seen]))
        assert _opd(top, o)["value"] == pytest.approx(100 * share, rel=1e-12)
        rec = cols["rec"][rows]
        seen = rec != ""
        val = rec[seen].astype(int)
        ww = w[rows][seen]
        want = 100 * (np.sum(ww * (val >= 9)) - np.sum(ww * (val <= 6))) / np.sum(ww)
        assert _opd(nps, o)["value"] == pytest.approx(want, rel=1e-12)


def _opd(ev: Any, o: int) -> Any:
    return next(r["score"] for r in ev["opds"] if r["opd"] == f"o{o}")


def test_shares_of_none_and_all_are_exact_with_weights():
    """A share of 0 % or 100 % is exactly that, not a rounding residue: the weighted sums of an
    indicator's answer and observed columns must agree to the last bit."""
    options = {"k": 1, "items": ["e1", "e4", "rec"], "interval": "t"}
    top = {"e1": "4", "e4": "1", "rec": "10"}  # e4 is reverse-coded
    checked = 0
    for seed in range(30):
        table = _table(seed, 23)
        for row in _evaluate(table, "top-box", options)["opds"]:
            for item in row["items"]:
                answered = sum(item["distribution"].values())
                hits = item["distribution"][top[item["item"]]]
                if answered and hits in (0, answered):
                    assert item["score"]["value"] == (0.0 if hits == 0 else 100.0)
                    checked += 1
    assert checked > 20


@pytest.mark.parametrize("partitions", [1, 4])
@pytest.mark.parametrize(("name", "options"), METHODS, ids=[f"{n}{o}" for n, o in METHODS])
def test_dask_agrees_with_memory(designed, name, options, partitions):
    pd = pytest.importorskip("pandas")
    dd = pytest.importorskip("dask.dataframe")
    from publiceval._core.dask_backend import evaluate_dask

    frame = pd.DataFrame(_columns(20261206, 160))
    # partitions cut between respondents: a respondent's rows stay in one partition
    ddf = dd.from_pandas(frame, npartitions=partitions, sort=False)
    got = evaluate_dask(
        SURVEY,
        ddf,
        mapping=MAPPING,
        scheduler="synchronous",
        method=name,
        method_options=options,
    )
    _same(_evaluate(designed, name, options), _json(got), skip=frozenset({"data_source"}))


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    n=st.integers(1, 40),
    chunk=st.integers(1, 50),
    which=st.sampled_from(range(len(METHODS))),
    missing=st.sampled_from([0.0, 0.3, 0.8]),
)
def test_chunks_never_change_any_method(seed, n, chunk, which, missing):
    name, options = METHODS[which]
    table = ResponseTable.from_columns(SURVEY, _columns(seed, n, missing=missing), mapping=MAPPING)
    try:
        whole = _evaluate(table, name, options)
    except PublicevalError as exc:  # e.g. no OPD answered anything: both paths must refuse
        with pytest.raises(type(exc)):
            evaluate_tables(SURVEY, split_table(table, chunk), method=name, method_options=options)
        return
    chunked = evaluate_tables(
        SURVEY, split_table(table, chunk), method=name, method_options=options
    )
    _same(whole, _json(chunked))


# --------------------------------------------------------------------------- refusals
class RespondentMedian(ScoringMethod):
    """A method that needs the rows (a median is not a function of sums)."""

    name = "respondent-median"
    aggregates_reason = "a median needs every answer, not sums of answers"

    def score(self, table: ResponseTable, context: ScoringContext) -> MethodResult:
        raise AssertionError("not reached in these tests")


def test_a_method_without_aggregate_support_is_refused_clearly(designed):
    host = PluginHost(entrypoints=False)

    class Plugin:
        @hookimpl
        def register_methods(self, register: Callable[[type[ScoringMethod]], None]) -> None:
            register(RespondentMedian)

    host.register(Plugin(), name="test-median")
    assert not RespondentMedian.supports_aggregates
    with pytest.raises(PublicevalError) as info:
        evaluate_tables(SURVEY, split_table(designed, 50), method="respondent-median", host=host)
    text = str(info.value)
    assert "cannot score from aggregates" in text
    assert "a median needs every answer" in text
    assert "mean" in text and "top-box" in text and "respondent-median" not in text.split(":")[-1]
    # the merged aggregates themselves are refused by the base class's declared contract
    with pytest.raises(PublicevalError, match="cannot score from aggregates.*median needs"):
        pe.evaluate(SURVEY, table_aggregates(designed), method=RespondentMedian())


def test_aggregates_without_the_methods_indicators_are_refused_by_name(designed):
    agg = table_aggregates(designed)
    with pytest.raises(DataError, match=r"answer indicator\(s\) e1 in \[3, 4\]"):
        pe.evaluate(SURVEY, agg, method="top-box")
    other = table_aggregates(designed, indicators=[Indicator.of("e1", [4])])
    with pytest.raises(DataError, match="different answer indicators"):
        other.merged(agg)
    # aggregates reduced for one method's items do not pass for another's
    nps = get_host().method("nps").create(None)
    only = table_aggregates(
        designed, indicators=nps.aggregate_indicators(SURVEY), items=nps.aggregate_items(SURVEY)
    )
    assert only.opd_item_ids == ("rec",)
    with pytest.raises(
        DataError, match="carry no per-OPD answers to e1, e2, e5, imp1, imp2, imp5; they hold rec"
    ):
        pe.evaluate(SURVEY, only, method="csi")
    with pytest.raises(DataError, match="different per-OPD items"):
        only.merged(table_aggregates(designed, indicators=nps.aggregate_indicators(SURVEY)))


def test_indicators_merge_like_every_other_sum(designed):
    wanted = (Indicator.of("e1", [3, 4]), Indicator.of("rec", [9, 10]))
    parts = [table_aggregates(t, indicators=wanted) for t in split_table(designed, 40)]
    merged = parts[0]
    for p in parts[1:]:
        merged = merged.merged(p)
    whole = table_aggregates(designed, indicators=wanted)
    assert merged.indicator_moments is not None and whole.indicator_moments is not None
    np.testing.assert_allclose(
        merged.indicator_moments.first().sum(axis=0),
        whole.indicator_moments.first().sum(axis=0),
        rtol=1e-13,
    )
    # codes are 0 (no answer), 1 (outside), 2 (inside) with offset -1: Σ w·(code - 1)·m over
    # e1 is the weighted count of the answers 3 and 4
    cols = _columns(20261206, 160)
    w = cols["weight"].astype(float)
    total = whole.indicator_moments.first().sum(axis=0)
    assert whole.indicator_moments.offset.tolist() == [-1.0, -1.0]
    assert total[0] - total[2] == pytest.approx(
        float(np.sum(w * np.isin(cols["e1"], ["3", "4"]))), rel=1e-13
    )
    assert total[2] == pytest.approx(float(np.sum(w * (cols["e1"] != ""))), rel=1e-13)


# --------------------------------------------------------------------------- layering
def test_the_estimation_kernel_imports_no_domain_model_and_no_scipy_stats():
    """The kernel (estimation + moments) loads alone: no survey, table, results or plugins."""
    src = __import__("publiceval._core.estimation", fromlist=["_"]).__file__
    assert src is not None
    # publiceval/__init__ imports everything, so load the kernel with the packages stubbed
    stub = (
        "import sys, types, pathlib\n"
        f"root = pathlib.Path({str(src)!r}).parent\n"
        "for name, path in (('publiceval', root.parent), ('publiceval._core', root)):\n"
        "    mod = types.ModuleType(name); mod.__path__ = [str(path)]; sys.modules[name] = mod\n"
        "import publiceval._core.estimation\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('publiceval'))))\n"
        "print('scipy.stats' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", stub], capture_output=True, text=True, check=True
    ).stdout.split()
    loaded = set(out[0].split(","))
    allowed = {"publiceval", "publiceval._core", "publiceval._core.errors"}
    assert "publiceval._core.moments.build" in loaded  # the check did load the kernel
    assert {
        m
        for m in loaded - allowed
        if m != "publiceval._core.estimation" and not m.startswith("publiceval._core.moments")
    } == set()
    assert out[1] == "False"
