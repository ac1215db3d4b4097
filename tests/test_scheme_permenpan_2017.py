"""``permenpan-2017``: the A–D bands of PermenPANRB 14/2017 at their published edges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publiceval import PluginError, ScoreScale
from publiceval._core.default_plugins.permenpan_2017 import IKM_EDGES, MEAN_EDGES, PermenPAN2017
from scheme_builders import MEAN_1_4 as MEAN
from scheme_builders import SERANG

IKM = ScoreScale(low=25, high=100, unit="IKM 25-100")
SCHEME = PermenPAN2017.create()


def code(value: float, scale: ScoreScale = IKM, scheme: PermenPAN2017 = SCHEME) -> str:
    cat = scheme.categorize(value, scale)
    assert cat is not None
    return cat.code


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (25.0, "D"),
        (64.99, "D"),
        (65.00, "C"),
        (76.60, "C"),
        (76.61, "B"),
        (88.30, "B"),
        (88.31, "A"),
        (100.0, "A"),
    ],
)
def test_published_band_edges_on_the_ikm(value, expected):
    assert code(value) == expected


def test_labels_codes_and_order():
    bands = SCHEME.checked_bands(IKM)
    assert [(b.code, b.label.id, b.label.en, b.order) for b in bands] == [
        ("D", "Tidak Baik", "Poor", 3),
        ("C", "Kurang Baik", "Fair", 2),
        ("B", "Baik", "Good", 1),
        ("A", "Sangat Baik", "Very good", 0),
    ]


def test_mean_edges_are_the_ikm_edges_divided_by_25():
    assert [e * 25 for e in MEAN_EDGES] == pytest.approx(list(IKM_EDGES), abs=1e-12)
    assert code(3.0644, MEAN) == "B"
    assert code(3.0643, MEAN) == "C"
    assert code(3.5324, MEAN) == "A"
    assert code(2.5999, MEAN) == "D"


def test_serang_2025_only_bpbd_is_baik_on_the_official_bands():
    codes = [code(v, MEAN) for v in SERANG]
    assert codes.count("B") == 1 and codes[0] == "B"
    assert codes.count("A") == 0
    assert codes.count("D") == 2  # RSUD and Satpol PP at 2.50


def test_precision_compares_the_printed_value():
    rounded = PermenPAN2017.create({"precision": 2})
    assert code(76.605, IKM) == "C"  # unrounded: below 76.61
    assert code(76.605, IKM, rounded) == "B"  # printed as 76.61
    assert rounded.categorize(76.605, IKM).compared_value == 76.61  # type: ignore[union-attr]


def test_other_ranges_are_refused():
    with pytest.raises(PluginError, match=r"IKM \(25–100\) and on the mean of a 1–4 scale.*0–100"):
        SCHEME.categorize(50.0, ScoreScale(low=0, high=100, unit="%"))


@given(st.floats(25, 100), st.floats(25, 100))
def test_higher_scores_never_get_a_worse_category(a, b):
    lo, hi = sorted((a, b))
    assert SCHEME.categorize(hi, IKM).order <= SCHEME.categorize(lo, IKM).order  # type: ignore[union-attr]


@given(st.floats(1, 4))
def test_every_mean_gets_exactly_one_category_and_agrees_with_the_ikm(v):
    bands = SCHEME.checked_bands(MEAN)
    inside = [b for b in bands if b.low <= v < b.high or (b is bands[-1] and v == b.high)]
    assert len(inside) == 1
    assert SCHEME.categorize(v, MEAN).code == inside[0].code  # type: ignore[union-attr]
    # away from the edges (float noise of ×25), the IKM scale gives the same category
    if all(abs(v * 25 - e) > 1e-9 for e in IKM_EDGES):
        assert code(v * 25) == inside[0].code
