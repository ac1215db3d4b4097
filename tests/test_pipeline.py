from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import publiceval
from builders import make_survey
from publiceval import Evaluation, PublishedScore, PublishedScores, ResponseTable, evaluate
from publiceval._core.ranking import competition_ranks

SURVEY = make_survey()
NA = None


def hand_rows():
    # OPD 0: three respondents; q3 is reverse-coded (1 -> 4, 3 -> 2)
    return [
        {"respondent": "r1", "opd": "opd0", "q1": 4, "q2": 3, "q3": 1, "mayor": 1},
        {"respondent": "r2", "opd": "opd0", "q1": 2, "q2": NA, "q3": 3, "mayor": 2},
        {"respondent": "r3", "opd": "opd0", "q1": 3, "q2": 2, "q3": NA},
        {"respondent": "r1", "opd": "opd1", "q1": 4, "q2": 4, "q3": 1},
        {"respondent": "r2", "opd": "opd1", "q1": 3, "q2": 4, "q3": 2},
    ]


def test_mean_matches_hand_computation():
    ev = evaluate(SURVEY, hand_rows())
    r = ev.opd("opd0")
    # item means 3, 2.5 and 3 (reversed) -> 2.8333
    assert r.score.value == pytest.approx(17 / 6, abs=1e-12)
    assert [i.score.value for i in r.items] == pytest.approx([3.0, 2.5, 3.0])
    # linearised SE by hand: z = (13, -10, -3)/36, var = 3/2 * sum z^2 = 417/1296
    assert r.score.se == pytest.approx(math.sqrt(417) / 36, abs=1e-12)
    assert r.score.df == 2
    t = stats.t.ppf(0.975, 2)
    assert r.score.ci is not None
    # the t interval, clipped to the 1-4 scale the mean cannot leave
    assert r.score.ci.low == pytest.approx(max(1.0, 17 / 6 - t * math.sqrt(417) / 36))
    assert r.score.n == 3
    assert r.items[1].distribution == {"1": 0, "2": 1, "3": 1, "4": 0}


def test_complete_data_se_equals_standard_error_of_respondent_means():
    rng = np.random.default_rng(3)
    answers = rng.integers(1, 5, size=(40, 3)).astype(float)
    table = ResponseTable.from_arrays(SURVEY, opd=np.zeros(40, int), answers=answers)
    ev = evaluate(SURVEY, table)
    oriented = answers.copy()
    oriented[:, 2] = 5 - oriented[:, 2]
    row_means = oriented.mean(axis=1)
    r = ev.opd("opd0")
    assert r.score.value == pytest.approx(row_means.mean(), abs=1e-12)
    assert r.score.se == pytest.approx(stats.sem(row_means), abs=1e-12)


def test_survey_wide_items_are_scored_once_per_respondent_and_categorised():
    ev = evaluate(SURVEY, hand_rows())
    mayor = ev.survey_wide[0]
    assert mayor.score.value == pytest.approx(1.5)
    assert mayor.score.n == 2
    assert mayor.category is not None
    assert mayor.category.label.id == "Tidak Puas"  # [1, 1.75)


def test_ties_share_a_rank_and_precision_makes_printed_ties():
    assert competition_ranks([3.0, 2.5, 2.5, 2.0, None]) == [1, 2, 2, 4, None]
    assert competition_ranks([2.501, 2.4951, 2.7]) == [2, 3, 1]
    assert competition_ranks([2.501, 2.4951, 2.7], precision=2) == [2, 2, 1]


def test_categories_and_rules_and_provenance():
    ev = evaluate(
        SURVEY,
        hand_rows(),
        scheme=(
            "cutoffs",
            {
                "bands": [
                    {"code": "B", "label": "Baik", "low": 3.0},
                    {"code": "K", "label": "Kurang"},
                ]
            },
        ),
        rules=[("lowest-k", {"k": 1})],
    )
    assert ev.opd("opd1").category.code == "B"
    assert ev.opd("opd0").category.code == "K"
    assert [(r.target, r.rule) for r in ev.recommendations] == [("opd0", "lowest-k")]
    assert ev.recommendations[0].evidence[0].metric == "rank"
    assert ev.provenance.method.name == "mean"
    assert ev.provenance.scheme.options["bands"][0]["code"] == "B"
    assert ev.provenance.rules[0].options["k"] == 1
    assert ev.provenance.version == publiceval.__version__
    assert any(w.code == "no_score" and w.target == "opd2" for w in ev.warnings)


def test_published_aggregates_rank_and_categorise_without_ci():
    pub = PublishedScores(
        survey=SURVEY,
        scores=(
            PublishedScore(opd="opd0", value=3.07),
            PublishedScore(opd="opd1", value=2.5),
            PublishedScore(opd="opd2", value=2.5, placeholder=True),
        ),
        low=1,
        high=4,
    )
    ev = evaluate(SURVEY, pub)
    assert [r.rank for r in ev.opds] == [1, 2, 2]
    assert all(r.score.ci is None and r.score.source == "aggregate" for r in ev.opds)
    assert "placeholder" in " ".join(ev.opd("opd2").score.notes)


def test_published_scores_are_checked():
    with pytest.raises(ValueError, match="outside 1.0..4.0"):
        PublishedScores(survey=SURVEY, scores=(PublishedScore(opd="opd0", value=5),), low=1, high=4)


ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "respondent": st.sampled_from([f"r{k}" for k in range(12)]),
            "opd": st.sampled_from(["opd0", "opd1", "opd2"]),
            "q1": st.one_of(st.none(), st.integers(1, 4)),
            "q2": st.one_of(st.none(), st.integers(1, 4)),
            "q3": st.one_of(st.none(), st.integers(1, 4)),
        }
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda r: (r["respondent"], r["opd"]),
)


