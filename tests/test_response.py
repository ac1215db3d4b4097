from __future__ import annotations

import pytest
from pydantic import ValidationError

from publiceval import Response


def error_type(exc: ValidationError) -> str:
    return exc.errors()[0]["type"]


def test_labels_become_points(survey):
    r = Response.validate_for(
        survey,
        {
            "respondent": "r1",
            "opd": "opd0",
            "answers": {"q1": " sangat  BAIK ", "q2": "3", "q3": 2.0},
        },
    )
    assert r.answers == {"q1": 4, "q2": 3, "q3": 2}


@pytest.mark.parametrize(
    ("answers", "code", "text"),
    [
        ({"q1": 5}, "out_of_range", "expected 1..4 on scale 'quality'; found 5"),
        ({"q1": 2.5}, "not_integer", "whole point"),
        ({"q1": "Luar biasa"}, "unknown_label", "unknown answer 'Luar biasa'"),
        ({"q9": 1}, "unknown_item", "unknown per-OPD or survey-wide item 'q9'"),
        ({"q1": None, "q2": ""}, "no_answers", "none of the items"),
    ],
)
def test_bad_answers_carry_reason_codes(survey, answers, code, text):
    with pytest.raises(ValidationError) as info:
        Response.validate_for(survey, {"respondent": "r1", "opd": "opd0", "answers": answers})
    assert error_type(info.value) == code
    assert text in str(info.value)


def test_unknown_opd_and_bad_weight(survey):
    with pytest.raises(ValidationError) as info:
        Response.validate_for(survey, {"respondent": "r1", "opd": "nope", "answers": {"q1": 1}})
    assert error_type(info.value) == "unknown_opd"
    with pytest.raises(ValidationError) as info:
        Response.validate_for(
            survey, {"respondent": "r1", "opd": "opd0", "answers": {"q1": 1}, "weight": -1}
        )
    assert error_type(info.value) == "bad_weight"


def test_survey_wide_response_has_no_opd(survey):
    r = Response.validate_for(survey, {"respondent": "r1", "answers": {"mayor": "puas"}})
    assert r.answers == {"mayor": 3}
    with pytest.raises(ValidationError, match="unknown survey-wide item 'q1'"):
        Response.validate_for(survey, {"respondent": "r1", "answers": {"q1": 3}})


def test_missing_is_none_not_a_number(survey):
    r = Response.validate_for(
        survey, {"respondent": "r1", "opd": "opd0", "answers": {"q1": "NA", "q2": 3}}
    )
    assert r.answers["q1"] is None
