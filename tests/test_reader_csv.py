"""CSV reader: real-world files as Excel (Indonesian locale), LibreOffice and scripts write them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from _reader_support import survey
from publiceval import ColumnMap, RejectReason
from publiceval._core.default_plugins.csv_reader import CSVReader, sniff_delimiter
from publiceval._core.ingest import LayoutSpec, read_responses


def _read(path: Path, mapping: ColumnMap | None = None, **kw):
    return read_responses(
        CSVReader.create(kw.pop("options", {})), path, survey(), mapping or ColumnMap(), **kw
    )


def test_semicolon_decimal_comma_and_bom(tmp_path):
    # Indonesian-locale Excel: ';' between cells, ',' for decimals, UTF-8 with BOM
    p = tmp_path / "excel.csv"
    text = "respondent;opd;q1;q2;weight\r\nr1;dinkes;4;3;1,5\r\nr2;Dinas Pendidikan;2;Baik;0,5\r\n"
    p.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    t = _read(p, ColumnMap(weight="weight"))
    assert t.rejects.rows_rejected == 0
    assert t.per_opd.weight.tolist() == [1.5, 0.5]
    assert t.per_opd.values.tolist() == [[4, 3], [2, 3]]
    assert t.per_opd.source_row.tolist() == [2, 3]
    assert not [w for w in t.warnings if "UTF-8" in w]


def test_sniffer_is_not_fooled_by_decimal_commas():
    sample = "a;b;w\n1;2;1,5\n3;4;2,25\n"
    assert sniff_delimiter(sample) == ";"
    assert sniff_delimiter("a,b,c\n1,2,3\n") == ","
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"


def test_utf8_without_bom(tmp_path):
    p = tmp_path / "plain.csv"
    p.write_text("respondent,opd,q1\nr1,Dinas Pariwisata dan Café,4\n", encoding="utf-8")
    t = _read(p)
    assert t.rejects.rows_rejected == 0 and t.per_opd.opd.tolist() == [2]
    assert not [w for w in t.warnings if "UTF-8" in w]


def test_legacy_encoding_falls_back_and_warns(tmp_path):
    p = tmp_path / "legacy.csv"
    p.write_bytes("respondent;opd;q1\nr1;Dinas Pariwisata dan Café;4\n".encode("cp1252"))
    t = _read(p)
    # the é was read correctly as cp1252, and the user is told
    assert t.rejects.rows_rejected == 0 and t.per_opd.opd.tolist() == [2]
    (note,) = [w for w in t.warnings if "UTF-8" in w]
    assert "expected UTF-8" in note and "cp1252" in note and "position 45" in note


def test_explicit_wrong_encoding_is_one_clear_error(tmp_path):
    from publiceval import DataError

    p = tmp_path / "legacy.csv"
    p.write_bytes("respondent;opd;q1\nr1;Café;4\n".encode("cp1252"))
    with pytest.raises(DataError, match=r"cannot be read as utf-8.*invalid byte"):
        _read(p, options={"encoding": "utf-8"})


def test_quoted_newlines_and_quotes(tmp_path):
    p = tmp_path / "quoted.csv"
    p.write_text(
        'respondent,opd,q1,q2\nr1,"Dinas\nKesehatan",4,"Sangat\n Baik"\nr2,disdik,"1",2\n',
        encoding="utf-8",
    )
    t = _read(p)
    assert t.rejects.rows_rejected == 0
    assert t.per_opd.values.tolist() == [[4, 4], [1, 2]]
    # record numbers, as a spreadsheet shows them, not physical lines
    assert t.per_opd.source_row.tolist() == [2, 3]


def test_unknown_label_names_label_and_expected(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("respondent,opd,q1\nr1,dinkes,Lumayan\n", encoding="utf-8")
    t = _read(p)
    (e,) = t.rejects.entries
    assert e.reason is RejectReason.UNKNOWN_LABEL and e.row == 2 and e.column == "q1"
    assert "'Lumayan'" in e.message and "4=Sangat Baik" in e.message


def test_formula_cell_is_rejected_naming_the_cell(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("respondent,opd,q1\nr1,dinkes,=SUM(C1:C9)\nr2,dinkes,3\n", encoding="utf-8")
    t = _read(p)
    (e,) = t.rejects.entries
    assert e.reason is RejectReason.UNKNOWN_LABEL and e.column == "q1"
    assert "cell C2" in e.message and "formula" in e.message
    assert t.rejects.rows_used == 1


def test_missing_item_column_warns_with_suggestion(tmp_path):
    p = tmp_path / "m.csv"
    p.write_text("respondent,opd,q1,Q2 \nr1,dinkes,3,4\n", encoding="utf-8")
    t = _read(p)
    # 'Q2 ' is item q2's column: headers are found ignoring case and spacing
    assert not any("q2" in w.casefold() for w in t.warnings)
    assert t.per_opd.values[0].tolist()[:2] == [3, 4]
    p.write_text("respondent,opd,q1,Qq2\nr1,dinkes,3,4\n", encoding="utf-8")
    t = _read(p)
    assert any("no column 'q2'" in w and "closest headers: 'Qq2'" in w for w in t.warnings)


def test_long_layout(tmp_path):
    p = tmp_path / "long.csv"
    p.write_text(
        "respondent,opd,item,value\n"
        "r1,dinkes,q1,4\n"
        "r1,dinkes,Biaya,baik\n"  # item by its text
        "r1,,mayor,2\n"  # survey-wide answer without an OPD
        "r2,disdik,q1,1\n"
        "r2,disdik,q1,2\n"  # the same cell twice
        "r3,disdik,q7,1\n"  # unknown item
        "r4,dinkes,q2,9\n",  # out of range
        encoding="utf-8",
    )
    t = _read(p, layout=LayoutSpec(kind="long"))
    assert t.rejects.rows_read == 5  # groups: r1×dinkes, r1×-, r2×disdik, r3×disdik, r4×dinkes
    assert t.per_opd.values.tolist() == [[4, 3]]
    assert t.survey_wide.values.tolist() == [[2]]
    by = {e.reason: e for e in t.rejects.entries}
    # each reject points at the row the bad cell is in; the record (respondent × OPD) it
    # rejects is named by its first row
    dup = by[RejectReason.DUPLICATE]
    assert dup.row == 6 and dup.record == 5 and "first in row 5" in dup.message
    assert dup.column == "item" and dup.value == "q1"
    unknown = by[RejectReason.UNKNOWN_ITEM]
    assert "unknown item 'q7'" in unknown.message and (unknown.row, unknown.value) == (7, "q7")
    oor = by[RejectReason.OUT_OF_RANGE]
    assert (oor.row, oor.column, oor.value) == (8, "value", "9")


def _table_summary(t):
    return (
        t.rejects.rows_read,
        t.rejects.rows_used,
        sorted((e.row, e.reason.value) for e in t.rejects.entries),
        t.per_opd.values.tolist(),
        t.per_opd.opd.tolist(),
        t.per_opd.source_row.tolist(),
        [t.respondent_ids[c] for c in t.per_opd.respondent],
        t.per_opd.weight.tolist(),
    )


cell = st.sampled_from(["1", "2", "3", "4", "", "Baik", "x", "9", "2,5"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["r1", "r2", "r3", ""]),
            st.sampled_from(["dinkes", "disdik", "dinks", ""]),
            cell,
            cell,
            st.sampled_from(["1", "1,5", "-1", ""]),
        ),
        min_size=1,
        max_size=30,
    ),
    chunk=st.integers(1, 7),
)
def test_chunked_read_equals_whole(tmp_path, rows, chunk):
    p = tmp_path / "c.csv"
    p.write_text(
        "respondent;opd;q1;q2;w\n" + "".join(";".join(r) + "\n" for r in rows), encoding="utf-8"
    )
    mapping = ColumnMap(weight="w")
    whole = _read(p, mapping, chunk_rows=10_000)
    chunked = _read(p, mapping, chunk_rows=chunk)
    assert _table_summary(whole) == _table_summary(chunked)
    assert whole.rejects.rows_read == whole.rejects.rows_used + whole.rejects.rows_rejected


def test_iter_tables_yields_chunks_cut_between_respondents(tmp_path):
    p = tmp_path / "c.csv"
    # respondents rate 1, 2 or 3 OPDs on consecutive rows
    ids = ["a", "b", "b", "c", "c", "c", "d", "e", "e", "f"]
    opds = [
        "dinkes",
        "dinkes",
        "disdik",
        "dinkes",
        "disdik",
        "dispar",
        "dinkes",
        "dinkes",
        "x",
        "disdik",
    ]
    p.write_text(
        "respondent,opd,q1\n" + "".join(f"{r},{o},3\n" for r, o in zip(ids, opds, strict=True))
    )
    tables = list(CSVReader.create().iter_tables(p, survey(), ColumnMap(), chunk_rows=4))
    assert len(tables) > 1
    seen: dict[str, int] = {}
    for k, t in enumerate(tables):
        for r in t.respondent_ids[np.unique(t.per_opd.respondent)]:
            assert seen.setdefault(r, k) == k  # never split across tables
    assert sum(t.rejects.rows_read for t in tables) == 10
    rejected = [e.row for t in tables for e in t.rejects.entries]
    assert rejected == [10]  # the unknown OPD 'x', reported once, at its row
    rows = np.concatenate([t.per_opd.source_row for t in tables]).tolist()
    assert rows == [2, 3, 4, 5, 6, 7, 8, 9, 11]


def test_progress_is_reported(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("respondent,opd,q1\n" + "".join(f"r{i},dinkes,3\n" for i in range(100)))
    seen = []
    _read(p, chunk_rows=30, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) == 4 and seen[-1][0] == seen[-1][1] == p.stat().st_size


def test_blank_rows_are_noted_between_data_and_ignored_at_the_end(tmp_path):
    p = tmp_path / "b.csv"
    p.write_text("respondent;opd;q1\nr1;dinkes;3\n;;\n\nr2;dinkes;2\n;;\n;;\n", encoding="utf-8")
    for chunk in (1, 2, 100):
        t = _read(p, chunk_rows=chunk)
        assert t.per_opd.source_row.tolist() == [2, 5]
        assert [w for w in t.warnings if "empty row" in w] == [f"{p}: skipped 2 empty row(s)"]


def test_many_distinct_ids_across_chunks(tmp_path):
    # respondent ids are mostly distinct: kept as plain cells, yet grouped and deduplicated
    n = 3000
    p = tmp_path / "ids.csv"
    lines = [f"r{i},dinkes,q1,{1 + i % 4}\nr{i},dinkes,q2,{1 + (i + 1) % 4}\n" for i in range(n)]
    lines.append("r5,dinkes,q1,4\n")  # a repeated answer far from the first
    p.write_text("respondent,opd,item,value\n" + "".join(lines), encoding="utf-8")
    long = LayoutSpec(kind="long")
    whole = _read(p, layout=long)
    chunked = _read(p, layout=long, chunk_rows=1500)
    for t in (whole, chunked):
        assert t.rejects.rows_read == n and t.rejects.by_reason() == {"duplicate_response": 1}
        assert t.per_opd.values[:3].tolist() == [[1, 2], [2, 3], [3, 4]]
    assert _table_summary(whole) == _table_summary(chunked)
    wide = tmp_path / "wide.csv"
    wide.write_text(
        "respondent,opd,q1\n" + "".join(f"r{i % 2500},dinkes,3\n" for i in range(n)),
        encoding="utf-8",
    )
    a, b = _read(wide), _read(wide, chunk_rows=1200)
    assert _table_summary(a) == _table_summary(b)
    assert a.rejects.by_reason() == {"duplicate_response": 500}


def test_excel_unicode_text_utf16(tmp_path):
    p = tmp_path / "unicode.txt"
    p.write_bytes("respondent\topd\tq1\r\nr1\tDinas Pariwisata dan Café\t4\r\n".encode("utf-16"))
    t = _read(p)
    assert t.rejects.rows_rejected == 0 and t.per_opd.opd.tolist() == [2]


def test_no_respondent_column_each_row_is_a_respondent(tmp_path):
    p = tmp_path / "anon.csv"
    p.write_text("opd,q1,q2\ndinkes,3,4\ndinkes,3,4\ndisdik,,\n", encoding="utf-8")
    from publiceval import DataError

    with pytest.raises(DataError, match='set respondent = "" in'):
        _read(p)
    t = _read(p, ColumnMap(respondent=""))
    assert t.n_respondents == 2 and t.rejects.rows_rejected == 1  # the empty row
    # rows 2 and 3 are identical and there is no timestamp: reported, and both kept
    (note,) = t.rejects.skipped_answers
    assert note.row == 3 and "identical in every cell to row 2" in note.message
    assert list(t.respondent_ids[t.per_opd.respondent]) == ["row 2", "row 3"]


def test_chunked_evaluation_through_iter_tables_equals_whole(tmp_path):
    chunked = pytest.importorskip("publiceval._core.chunked")
    from publiceval import evaluate

    rng = np.random.default_rng(3)
    n = 400
    resp = np.repeat([f"r{i}" for i in range(n // 2)], 2)
    opd = rng.choice(["dinkes", "disdik", "Dinas Pariwisata dan Café"], n)
    q = rng.choice(["1", "2", "3", "4", "Baik", ""], (n, 2))
    p = tmp_path / "e.csv"
    p.write_text(
        "respondent;opd;q1;q2\n"
        + "".join(f"{resp[i]};{opd[i]};{q[i, 0]};{q[i, 1]}\n" for i in range(n)),
        encoding="utf-8",
    )
    whole = evaluate(survey(), _read(p))
    parts = chunked.evaluate_file(survey(), p, reader="csv", chunk_rows=37)
    got = {o.opd: o.score.value for o in parts.opds}
    want = {o.opd: o.score.value for o in whole.opds}
    assert got == pytest.approx(want, rel=1e-12)
    assert parts.data.rows_read == whole.data.rows_read == n
    assert parts.data.rows_rejected == whole.data.rows_rejected > 0


def test_excel_sep_line(tmp_path):
    p = tmp_path / "sep.csv"
    p.write_text("sep=;\nrespondent;opd;q1;q2\nr1;dinkes;3;2,0\n", encoding="utf-8")
    t = _read(p)
    assert t.rejects.rows_rejected == 0 and t.per_opd.values.tolist() == [[3, 2]]
    # rows as Excel shows them: the sep line is hidden, the header is row 1
    assert t.per_opd.source_row.tolist() == [2]


answer = st.sampled_from(["", "1", "2", "3", "4", "Baik", "sangat  baik"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(
        st.tuples(st.sampled_from(["dinkes", "disdik"]), answer, answer),
        min_size=1,
        max_size=12,
    ).map(lambda rows: {f"r{k}": rows[k] for k in range(len(rows))}),
    second=st.lists(st.tuples(answer, answer), min_size=12, max_size=12),
)
def test_layouts_agree(tmp_path, data, second):
    # each respondent rates one OPD in 'data' and, in 'second', the other one
    other = {"dinkes": "disdik", "disdik": "dinkes"}
    records = []
    for k, (r, (opd, a, b)) in enumerate(data.items()):
        records.append((r, opd, a, b))
        records.append((r, other[opd], *second[k]))
    assume(any(x or y for _, _, x, y in records))  # else the long file has no rows at all
    wide = tmp_path / "wide.csv"
    wide.write_text(
        "respondent,opd,q1,q2\n" + "".join(f"{r},{o},{a},{b}\n" for r, o, a, b in records)
    )
    long = tmp_path / "long.csv"
    long.write_text(
        "respondent,opd,item,value\n"
        + "".join(
            f"{r},{o},{item},{v}\n"
            for r, o, a, b in records
            for item, v in (("q1", a), ("q2", b))
            if v
        )
    )
    names = {"dinkes": "Dinas Kesehatan", "disdik": "Dinas Pendidikan"}
    grid = tmp_path / "grid.csv"
    cols = [f"{t} [{names[o]}]" for o in ("dinkes", "disdik") for t in ("Persyaratan", "Biaya")]
    by_resp: dict[str, dict[str, str]] = {}
    for r, o, a, b in records:
        by_resp.setdefault(r, {})[f"Persyaratan [{names[o]}]"] = a
        by_resp[r][f"Biaya [{names[o]}]"] = b
    grid.write_text(
        "respondent,"
        + ",".join(cols)
        + "\n"
        + "".join(r + "," + ",".join(v.get(c, "") for c in cols) + "\n" for r, v in by_resp.items())
    )

    def used(t):
        ids = t.respondent_ids
        return sorted(
            (
                ids[t.per_opd.respondent[i]],
                int(t.per_opd.opd[i]),
                tuple(np.where(t.per_opd.observed[i], t.per_opd.values[i], 0).tolist()),
            )
            for i in range(t.per_opd.n_rows)
        )

    a = _read(wide)
    b = _read(long, layout=LayoutSpec(kind="long"))
    c = _read(grid, layout=LayoutSpec(kind="opd-columns"))
    assert used(a) == used(b) == used(c)
    answered = sum(1 for _, _, x, y in records if x or y)
    assert len(used(a)) == answered
