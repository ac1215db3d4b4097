"""Every registered scoring method and category scheme runs through ``evaluate`` on one survey.

The survey has what every built-in needs: the nine SKM elements, five more items (for the
14-element IKM of 2004), an importance and an expectation item paired with each SKM item, a 0–10
recommendation item and a survey-wide question. A new plugin that needs options gets them in
``METHOD_OPTIONS`` / ``SCHEME_SETUP``; one that cannot run end to end fails here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import quality_scale
from publiceval import (
    OPD,
    Evaluation,
    Item,
    ResponseTable,
    Scale,
    ScoreScale,
    Survey,
    Text,
    evaluate,
)
from publiceval._core.default_plugins.ikm import SKM_2017_ELEMENTS
from publiceval.plugin import PluginHost

HOST = PluginHost(entrypoints=False)
SKM = [f"u{k + 1}" for k in range(9)]
EXTRA = [f"x{k + 1}" for k in range(5)]

#: Options each method needs on this survey (methods not listed run with none).
METHOD_OPTIONS: dict[str, dict[str, Any]] = {
    "mean": {"items": SKM + EXTRA},
    "ikm-2004": {"items": SKM + EXTRA},
    "top-box": {"items": SKM + EXTRA},
}
#: The method whose scores each scheme categorises, and the scheme's options.
SCHEME_SETUP: dict[str, tuple[str, dict[str, Any]]] = {
    "permenpan-2017": ("ikm-2017", {}),
    "kepmenpan-2004": ("ikm-2004", {}),
    "ombudsman-2021": ("top-box", {}),
    "likert-interval": ("mean", {}),
    "cutoffs": (
        "mean",
        {
            "bands": [
                {"code": "B", "label": {"id": "Baik", "en": "Good"}, "low": 3.0},
                {"code": "K", "label": {"id": "Kurang", "en": "Poor"}, "low": 1.0},
            ]
        },
    ),
}


def build_survey() -> Survey:
    items: list[Item] = []
    dims = ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
    for k, e in enumerate(SKM_2017_ELEMENTS):
        items.append(
            Item(id=SKM[k], text=e.name, scale="q4", element=e.name.id, dimension=dims[k % 5])
        )
    for k, x in enumerate(EXTRA):
        items.append(
            Item(id=x, text=Text(id=f"Unsur tambahan {k + 1}", en=f"Extra {k + 1}"), scale="q4")
        )
    for u in SKM:
        items.append(
            Item(
                id=f"imp_{u}", text=f"Kepentingan {u}", scale="q4", role="importance", pairs_with=u
            )
        )
        items.append(
            Item(id=f"exp_{u}", text=f"Harapan {u}", scale="q4", role="expectation", pairs_with=u)
        )
    items.append(Item(id="rec", text=Text(id="Rekomendasi", en="Recommend"), scale="nps10"))
    items.append(Item(id="mayor", text="Kepuasan wali kota", scale="q4", scope="survey"))
    return Survey(
        title="E2E",
        scales=(quality_scale("q4"), Scale(id="nps10", min=0, max=10)),
        items=tuple(items),
        opds=tuple(OPD(id=f"opd{k}", name=f"Dinas {k}") for k in range(4)),
    )


SURVEY = build_survey()


def build_arrays(seed: int = 11, per_opd: int = 25) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    n = per_opd * len(SURVEY.opds)
    opd = np.repeat(np.arange(len(SURVEY.opds)), per_opd)
    cols = []
    for item in SURVEY.opd_items:
        scale = SURVEY.scale_of(item)
        # OPDs differ in level, so scores and categories differ
        shift = opd * (0.4 if scale.max == 4 else 1.5)
        raw = rng.integers(scale.min, scale.max + 1, n) + np.round(shift)
        cols.append(np.clip(raw, scale.min, scale.max))
    answers = np.column_stack(cols).astype(float)
    answers[rng.random(answers.shape) < 0.03] = np.nan  # a few missing answers
    return {
        "opd": opd,
        "answers": answers,
        "respondent": np.arange(n),
        "survey_answers": rng.integers(1, 5, n).astype(float),
    }


ARRAYS = build_arrays()
TABLE = ResponseTable.from_arrays(SURVEY, **ARRAYS)


def _check(ev: Evaluation) -> None:
    assert len(ev.opds) == len(SURVEY.opds)
    for r in ev.opds:
        s = r.score
        assert s.value is not None, r.opd
        assert s.scale.low <= s.value <= s.scale.high, (r.opd, s.value, s.scale)
        assert s.se is not None and s.se >= 0
        assert s.ci is not None and s.ci.low <= s.value <= s.ci.high
        assert 20 <= s.n <= 25  # 25 respondents per OPD, a few answers missing
        assert r.items, "every method reports item-level results"
    assert [r.rank for r in ev.opds] == sorted(r.rank or 0 for r in ev.opds)
    assert ev.survey_wide and ev.survey_wide[0].score.value is not None
    assert Evaluation.from_json(ev.to_json()) == ev


@pytest.mark.parametrize("name", sorted(HOST.methods()))
def test_every_method_runs_end_to_end(name):
    ev = evaluate(SURVEY, TABLE, method=(name, METHOD_OPTIONS.get(name, {})), host=HOST)
    _check(ev)
    assert ev.provenance.method.name == name


@pytest.mark.parametrize("name", sorted(HOST.schemes()))
def test_every_scheme_categorises_end_to_end(name):
    method, options = SCHEME_SETUP.get(name, ("mean", {}))
    ev = evaluate(
        SURVEY,
        TABLE,
        method=(method, METHOD_OPTIONS.get(method, {})),
        scheme=(name, options),
        host=HOST,
    )
    _check(ev)
    for r in ev.opds:
        assert r.category is not None, (name, r.opd, r.score.value)
        assert r.category.scheme == name
        assert r.category.label.id and r.category.label.en
        assert r.categories[name] == r.category
    # better-scored OPDs never get a worse category
    by_value = sorted(ev.opds, key=lambda r: r.score.value or 0.0)
    orders = [r.category.order for r in by_value if r.category]
    assert orders == sorted(orders, reverse=True)


def test_the_registry_holds_the_builtins_of_issue_3():
    assert {"mean", "ikm-2017", "ikm-2004", "top-box", "nps", "csi", "ipa", "servqual"} <= set(
        HOST.methods()
    )
    assert {
        "permenpan-2017",
        "kepmenpan-2004",
        "likert-interval",
        "cutoffs",
        "ombudsman-2021",
    } <= set(HOST.schemes())


def test_ipa_end_to_end_feeds_the_shape_rules_read():
    ev = evaluate(SURVEY, TABLE, method="ipa", host=HOST)
    table = ev.extras["ipa"]
    assert isinstance(table, dict) and set(table) == {o.id for o in SURVEY.opds}
    for r in ev.opds:
        cells = table[r.opd]
        assert isinstance(cells, dict) and set(cells) == set(SKM)
        for item in r.items:
            assert item.extra["quadrant"] == cells[item.item]["quadrant"]  # type: ignore[index]


def _run(name: str, survey: Survey, arrays: dict[str, Any]) -> Evaluation:
    table = ResponseTable.from_arrays(survey, **arrays)
    return evaluate(survey, table, method=(name, METHOD_OPTIONS.get(name, {})), host=HOST)


def _same(a: Evaluation, b: Evaluation, rename: dict[str, str]) -> None:
    for r in a.opds:
        other = b.opd(rename[r.opd])
        assert other.score.value == pytest.approx(r.score.value, abs=1e-9)
        assert other.score.se == pytest.approx(r.score.se, abs=1e-9)
        assert other.score.components == pytest.approx(r.score.components, abs=1e-9)
        assert [i.item for i in other.items] == [i.item for i in r.items]
        assert [i.score.value for i in other.items] == pytest.approx(
            [i.score.value for i in r.items], abs=1e-9
        )
        assert [i.extra.get("quadrant") for i in other.items] == [
            i.extra.get("quadrant") for i in r.items
        ]
        assert other.rank == r.rank


BASE = {name: _run(name, SURVEY, ARRAYS) for name in sorted(HOST.methods())}


@pytest.mark.parametrize("name", sorted(HOST.methods()))
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_methods_are_invariant_to_row_order(name, seed):
    perm = np.random.default_rng(seed).permutation(len(ARRAYS["opd"]))
    shuffled = {k: v[perm] for k, v in ARRAYS.items()}
    _same(BASE[name], _run(name, SURVEY, shuffled), {o.id: o.id for o in SURVEY.opds})


@pytest.mark.parametrize("name", sorted(HOST.methods()))
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(4)), prefix=st.sampled_from(["unit", "z-opd", "a"]))
def test_methods_are_invariant_to_relabelling_and_reordering_opds(name, order, prefix):
    old = SURVEY.opds
    new_opds = tuple(OPD(id=f"{prefix}{k}", name=f"Kantor {k}") for k in order)
    survey = Survey(title=SURVEY.title, scales=SURVEY.scales, items=SURVEY.items, opds=new_opds)
    position = {k: pos for pos, k in enumerate(order)}  # old OPD k sits at position[k]
    arrays = dict(ARRAYS, opd=np.array([position[k] for k in ARRAYS["opd"]]))
    ev = _run(name, survey, arrays)
    _same(BASE[name], ev, {o.id: f"{prefix}{k}" for k, o in enumerate(old)})
    if name == "ipa":
        for k, o in enumerate(old):
            assert ev.extras["ipa"][f"{prefix}{k}"] == BASE[name].extras["ipa"][o.id]


#: The score range each scheme is checked on (schemes not listed: the 1–4 mean).
SCHEME_SCALE = {
    "permenpan-2017": ScoreScale(low=25, high=100, unit="IKM 25-100"),
    "kepmenpan-2004": ScoreScale(low=25, high=100, unit="IKM 25-100"),
    "ombudsman-2021": ScoreScale(low=0, high=100, unit="%"),
}
MEAN_1_4 = ScoreScale(low=1, high=4, unit="mean 1-4")


@pytest.mark.parametrize("name", sorted(HOST.schemes()))
@settings(max_examples=40, deadline=None)
@given(a=st.floats(0, 1), b=st.floats(0, 1), precision=st.sampled_from([None, 2]))
def test_every_scheme_is_total_and_monotone_on_its_range(name, a, b, precision):
    scale = SCHEME_SCALE.get(name, MEAN_1_4)
    options = dict(SCHEME_SETUP.get(name, ("mean", {}))[1], precision=precision)
    scheme = HOST.scheme(name).create(options)
    lo, hi = (scale.low + t * (scale.high - scale.low) for t in sorted((a, b)))
    c_lo, c_hi = scheme.categorize(lo, scale), scheme.categorize(hi, scale)
    assert c_lo is not None and c_hi is not None, (lo, hi)
    assert c_hi.order <= c_lo.order
    bands = scheme.checked_bands(scale)
    v = c_lo.compared_value
    if bands[0].closed == "right":
        inside = [x for x in bands if x.low < v <= x.high or (x is bands[0] and v == x.low)]
    else:
        inside = [x for x in bands if x.low <= v < x.high or (x is bands[-1] and v == x.high)]
    assert [x.code for x in inside] == [c_lo.code]
