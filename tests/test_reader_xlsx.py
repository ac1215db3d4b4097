"""XLSX reader: workbooks written by openpyxl the way people lay out sheets by hand."""

from __future__ import annotations

import pytest

from _reader_support import survey
from publiceval import ColumnMap, DataError, RejectReason
from publiceval._core.default_plugins.xlsx_reader import XLSXReader, find_header_row
from publiceval._core.ingest import read_responses

openpyxl = pytest.importorskip("openpyxl")


def _book(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _read(path, **options):
    return read_responses(XLSXReader.create(options), path, survey(), ColumnMap(weight="w"))


DATA = [
    ["respondent", "opd", "q1", "q2", "w"],
    ["r1", "dinkes", 4, "Baik", 1.5],
    ["r2", "Dinas Pendidikan", 2, 1, 1],
]


def test_header_below_title_rows_is_found_and_noted(tmp_path):
    rows = [["Survei Kepuasan Masyarakat 2025"], [], ["Sumber: formulir kertas"], *DATA]
    p = _book(tmp_path / "b.xlsx", {"Data": rows})
    t = _read(p)
    assert t.rejects.rows_rejected == 0
    assert t.per_opd.values.tolist() == [[4, 3], [2, 1]]
    assert t.per_opd.weight.tolist() == [1.5, 1.0]
    # sheet rows as Excel numbers them
    assert t.per_opd.source_row.tolist() == [5, 6]
    assert any("header on row 4" in w and "Survei Kepuasan" in w for w in t.warnings)


def test_find_header_row_prefers_the_wide_text_row():
    rows = [("Judul", None, None), (None, None, None), ("a", "b", "c"), (1, 2, 3)]
    assert find_header_row(rows) == 2
    assert find_header_row([("a", "b"), ("x", "y")]) == 0


def test_chosen_sheet_and_header_row(tmp_path):
    p = _book(
        tmp_path / "b.xlsx",
        {"Cover": [["nothing here", "at all"]], "Jawaban": [["note"], ["note 2"], *DATA]},
    )
    t = _read(p, sheet="Jawaban", header_row=3)
    assert t.per_opd.values.tolist() == [[4, 3], [2, 1]]
    assert t.per_opd.source_row.tolist() == [4, 5]
    t2 = _read(p, sheet=2)
    assert t2.per_opd.values.tolist() == [[4, 3], [2, 1]]


def test_unknown_sheet_suggests(tmp_path):
    p = _book(tmp_path / "b.xlsx", {"Jawaban": DATA})
    with pytest.raises(DataError, match=r"no sheet named 'Jawapan'.*did you mean 'Jawaban'"):
        _read(p, sheet="Jawapan")


def test_formula_is_rejected_naming_the_cell_not_evaluated(tmp_path):
    rows = [*DATA, ["r3", "dinkes", "=C2+C3", 2, 1]]
    p = _book(tmp_path / "b.xlsx", {"Data": rows})
    t = _read(p)
    (e,) = t.rejects.entries
    assert e.reason is RejectReason.UNKNOWN_LABEL and e.row == 4 and e.column == "q1"
    assert "cell C4" in e.message and "'=C2+C3'" in e.message
    assert t.rejects.rows_used == 2


def test_cells_right_of_header_are_a_ragged_row(tmp_path):
    rows = [*DATA, ["r3", "dinkes", 3, 2, 1, None, "stray"]]
    p = _book(tmp_path / "b.xlsx", {"Data": rows})
    t = _read(p)
    (e,) = t.rejects.entries
    assert e.reason is RejectReason.MALFORMED_ROW and e.row == 4 and "G4" in e.message


def test_not_a_workbook(tmp_path):
    p = tmp_path / "fake.xlsx"
    p.write_text("respondent,opd\n", encoding="utf-8")
    with pytest.raises(DataError, match="expected an .xlsx workbook"):
        _read(p)


def test_empty_and_header_only_sheets(tmp_path):
    p = _book(tmp_path / "e.xlsx", {"Empty": [], "Header": [DATA[0]]})
    with pytest.raises(DataError, match="sheet 'Empty': the sheet is empty"):
        _read(p)
    with pytest.raises(DataError, match="header row but no data rows"):
        _read(p, sheet="Header")
    with pytest.raises(DataError, match=r"expected sheet 1..2; found sheet = 3"):
        _read(p, sheet=3)
