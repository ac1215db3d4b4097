"""``when``: declarative rules written in the study file."""

from __future__ import annotations

import textwrap

import pytest

import publiceval as pe
from publiceval import PluginError, StudyError
from publiceval._core.declarative import RuleError
from publiceval.plugin import get_host
from rules_builders import CITY, Unit, make_evaluation, recommend, run

SI = {"id": "mayor", "score": {"below": 2}}
T = {"title": {"id": "Judul {short_name}", "en": "Title {short_name}"}, "text": "{name}: {score}"}


def when(**options):
    return {**T, **options}


# ------------------------------------------------------------------ OPD target


def test_opd_rule_fires_with_evidence_for_every_condition():
    opts = when(
        tags={"any": ["enforcement", "transport"]},
        category={"at_or_below": "Tidak Baik"},
        rank={"bottom": 2},
        score={"below": 2.5, "at_least": 2.0},
        text={"id": "{name}: {score} ({rank}/{n_ranked}, {category})", "en": "{score} {category}"},
    )
    recs = recommend(make_evaluation(CITY), "when", opts)
    assert [r.target for r in recs] == ["c", "d"]
    c = recs[0]
    assert c.text.id == "Dinas C: 2,30 (4/5, Tidak Baik)"
    assert c.text.en == "2.30 Poor"
    assert c.rule == "when" and c.priority == 2 and c.target_kind == "opd"
    got = [(e.metric, e.comparator, e.threshold) for e in c.evidence]
    assert got == [
        ("tags", "has any of", "enforcement, transport"),
        ("category", "at or below", "Tidak Baik"),
        ("rank", ">=", 4),
        ("score", "<", 2.5),
        ("score", ">=", 2.0),
    ]


def test_opd_rule_does_not_fire_when_one_condition_fails():
    ev = make_evaluation(CITY)
    # b is a basic service but Kurang Baik, not Tidak Baik
    opts = when(tags={"any": ["basic-service"]}, category={"at_or_below": "TB"})
    assert recommend(ev, "when", opts) == []
    assert recommend(ev, "when", when(opds=["a"], score={"below": 3.0})) == []
    assert recommend(ev, "when", when(tags={"none": ["administrative"]}, rank={"top": 1})) == []


def test_rank_top_at_most_at_least_and_tags_all_none():
    ev = make_evaluation(CITY)
    assert [r.target for r in recommend(ev, "when", when(rank={"top": 2}))] == ["a", "e"]
    assert [r.target for r in recommend(ev, "when", when(rank={"at_most": 3, "at_least": 3}))] == [
        "b"
    ]
    opts = when(tags={"all": ["transport", "infrastructure"], "none": ["health"]})
    assert [r.target for r in recommend(ev, "when", opts)] == ["d"]


def test_score_compared_at_printed_precision():
    ev = make_evaluation([Unit("a", 2.805), Unit("b", 3.5)])
    assert recommend(ev, "when", when(score={"at_least": 2.81, "below": 3})) == []
    recs = recommend(ev, "when", when(score={"at_least": 2.81, "below": 3, "precision": 2}))
    assert [r.target for r in recs] == ["a"]
    assert recs[0].evidence[0].value == 2.81 and "2 decimals" in recs[0].evidence[0].note


def test_item_condition_and_item_placeholders():
    opts = when(
        items={"ids": ["u1", "u2"], "score": {"below": 2.3}},
        title={"id": "{short_name}: {items}", "en": "{short_name}: {items} ({item_score})"},
        item_labels={"u2": {"id": "Kecepatan", "en": "Speed"}},
    )
    recs = recommend(make_evaluation(CITY), "when", opts)
    assert [(r.target, r.title.en) for r in recs] == [
        ("c", "C: Persyaratan (2.00)"),
        ("d", "D: Persyaratan, Speed (2.20)"),
    ]
    every = when(items={"score": {"below": 3.0}, "match": "all"})
    # every item of b, c, d and e is below 3.0 (a has 3.4 and 3.1); listed in rank order
    assert [r.target for r in recommend(make_evaluation(CITY), "when", every)] == [
        "e",
        "b",
        "c",
        "d",
    ]


