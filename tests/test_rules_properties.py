"""Invariants of recommendation rules (hypothesis).

- Rules never change scores, categories, ranks or anything else they read.
- The recommendations do not depend on the order in which OPDs are listed.
- The output is ordered by priority, then target, is free of repeats, and is stable.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import publiceval as pe
from publiceval import Evidence, Recommendation, Text
from publiceval._core.pipeline import run_rules
from publiceval._core.plugins import get_host
from publiceval._core.rules import order_recommendations
from rules_builders import Unit, make_evaluation

TAGS = ["basic-service", "enforcement", "transport", "employment", "administrative"]
RULES: list[tuple[str, dict[str, Any]]] = [
    ("lowest-k", {"k": 2}),
    ("category-at-or-below", {"category": "Kurang Baik"}),
    ("weakest-items", {"n": 1}),
    ("tagged", {"tags": ["basic-service"], "rank": {"bottom": 3}}),
    ("tagged", {"tags": ["enforcement", "transport"], "score": {"below": 3.0}}),
    ("ipa-concentrate", {}),
    ("survey-wide", {"item": "mayor", "category": {"at_or_below": "Kurang Puas"}}),
    (
        "when",
        {
            "id": "reform",
            "target": "city",
            "category": {"at_or_below": "Tidak Baik"},
            "title": "Reformasi",
            "text": {"id": "{n_matched}: {opds}", "en": "{n_matched}: {opds}"},
        },
    ),
    (
        "when",
        {
            "id": "items",
            "items": {"score": {"below": 2.5}},
            "rank": {"at_least": 2},
            "title": "{short_name}: {items}",
            "text": "{score} {item_score} {rank}/{n_ranked}",
        },
    ),
]

# scores at two decimals so ties are common, sometimes missing
score = st.one_of(st.none(), st.integers(100, 400).map(lambda v: v / 100))
item_value = st.integers(100, 400).map(lambda v: v / 100)


@st.composite
def opd_lists(draw: st.DrawFn) -> list[Unit]:
    n = draw(st.integers(1, 7))
    out = []
    for k in range(n):
        items = draw(st.dictionaries(st.sampled_from(["u1", "u2", "u3"]), item_value, max_size=3))
        tags = tuple(draw(st.lists(st.sampled_from(TAGS), unique=True, max_size=2)))
        out.append(Unit(f"o{k}", draw(score), tags, items))
    return out


def _ipa(opds: list[Unit]) -> dict[str, Any]:
    """IPA cells derived from the item values (importance is a fixed function of the item)."""
    importance = {"u1": 3.5, "u2": 2.5, "u3": 3.2}
    out: dict[str, Any] = {}
    for o in opds:
        out[o.id] = {
            item: {
                "importance": importance[item],
                "performance": perf,
                "quadrant": ("concentrate-here" if perf < 3 else "keep-up-the-good-work")
                if importance[item] >= 3
                else ("low-priority" if perf < 3 else "possible-overkill"),
            }
            for item, perf in o.items.items()
        }
    return out


def _rules() -> list[pe.RecommendationRule]:
    host = get_host()
    return [host.rule(name).create(opts) for name, opts in RULES]


def _evaluation(opds: list[Unit], mayor: float, *, sort: bool = True) -> pe.Evaluation:
    return make_evaluation(
        opds, survey_wide={"mayor": mayor}, extras={"ipa": _ipa(opds)}, sort=sort
    )


@settings(max_examples=60, deadline=None)
@given(opd_lists(), item_value)
def test_rules_never_change_what_they_read(opds, mayor):
    ev = _evaluation(opds, mayor)
    before = ev.to_json()
    out = run_rules(ev, _rules())
    assert ev.to_json() == before
    assert out.model_copy(update={"recommendations": []}) == ev
    assert not out.warnings  # every built-in ran cleanly on these inputs
    for o in out.opds:  # and the scores are the ones given
        given_score = next(x.score for x in opds if x.id == o.opd)
        assert o.score.value == given_score


@settings(max_examples=60, deadline=None)
@given(opd_lists(), item_value, st.randoms(use_true_random=False))
def test_output_does_not_depend_on_the_order_opds_are_listed(opds, mayor, rnd):
    shuffled = list(opds)
    rnd.shuffle(shuffled)
    a = run_rules(_evaluation(opds, mayor, sort=False), _rules())
    b = run_rules(_evaluation(shuffled, mayor, sort=False), _rules())
    assert a.recommendations == b.recommendations
    # nor on the order the rules are given in
    c = run_rules(_evaluation(opds, mayor), list(reversed(_rules())))
    assert c.recommendations == a.recommendations


def test_order_independence_through_the_pipeline(survey):
    """The same answers with the survey's OPDs listed in another order give the same advice."""
    rows = [
        {"respondent": f"r{k}", "opd": f"opd{j}", "q1": (k + j) % 4 + 1, "q2": (k * j) % 4 + 1,
         "q3": 2, "mayor": k % 2 + 1}
        for k in range(4)
        for j in range(3)
    ]  # fmt: skip
    reordered = survey.model_copy(update={"opds": tuple(reversed(survey.opds))})
    scheme = ("cutoffs", {"bands": [{"code": "B", "label": "Baik", "low": 2.5},
                                    {"code": "TB", "label": "Tidak Baik", "low": 1}]})  # fmt: skip
    rules = [(n, o) for n, o in RULES if n != "ipa-concentrate"]
    a = pe.evaluate(survey, rows, scheme=scheme, rules=rules)
    b = pe.evaluate(reordered, rows, scheme=scheme, rules=rules)
    assert a.recommendations and a.recommendations == b.recommendations


texts = st.sampled_from(["a", "b", "c"]).map(lambda s: Text(id=s, en=s.upper()))
recommendations = st.builds(
    Recommendation,
    target=st.sampled_from(["city", "o1", "o2", "o3"]),
    target_kind=st.sampled_from(["opd", "city"]),
    priority=st.integers(1, 3),
    title=texts,
    text=texts,
    rule=st.sampled_from(["r1", "r2"]),
    evidence=st.lists(
        st.builds(Evidence, metric=st.sampled_from(["rank", "score"]), value=st.integers(1, 3)),
        max_size=2,
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(recommendations, max_size=12), st.randoms(use_true_random=False))
def test_ordered_deduplicated_and_stable(recs, rnd):
    out = order_recommendations(recs)
    keys = [(r.priority, r.target_kind != "city", r.target) for r in out]
    assert keys == sorted(keys)  # priority, then city before OPDs, then target
    seen = [(r.target_kind, r.target, r.title, r.text) for r in out]
    assert len(seen) == len(set(map(repr, seen)))  # no repeats
    for r in recs:  # every input is represented, by a copy at least as urgent
        kept = next(
            k
            for k in out
            if (k.target_kind, k.target, k.title, k.text)
            == (r.target_kind, r.target, r.title, r.text)
        )
        assert kept.priority <= r.priority
    shuffled = list(recs)
    rnd.shuffle(shuffled)
    assert order_recommendations(shuffled) == out  # independent of input order
    assert order_recommendations(out) == out  # idempotent
