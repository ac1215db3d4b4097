"""Seeded simulation: coverage of the change interval for linked respondents (paired) and for
weighted and clustered designs.

Answers come from a mixture whose means are known exactly: a respondent of type z (probabilities
``PI``) answers each item from ``P[z]``. In the later period every answer below 4 is bumped up
one point with probability ``Q``, so the true change of every item (and of the OPD score, their
average) is ``Q · Σ_z PI_z (1 − P[z, 4])`` in closed form.

* paired: a share of the later period's respondents are the same people (same id, same type),
  so the two estimates are positively correlated and the change is paired;
* weighted: types are over-sampled unequally and the weights undo it (the unweighted mean is
  biased), independent samples;
* clustered: each PSU draws its own type mixture (a cluster effect), independent samples, with
  the design-based SE on PSUs.

Each replicate is one OPD of a batched survey (OPDs are independent samples), as in
``test_compare_simulation.py``. ``python tests/test_compare_paired_simulation.py`` runs more.
"""

from __future__ import annotations

import sys

import numpy as np

import publiceval as pe
from publiceval._core.compare import compare_evaluations

P = np.array([[0.35, 0.40, 0.20, 0.05], [0.05, 0.25, 0.50, 0.20], [0.02, 0.08, 0.35, 0.55]])
PI = np.array([0.3, 0.4, 0.3])
Q = 0.25
ITEMS = 3
TRUE_CHANGE = float(Q * PI @ (1 - P[:, 3]))
STATS = {"uncertainty": False, "adequacy": "none"}


def _answers(rng: np.random.Generator, types: np.ndarray, later: bool) -> np.ndarray:
    cum = P.cumsum(axis=1)[types]
    u = rng.random((types.size, ITEMS))
    y = 1 + (u[:, :, None] > cum[:, None, :]).sum(axis=2)
    if later:
        y = y + ((y < 4) & (rng.random(y.shape) < Q))
    return y


def _survey(reps: int) -> pe.Survey:
    return pe.Survey(
        title="sim",
        scales=[pe.Scale(id="q", min=1, max=4)],
        items=[pe.Item(id=f"u{j}", text=f"U{j}", scale="q") for j in range(ITEMS)],
        opds=[pe.OPD(id=f"r{r}", name=f"Replicate {r}") for r in range(reps)],
    )


def _coverage(before, after, tables=None) -> tuple[float, float, list[float]]:
    comp = compare_evaluations([before, after], labels=["a", "b"], tables=tables)
    ch = [o.score for o in comp.steps[0].opds]
    cover = [c.ci.low <= TRUE_CHANGE <= c.ci.high for c in ch if c.ci is not None]
    paired = float(np.mean([c.paired for c in ch]))
    return float(np.mean(cover)), paired, [c.se or np.nan for c in ch]


def paired(reps: int, seed: int, n: int = 40, linked: int = 25) -> dict[str, float]:
    """Partially overlapping samples: ``linked`` of the ``n`` respondents answer twice."""
    rng = np.random.default_rng(seed)
    survey = _survey(reps)
    opd = np.repeat(np.arange(reps), n)
    t1 = rng.choice(3, opd.size, p=PI)
    t2 = t1.copy()
    fresh = np.tile(np.arange(n) >= linked, reps)
    t2[fresh] = rng.choice(3, int(fresh.sum()), p=PI)
    ids1 = np.array([f"r{r}-p{i}" for r in range(reps) for i in range(n)])
    ids2 = np.array(
        [f"r{r}-{'p' if i < linked else 'q'}{i}" for r in range(reps) for i in range(n)]
    )
    tab1 = pe.ResponseTable.from_arrays(
        survey, opd=opd, answers=_answers(rng, t1, False), respondent=ids1
    )
    tab2 = pe.ResponseTable.from_arrays(
        survey, opd=opd, answers=_answers(rng, t2, True), respondent=ids2
    )
    e1, e2 = (
        pe.evaluate(survey, tab1, statistics=STATS),
        pe.evaluate(survey, tab2, statistics=STATS),
    )
    cov_p, share, se_p = _coverage(e1, e2, [tab1, tab2])
    cov_i, _, se_i = _coverage(e1, e2)
    return {
        "coverage_paired": cov_p,
        "share_paired": share,
        "coverage_if_independent": cov_i,
        "se_ratio": float(np.nanmean(se_p) / np.nanmean(se_i)),
    }