def test_compared_scheme_by_name():
    ev = make_evaluation(CITY, compare=True)
    opts = when(category={"one_of": ["Baik"], "scheme": "lenient"}, score={"below": 3.0})
    assert [r.target for r in recommend(ev, "when", opts)] == ["e"]  # 2.9 is Baik when lenient


def test_category_probability_keeps_noise_from_firing():
    probs = {
        "c": {"category_probabilities": {"B": 0.0, "KB": 0.1, "TB": 0.9}},
        "d": {"category_probabilities": {"B": 0.05, "KB": 0.4, "TB": 0.55}},
    }
    ev = make_evaluation(CITY, uncertainty=probs)
    sure = when(category={"at_or_below": "Tidak Baik", "probability": 0.8})
    (rec,) = recommend(ev, "when", sure)
    assert rec.target == "c"
    p = rec.evidence[-1]
    assert (p.metric, p.value, p.comparator, p.threshold) == (
        "category probability",
        0.9,
        ">=",
        0.8,
    )
    assert "at or below Tidak Baik" in p.note
    # at or below Kurang Baik: d has 0.4 + 0.55 = 0.95; b and e carry no probabilities
    looser = when(category={"at_or_below": "KB", "probability": 0.8})
    assert [r.target for r in recommend(ev, "when", looser)] == ["c", "d"]
    with pytest.raises(RuleError, match="needs category probabilities"):
        recommend(make_evaluation(CITY), "when", sure)
    with pytest.raises(PluginError, match="main"):
        get_host().rule("when").create(
            when(category={"at_or_below": "B", "scheme": "lenient", "probability": 0.9})
        )


# ------------------------------------------------------------------ city target


def test_city_rule_on_a_survey_wide_item():
    opts = {
        "id": "communication",
        "target": "city",
        "priority": 1,
        "survey_item": {"id": "mayor", "category": {"at_or_below": "Kurang Puas"}},
        "title": {"id": "Komunikasi publik {city}", "en": "Public communication in {city}"},
        "text": {
            "id": "Kepuasan: {survey_item_category} ({survey_item_score}).",
            "en": "{survey_item}: {survey_item_category} ({survey_item_score}).",
        },
    }
    (rec,) = recommend(make_evaluation(CITY, survey_wide={"mayor": 1.6}), "when", opts)
    assert (rec.target, rec.target_kind, rec.rule) == ("city", "city", "when:communication")
    assert rec.title.id == "Komunikasi publik Kota Uji"
    assert rec.text.id == "Kepuasan: Tidak Puas (1,60)."
    assert rec.text.en == "Satisfaction with the mayor: Not satisfied (1.60)."
    assert rec.evidence[0].threshold == "Kurang Puas"
    assert recommend(make_evaluation(CITY, survey_wide={"mayor": 2.6}), "when", opts) == []


def test_city_rule_over_opds_lists_them_lowest_first_and_counts():
    opts = {
        "target": "city",
        "category": {"at_or_below": "Kurang Baik"},
        "min_opds": 4,
        "title": "Reformasi",
        "text": {
            "id": "{n_matched} dari {n_opds}: {opds}",
            "en": "{n_matched} of {n_opds}: {opds}",
        },
    }
    (rec,) = recommend(make_evaluation(CITY), "when", opts)
    assert rec.text.id == "4 dari 5: C, D, B dan E"
    assert rec.text.en == "4 of 5: C, D, B and E"
    count = rec.evidence[0]
    assert (count.value, count.comparator, count.threshold) == (4, ">=", 4)
    assert recommend(make_evaluation(CITY), "when", {**opts, "min_opds": 5}) == []


