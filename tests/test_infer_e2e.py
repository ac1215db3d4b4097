"""End to end: a Google Forms export → ``init --from`` → ``validate`` and ``evaluate``, no hand edits.

The IKM is recomputed here from the export itself (the generator's own option lists, the
double submission left out, the two typos unanswered), so the test checks that the study maps
every column by meaning and every OPD wording to its OPD, not that it agrees with itself.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from publiceval._core.cli import cli
from publiceval._core.profile import name_key

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "gforms-export"
BANDS = [(88.31, "A"), (76.61, "B"), (65.0, "C"), (25.0, "D")]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gforms_generate", EXAMPLE / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_ikm() -> dict[str, tuple[float, list[float]]]:
    """IKM and the nine question means (in the form's order) per OPD name, from the CSV."""
    gen = _generator()
    with (EXAMPLE / "export.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[1:]
    seen: set[tuple[str, ...]] = set()
    sums: dict[str, list[list[int]]] = {}
    for row in rows:
        key = tuple(row[1:])  # all but the timestamp: the double submission repeats it
        if key in seen:
            continue
        seen.add(key)
        opd = next(name for name, _ in gen.OPDS if name_key(name).startswith(name_key(row[1])[:12]))
        per = sums.setdefault(opd, [[] for _ in gen.QUESTIONS])
        for j, (_, options) in enumerate(gen.QUESTIONS):
            answer = " ".join(row[6 + j].split()).casefold()
            points = [k + 1 for k, o in enumerate(options) if o.casefold() == answer]
            if points:  # a typo is an invalid answer: unanswered
                per[j].append(points[0])
    out = {}
    for opd, answers in sums.items():
        means = [sum(a) / len(a) for a in answers]
        out[opd] = (25 * sum(means) / len(means), means)
    return out


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture(params=["export.csv", "export.xlsx"])
def export(request, tmp_path) -> Path:
    if request.param.endswith(".xlsx"):
        pytest.importorskip("openpyxl")
    target = tmp_path / request.param
    shutil.copyfile(EXAMPLE / request.param, target)
    return target


def test_init_from_a_forms_export_evaluates_as_it_is(export, tmp_path):
    city = tmp_path / "city"
    code, out = _run("init", str(city), "--from", str(export), "--lang", "en")
    assert code == 0, out
    assert "6 OPD ('Unit layanan yang Anda nilai'); 9 questions (9 of the 9 SKM elements)" in out
    assert "method ikm-2017, scheme permenpan-2017" in out
    assert "answer 'Sangat mudaah' (1 cell(s), column H)" in out and "point 4" in out
    assert (city / export.name).read_bytes() == export.read_bytes()

    code, out = _run("validate", str(city / "study.toml"), "--json")
    assert code == 0, out
    report = json.loads(out)
    assert (report["rows_read"], report["rows_used"], report["rows_rejected"]) == (150, 149, 1)

    code, out = _run("evaluate", str(city / "study.toml"), "--format", "json")
    assert code == 0, out
    evaluation = json.loads(out)
    twice = [r for r in evaluation["data"]["rejects"] if r["reason"] == "duplicate_submission"]
    assert [r["row"] for r in twice] == [60] and "row 59" in twice[0]["message"]
    skipped = sorted(r["value"] for r in evaluation["data"]["rejects"] if r["scope"] == "cell")
    assert skipped == ["Kurang cepet", "Sangat mudaah"]

    expected = expected_ikm()
    scores = {o["name"]: o for o in evaluation["opds"]}
    assert len(scores) == 6 and all(o["score"]["value"] is not None for o in scores.values())
    for wording, (ikm, means) in expected.items():
        got = next(o for name, o in scores.items() if name_key(wording).startswith(name_key(name)))
        assert got["score"]["value"] == pytest.approx(ikm, abs=1e-9), wording
        nrr = got["score"]["components"]
        # by meaning: the form's question 8 is sarana (U9), question 9 pengaduan (U8)
        assert nrr["nrr:Sarana dan Prasarana"] == pytest.approx(means[7])
        assert nrr["nrr:Penanganan Pengaduan, Saran dan Masukan"] == pytest.approx(means[8])
        band = next(code for low, code in BANDS if ikm >= low)
        assert got["category"]["code"] == band and got["category"]["scheme"] == "permenpan-2017"
    assert {o["category"]["code"] for o in scores.values()} == {"A", "B", "C", "D"}
    assert [p["id"] for p in evaluation["profile"]] == ["gender", "age", "education", "occupation"]
    assert evaluation["suggestions"]


def test_init_from_refuses_what_it_cannot_do(tmp_path):
    export = tmp_path / "export.csv"
    shutil.copyfile(EXAMPLE / "export.csv", export)
    code, out = _run("init", str(tmp_path / "a"), "--from", str(export), "--opd", "Dinkes")
    assert code == 3 and "drop --opd" in out
    code, out = _run("init", str(tmp_path / "b"), "--from", str(tmp_path / "nope.csv"))
    assert code == 4 and "export not found" in out
    assert _run("init", str(tmp_path / "c"), "--from", str(export))[0] == 0
    code, out = _run("init", str(tmp_path / "c"), "--from", str(export))
    assert code == 3 and "--force" in out
    assert _run("init", str(tmp_path / "c"), "--from", str(export), "--force")[0] == 0


def test_the_example_export_is_reproduced_by_its_generator():
    gen = _generator()
    assert gen.csv_text() == (EXAMPLE / "export.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("page", "first", "last", "lang"),
    [
        ("tutorial-from-export.md", "wrote sukamaju", "next:", "en"),
        ("id/tutorial-from-export.md", "menulis sukamaju", "berikutnya:", "id"),
    ],
)
def test_the_tutorial_shows_what_init_prints(page, first, last, lang, tmp_path, monkeypatch):
    text = (Path(__file__).resolve().parents[1] / "docs" / page).read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(k for k, line in enumerate(lines) if line.startswith(first))
    end = next(k for k in range(start, len(lines)) if lines[k].startswith(last))
    shown = lines[start : end + 1]
    (tmp_path / "examples" / "gforms-export").mkdir(parents=True)
    shutil.copyfile(EXAMPLE / "export.csv", tmp_path / "examples" / "gforms-export" / "export.csv")
    monkeypatch.chdir(tmp_path)
    code, out = _run(
        "init", "sukamaju", "--from", "examples/gforms-export/export.csv", "--lang", lang
    )
    assert code == 0, out
    assert out.splitlines() == shown