@settings(max_examples=60, deadline=None)
@given(rows=ROWS, seed=st.integers(0, 2**32 - 1))
def test_scores_do_not_depend_on_row_order_and_stay_in_scale(rows, seed):
    order = np.random.default_rng(seed).permutation(len(rows))
    a = evaluate(SURVEY, rows)
    b = evaluate(SURVEY, [rows[k] for k in order])
    for ra in a.opds:
        rb = b.opd(ra.opd)
        if ra.score.value is None:
            assert rb.score.value is None
            continue
        assert 1 <= ra.score.value <= 4
        assert rb.score.value == pytest.approx(ra.score.value, abs=1e-12)
        assert (rb.score.se or 0) == pytest.approx(ra.score.se or 0, abs=1e-12)
        assert rb.rank == ra.rank


@settings(max_examples=60, deadline=None)
@given(rows=ROWS)
def test_a_missing_answer_never_counts_as_a_value(rows):
    ev = evaluate(SURVEY, rows)
    table = ResponseTable.from_rows(SURVEY, rows)
    for k, opd in enumerate(SURVEY.opds):
        for j, item in enumerate(SURVEY.opd_items):
            got = next(i for i in ev.opd(opd.id).items if i.item == item.id).score
            seen = table.per_opd.opd == k
            given_values = [
                r[item.id]
                for r, _ in zip(rows, range(len(rows)), strict=True)
                if r["opd"] == opd.id and r[item.id] is not None
            ]
            used = table.per_opd.values[seen & table.per_opd.observed[:, j], j].astype(float)
            assert got.n == used.size
            if item.reverse:
                used = 5 - used
            if used.size:
                assert got.value == pytest.approx(used.mean(), abs=1e-12)
            else:
                assert got.value is None
            assert used.size <= len(given_values)


@settings(max_examples=30, deadline=None)
@given(rows=ROWS)
def test_same_input_gives_byte_identical_json_that_loads_again(rows):
    a = evaluate(SURVEY, rows, rules=["lowest-k"]).to_json()
    b = evaluate(SURVEY, rows, rules=["lowest-k"]).to_json()
    assert a == b
    assert Evaluation.from_json(a).to_json() == a


def test_three_lines_for_a_python_user():
    rows = hand_rows()
    evaluation = publiceval.evaluate(SURVEY, rows)
    assert Evaluation.from_json(evaluation.to_json()) == evaluation


def test_responses_must_match_the_survey():
    other = make_survey(n_opds=2)
    table = ResponseTable.from_rows(other, [{"respondent": "r", "opd": "opd0", "q1": 1}])
    with pytest.raises(publiceval.PublicevalError, match="different survey"):
        evaluate(SURVEY, table)


def test_bad_confidence_is_refused():
    with pytest.raises(ValueError, match="confidence"):
        evaluate(SURVEY, hand_rows(), statistics={"confidence": 95})
    with pytest.raises(publiceval.PublicevalError, match="between 0 and 1"):  # the old keyword
        evaluate(SURVEY, hand_rows(), confidence=95)


def test_reader_notes_and_core_warnings_reach_the_evaluation_in_both_languages():
    import dataclasses

    table = ResponseTable.from_rows(SURVEY, hand_rows())
    noted = dataclasses.replace(table, warnings=("answers.csv: read as cp1252, not UTF-8",))
    ev = evaluate(SURVEY, noted)
    assert [w.message for w in ev.warnings if w.code == "data_note"] == [
        "answers.csv: read as cp1252, not UTF-8"
    ]
    no_score = next(w for w in ev.warnings if w.code == "no_score")
    assert no_score.in_lang("en") == "OPD 'opd2' has no score"
    assert no_score.in_lang("id") == "OPD 'opd2' tidak memiliki skor"


def test_evaluation_carries_cronbachs_alpha_of_the_instrument():
    rng = np.random.default_rng(11)
    base = rng.integers(1, 5, size=(60, 1))
    answers = np.clip(base + rng.integers(-1, 2, size=(60, 3)), 1, 4).astype(float)
    answers[:, 2] = 5 - answers[:, 2]  # q3 is asked reverse-keyed
    table = ResponseTable.from_arrays(SURVEY, opd=np.zeros(60, int), answers=answers)
    assert "reliability" not in evaluate(SURVEY, table).extras
    ev = evaluate(SURVEY, table, statistics={"reliability": True})
    (dim,) = ev.extras["reliability"]
    oriented = answers.copy()
    oriented[:, 2] = 5 - oriented[:, 2]
    k = 3
    alpha = (
        k / (k - 1) * (1 - oriented.var(axis=0, ddof=1).sum() / oriented.sum(axis=1).var(ddof=1))
    )
    assert dim["alpha"] == pytest.approx(alpha, abs=1e-12)
    assert dim["n"] == 60
    assert [i["reverse"] for i in dim["items"]] == [False, False, True]
    assert ev.reliability is not None  # the typed result reports read
    assert [d.model_dump(mode="json") for d in ev.reliability] == [dim]


def test_reliability_from_merged_aggregates_says_it_is_unavailable():
    from publiceval._core.aggregates import table_aggregates

    aggregates = table_aggregates(ResponseTable.from_rows(SURVEY, hand_rows()))
    ev = evaluate(SURVEY, aggregates, statistics={"reliability": True})
    assert "reliability" not in ev.extras and ev.reliability is None
    warning = next(w for w in ev.warnings if w.code == "reliability_unavailable")
    assert "alfa Cronbach" in warning.in_lang("id")