# ------------------------------------------------------------------ load-time checks


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            when(title="Hi {nme}"),
            r"unknown placeholder \{nme\}.*allowed here: \{category\}, \{city\}",
        ),
        (when(title="{items}"), r"\{items\}.*needs an items condition"),
        (when(title="{opds}"), r"\{opds\}.*belongs to target = 'city'"),
        (when(text={"id": "ok", "en": "{survey_item}"}), r"English text \(en\).*survey_item"),
        (when(title="{name.__class__}"), "not a plain fact name"),
        (when(title="{0}"), "not a plain fact name"),
        (when(title="{score:.3f}"), "may not carry"),
        (when(title="{score!r}"), "may not carry"),
        (when(title="Hi {"), "literal braces"),
        (when(categroy={"at_or_below": "B"}), "categroy"),
        (when(category={}), "give at least one of at_or_below"),
        (when(rank={"bottom": 0}), "greater than or equal to 1"),
        (when(min_opds=2, rank={"top": 1}), "min_opds applies only to target = 'city'"),
        (
            {"title": "x", "text": "x", "target": "city", "min_opds": 2, "survey_item": SI},
            "none is given",
        ),
        (when(id="two words"), "id must start with a letter"),
        (when(survey_item={"id": "mayor"}), "give a category or a score"),
        ({"title": "x"}, "text"),
        ({"title": "x", "text": "x"}, "needs at least one condition"),
        ({"title": "x", "text": "x", "target": "city"}, "needs at least one condition"),
    ],
)
def test_malformed_rules_are_refused_with_the_reason(options, message):
    with pytest.raises(PluginError, match=message):
        get_host().rule("when").create(options)


def test_a_failing_declarative_rule_is_named_with_its_id():
    opts = when(id="bad-band", category={"at_or_below": "Buruk"})
    out = run(make_evaluation(CITY), "when", opts)
    assert out.warnings[0].code == "rule_failed"
    assert "'when:bad-band'" in out.warnings[0].message
    assert "'Buruk' is not a band of scheme 'cutoffs'" in out.warnings[0].message


# ------------------------------------------------------------------ from a study file

