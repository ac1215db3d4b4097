"""OPDs as domains of the whole design, lonely PSUs and the finite population correction.

* Parity with R's ``survey`` (``svyby`` on the full design, and ``svymean`` under each
  ``survey.lonely.psu``; values made once by ``tests/data/make_edges_reference.R``) and with
  samplics' ``TaylorEstimator(domain=...)`` (``tests/data/make_edges_reference.py``) on a
  household design whose villages cut across OPDs.
* An independent row-level reference of the domain estimator and of R's lonely-PSU choices
  (``adjust``, ``average``, ``certainty``), and a hand computation of ``adjust``.
* The choice is resolved (``auto``), applied in memory and from merged aggregates alike,
  recorded in the provenance, and a lonely PSU is never silent.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from publiceval import OPD, DataError, Item, ResponseTable, Scale, Survey, evaluate
from publiceval._core.aggregates import table_aggregates
from publiceval._core.estimation import (
    Design,
    VarianceOptions,
    item_estimates,
    variance_options,
)

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "edges_domains_reference.json").read_text(encoding="utf-8")
)
ROWS = {k: np.asarray(v) for k, v in REFERENCE["rows"].items()}


def _survey(n_opd: int = 8, items: int = 2, population: int | None = None) -> Survey:
    return Survey(
        title="Domains",
        scales=(Scale(id="s", min=1, max=4),),
        items=tuple(Item(id=f"q{j}", text=f"Q{j}", scale="s") for j in range(items)),
        opds=tuple(OPD(id=f"o{g}", name=f"OPD {g}", population=population) for g in range(n_opd)),
    )


def _table(rows=ROWS, survey=None) -> ResponseTable:
    survey = survey or _survey()
    return ResponseTable.from_arrays(
        survey,
        opd=rows["opd"],
        answers=np.stack([rows["y1"], rows["y2"]], axis=1).astype(float),
        weight=rows["weight"],
        stratum=rows["stratum"].astype(str),
        psu=rows["psu"].astype(str),
    )


# --------------------------------------------------------------------------- parity
def test_item_means_as_domains_match_samplics():
    y = ROWS["y1"].astype(float)[:, None]
    design = Design(stratum=ROWS["stratum"], psu=ROWS["psu"])
    est = item_estimates(ROWS["opd"], 8, y, np.ones_like(y, bool), ROWS["weight"], design)
    assert est.variance.domain == "unconditional"  # villages cut across OPDs
    ref = REFERENCE["item"]
    np.testing.assert_allclose(est.mean[:, 0], ref["mean"], rtol=1e-12)
    np.testing.assert_allclose(est.se[:, 0], ref["se"], rtol=1e-10)
    np.testing.assert_array_equal(est.df, np.full(8, ref["df"]))


@pytest.mark.parametrize(("which", "column"), [("y1", "item"), ("comp", "composite")])
def test_domains_of_the_full_design_match_r_svyby(which, column):
    r = REFERENCE["r"][which]
    # R and samplics agree with each other first: the two references are one
    np.testing.assert_allclose(r["mean"], REFERENCE[column]["mean"], rtol=1e-13)
    np.testing.assert_allclose(r["se"], REFERENCE[column]["se"], rtol=1e-12)
    y = ROWS["y1"].astype(float) if which == "y1" else (ROWS["y1"] + ROWS["y2"]) / 2.0
    design = Design(stratum=ROWS["stratum"], psu=ROWS["psu"])
    est = item_estimates(
        ROWS["opd"], 8, y[:, None], np.ones((y.size, 1), bool), ROWS["weight"], design
    )
    np.testing.assert_allclose(est.mean[:, 0], r["mean"], rtol=1e-12)
    np.testing.assert_allclose(est.se[:, 0], r["se"], rtol=1e-8)
    np.testing.assert_array_equal(est.df, np.full(8, float(r["df"])))


@pytest.mark.parametrize("how", ["adjust", "average", "certainty"])
def test_a_lonely_psu_matches_r_survey_lonely_psu(how):
    """Stratum 0 keeps one village: R's ``options(survey.lonely.psu = how)``, to 1e-12."""
    r = REFERENCE["r"][f"lonely-{how}"]
    keep = ~((ROWS["stratum"] == 0) & np.isin(ROWS["psu"], [1, 2, 3, 4]))
    y = ROWS["y1"][keep].astype(float)[:, None]
    design = Design(stratum=ROWS["stratum"][keep], psu=ROWS["psu"][keep])
    with variance_options(VarianceOptions(lonely_psu=how)):
        est = item_estimates(
            np.zeros(int(keep.sum()), int),
            1,
            y,
            np.ones_like(y, bool),
            ROWS["weight"][keep],
            design,
        )
    assert est.mean[0, 0] == pytest.approx(r["mean"], rel=1e-13)
    assert est.se[0, 0] == pytest.approx(r["se"], rel=1e-12)


