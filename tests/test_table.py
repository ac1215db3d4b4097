from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from builders import make_survey
from publiceval import ColumnMap, DataError, Response, ResponseTable

SURVEY = make_survey()


def test_rows_become_columns_with_explicit_missing(survey):
    t = ResponseTable.from_rows(
        survey,
        [
            {"respondent": "r1", "opd": "opd0", "q1": 4, "q2": "Baik", "q3": None, "mayor": "Puas"},
            {"respondent": "r1", "opd": "Dinas Nomor 1", "q1": 2, "q2": 2, "q3": 1},
        ],
    )
    assert t.rejects.rows_read == 2 and t.rejects.rows_used == 2
    assert t.per_opd.opd.tolist() == [0, 1]
    assert t.per_opd.values[0].tolist()[:2] == [4, 3]
    assert t.per_opd.observed.tolist() == [[True, True, False], [True, True, True]]
    assert t.survey_wide.values.tolist() == [[3]]
    assert t.n_respondents == 1


def test_every_bad_row_is_logged_with_row_column_value_and_reason(survey):
    rows = [
        {"respondent": "r1", "opd": "opd0", "q1": 4},
        {"respondent": "r2", "opd": "Dinas Nomr 1", "q1": 4},
        {"respondent": "r3", "opd": "opd0", "q1": 7, "q2": "huh"},
        {"respondent": "", "opd": "opd0", "q1": 1},
        {"respondent": "r4", "opd": "opd0"},
        {"respondent": "r1", "opd": "opd0", "q1": 2},
        {"respondent": "r5", "opd": "opd2", "q1": 2, "q3": "=1+1"},
    ]
    t = ResponseTable.from_rows(survey, rows)
    log = t.rejects
    assert (log.rows_read, log.rows_used, log.rows_rejected) == (7, 1, 6)
    got = {(e.row, e.column, e.reason.value) for e in log.entries}
    assert got == {
        (2, "opd", "unknown_opd"),
        (3, "q1", "out_of_range"),
        (3, "q2", "unknown_label"),
        (4, "respondent", "missing_respondent"),
        (5, None, "no_answers"),
        (6, "respondent", "duplicate_response"),
        (7, "q3", "unknown_label"),
    }
    unknown = next(e for e in log.entries if e.reason.value == "unknown_opd")
    assert "did you mean 'Dinas Nomor 1'?" in unknown.message
    assert unknown.value == "Dinas Nomr 1"
    dup = next(e for e in log.entries if e.reason.value == "duplicate_response")
    assert "in row 1" in dup.message
    assert [e.row for e in log.entries] == sorted(e.row for e in log.entries)


def test_a_declared_weight_column_must_hold_positive_numbers(survey):
    rows = [
        {"respondent": "r1", "opd": "opd0", "q1": 2, "weight": "1,5"},
        {"respondent": "r2", "opd": "opd0", "q1": 2, "weight": -3},
        {"respondent": "r3", "opd": "opd0", "q1": 2},
        {"respondent": "r4", "opd": "opd0", "q1": 2, "weight": "berat"},
    ]
    t = ResponseTable.from_rows(survey, rows)
    assert t.per_opd.weight.tolist() == [1.5]
    assert [(e.row, e.reason.value) for e in t.rejects.entries] == [
        (2, "bad_weight"),
        (3, "bad_weight"),
        (4, "bad_weight"),
    ]
    assert "weight is empty" in t.rejects.entries[1].message


def test_conflicting_survey_wide_answers_reject_the_later_row(survey):
    t = ResponseTable.from_rows(
        survey,
        [
            {"respondent": "r1", "opd": "opd0", "q1": 3, "mayor": 1},
            {"respondent": "r1", "opd": "opd1", "q1": 3, "mayor": 1},
            {"respondent": "r1", "opd": "opd2", "q1": 3, "mayor": 4},
        ],
    )
    assert [e.reason.value for e in t.rejects.entries] == ["conflicting_answer"]
    assert t.rejects.entries[0].row == 3
    assert t.survey_wide.values.tolist() == [[1]]


