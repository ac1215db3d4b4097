"""Full runs of the seeded simulations whose fast versions are in tests/test_edges_*.py.

Prints the figures quoted in docs/statistics.md ("No finite sample is certain", "Domains",
"Ranks"). Run from the repository root: ``python tests/data/edges_full_runs.py`` (~1-2 min).
"""

from __future__ import annotations

import numpy as np

from publiceval._core.estimation import Design, VarianceOptions, item_estimates, variance_options
from publiceval._core.proportion_scores import with_proportion_interval
from publiceval._core.results import ScoreScale
from publiceval._core.scoring import make_scores
from publiceval._core.stats import rank_intervals
from publiceval._core.stats.small_area import fay_herriot

REPS = 20_000


def share(n: int, p: float, interval: str, seed: int = 1) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=(REPS * n, 1)) < p).astype(float)
    group = np.repeat(np.arange(REPS), n)
    est = item_estimates(group, REPS, y, np.ones_like(y, bool), None).combine(np.ones(1))
    scores = make_scores(est, ScoreScale(low=0.0, high=100.0), 0.95, multiplier=100.0)
    if interval != "t":
        scores = [with_proportion_interval(s, interval) for s in scores]  # type: ignore[arg-type]
    hit = [s.ci is not None and s.ci.low <= 100 * p <= s.ci.high for s in scores]
    width = np.mean([s.ci.high - s.ci.low for s in scores if s.ci is not None])
    return float(np.mean(hit)), float(width)


def mean(n: int, probs: list[float], seed: int = 2) -> tuple[float, float]:
    rng = np.random.default_rng(seed)
    points = np.array([1.0, 2.0, 3.0, 4.0])
    y = rng.choice(points, size=(REPS * n, 1), p=probs)
    group = np.repeat(np.arange(REPS), n)
    est = item_estimates(group, REPS, y, np.ones_like(y, bool), None).combine(np.ones(1))
    truth = float(points @ np.asarray(probs))
    scores = make_scores(est, ScoreScale(low=1.0, high=4.0), 0.95)
    hit = [s.ci is not None and s.ci.low <= truth <= s.ci.high for s in scores]
    width = np.mean([s.ci.high - s.ci.low for s in scores if s.ci is not None])
    return float(np.mean(hit)), float(width)


def domains(seed: int = 3) -> None:
    """The issue's household design at 20k rows: 1,000 OPDs, 50 strata × 100 PSUs."""
    rng = np.random.default_rng(seed)
    n, opds = 20_000, 1000
    stratum = rng.integers(0, 50, n)
    psu = stratum * 100 + rng.integers(0, 100, n)
    group = rng.integers(0, opds, n)
    y = np.clip(np.round(2.8 + rng.normal(0, 0.4, 5000)[psu] + rng.normal(0, 0.7, n)), 1, 4)
    obs = np.ones((n, 1), bool)
    se = {}
    for domain in ("conditional", "unconditional"):
        with variance_options(VarianceOptions(domain=domain, lonely_psu="certainty")):
            est = item_estimates(group, opds, y[:, None], obs, None, Design(stratum, psu))
        se[domain] = est.se[:, 0]
    ratio = se["conditional"] / se["unconditional"]
    zero = int(np.sum(se["conditional"] == 0))
    print(
        f"domains: median SE conditional/unconditional {np.nanmedian(ratio):.2f}, {zero} of "
        f"{opds} OPDs at SE 0 conditionally (certainty)"
    )


