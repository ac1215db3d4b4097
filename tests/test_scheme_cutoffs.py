"""``cutoffs``: bands the study gives itself."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publiceval import PluginError
from publiceval._core.default_plugins.cutoffs import Cutoffs
from scheme_builders import MEAN_1_4 as MEAN
from scheme_builders import SERANG

BAIK_AT_3 = {
    "bands": [
        {"code": "B", "label": {"id": "Baik", "en": "Good"}, "low": 3.0},
        {"code": "TB", "label": {"id": "Tidak Baik", "en": "Not good"}, "low": 1.0},
    ]
}


def test_a_cut_off_at_3_reproduces_three_of_twenty_baik_in_serang_2025():
    scheme = Cutoffs.create(BAIK_AT_3)
    codes = [scheme.categorize(v, MEAN).code for v in SERANG]  # type: ignore[union-attr]
    assert codes.count("B") == 3
    bands = scheme.checked_bands(MEAN)
    assert [(b.code, b.low, b.high, b.order) for b in bands] == [("TB", 1, 3, 1), ("B", 3, 4, 0)]


def test_closed_side_decides_where_an_edge_value_goes():
    assert Cutoffs.create(BAIK_AT_3).categorize(3.0, MEAN).code == "B"  # type: ignore[union-attr]
    right = Cutoffs.create({**BAIK_AT_3, "closed": "right"})
    assert right.categorize(3.0, MEAN).code == "TB"  # type: ignore[union-attr]
    assert right.categorize(1.0, MEAN).code == "TB"  # type: ignore[union-attr]
    assert right.categorize(4.0, MEAN).code == "B"  # type: ignore[union-attr]


def test_gaps_are_refused():
    gap = {
        "bands": [
            {"code": "B", "label": "Baik", "low": 3.0},
            {"code": "TB", "label": "Tidak Baik", "low": 1.0, "high": 2.5},
        ]
    }
    with pytest.raises(PluginError, match="gap between band 'TB'"):
        Cutoffs.create(gap).categorize(2.7, MEAN)


@given(st.floats(1, 4), st.floats(1, 4), st.sampled_from(["left", "right"]))
def test_monotone_and_total(a, b, closed):
    scheme = Cutoffs.create({**BAIK_AT_3, "closed": closed})
    lo, hi = sorted((a, b))
    c_lo, c_hi = scheme.categorize(lo, MEAN), scheme.categorize(hi, MEAN)
    assert c_lo is not None and c_hi is not None
    assert c_hi.order <= c_lo.order
