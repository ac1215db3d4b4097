"""A self-describing evaluation: rules and reports read only the evaluation they are given.

The evaluation carries each scheme's bands (labels in both languages), the component titles,
the period as dates, typed uncertainty and reliability. An evaluation made with a private plugin
host, or with a scheme given as an instance, therefore rules and reports exactly as one made
with the global host, and no stage after scoring looks a plugin up again.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import pytest

import publiceval as pe
from publiceval import Evaluation, Survey, Text
from publiceval._core.default_plugins.cutoffs import Cutoffs
from publiceval._core.results import OPDUncertainty, SchemeInfo
from publiceval._core.statistics import StatisticsOptions
from publiceval.plugin import Band, CategoryScheme, PluginHost, ScoreScale, get_host, hookimpl
from report_builders import make_rows, make_survey

#: Cut-offs with a top band nobody reaches: a report rebuilding bands from the categories the
#: OPDs fell in would lose it.
OPTIONS: dict[str, Any] = {
    "bands": [
        {"code": "TB", "label": {"id": "Tidak Baik", "en": "Not good"}},
        {"code": "KB", "label": {"id": "Kurang Baik", "en": "Fair"}, "low": 2.5},
        {"code": "B", "label": {"id": "Baik", "en": "Good"}, "low": 3.0},
        {"code": "SB", "label": {"id": "Istimewa", "en": "Outstanding"}, "low": 3.95},
    ],
    "precision": 2,
}
RULES: list[Any] = [
    ("category-at-or-below", {"category": "Kurang Baik"}),
    (
        "when",
        {
            "category": {"at_or_above": "Baik"},
            "title": {"id": "Pertahankan {short_name}", "en": "Keep {short_name} up"},
            "text": {"id": "{name}: {category}", "en": "{name}: {category}"},
        },
    ),
    (
        "when",
        {
            "category": {"one_of": ["C", "D"], "scheme": "permenpan-2017"},
            "title": {"id": "Mutu {short_name}", "en": "Quality of {short_name}"},
            "text": {"id": "{name}", "en": "{name}"},
        },
    ),
]
FORMATS = ("json", "table", "markdown", "html", "xlsx")
STATISTICS = StatisticsOptions(seed=3, pairwise=True, reliability=True)


class Quartiles(CategoryScheme):
    """A scheme only the private host knows: four equal bands on the score's own range."""

    name = "quartiles"
    title = Text(id="Kuartil rentang skor", en="Quartiles of the score range")

    def bands(self, scale: ScoreScale) -> Sequence[Band]:
        width = (scale.high - scale.low) / 4
        names = [("Q1", "Terendah", "Lowest"), ("Q2", "Rendah", "Low")]
        names += [("Q3", "Tinggi", "High"), ("Q4", "Tertinggi", "Highest")]
        return [
            Band(
                code=code,
                label=Text(id=label_id, en=label_en),
                low=scale.low + k * width,
                high=scale.high if k == 3 else scale.low + (k + 1) * width,
                order=3 - k,
            )
            for k, (code, label_id, label_en) in enumerate(names)
        ]


class QuartilesPlugin:
    @hookimpl
    def register_schemes(self, register: Callable[[type[CategoryScheme]], None]) -> None:
        register(Quartiles)


@pytest.fixture
def private_host() -> PluginHost:
    host = PluginHost(entrypoints=False)
    host.register(QuartilesPlugin(), name="quartiles-plugin")
    assert host is not get_host()
    return host


