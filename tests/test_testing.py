"""The fixtures and helpers publiceval ships for plugin authors (publiceval.testing)."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publiceval import PublicevalError, hookimpl
from publiceval.plugin import PluginHost, ScoringMethod
from publiceval.testing import (
    SAMPLE_MEANS,
    SAMPLE_SURVEY_WIDE_MEAN,
    PluginHarness,
    make_host,
    sample_rows,
    toml_value,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class _Renamed(ScoringMethod):
    """The built-in mean under another name, to see a marker-registered plugin at work."""

    name = "marker-mean"

    def score(self, table: Any, context: Any) -> Any:
        from publiceval._core.default_plugins.mean import Mean

        return Mean.create().score(table, context)


class MarkerPlugin:
    @hookimpl
    def register_methods(self, register: Callable[[type[ScoringMethod]], None]) -> None:
        register(_Renamed)


def test_sample_means_match_the_rows_worked_independently() -> None:
    # mean of item means per OPD, computed from the raw rows without publiceval
    by_opd: dict[str, list[list[int]]] = {}
    for row in sample_rows():
        by_opd.setdefault(row["opd"], []).append([row["u1"], row["u2"], row["u3"]])
    for opd, answers in by_opd.items():
        item_means = [sum(col) / len(col) for col in zip(*answers, strict=True)]
        assert sum(item_means) / 3 == pytest.approx(SAMPLE_MEANS[opd], abs=1e-15)
    wide = [row["kepuasan"] for row in sample_rows() if "kepuasan" in row]
    assert sum(wide) / len(wide) == SAMPLE_SURVEY_WIDE_MEAN


def test_fixtures_give_the_sample(publiceval_harness: PluginHarness) -> None:
    ev = publiceval_harness.evaluate()
    assert {r.opd: r.score.value for r in ev.opds} == pytest.approx(SAMPLE_MEANS)
    assert ev.survey_wide[0].score.value == pytest.approx(SAMPLE_SURVEY_WIDE_MEAN)
    assert (ev.data.rows_read, ev.data.rows_rejected, ev.data.respondents) == (9, 0, 4)


def test_fresh_host_ignores_installed_plugins(publiceval_host: PluginHost) -> None:
    assert {i.source for i in publiceval_host.plugins()} == {"builtin"}
    assert publiceval_host is not make_host()


@pytest.mark.publiceval_plugins(MarkerPlugin())
def test_marker_registers_plugins(publiceval_harness: PluginHarness) -> None:
    ev = publiceval_harness.evaluate(method="marker-mean")
    assert ev.provenance.method.name == "marker-mean"
    assert {r.opd: r.score.value for r in ev.opds} == pytest.approx(SAMPLE_MEANS)


def test_study_written_by_the_harness_gives_the_same_evaluation(
    publiceval_harness: PluginHarness, tmp_path: Path
) -> None:
    bands = [
        {"code": "B", "label": {"id": "Baik", "en": "Good"}, "low": 3.0},
        {"code": "K", "label": {"id": "Kurang", "en": "Poor"}, "low": 1.0},
    ]
    path = publiceval_harness.write_study(
        tmp_path, scheme="cutoffs", scheme_options={"bands": bands}, rules=[("lowest-k", {"k": 1})]
    )
    from_file = publiceval_harness.load_study(path).evaluate(publiceval_harness.host)
    direct = publiceval_harness.evaluate(
        scheme=("cutoffs", {"bands": bands}), rules=[("lowest-k", {"k": 1})]
    )
    assert [(r.opd, r.score.value, r.category) for r in from_file.opds] == [
        (r.opd, r.score.value, r.category) for r in direct.opds
    ]
    assert [r.target for r in from_file.recommendations] == ["rsud"]


def test_read_and_render(publiceval_harness: PluginHarness, tmp_path: Path) -> None:
    table = publiceval_harness.read("csv", publiceval_harness.write_csv(tmp_path / "a.csv"))
    assert table.rejects.rows_used == 9
    text = publiceval_harness.render("table", lang="en").decode("utf-8")
    assert "Disdukcapil" in text
    assert "3.56" in text


def test_component_checks_the_kind(publiceval_harness: PluginHarness) -> None:
    assert publiceval_harness.component("methods", "mean").name == "mean"
    with pytest.raises(PublicevalError, match="expected kind methods, schemes"):
        publiceval_harness.component("widgets", "mean")


_keys = st.text(min_size=1, max_size=8)
_scalars = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=12,
)


@given(_values)
def test_toml_value_round_trips(value: Any) -> None:
    parsed = tomllib.loads(f"v = {toml_value(value)}")["v"]
    assert parsed == value or (isinstance(value, float) and math.isclose(parsed, value))


def test_toml_value_refuses_what_toml_cannot_hold() -> None:
    with pytest.raises(PublicevalError, match="TOML cannot hold"):
        toml_value(float("nan"))
    with pytest.raises(PublicevalError, match="found set"):
        toml_value({1, 2})
