"""A failing rule is named in the warnings and the others still run; no rule can change the
evaluation that it reads, or that the caller and the other rules see."""

from __future__ import annotations

from typing import Any, ClassVar

import publiceval as pe
from publiceval import Evaluation, Recommendation, Score, Text
from publiceval._core.pipeline import run_rules
from publiceval._core.plugins import get_host
from publiceval.plugin import RecommendationRule
from rules_builders import CITY, make_evaluation


class Exploding(RecommendationRule):
    name = "exploding"
    title = Text(id="Meledak", en="Exploding")

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        raise ZeroDivisionError("boom")


class HalfWay(RecommendationRule):
    """Returns one good recommendation, then something that is not one."""

    name = "half-way"

    def recommend(self, evaluation: Evaluation) -> list[Any]:
        good = Recommendation(
            target="a",
            priority=1,
            title=Text(id="x", en="x"),
            text=Text(id="y", en="y"),
            rule="half-way",
        )
        return [good, "not a recommendation"]


class Vandal(RecommendationRule):
    """Tries every way of changing what it reads."""

    name = "vandal"

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        first = evaluation.opds[0]
        object.__setattr__(first, "score", Score(value=1.0, scale=first.score.scale))
        first.items.clear()
        first.tags.append("vandalised")
        evaluation.extras["vandal"] = True
        evaluation.survey_wide.clear()
        evaluation.opds.reverse()
        evaluation.opds.pop()
        return []


class Witness(RecommendationRule):
    """Records what it saw."""

    name = "witness"
    seen: ClassVar[list[str]] = []

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        Witness.seen.append(evaluation.to_json())
        return []


def _lowest(k: int = 1) -> RecommendationRule:
    return get_host().rule("lowest-k").create({"k": k})


def test_a_rule_that_raises_is_named_and_the_others_still_run():
    ev = make_evaluation(CITY)
    out = run_rules(ev, [Exploding(), _lowest(), HalfWay()])
    assert [w.code for w in out.warnings] == ["rule_failed", "rule_failed"]
    assert out.warnings[0].message == "rule 'exploding' failed: ZeroDivisionError: boom"
    assert out.warnings[0].target == "exploding"
    assert "rule 'half-way' failed" in out.warnings[1].message
    # lowest-k ran; the half-way rule contributed nothing, not even its good first item
    assert {r.rule for r in out.recommendations} == {"lowest-k"}
    assert sorted(r.target for r in out.recommendations) == ["c", "d"]


def test_a_failing_rule_through_evaluate_is_a_warning_not_an_exception(survey):
    rows = [{"respondent": "r1", "opd": "opd0", "q1": 1, "q2": 2, "q3": 3, "mayor": 2}]
    ev = pe.evaluate(survey, rows, rules=[Exploding(), ("lowest-k", {"k": 1})])
    assert any(w.message.startswith("rule 'exploding' failed") for w in ev.warnings)
    assert [r.rule for r in ev.recommendations] == ["lowest-k"]


def test_a_rule_cannot_change_the_evaluation_it_reads():
    ev = make_evaluation(CITY, survey_wide={"mayor": 1.2})
    before = ev.to_json()
    Witness.seen.clear()
    out = run_rules(ev, [Vandal(), Witness(), _lowest()])
    assert ev.to_json() == before  # the caller's object
    assert Witness.seen == [before]  # what the next rule saw
    assert out.model_copy(update={"recommendations": []}) == ev  # what the result carries
    assert [r.target for r in out.recommendations] == ["c", "d"]
