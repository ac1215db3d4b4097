"""Paired changes and design-based segment gaps for every linear method, not only ``mean``.

The reference numbers are built here from the regulations' formulas, never from publiceval's
own linearisation: for complete answers a respondent's IKM contribution (PermenPANRB 14/2017:
NRR per element, weight 1/9 each, × 25) is 25 × the mean of their nine answers, so a full
panel's change is ``scipy.stats.ttest_rel`` on those per-respondent values; a top-box share is
100 × the mean of the respondent's top-box indicators; the NPS is 100 × (promoter − detractor).
"""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import publiceval as pe
from publiceval._core.compare import compare_evaluations, score_change
from publiceval._core.compare.command import run_segments
from publiceval._core.compare.paired import IndicatorItem, linear_coefficients
from publiceval._core.compare.segment_design import gap_change
from publiceval._core.default_plugins.ikm import SKM_2017_ELEMENTS

STATS = {"uncertainty": False, "adequacy": "none"}
SKM = [f"u{k}" for k in range(9)]
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLE = ROOT / "examples" / "two-semesters" / "semester-2.toml"
DESIGN_ITEMS = [
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


def _survey(importance: bool = False, nps: bool = False) -> pe.Survey:
    items = [
        pe.Item(id=u, text=e.name, scale="q4", element=e.name.id)
        for u, e in zip(SKM, SKM_2017_ELEMENTS, strict=True)
    ]
    if importance:
        items += [
            pe.Item(id=f"i{u}", text=f"Imp {u}", scale="q4", role="importance", pairs_with=u)
            for u in SKM
        ]
    if nps:
        items.append(pe.Item(id="rec", text="Recommend", scale="nps10"))
    return pe.Survey(
        title="t",
        scales=[pe.Scale(id="q4", min=1, max=4), pe.Scale(id="nps10", min=0, max=10)],
        items=items,
        opds=[pe.OPD(id="a", name="Dinas A"), pe.OPD(id="b", name="Dinas B")],
    )


def _period(survey, ids, opd, answers, method="ikm-2017", options=None):
    table = pe.ResponseTable.from_arrays(survey, opd=opd, answers=answers, respondent=ids)
    ev = pe.evaluate(survey, table, method=method, method_options=options, statistics=STATS)
    return ev, table


def _panel(rng, n, k, top=4, low=1):
    x1 = rng.integers(low, top + 1, (2 * n, k))
    x2 = np.clip(x1 + rng.integers(-1, 2, (2 * n, k)), low, top)
    opd = np.repeat([0, 1], n)
    ids = np.array([f"{o}-{i}" for o in "ab" for i in range(n)])
    return x1, x2, opd, ids


def _assert_paired_t(change, s1, s2):
    ref = stats.ttest_rel(s2, s1)
    ci = ref.confidence_interval(0.95)
    assert change.paired and change.n_linked == s1.size and change.df == s1.size - 1
    assert change.ci is not None and change.ci.method == "paired t"
    assert abs(change.difference - (s2.mean() - s1.mean())) < 1e-10
    assert abs(change.se - stats.sem(s2 - s1)) < 1e-10
    assert abs(change.p_value - ref.pvalue) < 1e-10
    assert abs(change.ci.low - ci.low) < 1e-10 and abs(change.ci.high - ci.high) < 1e-10


def test_coefficients_are_read_off_the_methods():
    table = pe.ResponseTable.from_arrays(
        _survey(nps=True), opd=np.zeros(2, int), answers=[[2] * 9 + [7], [3] * 9 + [9]]
    )
    cols, coef = linear_coefficients(table, "ikm-2017", {})
    assert [c.id for c in cols] == SKM and np.allclose(coef, 25 / 9, rtol=0, atol=1e-12)
    _, coef = linear_coefficients(table, "ikm-2017", {"legacy_weight": True})
    assert np.allclose(coef, 25 * 0.111, rtol=0, atol=1e-12)
    cols, coef = linear_coefficients(table, "nps", {})
    assert [(c.id, c.values) for c in cols if isinstance(c, IndicatorItem)] == [
        ("rec", (9, 10)),
        ("rec", (0, 1, 2, 3, 4, 5, 6)),
    ]
    assert np.allclose(coef, [100.0, -100.0], rtol=0, atol=1e-10)
    # not a linear combination of item means: the CSI (a ratio) and the IPA
    t_imp = pe.ResponseTable.from_arrays(
        _survey(importance=True), opd=np.zeros(2, int), answers=[[2] * 18, [3] * 18]
    )
    assert linear_coefficients(t_imp, "csi", {}) is None
    assert linear_coefficients(t_imp, "ipa", {}) is None


def test_ikm_full_panel_is_the_paired_t_test():
    rng = np.random.default_rng(21)
    survey = _survey()
    x1, x2, opd, ids = _panel(rng, 40, 9)
    e1, t1 = _period(survey, ids, opd, x1)
    e2, t2 = _period(survey, ids, opd, x2)
    step = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2]).steps[0]
    for o in step.opds:
        g = 0 if o.opd == "a" else 1
        # PermenPANRB 14/2017 for complete answers: 25 × Σ (1/9) NRR = 25 × the row mean's mean
        s1, s2 = 25 * x1[opd == g].mean(axis=1), 25 * x2[opd == g].mean(axis=1)
        _assert_paired_t(o.score, s1, s2)


