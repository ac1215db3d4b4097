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
    # then the profile (gender, age, education, occupation) and the suggestions box
    rows = []
    for k, point in enumerate([4, 4, 3, 3]):
        profile = ["Perempuan", 30 + k, "S1", "PNS", "Antrean lama" if k == 0 else ""]
        rows.append([f"k{k}", "Dinas Kesehatan", *[LABELS[point - 1]] * 9, *profile])
    for k, point in enumerate([2, 1, 3]):
        rows.append([f"p{k}", "dinas-pendidikan", *[point] * 9, "laki-laki", 61, "SMA", "", ""])
    rows.append(["p9", "Dinas Pendidkan", *[1] * 9, "", "", "", "", ""])  # misspelt: rejected
    return rows


def _check(folder, study_args=()):
    study = folder / "study.toml"
    v = CliRunner().invoke(cli, ["validate", str(study), "--json", "--max-rejects", "1"])
    assert v.exit_code == 0, v.output
    rep = json.loads(v.stdout)
    assert (rep["rows_read"], rep["rows_used"], rep["rows_rejected"]) == (8, 7, 1)
    assert rep["groups"][0]["details"] == [
        "'Dinas Pendidkan' (1 row(s)): did you mean 'Dinas Pendidikan'? If so, add 'Dinas Pendidkan' "
        "to that OPD's aliases ([[opds]] aliases = [...]) in the study"
    ]
    gate = CliRunner().invoke(cli, ["validate", str(study), "--max-rejects", "0"])
    assert gate.exit_code == 6
    # 1 of 8 rows (12%) is more than the default limit of 10%: evaluate stops and says so
    stopped = CliRunner().invoke(cli, ["evaluate", str(study), "--format", "json"])
    assert stopped.exit_code == 6
    assert "1 of 8 rows (12%) were rejected" in stopped.output
    e = CliRunner().invoke(cli, ["evaluate", str(study), "--format", "json", "--max-rejects", "1"])
    assert e.exit_code == 0, e.output
    ev = json.loads(e.stdout)
    # the official SKM method and scheme: IKM = 25 × the mean of the nine NRRs
    scores = {o["opd"]: o["score"]["value"] for o in ev["opds"]}
    assert scores["dinas-kesehatan"] == pytest.approx(87.5)  # NRR 3.5 on every element
    assert scores["dinas-pendidikan"] == pytest.approx(50.0)  # NRR 2.0
    cats = {o["opd"]: o["category"]["code"] for o in ev["opds"]}
    assert cats == {"dinas-kesehatan": "B", "dinas-pendidikan": "D"}  # 82.51 ≤ 87.5 ≤ 88.30
    assert ev["provenance"]["method"]["name"] == "ikm-2017"
    profile = {p["id"]: {c["label"]["id"]: c["count"] for c in p["counts"]} for p in ev["profile"]}
    assert profile["gender"] == {"Laki-laki": 3, "Perempuan": 4}
    assert profile["age"]["30–39"] == 4 and profile["age"]["≥ 60"] == 3
    assert [s["text"] for s in ev["suggestions"]] == ["Antrean lama"]
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