STUDY = textwrap.dedent(
    """
    [survey]
    title = "Evaluasi OPD Kota Uji"
    city = "Kota Uji"

    [[scales]]
    id = "quality"
    min = 1
    max = 4
    labels = [
      { value = 1, label = { id = "Tidak Baik", en = "Poor" } },
      { value = 2, label = { id = "Kurang Baik", en = "Fair" } },
      { value = 3, label = { id = "Baik", en = "Good" } },
      { value = 4, label = { id = "Sangat Baik", en = "Very good" } },
    ]

    [[scales]]
    id = "satisfaction"
    min = 1
    max = 4
    labels = [
      { value = 1, label = { id = "Tidak Puas", en = "Not satisfied" } },
      { value = 2, label = { id = "Kurang Puas", en = "Rather unsatisfied" } },
      { value = 3, label = { id = "Puas", en = "Satisfied" } },
      { value = 4, label = { id = "Sangat Puas", en = "Very satisfied" } },
    ]

    [[scales]]
    id = "agreement"
    min = 1
    max = 4
    labels = [
      { value = 1, label = { id = "Tidak Setuju", en = "Disagree" } },
      { value = 2, label = { id = "Kurang Setuju", en = "Rather disagree" } },
      { value = 3, label = { id = "Setuju", en = "Agree" } },
      { value = 4, label = { id = "Sangat Setuju", en = "Strongly agree" } },
    ]

    [[items]]
    id = "q1"
    text = { id = "Kemudahan layanan", en = "Ease of service" }
    scale = "quality"

    [[items]]
    id = "q2"
    text = { id = "Kecepatan layanan", en = "Speed of service" }
    scale = "quality"

    [[items]]
    id = "mayor"
    text = { id = "Kepuasan terhadap wali kota", en = "Satisfaction with the mayor" }
    scale = "satisfaction"
    scope = "survey"

    [[items]]
    id = "program"
    text = { id = "Program 100 hari adalah tolok ukur yang adil", en = "The 100-day programme is a fair yardstick" }
    scale = "agreement"
    scope = "survey"

    [[opds]]
    id = "bpbd"
    name = "Badan Penanggulangan Bencana Daerah"
    short_name = "BPBD"
    tags = ["technical"]

    [[opds]]
    id = "rsud"
    name = "Rumah Sakit Umum Daerah"
    short_name = "RSUD"
    tags = ["basic-service", "health"]

    [[opds]]
    id = "satpol"
    name = "Satuan Polisi Pamong Praja"
    short_name = "Satpol PP"
    tags = ["enforcement"]

    [[opds]]
    id = "dishub"
    name = "Dinas Perhubungan"
    short_name = "Dishub"
    tags = ["transport", "infrastructure"]

    [data]
    path = "answers.csv"

    [scheme]
    name = "cutoffs"
    [scheme.options]
    bands = [
      { code = "B", label = { id = "Baik", en = "Good" }, low = 3.0 },
      { code = "KB", label = { id = "Kurang Baik", en = "Fair" }, low = 2.5 },
      { code = "TB", label = { id = "Tidak Baik", en = "Poor" }, low = 1.0 },
    ]

    [[rules]]
    name = "when"
    [rules.options]
    id = "basic-service"
    priority = 1
    tags = { any = ["basic-service"] }
    rank = { bottom = 3 }
    title = { id = "Perhatian mendesak untuk {short_name}", en = "Urgent attention for {short_name}" }
    text = { id = "{name}: skor {score}, peringkat {rank} dari {n_ranked}.", en = "{name}: score {score}, rank {rank} of {n_ranked}." }

    [[rules]]
    name = "when"
    [rules.options]
    id = "enforcement"
    priority = 1
    tags = { any = ["enforcement"] }
    rank = { bottom = 3 }
    title = { id = "Ubah pendekatan {short_name}", en = "Change the approach of {short_name}" }
    text = { id = "Skor {score}; pendekatan harus lebih responsif.", en = "Score {score}; be more responsive." }

    [[rules]]
    name = "when"
    [rules.options]
    id = "transport"
    priority = 1
    tags = { any = ["transport"] }
    rank = { bottom = 3 }
    title = { id = "Investasi infrastruktur transportasi", en = "Invest in transport infrastructure" }
    text = { id = "{short_name}: skor {score}.", en = "{short_name}: score {score}." }

    [[rules]]
    name = "when"
    [rules.options]
    id = "evaluate-100-days"
    target = "city"
    priority = 2
    survey_item = { id = "program", category = { at_or_below = "Kurang Setuju" } }
    title = { id = "Evaluasi menyeluruh program 100 hari", en = "Evaluate the 100-day programme" }
    text = { id = "{survey_item}: {survey_item_category} ({survey_item_score}).", en = "{survey_item}: {survey_item_category} ({survey_item_score})." }

    [[rules]]
    name = "when"
    [rules.options]
    id = "public-communication"
    target = "city"
    priority = 2
    survey_item = { id = "mayor", category = { at_or_below = "Kurang Puas" } }
    title = { id = "Perbaiki komunikasi publik", en = "Improve public communication" }
    text = { id = "Kepuasan: {survey_item_category} ({survey_item_score}).", en = "Satisfaction: {survey_item_category} ({survey_item_score})." }

    [[rules]]
    name = "when"
    [rules.options]
    id = "service-reform"
    target = "city"
    priority = 2
    category = { at_or_below = "Tidak Baik" }
    title = { id = "Reformasi pelayanan publik", en = "Reform public services" }
    text = { id = "Prioritaskan {opds}.", en = "Prioritise {opds}." }
    """
)
# bpbd: q1 (4+3)/2 = 3.5, q2 3 → 3.25 Baik, rank 1; dishub: 2.5, 3 → 2.75 Kurang Baik, rank 2;
# rsud: 2.5, 2 → 2.25 and satpol: 2, 2.5 → 2.25, Tidak Baik, tied at rank 3.
# mayor: (1 + 2)/2 = 1.5 → Tidak Puas [1, 1.75); program: (2 + 2)/2 = 2.0 → Kurang Setuju.
ANSWERS = """respondent,opd,q1,q2,mayor,program
r1,bpbd,4,3,1,2
r1,rsud,2,2,,
r1,satpol,2,3,,
r1,dishub,3,3,,
r2,bpbd,3,3,2,2
r2,rsud,3,2,,
r2,satpol,2,2,,
r2,dishub,2,3,,
"""


