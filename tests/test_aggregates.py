"""Mergeable aggregates: merging is exact, chunking changes nothing, and the estimates built on
them equal a direct row-level computation (an independent reference kept here) and hand values."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publiceval._core.aggregates import accumulate, merge, merge_all, select
from publiceval._core.errors import DataError
from publiceval._core.estimation import (
    Design,
    ItemEstimates,
    VarianceOptions,
    item_estimates,
    variance_options,
)

#: The estimator the reference below implements: each OPD its own design, a lonely PSU adds
#: nothing (domains of a shared design and the other choices: tests/test_edges_domains.py).
CONDITIONAL = VarianceOptions(domain="conditional", lonely_psu="certainty")

# --------------------------------------------------------------------------- reference
# A direct row-level implementation of the same estimators (deviations per row, PSU totals,
# between-PSU variance within strata), written independently of the moments.


def _ref_variance(u, group, n_groups, stratum, psu, population, rows):
    idx = np.flatnonzero(rows)
    g, uu = group[idx], u[idx]
    n_rows = np.bincount(g, minlength=n_groups)
    gh = g * 1000 + (stratum[idx] if stratum is not None else 0)
    unit = gh * 100000 + (psu[idx] if psu is not None else np.arange(idx.size))
    var = np.zeros((n_groups, u.shape[1]))
    n_psu = np.zeros(n_groups)
    n_str = np.zeros(n_groups)
    for h in np.unique(gh):
        in_h = gh == h
        units = np.unique(unit[in_h])
        totals = np.array([uu[unit == p].sum(axis=0) for p in units])
        n_h = units.size
        gg = int(h // 1000)
        n_psu[gg] += n_h
        n_str[gg] += 1
        if n_h > 1:
            var[gg] += n_h / (n_h - 1) * ((totals - totals.mean(axis=0)) ** 2).sum(axis=0)
    fpc = np.ones(n_groups)
    # the element fraction applies without clusters (with them, the PSU fraction would)
    if population is not None and psu is None:
        with np.errstate(invalid="ignore", divide="ignore"):
            fpc = np.where(np.isfinite(population), np.clip(1 - n_rows / population, 0, 1), 1)
    df = np.where(n_rows > 0, n_psu - n_str, np.nan)
    # no degree of freedom, or one unit: the SE cannot be estimated (NaN, never 0)
    var = np.where(((df >= 1) & (n_psu >= 2))[:, None], var * fpc[:, None], np.nan)
    return var, df, n_rows


def _ref_items(group, n_groups, y, obs, w, stratum, psu, population):
    w = np.ones(y.shape[0]) if w is None else w
    wy = np.where(obs, y, 0.0) * w[:, None]
    wm = obs * w[:, None]
    ysum = np.array([wy[group == g].sum(axis=0) for g in range(n_groups)]).reshape(n_groups, -1)
    wsum = np.array([wm[group == g].sum(axis=0) for g in range(n_groups)]).reshape(n_groups, -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(wsum > 0, ysum / wsum, np.nan)
        inv = np.where(wsum > 0, 1 / wsum, 0.0)
    dev = (wy - wm * np.nan_to_num(mean)[group]) * inv[group]
    var, df, _ = _ref_variance(dev, group, n_groups, stratum, psu, population, obs.any(axis=1))
    return mean, np.where(wsum > 0, np.sqrt(var), np.nan), df, dev


def _ref_combine(group, n_groups, y, obs, w, stratum, psu, population, coef):
    mean, _, _, dev = _ref_items(group, n_groups, y, obs, w, stratum, psu, population)
    has = np.isfinite(mean)
    c = np.where(has, coef, 0.0)
    total = c.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(total > 0, c * coef.sum() / total, 0.0)
    used = c != 0
    est = np.where(
        used.any(axis=1), (np.where(used, np.nan_to_num(mean), 0) * c).sum(axis=1), np.nan
    )
    rows = (obs & used[group]).any(axis=1)
    u = (dev * c[group]).sum(axis=1)[:, None]
    var, df, n = _ref_variance(u, group, n_groups, stratum, psu, population, rows)
    se = np.where(used.any(axis=1), np.sqrt(var[:, 0]), np.nan)
    return est, se, df, n


# --------------------------------------------------------------------------- data
@st.composite
def blocks(draw, max_rows: int = 60):
    n = draw(st.integers(0, max_rows))
    k = draw(st.integers(1, 4))
    g = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, draw(st.integers(2, 8)), (n, k)).astype(np.int8)
    weighted = draw(st.booleans())
    return {
        "group": rng.integers(0, g, n),
        "n_groups": g,
        "codes": codes,
        "weight": rng.uniform(0.2, 5.0, n) if weighted else None,
        "stratum": rng.integers(0, 3, n) if draw(st.booleans()) else None,
        "psu": rng.integers(0, 6, n) if draw(st.booleans()) else None,
    }


def _acc(b, rows=slice(None), **kw):
    return accumulate(
        b["group"][rows],
        b["n_groups"],
        b["codes"][rows],
        None,
        None if b["weight"] is None else b["weight"][rows],
        stratum=None if b["stratum"] is None else b["stratum"][rows],
        psu=None if b["psu"] is None else b["psu"][rows],
        histograms=True,
        **kw,
    )


def _same_estimates(a: ItemEstimates, b: ItemEstimates, coef) -> None:
    for name in ("mean", "wsum", "df"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=1e-12, atol=1e-13)
    # an SE is a difference of sums of squares: summed from other offsets (codes vs floats) a
    # small one moves by ~1e-13 absolute, 4e-11 relative (found by hypothesis)
    np.testing.assert_allclose(a.se, b.se, rtol=1e-9, atol=1e-13)
    np.testing.assert_array_equal(a.n, b.n)
    ca, cb = a.combine(coef), b.combine(coef)
    for name in ("estimate", "df", "n_effective"):
        np.testing.assert_allclose(getattr(ca, name), getattr(cb, name), rtol=1e-11, atol=1e-13)
    for name in ("se", "deff"):  # differences of sums of squares, as above
        np.testing.assert_allclose(getattr(ca, name), getattr(cb, name), rtol=1e-9, atol=1e-13)
    np.testing.assert_array_equal(ca.n, cb.n)


# --------------------------------------------------------------------------- properties
@settings(max_examples=60, deadline=None)
@given(blocks(), st.integers(0, 60))
def test_merging_two_halves_equals_aggregating_the_whole(b, cut):
    n = b["codes"].shape[0]
    cut = min(cut, n)
    whole = _acc(b)
    both = merge(_acc(b, slice(0, cut)), _acc(b, slice(cut, n)))
    np.testing.assert_array_equal(whole.cell_group, both.cell_group)
    np.testing.assert_array_equal(whole.pat_n, both.pat_n)
    np.testing.assert_array_equal(whole.pat_bits, both.pat_bits)
    np.testing.assert_array_equal(whole.psu_count, both.psu_count)
    np.testing.assert_array_equal(whole.hist, both.hist)
    np.testing.assert_allclose(whole.cross0, both.cross0, rtol=0, atol=0)  # integer sums
    np.testing.assert_allclose(whole.first(), both.first(), rtol=1e-13)
    np.testing.assert_allclose(whole.cross(), both.cross(), rtol=1e-13)
    np.testing.assert_allclose(whole.psu_first, both.psu_first, rtol=1e-13)


@settings(max_examples=40, deadline=None)
@given(blocks(), st.lists(st.integers(0, 60), max_size=5))
def test_chunk_boundaries_never_change_results(b, cuts):
    n = b["codes"].shape[0]
    edges = sorted({0, n, *(min(c, n) for c in cuts)})
    chunks = [_acc(b, slice(lo, hi)) for lo, hi in itertools.pairwise(edges)] or [_acc(b)]
    k = b["codes"].shape[1]
    coef = np.linspace(1.0, 2.0, k)
    _same_estimates(
        ItemEstimates.from_moments(_acc(b)), ItemEstimates.from_moments(merge_all(chunks)), coef
    )


@settings(max_examples=60, deadline=None)
@given(blocks(), st.booleans())
def test_aggregate_path_equals_row_level_reference(b, fpc):
    y = b["codes"].astype(np.float64)
    obs = b["codes"] > 0
    g = b["n_groups"]
    pop = np.linspace(80.0, 120.0, g) if fpc else None
    pop = None if pop is None else np.where(np.arange(g) % 2 == 0, pop, np.nan)
    design = Design(stratum=b["stratum"], psu=b["psu"], population=pop)
    with variance_options(CONDITIONAL):
        est = item_estimates(b["group"], g, y, obs, b["weight"], design)
    mean, se, df, dev = _ref_items(b["group"], g, y, obs, b["weight"], b["stratum"], b["psu"], pop)
    np.testing.assert_allclose(est.mean, mean, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(est.se, se, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(est.df, df)
    np.testing.assert_allclose(est.deviations, dev, rtol=1e-12, atol=1e-12)
    coef = np.linspace(1.0, 2.0, y.shape[1])
    e, s, d, n = _ref_combine(b["group"], g, y, obs, b["weight"], b["stratum"], b["psu"], pop, coef)
    comb = est.combine(coef)
    np.testing.assert_allclose(comb.estimate, e, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(comb.se, s, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(comb.df, d)
    np.testing.assert_array_equal(comb.n, n)
    # the codes path (moments of raw codes) equals the float path
    with variance_options(CONDITIONAL):
        codes = ItemEstimates.from_moments(_acc(b), population=pop)
    _same_estimates(codes, est, coef)


@settings(max_examples=30, deadline=None)
@given(blocks())
def test_selecting_items_equals_aggregating_only_them(b):
    k = b["codes"].shape[1]
    pick = [k - 1, 0] if k > 1 else [0]
    sub = dict(b, codes=np.ascontiguousarray(b["codes"][:, pick]))
    _same_estimates(
        ItemEstimates.from_moments(select(_acc(b), pick)),
        ItemEstimates.from_moments(_acc(sub)),
        np.ones(len(pick)) / len(pick),
    )


@settings(max_examples=20, deadline=None)
@given(blocks(max_rows=200))
def test_threads_give_the_same_moments(b):
    one, two = _acc(b, threads=1), _acc(b, threads=2)
    np.testing.assert_array_equal(one.cross0, two.cross0)
    np.testing.assert_allclose(one.cross(), two.cross(), rtol=1e-13)
    np.testing.assert_array_equal(one.hist, two.hist)


# --------------------------------------------------------------------------- hand values
def test_unweighted_mean_and_se_match_hand_computation():
    # group 0 answers 1, 2, 3, 4 → mean 2.5, sd 1.2910, se = sd / 2; group 1: 5, 5 → se 0
    codes = np.array([[1], [2], [3], [4], [5], [5]], np.int8)
    est = ItemEstimates.from_moments(accumulate(np.array([0, 0, 0, 0, 1, 1]), 2, codes))
    np.testing.assert_allclose(est.mean[:, 0], [2.5, 5.0])
    np.testing.assert_allclose(est.se[:, 0], [np.sqrt(5 / 3) / 2, 0.0], atol=1e-15)
    np.testing.assert_array_equal(est.df, [3.0, 1.0])
    assert est.se[1, 0] == 0.0  # constant answers: exactly zero, not rounding noise


def test_stratified_clustered_se_matches_hand_computation():
    # one group, strata A (PSUs 1, 2) and B (PSUs 3, 4); unit weights, one item
    # PSU totals of y: A: 3+4=7, 2=2; B: 5, 1+1=2 ; n = 6 rows, mean R = 16/6
    y = np.array([[3], [4], [2], [5], [1], [1]], np.int8)
    stratum = np.array([0, 0, 0, 1, 1, 1])
    psu = np.array([0, 0, 1, 2, 3, 3])
    est = ItemEstimates.from_moments(accumulate(np.zeros(6, int), 1, y, stratum=stratum, psu=psu))
    r = 16 / 6
    u = {0: (7 - 2 * r) / 6, 1: (2 - r) / 6, 2: (5 - r) / 6, 3: (2 - 2 * r) / 6}
    var = 2 * ((u[0] - u[1]) ** 2 / 2) + 2 * ((u[2] - u[3]) ** 2 / 2)
    np.testing.assert_allclose(est.mean[0, 0], r)
    np.testing.assert_allclose(est.se[0, 0], np.sqrt(var), rtol=1e-13)
    assert est.df[0] == 2.0  # 4 PSUs - 2 strata


def test_finite_population_correction_and_reverse_coding():
    codes = np.array([[1], [2], [3], [4]], np.int8)
    mom = accumulate(np.zeros(4, int), 1, codes)
    plain = ItemEstimates.from_moments(mom, population=np.array([8.0]))
    np.testing.assert_allclose(plain.se[0, 0], np.sqrt(5 / 3) / 2 * np.sqrt(1 - 4 / 8))
    flipped = ItemEstimates.from_moments(mom, alpha=np.array([5.0]), beta=np.array([-1.0]))
    np.testing.assert_allclose(flipped.mean[0, 0], 5 - 2.5)


def test_float32_fast_path_is_exact_for_large_cells():
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 6, (300_000, 3)).astype(np.int8)
    group = rng.integers(0, 2, 300_000)
    fast = accumulate(group, 2, codes, threads=1)
    wide = accumulate(group, 2, codes.astype(np.int64), None, threads=1)
    ref = np.zeros_like(fast.cross0)
    z = np.concatenate([codes, codes > 0], axis=1).astype(np.int64)
    for g in range(2):
        zz = z[group == g]
        ref[g] = zz.T @ zz
    np.testing.assert_array_equal(fast.cross0, ref)
    np.testing.assert_array_equal(wide.cross0, ref)


def test_bad_input_is_named():
    codes = np.ones((3, 2), np.int8)
    with pytest.raises(DataError, match="group codes must lie in 0..1"):
        accumulate(np.array([0, 1, 2]), 2, codes)
    with pytest.raises(DataError, match="integer codes"):
        accumulate(np.zeros(3, int), 1, codes.astype(float))
    a = accumulate(np.zeros(3, int), 1, codes, offset=[0.0, 0.0])
    b = accumulate(np.zeros(3, int), 1, codes, offset=[1.0, 0.0])
    with pytest.raises(DataError, match="different offsets"):
        merge(a, b)
    with pytest.raises(DataError, match="nothing to merge"):
        merge_all([])
    est = ItemEstimates.from_moments(a)
    with pytest.raises(ValueError, match="coef must have shape"):
        est.combine(np.ones(3))


def test_per_group_coefficients_equal_one_combination_per_group():
    rng = np.random.default_rng(5)
    codes = rng.integers(0, 5, (200, 3)).astype(np.int8)
    group = rng.integers(0, 4, 200)
    est = ItemEstimates.from_moments(accumulate(group, 4, codes, weight=rng.uniform(1, 2, 200)))
    coef = rng.uniform(0.1, 1.0, (4, 3))
    both = est.combine(coef, renormalize=False)
    for g in range(4):
        one = est.combine(coef[g], renormalize=False)
        assert both.se[g] == pytest.approx(one.se[g], rel=1e-12)
        assert both.estimate[g] == pytest.approx(one.estimate[g], rel=1e-12)


def test_the_threaded_pass_runs_blas_on_one_thread_per_python_thread(monkeypatch):
    """Two Python threads that each start a multi-threaded BLAS oversubscribe the cores; inside
    the threaded pass BLAS is capped at one thread (and the cap is lifted afterwards)."""
    from threadpoolctl import threadpool_info

    seen: list[list[int]] = []
    import publiceval._core.moments.build as build

    real = build._accumulate

    def spy(*args, **kwargs):
        seen.append([i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"])
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "_accumulate", spy)
    rng = np.random.default_rng(1)
    group = rng.integers(0, 3, 200)
    codes = rng.integers(1, 5, (200, 2)).astype(np.int8)
    before = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    build.accumulate(group, 3, codes, threads=2)
    assert len(seen) == 2 and all(n == [1] * len(before) for n in seen)
    assert [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"] == before
