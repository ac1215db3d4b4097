"""The vectorised design path equals independent row-level computations.

The data pass sums many small OPD × stratum cells and (cell, PSU) pairs without a Python loop
per cell (segmented sums, one sort); these tests check every field of the moments against a
direct per-cell computation, and the domain (unconditional) variances against deviations per
row and PSU totals over the whole design, on weighted, stratified, clustered data with missing
answers, lonely PSUs and single-row cells, to 1e-12.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from publiceval._core.aggregates import accumulate
from publiceval._core.estimation import ItemEstimates, VarianceOptions
from publiceval._core.moments.segments import segment_sum
from publiceval._core.moments.transform import transform_cross, transform_first


@st.composite
def designs(draw: st.DrawFn, max_rows: int = 120) -> dict[str, object]:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(1, max_rows))
    k = draw(st.integers(1, 4))
    n_groups = draw(st.integers(1, 4))
    n_strata = draw(st.integers(1, 6))
    n_psu = draw(st.integers(1, 12))
    weighted = draw(st.booleans())
    codes = rng.integers(1, 6, (n, k)).astype(np.int8)
    codes[rng.random((n, k)) < draw(st.sampled_from([0.0, 0.1, 0.4]))] = 0
    return {
        "codes": codes,
        "group": rng.integers(0, n_groups, n),
        "n_groups": n_groups,
        "stratum": rng.integers(0, n_strata, n),
        # PSUs cut across groups and strata (as in the benchmark), so cells hold few rows
        "psu": rng.integers(0, n_psu, n),
        "weight": rng.lognormal(0.0, 0.5, n) if weighted else None,
        "threads": draw(st.sampled_from([1, 2])),
    }


def _z(codes: np.ndarray) -> np.ndarray:
    return np.concatenate([codes, codes > 0], axis=1).astype(np.float64)


def _close(a: np.ndarray, b: np.ndarray) -> None:
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(designs())
def test_moments_equal_a_per_cell_computation(d: dict) -> None:
    codes, group, stratum, psu = d["codes"], d["group"], d["stratum"], d["psu"]
    w = d["weight"]
    mom = accumulate(
        group,
        d["n_groups"],
        codes,
        None,
        w,
        stratum=stratum,
        psu=psu,
        histograms=True,
        threads=d["threads"],
    )
    z = _z(codes)
    ww = np.ones(codes.shape[0]) if w is None else w
    k = codes.shape[1]
    # one entry per cell, in (group, stratum) order
    cells = sorted(set(zip(group.tolist(), stratum.tolist(), strict=True)))
    assert list(zip(mom.cell_group.tolist(), mom.cell_stratum.tolist(), strict=True)) == cells
    for c, (g, h) in enumerate(cells):
        rows = (group == g) & (stratum == h)
        zc, wc = z[rows], ww[rows]
        np.testing.assert_array_equal(mom.cross0[c], zc.T @ zc)  # integer sums: exact
        np.testing.assert_array_equal(mom.first0[c], zc.sum(axis=0))
        _close(mom.first()[c], (zc * wc[:, None]).sum(axis=0))
        _close(mom.cross()[c], (zc * wc[:, None] ** 2).T @ zc)
        _close(mom.cross1()[c], (zc * wc[:, None]).T @ zc)
        # observation patterns of the cell: rows, Σw, Σw²
        bits = (codes[rows] > 0) @ (1 << np.arange(k))
        mine = mom.pat_cell == c
        got = dict(zip(mom.pat_bits[mine].tolist(), mom.pat_n[mine].tolist(), strict=True))
        want = {int(b): int((bits == b).sum()) for b in np.unique(bits)}
        assert got == want
        for b, sw, sw2 in zip(mom.pat_bits[mine], mom.pat_w[mine], mom.pat_w2[mine], strict=True):
            sel = bits == int(b)
            _close(np.array([sw, sw2]), np.array([wc[sel].sum(), (wc[sel] ** 2).sum()]))
        # PSU totals of the cell
        mine = np.flatnonzero(mom.psu_cell == c)
        assert mom.psu_code[mine].tolist() == sorted(set(psu[rows].tolist()))
        for q in mine:
            sel = psu[rows] == mom.psu_code[q]
            _close(mom.psu_first[q], (zc[sel] * wc[sel, None]).sum(axis=0))
            np.testing.assert_array_equal(mom.psu_count[q], (codes[rows][sel] > 0).sum(axis=0))
    assert mom.hist is not None
    for g in range(d["n_groups"]):
        for j in range(k):
            want_h = np.bincount(codes[group == g, j], minlength=mom.hist.shape[2])
            np.testing.assert_array_equal(mom.hist[g, j], want_h)


@settings(max_examples=60, deadline=None)
@given(designs(), st.sampled_from(["certainty", "adjust"]))
def test_domain_variances_equal_row_level_psu_totals(d: dict, lonely: str) -> None:
    """Domains of the whole design (R's svyby): deviations are zero outside the OPD, every
    PSU of a stratum counts; a lonely stratum adds nothing (certainty) or its squared total
    (adjust: centred at the grand mean, which is zero)."""
    codes, group, stratum, psu = d["codes"], d["group"], d["stratum"], d["psu"]
    w = np.ones(codes.shape[0]) if d["weight"] is None else d["weight"]
    g_n, k = d["n_groups"], codes.shape[1]
    mom = accumulate(group, g_n, codes, None, d["weight"], stratum=stratum, psu=psu)
    opts = VarianceOptions(domain="unconditional", lonely_psu=lonely)  # type: ignore[arg-type]
    est = ItemEstimates.from_moments(mom, variance=opts)
    y, m = codes.astype(np.float64), (codes > 0)
    units = sorted(set(zip(stratum.tolist(), psu.tolist(), strict=True)))
    strata = sorted(set(stratum.tolist()))
    design_df = len(units) - len(strata)
    for g in range(g_n):
        for j in range(k):
            rows = (group == g) & m[:, j]
            wsum = w[rows].sum()
            if wsum == 0:
                assert np.isnan(est.mean[g, j])
                continue
            r = (w[rows] * y[rows, j]).sum() / wsum
            _close(est.mean[g, j], r)
            dev = np.where(rows, w * (y[:, j] - r) / wsum, 0.0)
            answers = y[rows, j]
            var = 0.0
            for h in strata:
                tot = np.array(
                    [dev[(stratum == h) & (psu == p)].sum() for hh, p in units if hh == h]
                )
                if tot.size > 1:
                    var += tot.size / (tot.size - 1) * ((tot - tot.mean()) ** 2).sum()
                elif lonely == "adjust":
                    var += (tot**2).sum()
            # sampled units of the OPD: PSUs with an answer to any of the items estimated
            seen = (group == g) & m.any(axis=1)
            own = len(set(zip(stratum[seen].tolist(), psu[seen].tolist(), strict=True)))
            if design_df < 1 or own < 2:
                assert np.isnan(est.se[g, j])
            elif np.all(answers == answers[0]):
                assert est.se[g, j] == 0.0  # no spread: exactly zero
            else:
                np.testing.assert_allclose(est.se[g, j], np.sqrt(var), rtol=1e-10, atol=1e-12)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 300), st.integers(1, 4))
def test_segment_sums_equal_reduceat(seed: int, n: int, width: int) -> None:
    rng = np.random.default_rng(seed)
    cuts = np.flatnonzero(rng.random(n - 1) < rng.random()) + 1
    starts = np.r_[0, cuts]
    values = rng.normal(size=(n, width, 2))
    scale = np.add.reduceat(np.abs(values), starts, axis=0)
    diff = np.abs(segment_sum(values, starts) - np.add.reduceat(values, starts, axis=0))
    assert np.all(diff <= 1e-14 * scale)
    ints = rng.integers(0, 9, (n, width))
    np.testing.assert_array_equal(segment_sum(ints, starts), np.add.reduceat(ints, starts, axis=0))
    equal = np.repeat(rng.lognormal(size=(n, 1)), 2, axis=1)  # equal columns: equal sums
    summed = segment_sum(equal, starts)
    np.testing.assert_array_equal(summed[:, 0], summed[:, 1])


@settings(max_examples=60, deadline=None)
@given(designs(max_rows=60), st.floats(-3, 3), st.floats(-2, 2))
def test_transformed_cross_moments_equal_the_matrix_product(d: dict, alpha: float, beta: float):
    """``T C Tᵀ`` block by block equals the product with the transform matrix."""
    codes = d["codes"]
    k = codes.shape[1]
    mom = accumulate(d["group"], d["n_groups"], codes, None, d["weight"], stratum=d["stratum"])
    est = ItemEstimates.from_moments(
        mom, alpha=np.full(k, alpha), beta=np.full(k, beta), variance=VarianceOptions()
    )
    assert est._shifted is not None
    a, b, _ = est._shifted
    t = np.zeros((2 * k, 2 * k))
    idx = np.arange(k)
    t[idx, idx], t[idx, k + idx], t[k + idx, k + idx] = b, a, 1.0
    want = np.einsum("ab,cbd,ed->cae", t, mom.cross(), t)
    scale = np.einsum("ab,cbd,ed->cae", np.abs(t), np.abs(mom.cross()), np.abs(t))
    assert np.all(np.abs(transform_cross(mom.cross(), a, b) - want) <= 1e-13 * scale + 1e-300)
    first_scale = np.abs(mom.first()) @ np.abs(t.T)
    assert np.all(
        np.abs(transform_first(mom.first(), a, b) - mom.first() @ t.T) <= 1e-13 * first_scale
    )
