"""``category-at-or-below``: every OPD in a band or worse, under the evaluation's scheme."""

from __future__ import annotations

import pytest

from publiceval import PluginError
from publiceval._core.declarative import RuleError
from rules_builders import CITY, Unit, make_evaluation, recommend, run


@pytest.mark.parametrize("ref", ["KB", "Kurang Baik", "kurang  baik", "Fair"])
def test_fires_for_the_band_and_every_worse_one(ref):
    recs = recommend(make_evaluation(CITY), "category-at-or-below", {"category": ref})
    assert sorted(r.target for r in recs) == ["b", "c", "d", "e"]
    d = next(r for r in recs if r.target == "d")
    assert d.title.id == "Perbaiki layanan D (kategori Tidak Baik)"
    assert d.title.en == "Improve the services of D (category Poor)"
    ev = d.evidence[0]
    assert (ev.metric, ev.value, ev.comparator, ev.threshold) == (
        "category",
        "Tidak Baik",
        "at or below",
        "Kurang Baik",
    )
    assert "order 2" in ev.note and "order 1" in ev.note


def test_does_not_fire_for_better_bands():
    recs = recommend(make_evaluation(CITY), "category-at-or-below", {"category": "TB"})
    assert sorted(r.target for r in recs) == ["c", "d"]
    good = [Unit("a", 3.5), Unit("b", 3.0)]
    assert recommend(make_evaluation(good), "category-at-or-below", {"category": "KB"}) == []


def test_a_band_nobody_is_in_is_still_known_from_the_scheme():
    # nobody is Tidak Baik here; the band is rebuilt from the scheme's options in the provenance
    ev = make_evaluation([Unit("a", 3.5), Unit("b", 2.7)])
    assert recommend(ev, "category-at-or-below", {"category": "Tidak Baik"}) == []
    assert [r.target for r in recommend(ev, "category-at-or-below", {"category": "KB"})] == ["b"]


def test_a_compared_scheme_can_be_chosen():
    ev = make_evaluation(CITY, compare=True)
    recs = recommend(ev, "category-at-or-below", {"category": "TB", "scheme": "lenient"})
    assert sorted(r.target for r in recs) == ["b", "c", "d"]  # lenient: Baik from 2.90


def test_unknown_band_scheme_or_no_scheme_is_a_named_failure():
    with pytest.raises(
        RuleError, match=r"'Buruk' is not a band of scheme 'cutoffs'.*KB \(Kurang Baik"
    ):
        recommend(make_evaluation(CITY), "category-at-or-below", {"category": "Buruk"})
    with pytest.raises(RuleError, match="was not used"):
        recommend(make_evaluation(CITY), "category-at-or-below", {"category": "B", "scheme": "x"})
    out = run(make_evaluation(CITY, scheme=False), "category-at-or-below", {"category": "B"})
    assert out.recommendations == []
    assert "needs a category scheme" in out.warnings[0].message
    with pytest.raises(PluginError, match="category"):
        recommend(make_evaluation(CITY), "category-at-or-below", {})
