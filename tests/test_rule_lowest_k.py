"""``lowest-k``: the k lowest-ranked OPDs, everyone tied at the cut included."""

from __future__ import annotations

import pytest

from publiceval import PluginError
from rules_builders import CITY, Unit, make_evaluation, recommend


def test_fires_for_the_k_lowest_with_ties_at_the_cut():
    recs = recommend(make_evaluation(CITY), "lowest-k", {"k": 1})
    # c and d share the last rank (2.3), so k = 1 names both
    assert sorted(r.target for r in recs) == ["c", "d"]
    c = next(r for r in recs if r.target == "c")
    assert c.priority == 1 and c.rule == "lowest-k"
    assert (
        c.text.id
        == "Dinas C berada di peringkat 4 dari 5 dengan skor 2,30; termasuk 1 OPD terendah."
    )
    assert c.text.en == "Dinas C ranks 4 of 5 with a score of 2.30; it is among the 1 lowest OPDs."
    rank = c.evidence[0]
    assert (rank.metric, rank.value, rank.comparator, rank.threshold) == ("rank", 4, ">=", 4)


def test_does_not_fire_above_the_cut():
    recs = recommend(make_evaluation(CITY), "lowest-k", {"k": 3})
    assert sorted(r.target for r in recs) == ["b", "c", "d"]
    assert "a" not in {r.target for r in recs} and "e" not in {r.target for r in recs}


def test_unscored_opds_are_never_named():
    ev = make_evaluation([Unit("x", None), Unit("y", 3.0), Unit("z", 2.0)])
    assert [r.target for r in recommend(ev, "lowest-k", {"k": 5})] == ["y", "z"]
    assert recommend(make_evaluation([Unit("x", None)]), "lowest-k", {"k": 1}) == []


def test_own_wording_is_checked_and_used():
    recs = recommend(
        make_evaluation(CITY),
        "lowest-k",
        {"k": 1, "title": {"id": "Bawah {k}: {short_name}", "en": "Bottom {k}: {short_name}"}},
    )
    assert {r.title.en for r in recs} == {"Bottom 1: C", "Bottom 1: D"}
    with pytest.raises(PluginError, match=r"unknown placeholder \{kk\}"):
        recommend(make_evaluation(CITY), "lowest-k", {"title": "{kk}"})
