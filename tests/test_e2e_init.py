"""End to end: init → fill the template (as a person would, in CSV or Excel) → validate → evaluate."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from publiceval._core.cli import cli

LABELS = ["Tidak Baik", "Kurang Baik", "Baik", "Sangat Baik"]


def _init(folder):
    r = CliRunner().invoke(
        cli,
        [
            "init",
            str(folder),
            "--city",
            "Kota Contoh",
            "--year",
            "2025",
            "--opd",
            "Dinas Kesehatan",
            "--opd",
            "Dinas Pendidikan",
        ],
    )
    assert r.exit_code == 0, r.output


def _answers():
    # Dinas Kesehatan: respondents answer 4,4,3,3 on every unsur (as labels) → mean 3.5
    # Dinas Pendidikan: respondents answer 2,1,3 (numbers) → mean 2.0; one bad row rejected
    rows = []
    for k, point in enumerate([4, 4, 3, 3]):
        rows.append([f"k{k}", "Dinas Kesehatan", *[LABELS[point - 1]] * 9])
    for k, point in enumerate([2, 1, 3]):
        rows.append([f"p{k}", "dinas-pendidikan", *[point] * 9])
    rows.append(["p9", "Dinas Pendidkan", *[1] * 9])  # misspelt OPD: rejected with a hint
    return rows


def _check(folder, study_args=()):
    study = folder / "study.toml"
    v = CliRunner().invoke(cli, ["validate", str(study), "--json"])
    assert v.exit_code == 0, v.output
    rep = json.loads(v.stdout)
    assert (rep["rows_read"], rep["rows_used"], rep["rows_rejected"]) == (8, 7, 1)
    assert rep["groups"][0]["details"] == [
        "'Dinas Pendidkan' (1 row(s)): did you mean 'Dinas Pendidikan'?"
    ]
    gate = CliRunner().invoke(cli, ["validate", str(study), "--max-rejects", "0"])
    assert gate.exit_code == 6
    e = CliRunner().invoke(cli, ["evaluate", str(study), "--format", "json"])
    assert e.exit_code == 0, e.output
    ev = json.loads(e.stdout)
    scores = {o["opd"]: o["score"]["value"] for o in ev["opds"]}
    assert scores["dinas-kesehatan"] == pytest.approx(3.5)
    assert scores["dinas-pendidikan"] == pytest.approx(2.0)
    cats = {o["opd"]: o["category"]["code"] for o in ev["opds"]}
    assert cats == {"dinas-kesehatan": "B", "dinas-pendidikan": "D"}  # 3.0644 ≤ 3.5 < 3.5324
    assert ev["data"]["rows_rejected"] == 1


def test_init_fill_csv_validate_evaluate(tmp_path):
    _init(tmp_path)
    with (tmp_path / "responses.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(_answers())
    _check(tmp_path)


def test_init_fill_xlsx_validate_evaluate(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    _init(tmp_path)
    path = tmp_path / "responses.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["responses"]
    for row in _answers():
        ws.append(row)
    wb.save(path)
    study = tmp_path / "study.toml"
    text = study.read_text(encoding="utf-8").replace(
        'path = "responses.csv"', 'path = "responses.xlsx"'
    )
    study.write_text(text, encoding="utf-8")
    _check(tmp_path)