def test_the_opd_score_through_evaluate_matches_samplics_in_memory_and_from_aggregates():
    ref = REFERENCE["composite"]
    table = _table()
    for responses in (table, table_aggregates(table)):
        ev = evaluate(_survey(), responses, statistics={"uncertainty": False})
        scores = {r.opd: r.score for r in ev.opds}
        got = [scores[f"o{g}"] for g in range(8)]
        np.testing.assert_allclose([s.value for s in got], ref["mean"], rtol=1e-12)
        np.testing.assert_allclose([s.se for s in got], ref["se"], rtol=1e-10)
        assert {s.df for s in got} == {ref["df"]}
        assert ev.provenance.statistics["domain_estimator"] == "unconditional"
        assert ev.provenance.statistics["domain"] == "auto"


def test_the_conditional_estimator_stays_available_and_differs_here():
    ev = evaluate(_survey(), _table(), statistics={"domain": "conditional", "uncertainty": False})
    ordered = sorted(ev.opds, key=lambda r: r.opd)
    se = np.array([r.score.se for r in ordered])
    assert ev.provenance.statistics["domain_estimator"] == "conditional"
    # conditioning on each OPD's villages treats OPD × stratum cells as strata: other numbers
    assert np.max(np.abs(se / np.asarray(REFERENCE["composite"]["se"]) - 1)) > 0.01
    df = [r.score.df for r in ordered]
    assert max(df) <= REFERENCE["composite"]["df"] and min(df) < REFERENCE["composite"]["df"]


def test_conditional_ses_collapse_when_psus_cut_across_many_opds():
    """The issue's household design, small: OPD × stratum cells mostly hold one village."""
    rng = np.random.default_rng(3)
    n, opds = 4000, 200
    stratum = rng.integers(0, 40, n)
    psu = stratum * 5 + rng.integers(0, 5, n)
    group = rng.integers(0, opds, n)
    y = np.clip(np.round(2.8 + rng.normal(0, 0.4, 200)[psu] + rng.normal(0, 0.7, n)), 1, 4)
    obs = np.ones((n, 1), bool)
    se = {}
    for domain in ("conditional", "unconditional"):
        with variance_options(VarianceOptions(domain=domain, lonely_psu="certainty")):
            est = item_estimates(group, opds, y[:, None], obs, None, Design(stratum, psu))
        se[domain] = est.se[:, 0]
    ratio = np.nanmedian(se["conditional"] / se["unconditional"])
    assert ratio < 0.75, ratio  # falsely certain: lonely cells add no variance
    lost = (se["conditional"] == 0) | np.isnan(se["conditional"])
    assert lost.sum() > 10 and np.all(se["unconditional"] > 0)


def test_auto_is_conditional_when_psus_are_nested_in_opds():
    rows = dict(ROWS)
    rows["psu"] = ROWS["psu"] * 10 + ROWS["opd"]  # every village × OPD its own cluster
    ev = evaluate(_survey(), _table(rows), statistics={"uncertainty": False})
    assert ev.provenance.statistics["domain_estimator"] == "conditional"


# --------------------------------------------------------------------------- reference
def _ref_variance(u, group, n_groups, stratum, psu, domain, lonely):
    """Row-level design variance of u per group: PSU totals, strata, R's lonely.psu rules."""
    var = np.zeros(n_groups)
    for g in range(n_groups):
        ug = np.where(group == g, u, 0.0)
        if domain == "conditional":
            keep = group == g
            strata = {(g, h) for h in np.unique(stratum[keep])}
            key = stratum
        else:
            keep = np.ones(u.size, bool)
            strata = set(np.unique(stratum).tolist())
            key = stratum
        parts, n_ok, n_all = [], 0, 0
        for h in strata:
            hh = h[1] if isinstance(h, tuple) else h
            in_h = keep & (key == hh)
            units = np.unique(psu[in_h])
            totals = np.array([ug[in_h & (psu == p)].sum() for p in units])
            n_all += 1
            if units.size > 1:
                n_ok += 1
                parts.append(units.size / (units.size - 1) * ((totals - totals.mean()) ** 2).sum())
            elif lonely == "adjust":
                parts.append(float((totals**2).sum()))
        total = float(np.sum(parts))
        var[g] = total * n_all / n_ok if lonely == "average" else total
    return var


