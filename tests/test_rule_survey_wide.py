"""``survey-wide``: a survey-wide item rated low gives a city-wide recommendation."""

from __future__ import annotations

import pytest

from publiceval import PluginError
from rules_builders import CITY, make_evaluation, recommend, run

COMMUNICATION = {
    "item": "mayor",
    "category": {"at_or_below": "Kurang Puas"},
    "topic": "communication",
}


def test_fires_when_the_item_is_at_or_below_the_label():
    # 1.6 on 1-4 lies in the lowest of four equal bands: Tidak Puas [1, 1.75)
    recs = recommend(
        make_evaluation(CITY, survey_wide={"mayor": 1.6}), "survey-wide", COMMUNICATION
    )
    assert len(recs) == 1
    rec = recs[0]
    assert (rec.target, rec.target_kind, rec.priority) == ("city", "city", 2)
    assert rec.title.en == "Better public communication by the city government"
    assert rec.text.id.startswith(
        "Warga menilai \u201cKepuasan terhadap wali kota\u201d pada kategori Tidak Puas (rata-rata 1,60)."
    )
    ev = rec.evidence[0]
    assert (ev.metric, ev.value, ev.comparator, ev.threshold) == (
        "survey-wide item mayor",
        "Tidak Puas",
        "at or below",
        "Kurang Puas",
    )


@pytest.mark.parametrize("value", [2.5, 3.1, 4.0])
def test_does_not_fire_above_the_label(value):
    # Kurang Puas is [1.75, 2.5); 2.5 starts Puas
    ev = make_evaluation(CITY, survey_wide={"mayor": value})
    assert recommend(ev, "survey-wide", COMMUNICATION) == []


def test_score_condition_and_own_wording():
    opts = {
        "item": "program",
        "score": {"below": 2.5},
        "topic": "programme-review",
        "priority": 1,
    }
    ev = make_evaluation(CITY, survey_wide={"program": 2.2})
    (rec,) = recommend(ev, "survey-wide", opts)
    assert rec.priority == 1 and "Kurang Setuju" in rec.text.id
    assert rec.evidence[0].comparator == "<" and rec.evidence[0].threshold == 2.5
    own = {**opts, "title": {"id": "{city}: {survey_item_category}", "en": "{city}"}}
    assert recommend(ev, "survey-wide", own)[0].title.id == "Kota Uji: Kurang Setuju"


def test_unknown_item_fails_by_name_and_bad_options_are_refused():
    out = run(
        make_evaluation(CITY, survey_wide={"mayor": 1.0}),
        "survey-wide",
        {**COMMUNICATION, "item": "walkot"},
    )
    assert "survey-wide item 'walkot' has no result" in out.warnings[0].message
    assert "present: mayor" in out.warnings[0].message
    with pytest.raises(PluginError, match="give a category or a score"):
        recommend(make_evaluation(CITY), "survey-wide", {"item": "mayor"})
    with pytest.raises(PluginError, match=r"\{name\}"):
        recommend(make_evaluation(CITY), "survey-wide", {**COMMUNICATION, "title": "{name}"})
