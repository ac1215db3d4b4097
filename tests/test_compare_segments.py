"""Segments: scores per profile answer, per OPD × segment, gaps, suppression below min n."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from publiceval._core.cli import cli
from publiceval._core.compare import score_change
from publiceval._core.compare.command import run_segments
from publiceval._core.compare.render_segments import render_segments
from publiceval._core.compare.segments import SegmentBreakdown
from publiceval._core.errors import StudyError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "two-semesters"
STUDY = EXAMPLE / "semester-2.toml"
ITEMS = [
    "persyaratan",
    "prosedur",
    "waktu",
    "biaya",
    "produk",
    "kompetensi",
    "perilaku",
    "pengaduan",
    "sarana",
]


@pytest.fixture(scope="module")
def by_gender() -> SegmentBreakdown:
    return run_segments(STUDY, "gender", min_n=30)


def _rows(opd: str | None, gender: str) -> np.ndarray:
    with (EXAMPLE / "responses-s2.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["gender"] == gender and opd in (None, r["opd"])]
    return np.array([[float(r[i]) for i in ITEMS] for r in rows])


def test_cell_by_hand(by_gender):
    rsud = next(o for o in by_gender.opds if o.opd == "rsud")
    women = next(c for c in rsud.cells if c.segment == "Perempuan")
    answers = _rows("rsud", "Perempuan")
    person = answers.mean(axis=1)  # complete answers: the mean of item means = mean of row means
    assert women.n == len(answers) == 51
    assert women.score is not None
    assert women.score.value == pytest.approx(person.mean(), rel=1e-12)
    assert women.score.se == pytest.approx(person.std(ddof=1) / math.sqrt(len(person)), rel=1e-9)
    pooled = next(c for c in by_gender.pooled if c.segment == "Perempuan")
    assert pooled.n == len(_rows(None, "Perempuan"))
    assert pooled.score.value == pytest.approx(_rows(None, "Perempuan").mean(), rel=1e-12)


def test_gap_and_holm(by_gender):
    assert by_gender.reference == "Laki-laki"  # the first choice of the question
    rsud = next(o for o in by_gender.opds if o.opd == "rsud")
    men, women = (c.score for c in rsud.cells)
    gap = rsud.gaps[0]
    raw = score_change(men, women)
    assert gap.change.difference == pytest.approx(women.value - men.value)
    assert gap.change.p_value == pytest.approx(raw.p_value)
    family = [o.gaps[0] for o in by_gender.opds if o.gaps]
    # Holm over the OPDs with both cells shown: the smallest p times the family size
    assert len(family) == 5
    smallest = min(family, key=lambda g: g.change.p_value)
    assert smallest.change.p_adjusted == pytest.approx(min(1.0, 5 * smallest.change.p_value))
    assert gap.change.direction == "worse" and gap.change.significant  # built into generate.py


def test_small_cells_are_suppressed_with_their_n():
    b = run_segments(STUDY, "education", min_n=40)
    for cells in [b.pooled, *(o.cells for o in b.opds)]:
        for c in cells:
            assert c.suppressed == (c.n < 40)
            assert (c.score is None) == c.suppressed
    assert b.notes and "fewer than 40" in b.notes[0]
    for fmt in ("table", "markdown", "html"):
        text = render_segments(b, fmt, "id")
        # every shown score carries its n: a cell is "x,xx (n = k)" or "– (n = k)"
        cells = [
            c for c in text.replace("<td>", "|").replace("</td>", "|").split("|") if "(n = " in c
        ]
        assert cells
        assert "disembunyikan" in text


def test_refusals():
    with pytest.raises(StudyError, match="not a \\[\\[profile\\]\\] question"):
        run_segments(STUDY, "income", min_n=30)
    runner = CliRunner()
    res = runner.invoke(cli, ["compare", str(STUDY), str(STUDY), "--by", "gender"])
    assert res.exit_code == 2 and "exactly one study" in res.output
    res = runner.invoke(cli, ["compare", str(STUDY), "--by", "income"])
    assert res.exit_code == 3


def test_cli_json_and_english(tmp_path):
    out = tmp_path / "seg.json"
    res = CliRunner().invoke(
        cli, ["compare", str(STUDY), "--by", "gender", "-f", "json", "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    back = SegmentBreakdown.model_validate_json(out.read_text(encoding="utf-8"))
    assert back.kind == "segments" and back.segments == ["Laki-laki", "Perempuan"]
    res = CliRunner().invoke(cli, ["compare", str(STUDY), "--by", "gender", "--lang", "en"])
    assert "At RSUD, Female respondents score 0.29 lower than Male respondents" in res.stdout
    assert "this gap is beyond chance" in res.stdout