@pytest.mark.parametrize("domain", ["conditional", "unconditional"])
@pytest.mark.parametrize("lonely", ["adjust", "average", "certainty"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_domains_and_lonely_psus_match_a_row_level_reference(domain, lonely, seed):
    rng = np.random.default_rng(seed)
    n, g = 120, 4
    group = rng.integers(0, g, n)
    stratum = rng.integers(0, 5, n)
    psu = rng.integers(0, 3, n) + 10 * stratum  # a few PSUs per stratum, shared by groups
    psu[stratum == 4] = 40  # stratum 4: one PSU in the whole design (lonely either way)
    y = rng.integers(1, 5, n).astype(float)
    w = rng.uniform(0.5, 3, n)
    opts = VarianceOptions(domain=domain, lonely_psu=lonely)
    with variance_options(opts):
        est = item_estimates(group, g, y[:, None], np.ones((n, 1), bool), w, Design(stratum, psu))
    mean = np.array([np.average(y[group == k], weights=w[group == k]) for k in range(g)])
    wsum = np.bincount(group, weights=w, minlength=g)
    u = w * (y - mean[group]) / wsum[group]
    var = _ref_variance(u, group, g, stratum, psu, domain, lonely)
    np.testing.assert_allclose(est.mean[:, 0], mean, rtol=1e-12)
    np.testing.assert_allclose(est.se[:, 0] ** 2, var, rtol=1e-9, atol=1e-15)


def test_adjust_adds_the_lonely_psus_squared_total_by_hand():
    # one OPD, strata A (PSUs 0, 1) and B (PSU 2 alone); unit weights
    y = np.array([[4.0], [2.0], [3.0], [1.0], [4.0]])
    stratum = np.array([0, 0, 0, 1, 1])
    psu = np.array([0, 0, 1, 2, 2])
    r = 14 / 5
    u = (y[:, 0] - r) / 5
    a0, a1, b = u[0] + u[1], u[2], u[3] + u[4]
    within_a = 2 * ((a0 - (a0 + a1) / 2) ** 2 + (a1 - (a0 + a1) / 2) ** 2)
    obs = np.ones_like(y, bool)
    zero = np.zeros(5, int)
    for lonely, expected in [("certainty", within_a), ("adjust", within_a + b**2)]:
        with variance_options(VarianceOptions(domain="conditional", lonely_psu=lonely)):
            est = item_estimates(zero, 1, y, obs, None, Design(stratum=stratum, psu=psu))
        assert est.se[0, 0] ** 2 == pytest.approx(expected, rel=1e-12)
    with variance_options(VarianceOptions(domain="conditional", lonely_psu="average")):
        est = item_estimates(zero, 1, y, obs, None, Design(stratum=stratum, psu=psu))
    assert est.se[0, 0] ** 2 == pytest.approx(within_a * 2, rel=1e-12)  # 2 strata, 1 with a var


# --------------------------------------------------------------------------- lonely PSUs
def _lonely_rows():
    """Two OPDs sampled separately; OPD o0's stratum 'b' has one PSU."""
    rng = np.random.default_rng(4)
    opd = np.repeat([0, 1], 40)
    stratum = np.where(np.arange(80) % 40 < 30, "a", "b")
    psu = np.array(
        [
            f"{o}-{s}-{i % 3 if s == 'a' or o == 1 else 0}"
            for i, (o, s) in enumerate(zip(opd, stratum, strict=True))
        ]
    )
    answers = rng.integers(1, 5, (80, 2)).astype(float)
    return opd, stratum, psu, answers


def test_a_lonely_psu_is_never_silent_and_fail_names_the_cell():
    opd, stratum, psu, answers = _lonely_rows()
    table = ResponseTable.from_arrays(
        _survey(2), opd=opd, answers=answers, stratum=stratum, psu=psu
    )
    ev = evaluate(_survey(2), table, statistics={"uncertainty": False})
    warn = [w for w in ev.warnings if w.code == "lonely_psu"]
    assert len(warn) == 1 and "'o0' × 'b'" in warn[0].message and "adjust" in warn[0].message
    assert ev.provenance.statistics["lonely_psu_cells"] == 1
    certain = evaluate(
        _survey(2), table, statistics={"uncertainty": False, "lonely_psu": "certainty"}
    )
    se = {r.opd: r.score.se for r in ev.opds}
    se_c = {r.opd: r.score.se for r in certain.opds}
    assert se["o0"] > se_c["o0"] and se["o1"] == se_c["o1"]  # adjust adds the lonely variance
    with pytest.raises(DataError, match=r"'o0' × 'b'.*lonely_psu"):
        evaluate(_survey(2), table, statistics={"lonely_psu": "fail"})
    # from merged aggregates (chunks, Dask) the same cells, the same numbers
    merged = evaluate(_survey(2), table_aggregates(table), statistics={"uncertainty": False})
    assert [w.message for w in merged.warnings if w.code == "lonely_psu"] == [warn[0].message]
    assert {r.opd: r.score.se for r in merged.opds} == se


# --------------------------------------------------------------------------- FPC
def test_fpc_is_the_element_fraction_without_clusters_and_the_psu_fraction_with_them():
    rng = np.random.default_rng(8)
    n = 60
    answers = rng.integers(1, 5, (n, 2)).astype(float)
    opd = np.zeros(n, int)
    plain = evaluate(_survey(1), ResponseTable.from_arrays(_survey(1), opd=opd, answers=answers))
    with_pop = evaluate(
        _survey(1, population=240),
        ResponseTable.from_arrays(_survey(1, population=240), opd=opd, answers=answers),
    )
    assert with_pop.opds[0].score.se == pytest.approx(plain.opds[0].score.se * np.sqrt(0.75))
    assert with_pop.provenance.statistics["fpc"] == "element"
    psu = (np.arange(n) // 6).astype(str)  # 10 clusters of 6
    survey = _survey(1, population=240)
    table = ResponseTable.from_arrays(survey, opd=opd, answers=answers, psu=psu)
    clustered = evaluate(survey, table)
    assert clustered.provenance.statistics["fpc"] == "none"  # users, not PSUs, are known
    by_psu = evaluate(survey, table, statistics={"psu_population": {"o0": 40}})
    assert by_psu.provenance.statistics["fpc"] == "psu"
    ratio = by_psu.opds[0].score.se / clustered.opds[0].score.se
    assert ratio == pytest.approx(np.sqrt(1 - 10 / 40), rel=1e-12)


# --------------------------------------------------------------------------- deff
def test_deff_uses_the_weighted_srs_reference_by_hand():
    """deff = V_design / (s²_w / n), s²_w the weighted variance (R's svymean deff="replace")."""
    rng = np.random.default_rng(1)
    n = 400
    stratum = rng.integers(0, 3, n)
    psu = rng.integers(0, 8, n) + 10 * stratum
    y = rng.integers(1, 5, n).astype(float) + 0.3 * (psu % 8)
    w = rng.uniform(0.5, 4, n)
    est = item_estimates(
        np.zeros(n, int), 1, y[:, None], np.ones((n, 1), bool), w, Design(stratum, psu)
    ).combine(np.ones(1))
    s2w = np.sum(w * (y - np.average(y, weights=w)) ** 2) / w.sum() * n / (n - 1)
    assert est.deff[0] == pytest.approx(est.se[0] ** 2 / (s2w / n), rel=1e-10)
    # weights alone: the reference is weighted too, so deff is not Kish's 1 + cv² by fiat
    plain = item_estimates(np.zeros(n, int), 1, y[:, None], np.ones((n, 1), bool), w)
    srs = plain.combine(np.ones(1))
    assert srs.deff[0] == pytest.approx(srs.se[0] ** 2 / (s2w / n), rel=1e-10)


def test_a_study_file_chooses_the_estimator_and_lonely_psu_handling(tmp_path):
    import publiceval
    from _reader_support import write_study

    lines = ["respondent,opd,q1,q2,desa"]
    rng = np.random.default_rng(6)
    for r in range(40):
        for opd in ("dinkes", "disdik"):  # every villager rates both OPDs: villages cut across
            a, b = rng.integers(1, 5, 2)
            lines.append(f"r{r},{opd},{a},{b},v{r % 5}")
    (tmp_path / "data.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    study = write_study(tmp_path, "data.csv", data_extra='columns = { psu = "desa" }')
    auto = publiceval.load_study(study).evaluate()
    assert auto.provenance.statistics["domain_estimator"] == "unconditional"
    text = study.read_text(encoding="utf-8")
    study.write_text(text + '\n[statistics]\ndomain = "conditional"\nlonely_psu = "fail"\n')
    chosen = publiceval.load_study(study).evaluate()
    assert chosen.provenance.statistics["domain_estimator"] == "conditional"
    assert chosen.provenance.statistics["lonely_psu"] == "fail"
    assert {r.score.df for r in chosen.opds} == {4.0}  # five villages, one stratum per OPD


def test_psu_population_leaves_survey_wide_items_alone():
    survey = Survey(
        title="Wide",
        scales=(Scale(id="s", min=1, max=4),),
        items=(
            Item(id="q0", text="Q0", scale="s"),
            Item(id="w", text="Walikota", scale="s", scope="survey"),
        ),
        opds=(OPD(id="o0", name="OPD 0"),),
    )
    rng = np.random.default_rng(2)
    n = 30
    table = ResponseTable.from_arrays(
        survey,
        opd=np.zeros(n, int),
        answers=rng.integers(1, 5, (n, 1)).astype(float),
        survey_answers=rng.integers(1, 5, (n, 1)).astype(float),
        psu=(np.arange(n) // 3).astype(str),
    )
    plain = evaluate(survey, table)
    fpc = evaluate(survey, table, statistics={"psu_population": {"o0": 20}})
    assert fpc.survey_wide[0].score.se == plain.survey_wide[0].score.se
    assert fpc.opds[0].score.se == pytest.approx(plain.opds[0].score.se * np.sqrt(0.5))