def weighted(reps: int, seed: int, n: int = 60) -> dict[str, float]:
    """Type 2 over-sampled three times; weights 1/(relative inclusion) undo it."""
    rng = np.random.default_rng(seed)
    survey = _survey(reps)
    boost = np.array([1.0, 1.0, 3.0])
    sample_p = PI * boost / (PI * boost).sum()
    out = []
    for later in (False, True):
        opd = np.repeat(np.arange(reps), n)
        types = rng.choice(3, opd.size, p=sample_p)
        table = pe.ResponseTable.from_arrays(
            survey, opd=opd, answers=_answers(rng, types, later), weight=1.0 / boost[types]
        )
        out.append(pe.evaluate(survey, table, statistics=STATS))
    cov, _, _ = _coverage(out[0], out[1])
    return {"coverage_weighted": cov}


def clustered(reps: int, seed: int, clusters: int = 8, size: int = 8) -> dict[str, float]:
    """Each PSU's type mixture is Dirichlet around ``PI`` (mean ``PI``): a cluster effect."""
    rng = np.random.default_rng(seed)
    survey = _survey(reps)
    out = []
    naive = []
    for later in (False, True):
        psu_mix = rng.dirichlet(4.0 * PI, reps * clusters)
        psu = np.repeat(np.arange(reps * clusters), size)
        cum = psu_mix.cumsum(axis=1)[psu]
        types = (rng.random(psu.size)[:, None] > cum).sum(axis=1).clip(0, 2)
        opd = psu // clusters
        answers = _answers(rng, types, later)
        psu_ids = np.array([f"c{k}" for k in psu])
        table = pe.ResponseTable.from_arrays(survey, opd=opd, answers=answers, psu=psu_ids)
        out.append(pe.evaluate(survey, table, statistics=STATS))
        flat = pe.ResponseTable.from_arrays(survey, opd=opd, answers=answers)
        naive.append(pe.evaluate(survey, flat, statistics=STATS))
    cov, _, _ = _coverage(out[0], out[1])
    cov_naive, _, _ = _coverage(naive[0], naive[1])
    return {"coverage_clustered": cov, "coverage_ignoring_clusters": cov_naive}


# 400 intervals each: a binomial SE of 1.1 pp around 95%; the band is about ±3 SE
LOW, HIGH = 0.915, 0.985


def test_paired_interval_covers_and_is_narrower():
    res = paired(reps=400, seed=181)
    assert res["share_paired"] == 1.0, res
    assert LOW <= res["coverage_paired"] <= HIGH, res
    assert res["se_ratio"] < 0.9, res  # linked answers correlate: the paired SE is smaller


def test_weighted_change_interval_covers():
    res = weighted(reps=400, seed=182)
    assert LOW <= res["coverage_weighted"] <= HIGH, res


def test_clustered_change_interval_covers():
    res = clustered(reps=400, seed=183)
    assert LOW <= res["coverage_clustered"] <= HIGH, res
    assert res["coverage_ignoring_clusters"] < res["coverage_clustered"], res


def test_true_change_is_exact():
    rng = np.random.default_rng(0)
    types = rng.choice(3, 400_000, p=PI)
    diff = _answers(rng, types, True).mean() - _answers(rng, types, False).mean()
    assert abs(diff - TRUE_CHANGE) < 0.01


if __name__ == "__main__":  # the fuller run quoted in docs/compare.md
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(paired(reps, 2026), weighted(reps, 2027), clustered(reps, 2028))