def test_top_box_and_nps_pair_as_shares():
    rng = np.random.default_rng(22)
    survey = _survey(nps=True)
    x1, x2, opd, ids = _panel(rng, 40, 9)
    r1 = rng.integers(0, 11, (80, 1))
    r2 = np.clip(r1 + rng.integers(-2, 3, (80, 1)), 0, 10)
    a1, a2 = np.hstack([x1, r1]), np.hstack([x2, r2])
    for method, score in (
        ("top-box", lambda x, r: 100 * (x >= 3).mean(axis=1)),
        ("nps", lambda x, r: 100 * ((r[:, 0] >= 9) * 1.0 - (r[:, 0] <= 6))),
    ):
        opts = {"items": SKM} if method == "top-box" else None
        e1, t1 = _period(survey, ids, opd, a1, method, opts)
        e2, t2 = _period(survey, ids, opd, a2, method, opts)
        step = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2]).steps[0]
        for o in step.opds:
            g = opd == (0 if o.opd == "a" else 1)
            _assert_paired_t(o.score, score(x1[g], r1[g]), score(x2[g], r2[g]))


def test_ikm_partial_overlap_matches_the_hand_formula():
    rng = np.random.default_rng(23)
    survey = _survey()
    n1, n2, nc = 35, 30, 20
    id1 = [f"p{i}" for i in range(n1)]
    id2 = [f"p{i}" for i in range(nc)] + [f"q{i}" for i in range(n2 - nc)]
    latent = rng.normal(2.6, 0.7, (n1 + n2, 1))
    x1 = np.clip(np.rint(latent[:n1] + rng.normal(0, 0.6, (n1, 9))), 1, 4)
    base2 = np.concatenate([latent[:nc], latent[n1 : n1 + n2 - nc]])
    x2 = np.clip(np.rint(base2 + 0.2 + rng.normal(0, 0.6, (n2, 9))), 1, 4)
    e1, t1 = _period(survey, id1, np.zeros(n1, int), x1)
    e2, t2 = _period(survey, id2, np.zeros(n2, int), x2)
    c = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2]).steps[0].opds[0].score
    y1, y2 = 25 * x1.mean(axis=1), 25 * x2.mean(axis=1)
    for e, y in ((e1, y1), (e2, y2)):  # no SE floor: the evaluation's SE is the plain one
        assert e.opds[0].score.se == pytest.approx(stats.sem(y), rel=1e-12)
    # Kish's covariance of partially overlapping samples, Derrick et al.'s df
    s12 = np.cov(y1[:nc], y2[:nc], ddof=1)[0, 1]
    v1, v2 = y1.var(ddof=1) / n1, y2.var(ddof=1) / n2
    var = v1 + v2 - 2 * nc * s12 / (n1 * n2)
    gamma = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    na, nb = n1 - nc, n2 - nc
    df = (nc - 1) + (gamma - nc + 1) * (na + nb) / (na + nb + 2 * nc)
    diff = y2.mean() - y1.mean()
    p = 2 * stats.t.sf(abs(diff) / math.sqrt(var), df)
    assert c.paired and c.n_linked == nc
    assert c.difference == pytest.approx(diff, abs=1e-12)
    assert c.se == pytest.approx(math.sqrt(var), rel=1e-10)
    assert c.df == pytest.approx(df, rel=1e-10)
    assert c.p_value == pytest.approx(p, rel=1e-9)
    assert c.se < score_change(e1.opds[0].score, e2.opds[0].score).se  # the covariance counts


