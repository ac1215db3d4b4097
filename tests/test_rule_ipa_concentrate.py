"""``ipa-concentrate``: items in the concentrate-here quadrant of importance–performance analysis."""

from __future__ import annotations

import pytest

from publiceval._core.declarative import RuleError
from rules_builders import CITY, make_evaluation, recommend, run


def cell(imp, perf, quadrant):
    return {"importance": imp, "performance": perf, "quadrant": quadrant}


IPA = {
    "b": {
        "u1": cell(3.6, 2.9, "concentrate-here"),
        "u2": cell(3.8, 2.4, "concentrate-here"),
        "u3": cell(2.1, 2.8, "low-priority"),
    },
    "a": {
        "u1": cell(3.6, 3.4, "keep-up-the-good-work"),
        "u2": cell(2.0, 3.1, "possible-overkill"),
    },
}


def test_fires_for_concentrate_here_items_lowest_performance_first():
    recs = recommend(make_evaluation(CITY, extras={"ipa": IPA}), "ipa-concentrate")
    assert [r.target for r in recs] == ["b"]
    rec = recs[0]
    assert rec.title.id == "Prioritas utama perbaikan B: Waktu, Persyaratan"
    assert "lowest performance 2.40" in rec.text.en
    quadrant, importance, performance = rec.evidence[:3]
    assert (quadrant.metric, quadrant.value, quadrant.comparator) == (
        "IPA quadrant u2",
        "concentrate-here",
        "=",
    )
    assert (importance.value, performance.value) == (3.8, 2.4)


def test_does_not_fire_outside_the_quadrant():
    only_a = {"a": IPA["a"]}
    assert recommend(make_evaluation(CITY, extras={"ipa": only_a}), "ipa-concentrate") == []


def test_max_items_and_labels():
    recs = recommend(
        make_evaluation(CITY, extras={"ipa": IPA}),
        "ipa-concentrate",
        {"max_items": 1, "labels": {"u2": {"id": "Kecepatan", "en": "Speed"}}},
    )
    assert recs[0].title.en == "Concentrate here at B: Speed"


def test_missing_or_malformed_ipa_results_fail_by_name():
    out = run(make_evaluation(CITY), "ipa-concentrate")
    assert out.recommendations == []
    assert out.warnings[0].code == "rule_failed"
    assert (
        "'ipa-concentrate'" in out.warnings[0].message and "'ipa' method" in out.warnings[0].message
    )
    bad = {"b": {"u1": cell(3.0, 2.0, "concentrate")}}
    with pytest.raises(RuleError, match=r"extras\['ipa'\]\['b'\]\['u1'\]: quadrant must be one of"):
        recommend(make_evaluation(CITY, extras={"ipa": bad}), "ipa-concentrate")
    bad = {"b": {"u1": {"importance": "high", "performance": 2.0, "quadrant": "low-priority"}}}
    with pytest.raises(RuleError, match="expected a number; found 'high'"):
        recommend(make_evaluation(CITY, extras={"ipa": bad}), "ipa-concentrate")


def test_end_to_end_with_the_ipa_method():
    """Performance items p1, p2 with paired importance items; the grid crosses at the OPD means."""
    import publiceval as pe
    from builders import quality_scale

    survey = pe.Survey(
        title="IPA",
        scales=(quality_scale(),),
        items=(
            pe.Item(id="p1", text="Waktu", scale="quality", element="Waktu"),
            pe.Item(id="p2", text="Biaya", scale="quality", element="Biaya"),
            pe.Item(
                id="i1", text="Waktu (penting)", scale="quality", role="importance", pairs_with="p1"
            ),
            pe.Item(
                id="i2", text="Biaya (penting)", scale="quality", role="importance", pairs_with="p2"
            ),
        ),
        opds=(pe.OPD(id="x", name="Dinas X"),),
    )
    # p1 mean 2, i1 mean 4 (important, weak: concentrate here); p2 mean 3.5, i2 mean 2
    rows = [
        {"respondent": "r1", "opd": "x", "p1": 2, "p2": 4, "i1": 4, "i2": 2},
        {"respondent": "r2", "opd": "x", "p1": 2, "p2": 3, "i1": 4, "i2": 2},
    ]
    ev = pe.evaluate(survey, rows, method="ipa", rules=["ipa-concentrate"])
    assert [w for w in ev.warnings if w.code == "rule_failed"] == []
    (rec,) = ev.recommendations
    assert rec.target == "x" and rec.title.en == "Concentrate here at Dinas X: Waktu"
    importance, performance = rec.evidence[1], rec.evidence[2]
    # cut points are the OPD's means: importance (4 + 2) / 2 = 3, performance (2 + 3.5) / 2 = 2.75
    assert (importance.value, importance.comparator, importance.threshold) == (4.0, ">=", 3.0)
    assert (performance.value, performance.comparator, performance.threshold) == (2.0, "<", 2.75)
