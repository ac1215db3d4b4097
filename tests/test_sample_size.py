"""Krejcie & Morgan and Slovin against their published values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from publiceval._core.errors import PublicevalError
from publiceval._core.sample_size import krejcie_morgan, slovin

# Entries of the table in Krejcie & Morgan (1970), "Determining sample size for research
# activities", Educational and Psychological Measurement 30, p. 608.
KM_TABLE = {
    10: 10,
    15: 14,
    20: 19,
    30: 28,
    50: 44,
    100: 80,
    200: 132,
    300: 169,
    500: 217,
    1000: 278,
    2000: 322,
    5000: 357,
    10000: 370,
    20000: 377,
    50000: 381,
    1000000: 384,
}


@pytest.mark.parametrize(("population", "expected"), sorted(KM_TABLE.items()))
def test_krejcie_morgan_reproduces_the_published_table(population, expected):
    assert krejcie_morgan(population) == expected


def test_krejcie_morgan_is_vectorised_and_infinite_population_gives_384():
    got = krejcie_morgan(np.array([100.0, 1000.0, 1e6, np.inf, np.nan]))
    assert got.tolist() == [80, 278, 384, 384, 384]


def test_krejcie_morgan_formula_by_hand():
    # S = 3.841·N·0.25 / (0.0025·(N−1) + 3.841·0.25) at N = 400: 384.1/(0.9975+0.96025) = 196.195
    assert krejcie_morgan(400) == 196
    # a 10% margin: 3.841·0.25/0.01 = 96.025 → 96
    assert krejcie_morgan(math.inf, margin=0.1) == 96


def test_slovin_by_hand():
    assert slovin(1000) == 286  # 1000 / 3.5 = 285.71 → 286
    assert slovin(100) == 80  # 100 / 1.25 = 80 exactly
    assert slovin(500, margin=0.1) == 84  # 500 / 6 = 83.3 → 84
    assert slovin(np.inf) == 400


@pytest.mark.parametrize(
    "call",
    [
        lambda: krejcie_morgan(0),
        lambda: krejcie_morgan(100, p=1.5),
        lambda: krejcie_morgan(100, margin=0),
        lambda: slovin(-5),
        lambda: slovin(100, margin=2),
    ],
)
def test_bad_input_is_refused(call):
    with pytest.raises(PublicevalError, match="expected"):
        call()


@given(st.integers(1, 10**7))
def test_sizes_never_exceed_the_population_and_grow_with_it(n):
    for rule in (krejcie_morgan, slovin):
        assert 1 <= rule(n) <= n
        assert rule(n + 1) >= rule(n)
