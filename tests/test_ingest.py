"""The ingest road: a study's data read whole or in chunks, in any layout, gives the same tables,
rejects and evaluations; rejects point at the row, column and cell text a person sees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from click.testing import CliRunner

from _reader_support import write_study
from publiceval import Text, load_study
from publiceval._core.cli import cli
from publiceval._core.ingest import (
    DataSpec,
    RawChunk,
    TabularReader,
    iter_study_tables,
    read_study_data,
)
from publiceval._core.plugins import get_host
from publiceval._core.table import Cells, ColumnMap, Handoff, ResponseTable
from publiceval.plugin import PluginHost, ScoringMethod, hookimpl, reset_host

CHUNKS = (1, 2, 3, 7, 50, 10_000)
ANSWERS = ["1", "2", "3", "4", "Baik", "", "9", "x", "2,5"]


def _long_rows(seed: int, n: int) -> list[tuple[str, str, str, str]]:
    """Lines of a long file, grouped by respondent, with bad cells, unknown items and OPDs."""
    rng = np.random.default_rng(seed)
    lines = []
    for r in range(n):
        for opd in rng.choice(["dinkes", "disdik", "Dinas Kesehatan", "dinks", ""], 2):
            for item in ("q1", "q2", "Biaya", "q7"):
                if rng.random() < 0.45:
                    lines.append((f"r{r}", str(opd), item, str(rng.choice(ANSWERS))))
    return lines


def _long_study(tmp_path: Path, seed: int = 1, n: int = 30) -> Path:
    lines = _long_rows(seed, n)
    (tmp_path / "long.csv").write_text(
        "respondent,opd,item,value\n" + "".join(",".join(x) + "\n" for x in lines),
        encoding="utf-8",
    )
    return write_study(tmp_path, "long.csv", 'layout = "long"')


def _grid_study(tmp_path: Path, seed: int = 2, n: int = 40) -> Path:
    rng = np.random.default_rng(seed)
    heads = [
        f"{t} [{o}]"
        for o in ("Dinas Kesehatan", "Dinas Pendidikan", "Dinas X")
        for t in ("Persyaratan", "Biaya")
    ]
    rows = []
    for r in range(n):
        cells = [str(rng.choice(ANSWERS)) if rng.random() < 0.5 else "" for _ in heads]
        rows.append(f"r{r}," + ",".join(cells) + "\n")
    (tmp_path / "grid.csv").write_text(
        "respondent," + ",".join(heads) + "\n" + "".join(rows), encoding="utf-8"
    )
    return write_study(tmp_path, "grid.csv", 'layout = "opd-columns"')


def _records(tables: list[ResponseTable]) -> list[Any]:
    out = []
    for t in tables:
        ids = t.respondent_ids
        for block in (t.per_opd, t.survey_wide):
            for i in range(block.n_rows):
                out.append(
                    (
                        int(block.source_row[i]),
                        str(ids[block.respondent[i]]),
                        int(block.opd[i]),
                        tuple(np.where(block.observed[i], block.values[i], 0).tolist()),
                        float(block.weight[i]),
                    )
                )
    return sorted(out)


def _rejects(tables: list[ResponseTable]) -> list[Any]:
    return sorted(
        (e.source, e.row, e.record, e.column or "", e.value or "", e.reason.value, e.message)
        for t in tables
        for e in t.rejects.entries
    )


def _counts(tables: list[ResponseTable]) -> tuple[int, int, int]:
    read = sum(t.rejects.rows_read for t in tables)
    rejected = sum(t.rejects.rows_rejected for t in tables)
    return read, read - rejected, rejected


@pytest.mark.parametrize("make", [_long_study, _grid_study], ids=["long", "opd-columns"])
def test_whole_and_chunks_give_the_same_tables_and_rejects(tmp_path, make):
    study = load_study(make(tmp_path))
    host = get_host()
    whole = read_study_data(study, None, host)
    assert whole.rejects.rows_rejected > 0 and whole.per_opd.n_rows > 0
    assert whole.rejects.rows_read == whole.rejects.rows_used + whole.rejects.rows_rejected
    for chunk in CHUNKS:
        parts = list(iter_study_tables(study, None, host, chunk_rows=chunk))
        assert _records(parts) == _records([whole]), chunk
        assert _rejects(parts) == _rejects([whole]), chunk
        assert _counts(parts) == _counts([whole]), chunk
        # parsing chunk by chunk into one table changes nothing either
        assert _records([read_study_data(study, None, host, chunk_rows=chunk)]) == _records([whole])


def test_a_data_spec_reads_like_its_study(tmp_path):
    study = load_study(_long_study(tmp_path))
    spec = study.spec.data
    assert isinstance(spec, DataSpec)
    host = get_host()
    a = read_study_data(spec, study.survey, host, base_dir=tmp_path)
    b = study.load_responses(host)
    assert isinstance(b, ResponseTable)
    assert _records([a]) == _records([b]) and _rejects([a]) == _rejects([b])


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


@pytest.mark.parametrize("make", [_long_study, _grid_study], ids=["long", "opd-columns"])
def test_chunked_evaluation_equals_the_whole(tmp_path, make):
    study = load_study(make(tmp_path))
    whole = json.loads(study.evaluate().to_json())
    assert whole["data"]["rows_rejected"] > 0
    for chunk in (1, 4, 9, 1000):
        _same(whole, json.loads(study.evaluate(chunk_rows=chunk).to_json()), f"chunk {chunk}")


def test_long_layout_rejects_point_at_the_line_of_the_bad_cell(tmp_path):
    (tmp_path / "long.csv").write_text(
        "respondent,opd,item,value\n"
        "r1,dinkes,q1,4\n"  # row 2: the record r1 × dinkes starts here
        "r1,dinkes,q2,Bagus\n"  # row 3: an unknown label
        "r2,disdik,q2, 9 \n"  # row 4
        "r2,disdik,q1,3\n"  # row 5
        "r2,disdik,q1,2\n"  # row 6: q1 again
        "r3,dinkes,q9,1\n",  # row 7: no such item
        encoding="utf-8",
    )
    study = load_study(write_study(tmp_path, "long.csv", 'layout = "long"'))
    for chunk in (1, 2, 100):
        parts = list(iter_study_tables(study, None, get_host(), chunk_rows=chunk))
        got = {
            (e.reason.value, e.row, e.record, e.column, e.value, e.source)
            for t in parts
            for e in t.rejects.entries
        }
        src = str(tmp_path / "long.csv")
        assert got == {
            ("unknown_label", 3, 2, "value", "Bagus", src),
            ("out_of_range", 4, 4, "value", " 9 ", src),
            ("duplicate_response", 6, 4, "item", "q1", src),
            ("unknown_item", 7, 7, "item", "q9", src),
        }, chunk
        assert _counts(parts) == (3, 0, 3)  # three records (respondent × OPD), all rejected


def test_opd_columns_rejects_name_the_header_and_the_cell_as_typed(tmp_path):
    (tmp_path / "grid.csv").write_text(
        "respondent,Persyaratan [Dinas Kesehatan],Biaya [Dinas Kesehatan],Persyaratan [Dinas X]\n"
        "r1,4,3,\n"
        "r2,07,2,\n"  # row 3: out of range, typed as 07
        "r3,,,2\n",  # row 4: an OPD the survey does not have
        encoding="utf-8",
    )
    table = load_study(write_study(tmp_path, "grid.csv", 'layout = "opd-columns"')).load_responses()
    assert isinstance(table, ResponseTable)
    got = {(e.reason.value, e.row, e.column, e.value) for e in table.rejects.entries}
    assert got == {
        ("out_of_range", 3, "Persyaratan [Dinas Kesehatan]", "07"),
        ("unknown_opd", 4, "Persyaratan [Dinas X]", "Dinas X"),
    }
    assert table.per_opd.source_row.tolist() == [2]


def test_wide_numbers_are_rejected_as_typed(tmp_path):
    (tmp_path / "w.csv").write_text("respondent,opd,q1,q2\nr1,dinkes,7,2\nr2,dinkes,3,4\n")
    table = load_study(write_study(tmp_path, "w.csv")).load_responses()
    assert isinstance(table, ResponseTable)
    [e] = table.rejects.entries
    assert (e.row, e.column, e.value, e.reason.value) == (2, "q1", "7", "out_of_range")


def test_the_handoff_carries_rows_columns_and_text(tmp_path):
    from publiceval._core.survey import Survey

    survey: Survey = load_study(_long_study(tmp_path)).survey
    values = np.array([5.0, 3.0])
    handoff = Handoff(
        rows=np.array([10, 20]),
        source="f.csv",
        respondent=Cells(np.array(["a", "b"], dtype=object), "id"),
        opd=Cells(np.array(["dinkes", "dinkes"], dtype=object), "unit"),
        items={
            "q1": Cells(
                values,
                np.array(["Q1 [A]", "Q1 [B]"], dtype=object),
                rows=np.array([11, 21]),
                typed=np.array(["5,0", "3"], dtype=object),
                codes=np.array([0, 1]),
            )
        },
    )
    table = ResponseTable.from_handoff(survey, handoff)
    [e] = table.rejects.entries
    assert (e.source, e.row, e.record, e.column, e.value) == ("f.csv", 11, 10, "Q1 [A]", "5,0")
    assert table.per_opd.source_row.tolist() == [20]
    assert table.rejects.rows_read == 2 and table.rejects.rows_rejected == 1


def test_cli_chunk_rows_gives_the_same_json(tmp_path):
    study = _long_study(tmp_path, n=40)
    runner = CliRunner()
    whole = runner.invoke(cli, ["evaluate", str(study), "-f", "json"])
    assert whole.exit_code == 0, whole.output
    chunked = runner.invoke(cli, ["evaluate", str(study), "-f", "json", "--chunk-rows", "7"])
    assert chunked.exit_code == 0, chunked.output
    _same(json.loads(whole.stdout), json.loads(chunked.stdout))


class _RowsOnlyMean(ScoringMethod):
    """A method that scores respondent-level rows only (as a third party's might)."""

    name = "rows-only-test"
    title = Text(id="Hanya baris", en="Rows only")

    def score(self, table, context):  # pragma: no cover - refused before any data is read
        raise AssertionError("a chunked run must refuse this method before scoring")


class _RowsOnlyPlugin:
    @hookimpl
    def register_methods(self, register):
        register(_RowsOnlyMean)


def test_cli_chunk_rows_with_a_method_that_needs_rows_is_one_clear_error(tmp_path):
    host = PluginHost(entrypoints=False)
    host.register(_RowsOnlyPlugin(), name="rows-only")
    reset_host(host)
    try:
        path = _long_study(tmp_path)
        path.write_text(path.read_text() + '\n[method]\nname = "rows-only-test"\n')
        result = CliRunner().invoke(cli, ["evaluate", str(path), "--chunk-rows", "5"])
    finally:
        reset_host(None)
    assert result.exit_code == 3, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be evaluated in chunks" in lines[0]
    assert "rows-only-test" in lines[0]


def test_cli_goes_chunked_above_the_size_limit(tmp_path, monkeypatch):
    from publiceval._core.ingest import data as data_module

    path = _long_study(tmp_path)
    loaded = load_study(path)
    assert loaded.auto_chunk_rows() is None
    monkeypatch.setattr(data_module, "AUTO_CHUNK_BYTES", 10)
    assert loaded.auto_chunk_rows() == loaded.spec.data.chunk_rows  # type: ignore[union-attr]
    result = CliRunner().invoke(cli, ["evaluate", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output


class _Pairs(TabularReader):
    """A reader for tests: every chunk a handful of rows of a fixed table."""

    name = "pairs-test"
    rows: ClassVar[list[list[str]]] = [
        ["r1", "dinkes", "4"],
        ["r1", "disdik", "x"],
        ["r2", "dinkes", "2"],
    ]

    def iter_raw(self, path, chunk_rows, keep):  # type: ignore[no-untyped-def]
        header = ["respondent", "opd", "q1"]
        kept = keep(header)
        for lo in range(0, len(self.rows), chunk_rows):
            part = self.rows[lo : lo + chunk_rows]
            yield RawChunk(
                columns={h: [r[j] for r in part] for j, h in enumerate(header) if h in kept},
                rows=np.arange(lo + 2, lo + 2 + len(part), dtype=np.int64),
            )


def test_a_third_party_tabular_reader_gets_layouts_chunks_and_rejects(tmp_path):
    from _reader_support import survey

    p = tmp_path / "x.pairs"
    p.write_text("")
    reader = _Pairs.create()
    whole = reader.read(p, survey(), ColumnMap())
    parts = list(reader.iter_tables(p, survey(), ColumnMap(), 1))
    assert len(parts) == 2
    assert _records(parts) == _records([whole])
    assert _rejects(parts) == _rejects([whole])
    [e] = whole.rejects.entries
    assert (e.row, e.column, e.value) == (3, "q1", "x")