def ranks(seed: int = 4) -> None:
    est = np.array([3.30, 3.22, 3.15, 3.10, 3.02, 2.95, 2.90, 2.80, 2.72, 2.60])
    se = np.full(10, 0.04)
    for stepdown in (False, True):
        r = rank_intervals(est, se, df=np.full(10, 60.0), seed=7, stepdown=stepdown)
        print(f"10-unit example, stepdown={stepdown}: mean width {np.mean(r.high - r.low + 1):.2f}")
    for spacing in (0.033, 0.1):
        k, reps = 10, 2000
        theta = 3.0 + spacing * np.arange(k)
        s = np.full(k, 0.04)
        true_rank = 1 + (theta[None, :] > theta[:, None]).sum(axis=1)
        for stepdown in (False, True):
            hits, widths = 0, []
            rng = np.random.default_rng(seed)
            for _ in range(reps):
                e = theta + s * rng.standard_normal(k)
                seed_r = int(rng.integers(1 << 30))
                r = rank_intervals(e, s, draws=1000, seed=seed_r, stepdown=stepdown)
                hits += bool(np.all((r.low <= true_rank) & (true_rank <= r.high)))
                widths.append(np.mean(r.high - r.low + 1))
            print(
                f"rank sets, spacing {spacing}, stepdown={stepdown}: joint coverage "
                f"{hits / reps:.3f}, mean width {np.mean(widths):.2f}"
            )


def familywise(seed: int = 6) -> None:
    """All ten OPDs equal in truth: how often is any false "A above B" claimed?"""
    k, reps = 10, 2000
    s = np.full(k, 0.04)
    theta = np.r_[np.full(5, 3.0), 3.0 + 0.1 * np.arange(1, 6)]  # half tied, half apart
    for stepdown in (False, True):
        rng = np.random.default_rng(seed)
        false = 0
        for _ in range(reps):
            e = theta + s * rng.standard_normal(k)
            r = rank_intervals(e, s, draws=1000, seed=int(rng.integers(1 << 30)), stepdown=stepdown)
            wrong = r.better & ~(theta[:, None] > theta[None, :])
            false += bool(wrong.any())
        print(f"familywise error, stepdown={stepdown}: {false / reps:.3f} (nominal 0.05)")


def small_area(seed: int = 5) -> None:
    """30 OPDs, true scores N(3, 0.2²), sampling SEs 0.07-0.32; 5,000 cities."""
    rng = np.random.default_rng(seed)
    m, a = 30, 0.04
    d = rng.uniform(0.005, 0.1, m)
    mse_d, mse_e, cov, ext_d, ext_e = [], [], [], 0, 0
    small = int(np.argmax(d))
    for _ in range(5000):
        theta = 3.0 + rng.normal(0, np.sqrt(a), m)
        y = theta + rng.normal(0, np.sqrt(d))
        fit = fay_herriot(y, np.sqrt(d))
        mse_d.append(np.mean((y - theta) ** 2))
        mse_e.append(np.mean((fit.estimate - theta) ** 2))
        cov.append(np.mean(np.abs(fit.estimate - theta) <= 1.96 * fit.rmse))
    print(
        f"fay-herriot: MSE direct {np.mean(mse_d):.4f}, EB {np.mean(mse_e):.4f} "
        f"({np.mean(mse_e) / np.mean(mse_d):.2f}×); EB 95% interval coverage {np.mean(cov):.3f}"
    )
    se = np.r_[np.full(10, 0.045), 0.15]
    for _ in range(5000):
        y = 3.0 + rng.normal(0, 0.05, 11) + rng.normal(0, se)
        eb = fay_herriot(y, se).estimate
        ext_d += y[10] in (y.max(), y.min())
        ext_e += eb[10] in (eb.max(), eb.min())
    print(
        f"small OPD first or last by noise: direct {ext_d / 5000:.3f}, EB {ext_e / 5000:.3f}"
        f" (small: {small})"
    )


if __name__ == "__main__":
    for n, p in [(8, 0.9), (30, 0.95), (8, 0.95), (50, 0.97)]:
        for interval in ("wilson", "logit", "t"):
            cov, width = share(n, p, interval)
            print(f"top-box n={n} p={p} {interval}: coverage {cov:.3f}, width {width:.1f} pp")
    for n in (8, 30):
        for name, probs in [("rest at 3", [0, 0, 0.1, 0.9]), ("rest 1-3", [1 / 30] * 3 + [0.9])]:
            cov, width = mean(n, probs)
            print(f"mean 1-4 n={n} 90% top, {name}: coverage {cov:.3f}, width {width:.2f}")
    domains()
    ranks()
    familywise()
    small_area()
