"""Segments of a weighted, stratified, clustered sample: domains of the whole design.

The rows (``tests/data/segments_design.csv``) are the two-semester example's second period with
strata, villages (PSUs) that cut across OPDs and genders, and weights. Every segment score, OPD
× segment score and gap is checked against a row-level computation written here (PSU totals of
linearised variables, between-PSU variance within strata, every PSU of the design counted) and
against R's ``svyby`` + ``svycontrast`` (``tests/data/make_segments_design_reference.R``).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest

from publiceval._core.compare import score_change
from publiceval._core.compare.command import run_segments
from publiceval._core.compare.render_segments import render_segments
from publiceval._core.compare.segments import SegmentBreakdown

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLE = ROOT / "examples" / "two-semesters" / "semester-2.toml"
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


def _study(folder: Path, method: str = "mean") -> Path:
    shutil.copy(DATA / "segments_design.csv", folder / "rows.csv")
    text = EXAMPLE.read_text(encoding="utf-8")
    head, _, tail = text.partition("[data]")
    tail = tail[tail.index("[scheme]") :]
    data = (
        '[method]\nname = "' + method + '"\n\n[data]\npath = "rows.csv"\n\n[data.columns]\n'
        'respondent = "respondent"\nopd = "opd"\nweight = "weight"\nstratum = "stratum"\n'
        'psu = "psu"\n\n'
    )
    path = folder / "study.toml"
    path.write_text(head + data + tail, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def breakdown(tmp_path_factory: pytest.TempPathFactory) -> SegmentBreakdown:
    return run_segments(_study(tmp_path_factory.mktemp("design")), "gender", min_n=5)


def _rows() -> dict[str, np.ndarray]:
    with (DATA / "segments_design.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {
        "y": np.array([np.mean([float(r[i]) for i in ITEMS]) for r in rows]),
        "w": np.array([float(r["weight"]) for r in rows]),
        "stratum": np.array([r["stratum"] for r in rows]),
        "psu": np.array([r["stratum"] + "|" + r["psu"] for r in rows]),
        "opd": np.array([r["opd"] for r in rows]),
        "gender": np.array([r["gender"] for r in rows]),
    }


def _by_hand(rows: dict[str, np.ndarray], contrast: dict[str, float], cell) -> tuple[float, float]:
    """``Σ_d a_d ȳ_d`` over domains ``cell(row) == d`` and its variance, row by row."""
    y, w = rows["y"], rows["w"]
    labels = np.array([cell(k) for k in range(y.size)], dtype=object)
    z = np.zeros(y.size)
    value = 0.0
    for d, a in contrast.items():
        inside = labels == d
        mean = float(np.sum(w[inside] * y[inside]) / np.sum(w[inside]))
        value += a * mean
        z += a * np.where(inside, w * (y - mean), 0.0) / np.sum(w[inside])
    var = 0.0
    for h in sorted(set(rows["stratum"])):
        in_h = rows["stratum"] == h
        psus = sorted(set(rows["psu"][in_h]))
        totals = np.array([z[rows["psu"] == p].sum() for p in psus])
        n_h = len(psus)
        var += n_h / (n_h - 1) * float(np.sum((totals - totals.mean()) ** 2))
    return value, var


def _reference() -> dict[str, tuple[float, float]]:
    with (DATA / "segments_design_reference.csv").open(encoding="utf-8") as fh:
        return {r["what"]: (float(r["estimate"]), float(r["se"])) for r in csv.DictReader(fh)}


def test_segment_scores_are_domain_estimates(breakdown):
    rows = _rows()
    assert breakdown.estimator == "domain"
    for cell in breakdown.pooled:
        value, var = _by_hand(rows, {cell.segment: 1.0}, lambda k: rows["gender"][k])
        assert cell.score.value == pytest.approx(value, rel=1e-12)
        assert cell.score.se == pytest.approx(np.sqrt(var), rel=1e-12)
    for o in breakdown.opds:
        for cell in o.cells:
            key = f"{o.opd}/{cell.segment}"
            value, var = _by_hand(
                rows, {key: 1.0}, lambda k: f"{rows['opd'][k]}/{rows['gender'][k]}"
            )
            assert cell.score.value == pytest.approx(value, rel=1e-12)
            assert cell.score.se == pytest.approx(np.sqrt(var), rel=1e-12)


def test_gaps_include_the_covariance(breakdown):
    rows = _rows()
    gap = breakdown.pooled_gaps[0]
    _, var = _by_hand(rows, {"Perempuan": 1.0, "Laki-laki": -1.0}, lambda k: rows["gender"][k])
    assert gap.change.se == pytest.approx(np.sqrt(var), rel=1e-12)
    men, women = (c.score for c in breakdown.pooled)
    independent = score_change(men, women).se
    assert abs(gap.change.se - independent) > 1e-4  # the covariance matters here
    for o in breakdown.opds:
        g = o.gaps[0]
        _, var = _by_hand(
            rows,
            {f"{o.opd}/Perempuan": 1.0, f"{o.opd}/Laki-laki": -1.0},
            lambda k: f"{rows['opd'][k]}/{rows['gender'][k]}",
        )
        assert g.change.se == pytest.approx(np.sqrt(var), rel=1e-12)


def test_matches_r_svyby_and_svycontrast(breakdown):
    ref = _reference()
    for cell in breakdown.pooled:
        est, se = ref[f"pooled/{cell.segment}"]
        assert cell.score.value == pytest.approx(est, rel=1e-12)
        assert cell.score.se == pytest.approx(se, rel=1e-12)
    est, se = ref["pooled-gap"]
    assert breakdown.pooled_gaps[0].change.difference == pytest.approx(est, rel=1e-12)
    assert breakdown.pooled_gaps[0].change.se == pytest.approx(se, rel=1e-12)
    for o in breakdown.opds:
        for cell in o.cells:
            est, se = ref[f"{o.opd}/{cell.segment}"]
            assert cell.score.value == pytest.approx(est, rel=1e-12)
            assert cell.score.se == pytest.approx(se, rel=1e-12)
        est, se = ref[f"{o.opd}/gap"]
        assert o.gaps[0].change.difference == pytest.approx(est, rel=1e-12)
        assert o.gaps[0].change.se == pytest.approx(se, rel=1e-12)


def test_ikm_gaps_include_the_covariance_too(tmp_path, breakdown):
    """The IKM (1/9 each, complete answers) is 25 × the Likert mean here: so are its gaps' SEs.
    A non-linear method's fallback is in ``test_compare_paired_methods``."""
    b = run_segments(_study(tmp_path, "ikm-2017"), "gender", min_n=5)
    assert b.estimator == "domain"
    gap = b.pooled_gaps[0].change
    assert gap.se == pytest.approx(25 * breakdown.pooled_gaps[0].change.se, rel=1e-12)
    assert not any("independent" in n for n in gap.notes)
    men, women = (c.score for c in b.pooled)
    assert abs(gap.se - score_change(men, women).se) > 1e-3


def test_report_names_the_estimator(breakdown):
    md_id = render_segments(breakdown, "markdown", "id")
    md_en = render_segments(breakdown, "markdown", "en")
    assert "domain" in md_en and "svyby" in md_en
    assert "domain" in md_id and "svyby" in md_id


def test_simple_random_sample_keeps_subsamples():
    b = run_segments(EXAMPLE, "gender", min_n=30)
    assert b.estimator == "subsample"
    assert "sampel acak sederhana" in render_segments(b, "markdown", "id")