def test_unknown_keys_in_dict_rows_are_rejected_not_dropped(survey):
    t = ResponseTable.from_rows(survey, [{"respondent": "r1", "opd": "opd0", "q1": 3, "qq": 2}])
    assert t.rejects.entries[0].reason.value == "unknown_item"
    assert t.rejects.rows_used == 0


def test_from_arrays_numeric_fast_path(survey):
    answers = np.array([[1, 2, np.nan], [4, 4, 4], [9, 1, 1]])
    t = ResponseTable.from_arrays(survey, opd=[0, 1, 2], answers=answers)
    assert t.rejects.rows_rejected == 1
    assert t.rejects.entries[0].reason.value == "out_of_range"
    assert t.per_opd.observed[0].tolist() == [True, True, False]


def test_from_arrays_refuses_wrong_shape(survey):
    with pytest.raises(DataError, match=r"answers must be \(rows × 3\)"):
        ResponseTable.from_arrays(survey, opd=[0], answers=np.zeros((1, 2)))


def test_missing_mapped_column_is_a_clear_error(survey):
    with pytest.raises(DataError, match="expected a weight column 'bobot'"):
        ResponseTable.from_columns(
            survey,
            {"respondent": ["a"], "opd": ["opd0"], "q1": [1]},
            mapping=ColumnMap(weight="bobot"),
        )


def test_required_items(survey):
    items = tuple(
        i.model_copy(update={"required": True}) if i.id == "q2" else i for i in survey.items
    )
    s = survey.model_copy(update={"items": items})
    s = type(survey).model_validate(s.model_dump())
    t = ResponseTable.from_rows(s, [{"respondent": "r", "opd": "opd0", "q1": 3}])
    assert t.rejects.entries[0].reason.value == "missing_required"


CELL = st.one_of(
    st.none(),
    st.integers(-2, 6),
    st.sampled_from(["", "NA", "Baik", "sangat baik", "3", "2,0", "2.5", "xx", "=1+1", "1e9"]),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
)
ROW = st.fixed_dictionaries(
    {
        "respondent": st.sampled_from(["r1", "r2", "r3"]),
        "opd": st.sampled_from(["opd0", "opd1", "nope", None]),
        "q1": CELL,
        "q2": CELL,
        "mayor": CELL,
    }
)


@settings(max_examples=150, deadline=None)
@given(row=ROW)
def test_single_record_and_columnar_paths_agree(row):
    """A row the table rejects is one Response refuses, with the same reason codes."""
    table = ResponseTable.from_rows(SURVEY, [row])
    codes = {e.reason.value for e in table.rejects.entries}
    data = {
        "respondent": row["respondent"],
        "opd": row["opd"],
        "answers": {k: row[k] for k in ("q1", "q2", "mayor")},
    }
    try:
        Response.validate_for(SURVEY, data)
        response_codes: set[str] = set()
    except ValidationError as exc:
        response_codes = {str(exc.errors()[0]["type"])}
    if (
        row["opd"] is None
        and any(row[k] not in (None, "", "NA") for k in ("q1", "q2"))
        and not codes - {"missing_opd"}
    ):
        return  # a survey-wide Response cannot carry per-OPD answers: UNKNOWN_ITEM vs MISSING_OPD
    assert bool(codes) == bool(response_codes)
    if response_codes:
        assert response_codes <= codes | {"unknown_item"}


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(ROW, max_size=25))
def test_reject_counts_always_add_up(rows):
    t = ResponseTable.from_rows(SURVEY, rows)
    log = t.rejects
    assert log.rows_read == len(rows)
    assert log.rows_used + log.rows_rejected == log.rows_read
    used_rows = set(t.per_opd.source_row.tolist()) | set(t.survey_wide.source_row.tolist())
    assert used_rows.isdisjoint({e.row for e in log.entries})
    # a missing answer is never a number: the builder stores 0 under the mask, never a value
    assert not t.per_opd.values[~t.per_opd.observed].any()
    assert not t.survey_wide.values[~t.survey_wide.observed].any()
    assert np.all(t.per_opd.observed.any(axis=1))
