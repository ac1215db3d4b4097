"""``ombudsman-2021``: the hijau / kuning / merah compliance zones on 0–100."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publiceval import PluginError, ScoreScale
from publiceval._core.default_plugins.ombudsman_2021 import Ombudsman2021

PCT = ScoreScale(low=0, high=100, unit="%")
SCHEME = Ombudsman2021.create()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, "merah"),
        (50.99, "merah"),
        (51.0, "kuning"),
        (80.99, "kuning"),
        (81.0, "hijau"),
        (100.0, "hijau"),
    ],
)
def test_published_zone_edges(value, expected):
    assert SCHEME.categorize(value, PCT).code == expected  # type: ignore[union-attr]


def test_labels_are_bilingual_and_ordered_best_first():
    bands = SCHEME.checked_bands(PCT)
    assert [(b.code, b.order) for b in bands] == [("merah", 2), ("kuning", 1), ("hijau", 0)]
    assert bands[2].label.id.startswith("Zona hijau") and bands[2].label.en.startswith("Green")


def test_sub_ranges_of_0_100_are_accepted_and_others_refused():
    assert SCHEME.categorize(90.0, ScoreScale(low=25, high=100)).code == "hijau"  # type: ignore[union-attr]
    with pytest.raises(PluginError, match="defined on 0–100; the scores are on -100–100"):
        SCHEME.categorize(10.0, ScoreScale(low=-100, high=100, unit="NPS"))


def test_precision_option():
    assert SCHEME.categorize(80.996, PCT).code == "kuning"  # type: ignore[union-attr]
    rounded = Ombudsman2021.create({"precision": 2})
    assert rounded.categorize(80.996, PCT).code == "hijau"  # type: ignore[union-attr]


@given(st.floats(0, 100), st.floats(0, 100))
def test_monotone_and_total(a, b):
    lo, hi = sorted((a, b))
    c_lo, c_hi = SCHEME.categorize(lo, PCT), SCHEME.categorize(hi, PCT)
    assert c_lo is not None and c_hi is not None
    assert c_hi.order <= c_lo.order
