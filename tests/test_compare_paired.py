"""Paired changes: respondents linked by id across periods, checked against scipy and by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import publiceval as pe
from publiceval._core.compare import compare_evaluations
from publiceval._core.compare.render_text import render_markdown

STATS = {"uncertainty": False, "adequacy": "none"}


def _survey(k_items: int = 3, wide: bool = False) -> pe.Survey:
    items = [pe.Item(id=f"u{j}", text=f"U{j}", scale="q") for j in range(k_items)]
    if wide:
        items.append(pe.Item(id="w", text="W", scale="q", scope="survey"))
    return pe.Survey(
        title="t",
        scales=[pe.Scale(id="q", min=1, max=5)],
        items=items,
        opds=[pe.OPD(id="a", name="Dinas A"), pe.OPD(id="b", name="Dinas B")],
    )


def _period(survey, ids, opd, answers, **kw):
    table = pe.ResponseTable.from_arrays(survey, opd=opd, answers=answers, respondent=ids, **kw)
    return pe.evaluate(survey, table, statistics=STATS), table


def _panel(rng, n, k_items=3):
    x1 = rng.integers(1, 6, (2 * n, k_items))
    x2 = np.clip(x1 + rng.integers(-1, 2, (2 * n, k_items)), 1, 5)
    opd = np.repeat([0, 1], n)
    ids = np.array([f"{o}-{i}" for o in "ab" for i in range(n)])
    return x1, x2, opd, ids


def test_full_panel_is_the_paired_t_test():
    rng = np.random.default_rng(7)
    survey = _survey()
    x1, x2, opd, ids = _panel(rng, 40)
    e1, t1 = _period(survey, ids, opd, x1)
    e2, t2 = _period(survey, ids, opd, x2)
    step = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2]).steps[0]
    for o in step.opds:
        g = 0 if o.opd == "a" else 1
        s1, s2 = x1[opd == g].mean(axis=1), x2[opd == g].mean(axis=1)
        ref = stats.ttest_rel(s2, s1)
        ci = ref.confidence_interval(0.95)
        c = o.score
        assert c.paired and c.n_linked == 40 and c.ci is not None
        assert c.ci.method == "paired t" and c.df == 39
        assert abs(c.p_value - ref.pvalue) < 1e-10
        assert abs(c.ci.low - ci.low) < 1e-10 and abs(c.ci.high - ci.high) < 1e-10
        for item in o.items:  # each element too
            j = int(item.item[1:])
            r = stats.ttest_rel(x2[opd == g, j], x1[opd == g, j])
            assert item.change.paired and abs(item.change.p_value - r.pvalue) < 1e-10


def test_no_overlap_is_exactly_the_independent_result():
    rng = np.random.default_rng(8)
    survey = _survey()
    x1, x2, opd, ids = _panel(rng, 30)
    e1, t1 = _period(survey, ids, opd, x1)
    e2, t2 = _period(survey, np.char.add("new-", ids.astype(str)), opd, x2)
    with_tables = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2])
    without = compare_evaluations([e1, e2], labels=["1", "2"])
    assert with_tables.steps == without.steps
    assert all(not o.score.paired and o.score.n_linked == 0 for o in with_tables.steps[0].opds)


def _hand(y1, y2, id1, id2):
    """Kish's / Derrick et al.'s partially overlapping samples test, computed by hand."""
    n1, n2 = y1.size, y2.size
    common = sorted(set(id1) & set(id2))
    nc = len(common)
    pos1 = {k: i for i, k in enumerate(id1)}
    pos2 = {k: i for i, k in enumerate(id2)}
    a = np.array([y1[pos1[k]] for k in common])
    b = np.array([y2[pos2[k]] for k in common])
    s12 = np.cov(a, b, ddof=1)[0, 1]
    v1, v2 = y1.var(ddof=1) / n1, y2.var(ddof=1) / n2
    var = v1 + v2 - 2 * nc * s12 / (n1 * n2)
    if var <= 0:  # the estimate admits no variance: the caller checks the fallback
        return y2.mean() - y1.mean(), 0.0, None, None, nc
    gamma = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    na, nb = n1 - nc, n2 - nc
    df = (nc - 1) + (gamma - nc + 1) * (na + nb) / (na + nb + 2 * nc)
    diff = y2.mean() - y1.mean()
    p = 2 * stats.t.sf(abs(diff) / math.sqrt(var), df)
    return diff, math.sqrt(var), df, p, nc


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10_000),
    n1=st.integers(8, 40),
    n2=st.integers(8, 40),
    frac=st.floats(0.1, 1.0),
)
def test_partial_overlap_matches_the_hand_formula(seed, n1, n2, frac):
    rng = np.random.default_rng(seed)
    survey = _survey(k_items=1)
    nc = max(2, int(frac * min(n1, n2)))
    id1 = [f"p{i}" for i in range(n1)]
    id2 = [f"p{i}" for i in range(nc)] + [f"q{i}" for i in range(n2 - nc)]
    latent = rng.normal(3, 1, n1 + n2)
    y1 = np.clip(np.rint(latent[:n1] + rng.normal(0, 0.5, n1)), 1, 5)
    base2 = np.concatenate([latent[:nc], latent[n1 : n1 + n2 - nc]])
    y2 = np.clip(np.rint(base2 + 0.3 + rng.normal(0, 0.5, n2)), 1, 5)
    if y1.std() == 0 or y2.std() == 0:
        return
    e1, t1 = _period(survey, id1, np.zeros(n1, int), y1[:, None].astype(int))
    e2, t2 = _period(survey, id2, np.zeros(n2, int), y2[:, None].astype(int))
    c = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2]).steps[0].opds[0].score
    diff, se, df, p, linked = _hand(y1, y2, id1, id2)
    plain = all(
        abs(e.opds[0].score.se - y.std(ddof=1) / math.sqrt(y.size)) < 1e-12
        for e, y in ((e1, y1), (e2, y2))
    )
    if not plain:  # the evaluation's SE floor of bounded answers: no covariance, a note
        assert not c.paired and c.n_linked == linked and "independent samples" in c.notes[0]
        return
    v1, v2 = (y.var(ddof=1) / y.size for y in (y1, y2))
    if (v1 + v2 - se**2) / 2 > math.sqrt(v1 * v2):  # an impossible covariance estimate
        assert not c.paired and c.n_linked == linked and "too few" in c.notes[-1]
        assert c.se == pytest.approx(math.sqrt(v1 + v2), rel=1e-9)
        return
    assert c.paired and c.n_linked == linked
    assert c.difference == pytest.approx(diff, abs=1e-12)
    assert c.se == pytest.approx(se, rel=1e-9)
    assert c.df == pytest.approx(df, rel=1e-9)
    assert c.p_value == pytest.approx(p, rel=1e-7, abs=1e-12)
    if nc == n1 == n2:  # a full panel: the paired t-test
        assert c.p_value == pytest.approx(stats.ttest_rel(y2, y1).pvalue, rel=1e-9)


def test_weighted_panel_is_paired_and_clustered_is_not():
    rng = np.random.default_rng(9)
    survey = _survey()
    x1, x2, opd, ids = _panel(rng, 30)
    w = rng.uniform(0.5, 2.0, ids.size)
    e1, t1 = _period(survey, ids, opd, x1, weight=w)
    e2, t2 = _period(survey, ids, opd, x2, weight=w)
    step = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2]).steps[0]
    assert all(o.score.paired and o.score.n_linked == 30 for o in step.opds)
    psu = np.array([f"{o}{i // 5}" for o, i in zip(opd, range(ids.size), strict=True)])
    e1, t1 = _period(survey, ids, opd, x1, psu=psu)
    e2, t2 = _period(survey, ids, opd, x2, psu=psu)
    step = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2]).steps[0]
    independent = compare_evaluations([e1, e2], labels=["1", "2"]).steps[0]
    for o, ref in zip(step.opds, independent.opds, strict=True):
        assert not o.score.paired and o.score.n_linked == 30
        assert o.score.se == ref.score.se and o.score.ci == ref.score.ci
        assert any("clustered design" in note for note in o.score.notes)


def test_row_numbers_do_not_link_and_survey_wide_pairs_across_opds():
    rng = np.random.default_rng(10)
    survey = _survey(wide=True)
    x1, x2, opd, ids = _panel(rng, 25)
    w1 = rng.integers(1, 6, (ids.size, 1))
    w2 = np.clip(w1 + rng.integers(-1, 2, (ids.size, 1)), 1, 5)
    # without a respondent column the ids are row numbers: never linked
    t1 = pe.ResponseTable.from_arrays(survey, opd=opd, answers=x1, survey_answers=w1)
    t2 = pe.ResponseTable.from_arrays(survey, opd=opd, answers=x2, survey_answers=w2)
    e1 = pe.evaluate(survey, t1, statistics=STATS)
    e2 = pe.evaluate(survey, t2, statistics=STATS)
    step = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2]).steps[0]
    assert all(o.score.n_linked == 0 for o in step.opds)
    assert step.survey_wide[0].change.n_linked == 0
    t1 = pe.ResponseTable.from_arrays(
        survey, opd=opd, answers=x1, survey_answers=w1, respondent=ids
    )
    t2 = pe.ResponseTable.from_arrays(
        survey, opd=opd, answers=x2, survey_answers=w2, respondent=ids
    )
    e1 = pe.evaluate(survey, t1, statistics=STATS)
    e2 = pe.evaluate(survey, t2, statistics=STATS)
    comp = compare_evaluations([e1, e2], labels=["1", "2"], tables=[t1, t2])
    wide = comp.steps[0].survey_wide[0].change
    ref = stats.ttest_rel(w2[:, 0], w1[:, 0])
    assert wide.paired and wide.n_linked == 50
    assert abs(wide.p_value - ref.pvalue) < 1e-10
    id_md, en_md = render_markdown(comp, "id"), render_markdown(comp, "en")
    assert "Dinas A: perubahan berpasangan; 25 responden mengisi di kedua periode" in id_md
    assert "Dinas A: paired change; 25 respondents answered in both periods" in en_md
    assert "Derrick" in en_md and "Derrick" in id_md
    assert comp.test.startswith("welch-t / paired")