@pytest.fixture
def no_global_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``get_host`` of the package raises: a stage that looks a plugin up fails."""

    def boom(*_: object, **__: object) -> PluginHost:
        raise AssertionError("get_host() was called by a stage that must use the evaluation")

    for name, module in list(sys.modules.items()):
        if name.startswith("publiceval") and callable(vars(module).get("get_host")):
            monkeypatch.setattr(module, "get_host", boom)


def _survey_and_table() -> tuple[Survey, pe.ResponseTable]:
    survey = make_survey()
    return survey, pe.ResponseTable.from_rows(survey, make_rows(), source="jawaban.csv")


def _evaluate(scheme: Any, host: PluginHost | None, **kwargs: Any) -> Evaluation:
    survey, table = _survey_and_table()
    return pe.evaluate(
        survey,
        table,
        scheme=scheme,
        compare=kwargs.pop("compare", ["permenpan-2017"]),
        rules=kwargs.pop("rules", RULES),
        statistics=STATISTICS,
        rank_precision=2,
        host=host,
        **kwargs,
    )


def _render(ev: Evaluation, host: PluginHost, fmt: str, lang: str) -> bytes:
    return host.reporter(fmt).create().render(ev, lang=lang)  # type: ignore[arg-type]


def _xlsx_cells(data: bytes) -> list[list[tuple[Any, ...]]]:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]


def _same_report(fmt: str, a: bytes, b: bytes) -> None:
    if fmt == "xlsx":  # the zip container may stamp times; the cells must be equal
        assert _xlsx_cells(a) == _xlsx_cells(b)
    else:
        assert a == b


@pytest.fixture(scope="module")
def via_global() -> tuple[Evaluation, dict[tuple[str, str], bytes]]:
    ev = _evaluate(("cutoffs", OPTIONS), None)
    host = get_host()
    return ev, {(f, lang): _render(ev, host, f, lang) for f in FORMATS for lang in ("id", "en")}


def test_private_host_gives_the_evaluation_and_reports_of_the_global_host(
    private_host: PluginHost,
    via_global: tuple[Evaluation, dict[tuple[str, str], bytes]],
    no_global_host: None,
) -> None:
    expected, reports = via_global
    ev = _evaluate(("cutoffs", OPTIONS), private_host)
    assert ev == expected
    for fmt in FORMATS:
        for lang in ("id", "en"):
            _same_report(fmt, _render(ev, private_host, fmt, lang), reports[fmt, lang])


def test_a_scheme_instance_carries_all_its_bands_and_rules_and_reports_match(
    private_host: PluginHost,
    via_global: tuple[Evaluation, dict[tuple[str, str], bytes]],
    no_global_host: None,
) -> None:
    expected, reports = via_global
    ev = _evaluate(Cutoffs.create(OPTIONS), private_host)
    # only the provenance differs: an instance comes from no plugin
    assert ev.provenance.scheme is not None and ev.provenance.scheme.plugin is None
    assert expected.provenance.scheme is not None
    assert expected.provenance.scheme.plugin == "cutoffs"
    same = expected.provenance.model_copy(
        update={"scheme": expected.provenance.scheme.model_copy(update={"plugin": None})}
    )
    assert ev == expected.model_copy(update={"provenance": same})
    main = ev.schemes[0]
    assert (main.name, main.main, main.precision) == ("cutoffs", True, 2)
    assert main.title == Text(id="Batas kategori pengguna", en="User-given cut-offs")
    assert [(b.code, b.label.en, b.low, b.high, b.order) for b in main.bands] == [
        ("TB", "Not good", 1.0, 2.5, 3),
        ("KB", "Fair", 2.5, 3.0, 2),
        ("B", "Good", 3.0, 3.95, 1),
        ("SB", "Outstanding", 3.95, 4.0, 0),
    ]
    assert all(o.category is None or o.category.code != "SB" for o in ev.opds)
    permenpan = ev.scheme_info("permenpan-2017")
    assert permenpan is not None and not permenpan.main
    assert [b.code for b in permenpan.bands] == ["D", "C", "B", "A"]
    # the rules saw the evaluation's bands: at-or-below Kurang Baik and at-or-above Baik
    fired = {(r.rule, r.target) for r in ev.recommendations}
    low = {o.opd for o in ev.opds if o.category is not None and o.category.order >= 2}
    high = {o.opd for o in ev.opds if o.category is not None and o.category.order <= 1}
    assert low and high
    assert {t for rule, t in fired if rule == "category-at-or-below"} == low
    for fmt in FORMATS:
        _same_report(
            fmt,
            _render(
                ev.model_copy(update={"provenance": expected.provenance}), private_host, fmt, "en"
            ),
            reports[fmt, "en"],
        )
    # the band nobody is in is still listed by the reports, with its edges and its count
    md = _render(ev, private_host, "markdown", "en").decode("utf-8")
    assert "| Outstanding | SB | 3.95 | 4.00 |" in md
    assert "| Outstanding | 0 of 6 OPDs |" in md
    assert not [w for w in ev.warnings if w.code == "rule_failed"]


def test_a_scheme_only_the_private_host_knows_is_reported_in_full(
    private_host: PluginHost, no_global_host: None
) -> None:
    lowest = {"category": {"one_of": ["Lowest"]}, "title": "{name}", "text": "{name}"}
    rules = [("category-at-or-below", {"category": "Terendah"}), ("when", lowest)]
    ev = _evaluate("quartiles", private_host, compare=[], rules=rules)
    # the rules know the band nobody is in (rebuilt from the OPDs' categories, it was unknown)
    assert not [w for w in ev.warnings if w.code == "rule_failed"]
    assert ev.recommendations == []
    (info,) = ev.schemes
    assert info == SchemeInfo(
        name="quartiles",
        title=Quartiles.title,
        main=True,
        scale=info.scale,
        bands=list(Quartiles.create().checked_bands(info.scale)),
    )
    assert len(info.bands) == 4
    assert ev.provenance.scheme is not None
    assert ev.provenance.scheme.title == Quartiles.title
    seen = {o.category.code for o in ev.opds if o.category is not None}
    assert "Q1" not in seen  # nobody is in the lowest band ...
    md = _render(ev, private_host, "markdown", "en").decode("utf-8")
    assert "| Lowest | Q1 | 1.00 | 1.75 |" in md  # ... and it is still reported
    assert "| Lowest | 0 of 6 OPDs |" in md
    assert "Quartiles of the score range" in md
    html = _render(ev, private_host, "html", "id").decode("utf-8")
    assert "Kuartil rentang skor" in html and "Terendah" in html
    for fmt in FORMATS:
        assert _render(ev, private_host, fmt, "id")


def test_evaluation_round_trips_through_json_with_typed_parts(
    via_global: tuple[Evaluation, dict[tuple[str, str], bytes]],
) -> None:
    ev, _ = via_global
    assert Evaluation.model_validate_json(ev.model_dump_json()) == ev
    assert (ev.period_start, ev.period_end) == (dt.date(2025, 6, 12), dt.date(2025, 6, 16))
    assert ev.period == "2025-06-12/2025-06-16"
    assert ev.provenance.method.title is not None and ev.provenance.method.title.en
    assert all(r.title is not None for r in ev.provenance.rules)
    u = ev.opd("dinkes").uncertainty
    assert isinstance(u, OPDUncertainty)
    assert u.rank_interval is not None and u.rank_interval.low <= ev.opd("dinkes").rank
    assert u.adequacy is not None and u.adequacy.n == ev.opd("dinkes").score.n
    assert u.pairwise is not None and u.tier is not None
    assert u.category_probabilities is not None
    assert sum(u.category_probabilities.values()) == pytest.approx(1.0)
    assert ev.reliability is not None and ev.reliability[0].alpha is not None
    # the 1.0 shape is kept: the same keys in the JSON, dict-style reading still works
    doc = json.loads(ev.to_json())
    dinkes = next(o for o in doc["opds"] if o["opd"] == "dinkes")
    assert set(dinkes["uncertainty"]) == {
        "adequacy",
        "rank_interval",
        "tier",
        "pairwise",
        "category_probabilities",
        "category_probability",
    }
    assert u["rank_interval"]["high"] == dinkes["uncertainty"]["rank_interval"]["high"]
    assert doc["extras"]["reliability"] == [d.model_dump(mode="json") for d in ev.reliability]
    assert set(doc["provenance"]["statistics"]) == {
        "uncertainty",
        "draws",
        "rank_method",
        "adequacy",
        "suppress_inadequate",
        "pairwise",
        "small_n",
        "reliability",
        # issue 17: the design choices, and what they resolved to for these responses
        "rank_sets",
        "domain",
        "lonely_psu",
        "psu_population",
        "small_area",
        "domain_estimator",
        "fpc",
        "ranked",
    }


def test_a_1_0_document_still_loads_and_reports(
    via_global: tuple[Evaluation, dict[tuple[str, str], bytes]],
) -> None:
    ev, _ = via_global
    doc = json.loads(ev.to_json())
    for key in ("period_start", "period_end", "schemes", "reliability"):
        del doc[key]
    for part in [doc["provenance"]["method"], *doc["provenance"]["rules"]]:
        del part["title"]
    doc["schema_version"] = doc["provenance"]["schema_version"] = "1.0"
    jsonschema = pytest.importorskip("jsonschema")
    from publiceval._core.report.schema import shipped_schema

    jsonschema.validate(doc, json.loads(shipped_schema()))  # a 1.0 document is valid 1.1
    old = Evaluation.model_validate(doc)
    assert (old.period_start, old.period_end) == (ev.period_start, ev.period_end)
    assert old.reliability == ev.reliability  # read back from extras["reliability"]
    assert old.schemes == []
    md = _render(old, get_host(), "markdown", "en").decode("utf-8")
    assert "12 June 2025 – 16 June 2025" in md
    assert "Alpha" in md or "α" in md


def test_old_keyword_arguments_still_work_with_a_deprecation_warning() -> None:
    survey, table = _survey_and_table()
    new = pe.evaluate(survey, table, statistics={"seed": 5, "pairwise": True, "adequacy": "none"})
    with pytest.warns(DeprecationWarning, match="statistics="):
        old = pe.evaluate(survey, table, seed=5, pairwise=True, adequacy="none")
    assert old == new
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pe.evaluate(survey, table, statistics=StatisticsOptions(seed=5))
    with pytest.warns(DeprecationWarning, match="seed=, pairwise="):  # an old keyword wins
        mixed = pe.evaluate(survey, table, statistics={"seed": 1}, seed=5, pairwise=True)
    assert mixed.provenance.seed == 5
    assert mixed.provenance.statistics["pairwise"] is True


def test_a_misspelt_keyword_is_still_a_type_error() -> None:
    """The deprecated keywords are collected, not every keyword: a typo is not swallowed."""
    survey, table = _survey_and_table()
    with pytest.raises(TypeError, match="'pairwse'"):
        pe.evaluate(survey, table, pairwse=True)
