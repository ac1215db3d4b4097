from __future__ import annotations

import pytest
from pydantic import ValidationError

from builders import make_survey, quality_scale
from publiceval import OPD, Item, Scale, ScaleLabel, Survey, Text


def test_labels_and_aliases_match_case_and_space_insensitively():
    scale = quality_scale()
    assert scale.lookup["sangat baik"] == 4
    assert scale.lookup["very good"] == 4
    assert scale.lookup["tb"] == 1
    assert scale.points == 4


def test_scale_refuses_label_outside_its_bounds():
    with pytest.raises(ValidationError, match="outside 1..4"):
        Scale(id="s", min=1, max=4, labels=(ScaleLabel(value=5, label=Text(id="x", en="x")),))


def test_scale_refuses_an_alias_that_means_two_points():
    with pytest.raises(ValidationError, match="maps to both"):
        Scale(
            id="s",
            min=1,
            max=4,
            labels=(ScaleLabel(value=1, label=Text(id="Buruk", en="Bad")),),
            aliases={"buruk": 2},
        )


def test_duplicate_ids_are_named():
    s = make_survey()
    with pytest.raises(ValidationError, match=r"duplicate OPD id\(s\): a"):
        Survey(
            title="t",
            scales=s.scales,
            items=s.items,
            opds=(OPD(id="a", name="A"), OPD(id="a", name="B")),
        )


def test_unknown_scale_is_named_with_the_known_ones():
    s = make_survey()
    with pytest.raises(
        ValidationError,
        match=r"item 'x' uses unknown scale 'likert7' \(known: quality, satisfaction\)",
    ):
        Survey(
            title="t",
            scales=s.scales,
            items=(*s.items, Item(id="x", text="x", scale="likert7")),
            opds=s.opds,
        )


def test_weights_must_sum_to_one():
    s = make_survey()
    items = tuple(
        i.model_copy(update={"weight": 0.3}) if i.scope == "opd" and i.role == "performance" else i
        for i in s.items
    )
    with pytest.raises(ValidationError, match="sum to 0.9"):
        Survey(title="t", scales=s.scales, items=items, opds=s.opds)
    ninth = tuple(
        i.model_copy(update={"weight": 1 / 3}) if i.scope == "opd" else i for i in s.items
    )
    assert Survey(title="t", scales=s.scales, items=ninth, opds=s.opds)


def test_partial_weights_are_refused():
    s = make_survey()
    items = tuple(
        i.model_copy(update={"weight": 0.5}) if i.id in ("q1", "q2") else i for i in s.items
    )
    with pytest.raises(ValidationError, match="not for: q3"):
        Survey(title="t", scales=s.scales, items=items, opds=s.opds)


def test_bad_ids_are_refused():
    with pytest.raises(ValidationError, match="OPD id must start"):
        OPD(id="dinas kesehatan", name="x")


def test_text_accepts_a_plain_string_for_both_languages():
    assert Text.model_validate("Persyaratan") == Text(id="Persyaratan", en="Persyaratan")
    assert Text.model_validate({"id": "Baik"}).en == "Baik"


def test_survey_splits_items_by_scope(survey):
    assert [i.id for i in survey.opd_items] == ["q1", "q2", "q3"]
    assert [i.id for i in survey.survey_items] == ["mayor"]
    assert survey.opd("opd1").label == "D1"
