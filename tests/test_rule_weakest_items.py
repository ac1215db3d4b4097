"""``weakest-items``: a follow-up plan from each OPD's lowest items (*unsur*)."""

from __future__ import annotations

import pytest

from publiceval import PluginError
from rules_builders import CITY, Unit, make_evaluation, recommend


def _by_target(recs):
    return {r.target: r for r in recs}


def test_names_each_opds_lowest_items_ties_included():
    recs = _by_target(recommend(make_evaluation(CITY), "weakest-items"))
    # e has three equal items: none is weaker, so no plan
    assert sorted(recs) == ["a", "b", "c", "d"]
    assert recs["b"].title.id == "Rencana tindak lanjut B: Waktu"
    assert recs["d"].title.en == "Follow-up plan for D: Persyaratan, Waktu"
    # u3 has no SKM element, so the item's text names it, in each language
    assert recs["a"].title.id == "Rencana tindak lanjut A: Waktu, Biaya"
    assert recs["a"].title.en == "Follow-up plan for A: Waktu, Cost"
    ev = recs["b"].evidence[0]
    assert (ev.metric, ev.value, ev.comparator, ev.threshold) == ("item score u2", 2.4, "<=", 2.4)
    assert "terendah 2,40" in recs["b"].text.id and "lowest 2.40" in recs["b"].text.en


def test_below_keeps_strong_opds_out():
    recs = _by_target(recommend(make_evaluation(CITY), "weakest-items", {"below": 2.3}))
    assert sorted(recs) == ["c", "d"]
    assert [e.comparator for e in recs["c"].evidence] == ["<=", "<"]
    assert recommend(make_evaluation(CITY), "weakest-items", {"below": 1.5}) == []


def test_does_not_fire_without_item_results():
    # published aggregates carry no item scores: no plan can be made
    assert recommend(make_evaluation([Unit("a", 2.0), Unit("b", 3.0)]), "weakest-items") == []


def test_n_actions_labels_and_opds_filter():
    recs = recommend(
        make_evaluation(CITY),
        "weakest-items",
        {
            "n": 2,
            "opds": ["c"],
            "labels": {"u3": {"id": "Tarif", "en": "Tariff"}},
            "actions": {
                "Persyaratan": {"id": "Sederhanakan syarat.", "en": "Simplify requirements."}
            },
        },
    )
    assert [r.target for r in recs] == ["c"]
    assert recs[0].title.en == "Follow-up plan for C: Persyaratan, Tariff"
    assert recs[0].text.en.endswith("Steps: Persyaratan: Simplify requirements.")
    assert recs[0].text.id.endswith("Langkah: Persyaratan: Sederhanakan syarat.")


def test_bad_options_are_refused():
    with pytest.raises(PluginError, match="n"):
        recommend(make_evaluation(CITY), "weakest-items", {"n": 0})
    with pytest.raises(PluginError, match=r"\{actionz\}"):
        recommend(make_evaluation(CITY), "weakest-items", {"text": "{actionz}"})
