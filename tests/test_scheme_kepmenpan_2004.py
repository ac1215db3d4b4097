"""``kepmenpan-2004``: the A–D bands of KepMenPAN 25/2004 at their published edges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publiceval import PluginError, ScoreScale
from publiceval._core.default_plugins.kepmenpan_2004 import (
    IKM_EDGES_2004,
    MEAN_EDGES_2004,
    KepMenPAN2004,
)

IKM = ScoreScale(low=25, high=100, unit="IKM 25-100")
MEAN = ScoreScale(low=1, high=4, unit="mean 1-4")
SCHEME = KepMenPAN2004.create()


def code(value: float, scale: ScoreScale = IKM) -> str:
    cat = SCHEME.categorize(value, scale)
    assert cat is not None
    return cat.code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (25.0, "D"),
        (43.75, "D"),
        (43.76, "C"),
        (62.50, "C"),
        (62.51, "B"),
        (81.25, "B"),
        (81.26, "A"),
        (100.0, "A"),
    ],
)
def test_published_band_edges_on_the_ikm(value, expected):
    assert code(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1.75, "D"), (1.76, "C"), (2.50, "C"), (2.51, "B"), (3.25, "B"), (3.26, "A"), (4.0, "A")],
)
def test_printed_mean_table_values_fall_in_their_printed_band(value, expected):
    assert code(value, MEAN) == expected


def test_mean_edges_are_the_ikm_edges_divided_by_25():
    assert [e * 25 for e in MEAN_EDGES_2004] == pytest.approx(list(IKM_EDGES_2004), abs=1e-12)
    labels = [(b.code, b.label.id, b.order) for b in SCHEME.checked_bands(MEAN)]
    assert labels == [
        ("D", "Tidak Baik", 3),
        ("C", "Kurang Baik", 2),
        ("B", "Baik", 1),
        ("A", "Sangat Baik", 0),
    ]


def test_other_ranges_are_refused():
    with pytest.raises(PluginError, match="kepmenpan-2004"):
        SCHEME.categorize(3.0, ScoreScale(low=1, high=5))


@given(st.floats(25, 100), st.floats(25, 100))
def test_higher_scores_never_get_a_worse_category(a, b):
    lo, hi = sorted((a, b))
    assert SCHEME.categorize(hi, IKM).order <= SCHEME.categorize(lo, IKM).order  # type: ignore[union-attr]


@given(st.floats(1, 4))
def test_every_mean_gets_exactly_one_category(v):
    bands = SCHEME.checked_bands(MEAN)
    inside = [b for b in bands if b.low <= v < b.high or (b is bands[-1] and v == b.high)]
    assert len(inside) == 1
    assert code(v, MEAN) == inside[0].code