def test_a_non_linear_method_still_falls_back_with_the_note():
    rng = np.random.default_rng(24)
    survey = _survey(importance=True)
    x1, x2, opd, ids = _panel(rng, 30, 18)
    e1, t1 = _period(survey, ids, opd, x1, "csi")
    e2, t2 = _period(survey, ids, opd, x2, "csi")
    step = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2]).steps[0]
    independent = compare_evaluations([e1, e2], labels=["1", "2"]).steps[0]
    for o, ref in zip(step.opds, independent.opds, strict=True):
        assert not o.score.paired and o.score.n_linked == 30
        assert o.score.se == ref.score.se and o.score.ci == ref.score.ci
        assert any("not a linear combination" in n and "independent" in n for n in o.score.notes)
    # a segment gap of such a method: no coefficients, so the two domains count as independent
    assert linear_coefficients(t1, "csi", {}) is None
    ref, seg = e1.opds[0].score, e2.opds[0].score  # any two scores stand in for two domains
    gap = gap_change(ref, seg, 0.95, None, 0, 1)
    assert gap.se == pytest.approx(score_change(ref, seg).se, rel=1e-15)
    assert any("independent" in n for n in gap.notes)


def _design_study(folder: Path, method: str) -> Path:
    shutil.copy(DATA / "segments_design.csv", folder / "rows.csv")
    text = EXAMPLE.read_text(encoding="utf-8")
    head, _, tail = text.partition("[data]")
    tail = tail[tail.index("[scheme]") :]
    data = (
        f'[method]\nname = "{method}"\n\n[data]\npath = "rows.csv"\n\n[data.columns]\n'
        'respondent = "respondent"\nopd = "opd"\nweight = "weight"\nstratum = "stratum"\n'
        'psu = "psu"\n\n'
    )
    path = folder / "study.toml"
    path.write_text(head + data + tail, encoding="utf-8")
    return path


def _design_gap(domain: np.ndarray, a: str, b: str) -> tuple[float, float]:
    """``IKM(a) − IKM(b)`` over domains of the whole design, and its variance: PSU totals of
    the difference's linearised variable within strata, every PSU of the design counted."""
    with (DATA / "segments_design.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    y = 25 * np.array([np.mean([float(r[i]) for i in DESIGN_ITEMS]) for r in rows])
    w = np.array([float(r["weight"]) for r in rows])
    stratum = np.array([r["stratum"] for r in rows])
    psu = np.array([r["stratum"] + "|" + r["psu"] for r in rows])
    z = np.zeros(y.size)
    value = 0.0
    for d, sign in ((a, 1.0), (b, -1.0)):
        inside = domain == d
        mean = np.sum(w[inside] * y[inside]) / np.sum(w[inside])
        value += sign * mean
        z += sign * np.where(inside, w * (y - mean), 0.0) / np.sum(w[inside])
    var = 0.0
    for h in sorted(set(stratum)):
        in_h = stratum == h
        totals = np.array([z[psu == p].sum() for p in sorted(set(psu[in_h]))])
        var += totals.size / (totals.size - 1) * np.sum((totals - totals.mean()) ** 2)
    return float(value), float(var)


def test_ikm_segment_gap_under_a_clustered_design(tmp_path):
    b = run_segments(_design_study(tmp_path, "ikm-2017"), "gender", min_n=5)
    assert b.estimator == "domain"
    with (DATA / "segments_design.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    gender = np.array([r["gender"] for r in rows])
    cell = np.array([f"{r['opd']}/{r['gender']}" for r in rows])
    gap = b.pooled_gaps[0]
    value, var = _design_gap(gender, gap.segment, gap.reference)
    assert gap.change.difference == pytest.approx(value, rel=1e-12)
    assert gap.change.se == pytest.approx(math.sqrt(var), rel=1e-12)
    assert not any("independent" in n for n in gap.change.notes)
    men, women = (c.score for c in b.pooled)
    assert abs(gap.change.se - score_change(men, women).se) > 1e-3  # the covariance counts
    for o in b.opds:
        g = o.gaps[0]
        value, var = _design_gap(cell, f"{o.opd}/{g.segment}", f"{o.opd}/{g.reference}")
        assert g.change.difference == pytest.approx(value, rel=1e-12)
        assert g.change.se == pytest.approx(math.sqrt(var), rel=1e-12)