def test_declarative_rules_from_a_study_file(tmp_path):
    (tmp_path / "answers.csv").write_text(ANSWERS)
    (tmp_path / "study.toml").write_text(STUDY)
    ev = pe.load_study(tmp_path / "study.toml").evaluate()
    assert [w for w in ev.warnings if w.code == "rule_failed"] == []
    assert [(o.opd, o.rank, o.score.value) for o in ev.opds] == [
        ("bpbd", 1, pytest.approx(3.25)),
        ("dishub", 2, pytest.approx(2.75)),
        ("rsud", 3, pytest.approx(2.25)),
        ("satpol", 3, pytest.approx(2.25)),
    ]
    got = [(r.priority, r.target, r.rule, r.title.en) for r in ev.recommendations]
    assert got == [
        (1, "dishub", "when:transport", "Invest in transport infrastructure"),
        (1, "rsud", "when:basic-service", "Urgent attention for RSUD"),
        (1, "satpol", "when:enforcement", "Change the approach of Satpol PP"),
        (2, "city", "when:evaluate-100-days", "Evaluate the 100-day programme"),
        (2, "city", "when:public-communication", "Improve public communication"),
        (2, "city", "when:service-reform", "Reform public services"),
    ]
    by_rule = {r.rule: r for r in ev.recommendations}
    assert (
        by_rule["when:basic-service"].text.id
        == "Rumah Sakit Umum Daerah: skor 2,25, peringkat 3 dari 4."
    )
    assert by_rule["when:public-communication"].text.id == "Kepuasan: Tidak Puas (1,50)."
    assert by_rule["when:evaluate-100-days"].text.en == (
        "The 100-day programme is a fair yardstick: Rather disagree (2.00)."
    )
    assert by_rule["when:service-reform"].text.id == "Prioritaskan RSUD dan Satpol PP."
    assert by_rule["when:service-reform"].text.en == "Prioritise RSUD and Satpol PP."
    assert pe.Evaluation.from_json(ev.to_json()) == ev


def test_a_malformed_rule_in_a_study_file_names_the_line(tmp_path):
    (tmp_path / "answers.csv").write_text(ANSWERS)
    bad = STUDY.replace(
        'text = { id = "Skor {score}; pendekatan harus lebih responsif."',
        'text = { id = "Skor {skor}; pendekatan harus lebih responsif."',
    ).replace(
        'rank = { bottom = 3 }\ntitle = { id = "Investasi',
        'rank = { botom = 3 }\ntitle = { id = "Investasi',
    )
    (tmp_path / "study.toml").write_text(bad)
    with pytest.raises(StudyError) as info:
        pe.load_study(tmp_path / "study.toml")
    lines = bad.splitlines()
    skor = next(k for k, s in enumerate(lines, 1) if "{skor}" in s)
    botom = next(k for k, s in enumerate(lines, 1) if "botom" in s)
    msg = str(info.value)
    assert f"line {skor}, key 'rules[1].options.text'" in msg
    assert "unknown placeholder {skor}" in msg and "{score}" in msg
    assert f"line {botom}, key 'rules[2].options.rank.botom'" in msg
    assert "did you mean 'bottom'?" in msg
