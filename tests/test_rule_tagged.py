"""``tagged``: OPDs of a kind (tags) that also score low, with wording fit for the kind."""

from __future__ import annotations

import pytest

from publiceval import PluginError
from rules_builders import CITY, make_evaluation, recommend


def test_fires_for_a_tagged_opd_that_meets_the_condition():
    recs = recommend(
        make_evaluation(CITY),
        "tagged",
        {"tags": ["basic-service"], "category": {"at_or_below": "Kurang Baik"}},
    )
    assert [r.target for r in recs] == ["b"]
    rec = recs[0]
    assert rec.title.id == "Perhatian mendesak untuk layanan dasar B"
    assert rec.title.en == "Urgent attention for the basic services of B"
    assert "skor 2,70, peringkat 3 dari 5, kategori Kurang Baik" in rec.text.id
    assert "score 2.70, rank 3 of 5, category Fair" in rec.text.en
    metrics = [(e.metric, e.comparator) for e in rec.evidence]
    assert metrics == [("tags", "has any of"), ("category", "at or below")]


def test_does_not_fire_when_tag_or_condition_is_missing():
    ev = make_evaluation(CITY)
    # b is a basic service but not among the two lowest
    assert recommend(ev, "tagged", {"tags": ["basic-service"], "rank": {"bottom": 2}}) == []
    # c and d are among the lowest but not basic services; a is tagged differently
    assert recommend(ev, "tagged", {"tags": ["administrative"], "score": {"below": 3.0}}) == []


@pytest.mark.parametrize(
    ("tag", "target", "words"),
    [
        ("enforcement", "c", "fundamental change of approach"),
        ("transport", "d", "transport infrastructure"),
        ("employment", "e", "measurable"),
    ],
)
def test_presets_per_kind_of_service(tag, target, words):
    recs = recommend(make_evaluation(CITY), "tagged", {"tags": [tag], "score": {"below": 3.0}})
    assert [r.target for r in recs] == [target]
    assert words in recs[0].title.en + recs[0].text.en


def test_match_all_and_own_wording():
    ev = make_evaluation(CITY)
    opts = {"tags": ["transport", "health"], "match": "all", "rank": {"bottom": 5}}
    assert recommend(ev, "tagged", opts) == []
    opts = {"tags": ["transport", "infrastructure"], "match": "all", "rank": {"at_least": 4}}
    opts["title"] = {"id": "Transportasi: {short_name}", "en": "Transport: {short_name}"}
    recs = recommend(ev, "tagged", opts)
    assert [(r.target, r.title.en) for r in recs] == [("d", "Transport: D")]


def test_a_tag_alone_is_refused():
    with pytest.raises(PluginError, match="add a category, rank or score condition"):
        recommend(make_evaluation(CITY), "tagged", {"tags": ["basic-service"]})
