"""``likert-interval``: equal-width classes with named label sets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publiceval import PluginError, ScoreScale
from publiceval._core.default_plugins.likert_interval import LikertInterval
from scheme_builders import MEAN_1_4 as MEAN4
from scheme_builders import SERANG

MEAN5 = ScoreScale(low=1, high=5, unit="mean 1-5")


def bands(scale=MEAN4, **options):
    return LikertInterval.create(options).checked_bands(scale)


def label(value, scale=MEAN4, **options):
    cat = LikertInterval.create(options).categorize(value, scale)
    assert cat is not None
    return cat.label.id


def test_width_075_on_1_4_with_the_quality_labels():
    b = bands()
    assert [(x.low, x.high) for x in b] == [(1, 1.75), (1.75, 2.5), (2.5, 3.25), (3.25, 4)]
    assert [(x.code, x.label.id, x.label.en, x.order) for x in b] == [
        ("TB", "Tidak Baik", "Poor", 3),
        ("KB", "Kurang Baik", "Fair", 2),
        ("B", "Baik", "Good", 1),
        ("SB", "Sangat Baik", "Very good", 0),
    ]


def test_width_08_on_1_5():
    b = bands(MEAN5, labels="satisfaction")
    assert [x.high for x in b] == pytest.approx([1.8, 2.6, 3.4, 4.2, 5.0], abs=1e-12)
    assert [x.label.id for x in b] == [
        "Sangat Tidak Puas",
        "Tidak Puas",
        "Cukup Puas",
        "Puas",
        "Sangat Puas",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "Tidak Baik"),
        (1.75, "Tidak Baik"),
        (1.76, "Kurang Baik"),
        (2.50, "Kurang Baik"),
        (2.51, "Baik"),
        (3.25, "Baik"),
        (3.26, "Sangat Baik"),
        (4.0, "Sangat Baik"),
    ],
)
def test_edges_belong_to_the_lower_class_as_the_tables_print_them(value, expected):
    assert label(value) == expected


def test_closed_left_is_an_option():
    assert label(2.5, closed="left") == "Baik"
    assert label(1.0, closed="left") == "Tidak Baik" and label(4.0, closed="left") == "Sangat Baik"


def test_serang_2025_eighteen_of_twenty_are_baik_or_better():
    cats = [LikertInterval.create().categorize(v, MEAN4) for v in SERANG]
    assert sum(c is not None and c.order <= 1 for c in cats) == 18
    assert [c.label.id for c in cats[-2:] if c] == ["Kurang Baik", "Kurang Baik"]


@pytest.mark.parametrize(
    ("labels", "best", "worst"),
    [
        ("quality", "Sangat Baik", "Tidak Baik"),
        ("satisfaction", "Sangat Puas", "Tidak Puas"),
        ("agreement", "Sangat Setuju", "Tidak Setuju"),
    ],
)
def test_label_sets(labels, best, worst):
    assert label(4.0, labels=labels) == best
    assert label(1.0, labels=labels) == worst


def test_custom_labels_and_other_ranges():
    custom = [
        {"code": "R", "label": {"id": "Rendah", "en": "Low"}},
        {"code": "S", "label": {"id": "Sedang", "en": "Medium"}},
        {"code": "T", "label": {"id": "Tinggi", "en": "High"}},
    ]
    b = bands(ScoreScale(low=0, high=100, unit="%"), labels=custom)
    assert [(x.code, x.low, x.high, x.order) for x in b] == [
        ("R", 0, pytest.approx(100 / 3), 2),
        ("S", pytest.approx(100 / 3), pytest.approx(200 / 3), 1),
        ("T", pytest.approx(200 / 3), 100, 0),
    ]
    assert bands(ScoreScale(low=0, high=100), classes=4)[0].high == 25


def test_bad_options_are_refused_with_reasons():
    with pytest.raises(PluginError, match="give 'classes'"):
        bands(ScoreScale(low=0, high=100))
    with pytest.raises(PluginError, match="has 4 or 5 classes; found classes=3"):
        bands(classes=3)
    with pytest.raises(PluginError, match="classes=2 but 3 custom labels"):
        LikertInterval.create({"classes": 2, "labels": [{"code": c, "label": c} for c in "ABC"]})


@given(st.floats(1, 4), st.floats(1, 4), st.sampled_from(["right", "left"]))
def test_monotone_and_exactly_one_class(a, b, closed):
    scheme = LikertInterval.create({"closed": closed})
    lo, hi = sorted((a, b))
    c_lo, c_hi = scheme.categorize(lo, MEAN4), scheme.categorize(hi, MEAN4)
    assert c_lo is not None and c_hi is not None
    assert c_hi.order <= c_lo.order
    bs = scheme.checked_bands(MEAN4)
    if closed == "right":
        inside = [x for x in bs if x.low < a <= x.high or (x is bs[0] and a == x.low)]
    else:
        inside = [x for x in bs if x.low <= a < x.high or (x is bs[-1] and a == x.high)]
    assert [x.code for x in inside] == [scheme.categorize(a, MEAN4).code]  # type: ignore[union-attr]
