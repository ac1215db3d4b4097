"""Google Forms reader: the response CSV as Forms writes it (grid questions, one column per OPD)."""

from __future__ import annotations

import csv

import pytest

from _reader_support import survey
from publiceval import ColumnMap, RejectReason
from publiceval._core.default_plugins.gforms_reader import GoogleFormsReader
from publiceval._core.ingest import read_responses

HEADER = [
    "Timestamp",
    "Persyaratan [Dinas Kesehatan]",
    "Persyaratan [Dinas Pendidikan]",
    "Biaya [Dinas Kesehatan]",
    "Biaya [Dinas Pendidikan]",
    "Walikota",
]


def _write(path, rows, header=HEADER):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)  # Forms: comma, quotes where needed, CRLF line ends
        w.writerow(header)
        w.writerows(rows)
    return path


def _read(path, **options):
    return read_responses(GoogleFormsReader.create(options), path, survey(), ColumnMap())


def test_grid_columns_become_rows_per_opd(tmp_path):
    p = _write(
        tmp_path / "form.csv",
        [
            ["2025/03/01 10:00:00 AM GMT+7", "Sangat Baik", "good", "  baik ", "", "Puas"],
            ["2025/03/01 10:05:00 AM GMT+7", "", "KURANG BAIK", "", "Very Good", ""],
        ],
    )
    t = _read(p)
    assert t.rejects.rows_read == 2 and t.rejects.rows_rejected == 0
    # respondent 1 rated both OPDs, respondent 2 only Dinas Pendidikan
    assert t.per_opd.opd.tolist() == [0, 1, 1]
    assert t.per_opd.values.tolist() == [[4, 3], [3, 0], [2, 4]]
    assert t.per_opd.observed.tolist() == [[True, True], [True, False], [True, True]]
    assert t.n_respondents == 2
    assert t.survey_wide.values.tolist() == [[3]]
    assert t.per_opd.source_row.tolist() == [2, 2, 3]


def test_unknown_label_rejects_the_respondent_naming_label_and_expected(tmp_path):
    p = _write(
        tmp_path / "form.csv",
        [["t1", "Lumayan", "Baik", "", "", ""], ["t2", "Baik", "", "", "", ""]],
    )
    t = _read(p)
    assert t.rejects.rows_read == 2 and t.rejects.rows_rejected == 1 and t.rejects.rows_used == 1
    (e,) = t.rejects.entries
    assert e.reason is RejectReason.UNKNOWN_LABEL and e.row == 2
    assert e.column == "Persyaratan [Dinas Kesehatan]"
    assert "'Lumayan'" in e.message and "3=Baik" in e.message
    # the rejected respondent's other answers are not used either
    assert t.per_opd.source_row.tolist() == [3]


def test_unknown_opd_in_header_suggests_the_closest(tmp_path):
    header = ["Timestamp", "Persyaratan [Dinas Kesehatn]", "Biaya [Dinas Pendidikan]"]
    p = _write(tmp_path / "form.csv", [["t1", "Baik", "Baik"], ["t2", "", "Baik"]], header)
    t = _read(p)
    (e,) = t.rejects.entries
    assert e.reason is RejectReason.UNKNOWN_OPD and e.row == 2
    assert "did you mean 'Dinas Kesehatan'" in e.message
    assert e.column == "Persyaratan [Dinas Kesehatn]"


def test_empty_response_is_rejected_not_dropped(tmp_path):
    p = _write(tmp_path / "form.csv", [["t1", "", "", "", "", ""], ["t2", "Baik", "", "", "", ""]])
    t = _read(p)
    assert t.rejects.by_reason() == {"no_answers": 1}


def test_one_grid_per_opd_and_email_as_respondent(tmp_path):
    header = ["Timestamp", "Email Address", "Dinkes [Persyaratan]", "Dinkes [Biaya]"]
    rows = [["t1", "a@x.id", "Baik", "Baik"], ["t2", "a@x.id", "Baik", "Tidak Baik"]]
    p = _write(tmp_path / "form.csv", rows, header)
    from publiceval._core.ingest import LayoutSpec

    t = read_responses(
        GoogleFormsReader.create(),
        p,
        survey(),
        ColumnMap(),
        layout=LayoutSpec(kind="opd-columns", header_pattern="{opd} [{item}]"),
    )
    # the same e-mail rated Dinkes twice: the second is a duplicate
    assert t.rejects.by_reason() == {"duplicate_response": 1}
    assert t.rejects.entries[0].row == 3


def test_downloaded_as_xlsx(tmp_path):
    import pytest

    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["t1", "Sangat Baik", "", "Baik", "", ""])
    p = tmp_path / "form.xlsx"
    wb.save(p)
    t = _read(p)
    assert t.per_opd.values.tolist() == [[4, 3]]


def test_study_with_gforms_evaluates(tmp_path):
    import json

    from click.testing import CliRunner

    from _reader_support import write_study
    from publiceval._core.cli import cli

    header = [
        "Timestamp",
        "Persyaratan [Dinas Kesehatan]",
        "Biaya [Dinas Kesehatan]",
        "Persyaratan [Dinas Pendidikan]",
        "Biaya [Dinas Pendidikan]",
    ]
    rows = [
        ["t1", "Sangat Baik", "Baik", "Kurang Baik", "Tidak Baik"],
        ["t2", "baik", "BAIK", "", ""],
        ["t3", "", "", "good", "poor"],
    ]
    _write(tmp_path / "form.csv", rows, header)
    study = write_study(tmp_path, "form.csv", data_extra='format = "gforms"')
    v = CliRunner().invoke(cli, ["validate", str(study), "--json"])
    assert v.exit_code == 0, v.output
    assert json.loads(v.stdout)["rows_per_opd"] == {"dinkes": 2, "disdik": 2}
    r = CliRunner().invoke(cli, ["evaluate", str(study), "--format", "json"])
    assert r.exit_code == 0, r.output
    scores = {o["opd"]: o["score"]["value"] for o in json.loads(r.stdout)["opds"]}
    # Dinkes: (4+3)/2 and (3+3)/2 → items 3.5 and 3 → 3.25; Disdik: (2+1)/2, (3+1)/2 → 1.75
    assert scores["dinkes"] == pytest.approx(3.25)
    assert scores["disdik"] == pytest.approx(1.75)
