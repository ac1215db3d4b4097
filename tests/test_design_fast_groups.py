"""Cross moments per group (PSU designs) equal the group sums of the per-cell ones.

With PSUs the variance comes from PSU totals, so the data pass keeps cross moments per OPD
only (``cell_cross=False``, :attr:`Moments.cross_by_group`): these tests check every field
and every estimate against the per-cell moments, merging by halves (also with per-cell
moments), and that the design choices read after scoring say what a second pass would.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publiceval._core.aggregates import accumulate, merge
from publiceval._core.estimation import ItemEstimates, VarianceOptions
from publiceval._core.moments.variance import group_cross
from test_design_fast import designs


def _both(d: dict, rows: slice = slice(None)):
    def acc(cell_cross: bool):
        return accumulate(
            d["group"][rows],
            d["n_groups"],
            d["codes"][rows],
            None,
            None if d["weight"] is None else d["weight"][rows],
            stratum=d["stratum"][rows],
            psu=d["psu"][rows],
            histograms=True,
            threads=d["threads"],
            cell_cross=cell_cross,
        )

    return acc(True), acc(False)


def _close(a, b) -> None:
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def _same_estimates(a, b) -> None:
    k = a.n_items
    for domain in ("conditional", "unconditional"):
        opts = VarianceOptions(domain=domain, lonely_psu="adjust")
        ea = ItemEstimates.from_moments(a, variance=opts)
        eb = ItemEstimates.from_moments(b, variance=opts)
        for name in ("mean", "se", "df", "wsum"):
            _close(getattr(ea, name), getattr(eb, name))
        np.testing.assert_array_equal(ea.n, eb.n)
        ca, cb = ea.combine(np.ones(k) / k), eb.combine(np.ones(k) / k)
        for name in ("estimate", "se", "df", "deff", "n_effective"):
            _close(getattr(ca, name), getattr(cb, name))


@settings(max_examples=80, deadline=None)
@given(designs())
def test_group_cross_moments_equal_the_cells_summed(d: dict) -> None:
    cell, group = _both(d)
    assert group.cross_by_group and not cell.cross_by_group
    assert group.cross_w is None
    with pytest.raises(ValueError):
        group.cross()
    for name in ("cell_group", "cell_stratum", "pat_cell", "pat_bits", "pat_n", "psu_cell"):
        np.testing.assert_array_equal(getattr(cell, name), getattr(group, name))
    np.testing.assert_array_equal(cell.psu_count, group.psu_count)
    np.testing.assert_array_equal(cell.hist, group.hist)
    np.testing.assert_array_equal(cell.first0, group.first0)  # integer sums: exact
    _close(cell.first(), group.first())
    _close(cell.psu_first, group.psu_first)
    np.testing.assert_array_equal(group_cross(cell, False), group.cross0)
    _close(group_cross(cell, True), group.cross1())
    _same_estimates(cell, group)


@settings(max_examples=60, deadline=None)
@given(designs(), st.integers(0, 120))
def test_merged_halves_per_group_equal_the_whole(d: dict, cut: int) -> None:
    n = d["codes"].shape[0]
    cut = min(cut, n)
    cell, whole = _both(d)
    c1, g1 = _both(d, slice(0, cut))
    c2, g2 = _both(d, slice(cut, n))
    for both in (merge(g1, g2), merge(c1, g2), merge(g1, c2)):
        assert both.cross_by_group
        np.testing.assert_array_equal(whole.cross0, both.cross0)
        _close(whole.cross1(), both.cross1())
        _close(whole.first(), both.first())
        _close(whole.psu_first, both.psu_first)
        _same_estimates(cell, both)


def test_group_cross_moments_need_psus() -> None:
    from publiceval._core.errors import DataError

    with pytest.raises(DataError):
        accumulate(np.zeros(3, int), 1, np.ones((3, 1), np.int8), cell_cross=False)


def _benchmark_generator() -> Any:
    """The benchmarks' seeded survey generator (the repository root is not on sys.path)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("_bench_generate", path)
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault(spec.name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lonely", ["adjust", "certainty", "average"])
def test_design_choices_after_scoring_equal_a_second_pass(lonely: str) -> None:
    generate = _benchmark_generator()
    from publiceval._core.aggregates import recorded_structure, table_aggregates
    from publiceval._core.statistics import StatisticsOptions, design_choices

    survey = generate.make_survey(30, 3)
    data = generate.make_data(3000, 30, 3, seed=5, strata=6, psu_size=4)
    table = generate.to_table(survey, data, design=True)
    options = StatisticsOptions(lonely_psu=lonely)
    fresh = design_choices(survey, table, options)
    said = (fresh.provenance, [w.model_dump() for w in fresh.warnings])  # a pass of its own
    later = design_choices(survey, table, options)
    table_aggregates(table, respondents=False)  # the scoring's pass records the structure
    assert (later.provenance, [w.model_dump() for w in later.warnings]) == said
    assert recorded_structure(table) is None  # taken once
