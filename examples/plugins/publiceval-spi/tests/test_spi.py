"""Tests of publiceval-spi, written with the fixtures publiceval ships (publiceval.testing)."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from publiceval import PluginError, ResponseTable, ScoreScale
from publiceval.testing import SAMPLE_MEANS, PluginHarness

import publiceval_spi
from publiceval_spi import SPIScheme, median_interval

INDEX = ScoreScale(low=0, high=100, unit="index 0-100")
MEAN_1_4 = ScoreScale(low=1, high=4, unit="mean 1-4")


def code(value: float, **options: object) -> str | None:
    category = SPIScheme.create(options).categorize(value, INDEX)
    return None if category is None else category.code


# --- the scheme -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.0, "rentan"),
        (72.9, "rentan"),
        (72.99, "rentan"),
        (73.0, "waspada"),
        (77.9, "waspada"),
        (77.99, "waspada"),
        (78.0, "terjaga"),
        (100.0, "terjaga"),
    ],
)
def test_published_band_edges(value: float, expected: str) -> None:
    assert code(value) == expected


def test_precision_compares_the_printed_score() -> None:
    # 72.95 prints as 73.0 at one decimal, and a reader of the report sees "waspada"
    assert code(72.95) == "rentan"
    assert code(72.95, precision=1) == "waspada"
    assert code(77.94, precision=1) == "waspada"
    assert code(77.95, precision=1) == "terjaga"


def test_outside_the_index_has_no_category() -> None:
    assert code(-0.1) is None
    assert code(100.1) is None


@given(st.floats(0, 100), st.floats(0, 100))
def test_a_higher_score_never_gets_a_worse_band(a: float, b: float) -> None:
    scheme = SPIScheme.create()
    lo, hi = sorted((a, b))
    ca, cb = scheme.categorize(lo, INDEX), scheme.categorize(hi, INDEX)
    assert ca is not None
    assert cb is not None
    assert cb.order <= ca.order


def test_other_scales_are_refused_unless_rescaled() -> None:
    with pytest.raises(PluginError, match=r"0-100.*found scores on 1-4.*rescale = true"):
        SPIScheme.create().categorize(3.0, MEAN_1_4)
    # 1 + 0.78 * 3 = 3.34 is the first "terjaga" mean; 1 + 0.73 * 3 = 3.19 the first "waspada"
    scheme = SPIScheme.create({"rescale": True})
    assert [b.low for b in scheme.checked_bands(MEAN_1_4)] == pytest.approx([1.0, 3.19, 3.34])
    got = [scheme.categorize(v, MEAN_1_4) for v in (3.18, 3.19, 3.33, 3.34, 4.0)]
    assert [c.code if c else None for c in got] == [
        "rentan",
        "waspada",
        "waspada",
        "terjaga",
        "terjaga",
    ]


def test_bands_can_be_overridden_and_are_checked() -> None:
    bands = [
        {"code": "low", "label": "Rendah", "low": 0, "high": 50},
        {"code": "high", "label": "Tinggi", "low": 50, "high": 100},
    ]
    assert code(49.9, bands=bands) == "low"
    gap = [bands[0], {**bands[1], "low": 60}]
    with pytest.raises(PluginError, match="gap between band"):
        SPIScheme.create({"bands": gap}).categorize(10, INDEX)
    with pytest.raises(PluginError, match=r"unknown option 'rescal'.*did you mean 'rescale'"):
        SPIScheme.create({"rescal": True})


def test_labels_are_bilingual() -> None:
    category = SPIScheme.create().categorize(75, INDEX)
    assert category is not None
    assert (category.label.id, category.label.en) == ("Waspada", "Alert")


# --- the median method ------------------------------------------------------------------


def test_median_on_the_sample_survey(publiceval_harness: PluginHarness) -> None:
    ev = publiceval_harness.evaluate(method="median", scheme=("spi", {"rescale": True}))
    got = {r.opd: r.score.value for r in ev.opds}
    # respondent means: Disdukcapil 11/3, 11/3, 10/3; DPMPTSP 3, 8/3, 8/3; RSUD 5/3, 5/3, 4/3
    assert got == pytest.approx({"disdukcapil": 11 / 3, "dpmptsp": 8 / 3, "rsud": 5 / 3})
    assert [r.opd for r in ev.opds] == ["disdukcapil", "dpmptsp", "rsud"]
    # three respondents are too few for a 95% distribution-free interval
    assert all(r.score.ci is None for r in ev.opds)
    # 11/3 on 1-4 is 88.9 on 0-100: terjaga; 8/3 is 55.6: rentan
    assert {r.opd: r.category.code for r in ev.opds if r.category} == {
        "disdukcapil": "terjaga",
        "dpmptsp": "rentan",
        "rsud": "rentan",
    }
    assert ev.provenance.method.plugin == "publiceval_spi"
    # and the mean of the same data differs: the fixture's hand-worked means
    mean = publiceval_harness.evaluate()
    assert {r.opd: r.score.value for r in mean.opds} == pytest.approx(SAMPLE_MEANS)


def test_median_interval_by_hand() -> None:
    # n = 10: P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2) = 56/1024, so [x_(2), x_(9)]
    values = np.arange(1.0, 11.0)
    low, high, coverage = median_interval(values, 0.95) or (0, 0, 0)
    assert (low, high) == (2.0, 9.0)
    assert coverage == pytest.approx(1 - 2 * 11 / 1024)
    assert median_interval(np.arange(5.0), 0.95) is None
    assert median_interval(np.arange(6.0), 0.95) == pytest.approx((0.0, 5.0, 1 - 2 / 64))


def test_median_is_robust_to_one_extreme_respondent(publiceval_harness: PluginHarness) -> None:
    survey = publiceval_harness.survey
    rows = [
        {"respondent": f"p{k}", "opd": "rsud", "u1": v, "u2": v, "u3": v}
        for k, v in enumerate([3, 3, 3, 3, 3, 3, 3, 3, 3, 1])
    ]
    table = ResponseTable.from_rows(survey, rows)
    ev = publiceval_harness.evaluate(method="median", responses=table)
    rsud = next(r for r in ev.opds if r.opd == "rsud")
    assert rsud.score.value == 3.0
    assert rsud.score.n == 10
    assert rsud.score.ci is not None
    assert (rsud.score.ci.low, rsud.score.ci.high) == (3.0, 3.0)
    assert publiceval_harness.evaluate(responses=table).opds[0].score.value == pytest.approx(2.8)


def test_median_min_items(publiceval_harness: PluginHarness) -> None:
    rows = [
        {"respondent": "a", "opd": "rsud", "u1": 4, "u2": None, "u3": None},
        {"respondent": "b", "opd": "rsud", "u1": 1, "u2": 1, "u3": 1},
    ]
    table = ResponseTable.from_rows(publiceval_harness.survey, rows)
    one = publiceval_harness.evaluate(method="median", responses=table)
    two = publiceval_harness.evaluate(method=("median", {"min_items": 2}), responses=table)
    assert next(r for r in one.opds if r.opd == "rsud").score.value == 2.5
    assert next(r for r in two.opds if r.opd == "rsud").score.value == 1.0


# --- installed like a user installs it --------------------------------------------------


def _installed() -> importlib.metadata.EntryPoint:
    eps = [e for e in importlib.metadata.entry_points(group="publiceval") if e.name == "spi"]
    if not eps:
        pytest.fail(
            "publiceval-spi is not installed: run `pip install -e examples/plugins/publiceval-spi`"
        )
    return eps[0]


def test_entry_point_loads_this_module() -> None:
    assert _installed().load() is publiceval_spi


def test_publiceval_plugins_lists_it() -> None:
    _installed()
    out = subprocess.run(
        [sys.executable, "-m", "publiceval", "plugins", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    spi = next(p for p in json.loads(out) if p["name"] == "spi")
    assert spi["source"] == "entrypoint"
    assert spi["version"] == "0.1.0"
    assert spi["provides"] == {"methods": ["median"], "schemes": ["spi"]}
    assert spi["hooks"] == ["register_methods", "register_schemes"]


def test_usable_by_name_from_a_study_file(
    publiceval_harness: PluginHarness, tmp_path: Path
) -> None:
    _installed()
    study = publiceval_harness.write_study(
        tmp_path, method="median", scheme="spi", scheme_options={"rescale": True}
    )
    out = tmp_path / "report.json"
    subprocess.run(
        [sys.executable, "-m", "publiceval", "evaluate", str(study), "-f", "json", "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    ev = json.loads(out.read_text(encoding="utf-8"))
    method = ev["provenance"]["method"]
    assert {k: method[k] for k in ("name", "plugin", "options")} == {
        "name": "median",
        "plugin": "spi",
        "options": {"items": None, "min_items": 1},
    }
    assert ev["provenance"]["scheme"]["plugin"] == "spi"
    cats = {r["opd"]: r["category"]["code"] for r in ev["opds"]}
    assert cats == {"disdukcapil": "terjaga", "dpmptsp": "rentan", "rsud": "rentan"}
