"""Seeded simulation: does the change interval cover the true change, and does the Holm-corrected
test find real changes without inventing others?

Each "replicate" is a city of K OPDs surveyed in two independent periods. The answers come from
a mixture whose mean is known exactly: a respondent is of type z (probabilities ``PI``) and
answers each item independently from ``P[z]``; an OPD's true item mean moves with its mixture
weights, so every OPD's true score, and its true change, is a closed-form number.

To keep the suite fast, the replicates of one period are evaluated together as one survey
whose OPDs are (replicate, OPD) pairs: OPDs are independent samples, so this is exactly R
separate cities. ``python tests/test_compare_simulation.py`` runs the full version quoted in
docs/compare.md.
"""

from __future__ import annotations

import sys

import numpy as np

import publiceval as pe
from publiceval._core.compare import adjust_family, compare_evaluations, score_change

P = np.array(  # answer distribution over 1..4 given the respondent's type
    [[0.35, 0.40, 0.20, 0.05], [0.05, 0.25, 0.50, 0.20], [0.02, 0.08, 0.35, 0.55]]
)
LEVELS = P @ np.arange(1, 5)  # item mean of each type


def _weights(mean: float) -> np.ndarray:
    """Mixture weights over the types giving true item mean ``mean``: a fixed 20% of the middle
    type, the rest split between the outer two (so the mean is linear in the split)."""
    mid = 0.2
    s = ((mean - mid * LEVELS[1]) / (1 - mid) - LEVELS[0]) / (LEVELS[2] - LEVELS[0])
    assert 0 <= s <= 1, mean
    return np.array([(1 - mid) * (1 - s), mid, (1 - mid) * s])


def _period(
    rng: np.random.Generator, means: np.ndarray, sizes: np.ndarray, reps: int
) -> pe.Evaluation:
    k = means.size
    units = reps * k
    survey = pe.Survey(
        title="sim",
        scales=[pe.Scale(id="q", min=1, max=4)],
        items=[pe.Item(id=f"u{j}", text=f"U{j}", scale="q") for j in range(3)],
        opds=[
            pe.OPD(id=f"r{r}-o{g}", name=f"R{r} Dinas {g}") for r in range(reps) for g in range(k)
        ],
    )
    n = np.tile(sizes, reps)
    opd = np.repeat(np.arange(units), n)
    types = np.empty(opd.size, dtype=int)
    for g in range(k):  # draw each OPD's respondent types from its mixture
        rows = np.flatnonzero(opd % k == g)
        types[rows] = rng.choice(3, rows.size, p=_weights(float(means[g])))
    cum = P.cumsum(axis=1)[types]  # rows × 4
    u = rng.random((opd.size, 3))
    answers = 1 + (u[:, :, None] > cum[:, None, :]).sum(axis=2)
    table = pe.ResponseTable.from_arrays(survey, opd=opd, answers=answers)
    return pe.evaluate(survey, table, statistics={"uncertainty": False, "adequacy": "none"})


def simulate(reps: int, seed: int) -> dict[str, float]:
    """Coverage of the change interval, false "beyond chance" rate, and power."""
    rng = np.random.default_rng(seed)
    before = np.array([2.6, 2.8, 3.0, 2.9, 2.7, 3.1, 2.8, 3.0, 2.75, 2.95])
    delta = np.array([0.3, -0.3, 0.25, 0, 0, 0, 0, 0, 0, 0])
    sizes_a = np.array([150, 120, 160, 15, 30, 50, 100, 25, 40, 70])
    sizes_b = np.array([140, 130, 150, 20, 35, 30, 90, 30, 45, 60])
    a = _period(rng, before, sizes_a, reps)
    b = _period(rng, before + delta, sizes_b, reps)
    comp = compare_evaluations([a, b], labels=["a", "b"])
    truth = {f"r{r}-o{g}": delta[g] for r in range(reps) for g in range(before.size)}
    changes = comp.steps[0].opds
    covered = [c.score.ci.low <= truth[c.opd] <= c.score.ci.high for c in changes if c.score.ci]
    small = [  # the OPD with 15 and 20 respondents
        c.score.ci.low <= truth[c.opd] <= c.score.ci.high
        for c in changes
        if c.score.ci and c.opd.endswith("-o3")
    ]
    # identification: Holm within each city (replicate) of K OPDs
    fwer = fwer_raw = power = nreal = 0
    by_opd = {r.opd: r for r in a.opds}, {r.opd: r for r in b.opds}
    for r in range(reps):
        ids = [f"r{r}-o{g}" for g in range(before.size)]
        fam = adjust_family(
            [score_change(by_opd[0][i].score, by_opd[1][i].score) for i in ids], "x"
        )
        flagged = [bool(c.significant) for c in fam]
        fwer_raw += any(
            (c.p_value or 1.0) <= 0.05
            for c, g in zip(fam, range(before.size), strict=True)
            if delta[g] == 0
        )
        fwer += any(f for f, g in zip(flagged, range(before.size), strict=True) if delta[g] == 0)
        for f, g in zip(flagged, range(before.size), strict=True):
            if delta[g] != 0:
                nreal += 1
                power += f
    return {
        "coverage": float(np.mean(covered)),
        "intervals": float(len(covered)),
        "coverage_n15_n20": float(np.mean(small)),
        "fwer": fwer / reps,
        "fwer_without_holm": fwer_raw / reps,
        "power": power / nreal,
    }


def test_change_interval_covers_and_holm_controls_false_changes():
    res = simulate(reps=150, seed=18)
    # 1,500 intervals: a binomial SE of 0.56 pp around 95%
    assert 0.93 <= res["coverage"] <= 0.97, res
    # 7 unchanged OPDs per city: unadjusted tests would flag one in ~30% of cities
    assert res["fwer"] <= 0.09, res
    # changes of 0.25-0.3 with 40-80 respondents a side are mostly found
    assert res["power"] >= 0.6, res


def test_mixture_means_are_exact():
    for mean in (2.6, 3.0, 3.3):
        assert abs(float(_weights(mean) @ LEVELS) - mean) < 1e-12


if __name__ == "__main__":  # the full run quoted in docs/compare.md
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    print(simulate(reps=reps, seed=2026))
