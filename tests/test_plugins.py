from __future__ import annotations

import importlib
import json
import sys

import pluggy
import pytest
from click.testing import CliRunner

import publiceval
from builders import STUDY_TEMPLATE, make_survey
from publiceval import PluginError, evaluate, hookimpl
from publiceval._core.cli import cli
from publiceval._core.plugins import reset_host
from publiceval.plugin import PluginHost, ScoringMethod

SURVEY = make_survey()
ROWS = [
    {"respondent": "r1", "opd": "opd0", "q1": 4, "q2": 2},
    {"respondent": "r2", "opd": "opd1", "q1": 1},
]

PLUGIN_SOURCE = '''
import numpy as np
import publiceval
from publiceval import Score, ScoreScale, Text
from publiceval.plugin import MethodResult, ScoringMethod


class Highest(ScoringMethod):
    """Share of answers at the top of the scale, per OPD (a deliberately simple method)."""

    name = "highest-share"
    title = Text(id="Bagian jawaban tertinggi", en="Share of top answers")

    def score(self, table, context):
        survey = table.survey
        block = table.per_opd
        scale = survey.scale_of(block.items[0])
        top = (block.values == scale.max) & block.observed
        hits = np.bincount(block.opd, weights=top.sum(axis=1), minlength=len(survey.opds))
        seen = np.bincount(block.opd, weights=block.observed.sum(axis=1), minlength=len(survey.opds))
        out_scale = ScoreScale(low=0, high=1, unit="share")
        scores = {
            o.id: Score(value=float(hits[k] / seen[k]) if seen[k] else None, scale=out_scale, n=int(seen[k]))
            for k, o in enumerate(survey.opds)
        }
        return MethodResult(scale=out_scale, opd_scores=scores)


@publiceval.hookimpl
def register_methods(register):
    register(Highest)
'''


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """A separate distribution declaring a `publiceval` entry point, as pip would install it."""
    (tmp_path / "pe_highest.py").write_text(PLUGIN_SOURCE)
    dist = tmp_path / "pe_highest-1.2.3.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pe-highest\nVersion: 1.2.3\n")
    (dist / "entry_points.txt").write_text("[publiceval]\nhighest = pe_highest\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    yield "highest"
    sys.modules.pop("pe_highest", None)
    reset_host()


def test_builtins_are_ordinary_plugins(host):
    infos = {i.name: i for i in host.plugins()}
    assert infos["mean"].source == "builtin"
    assert infos["mean"].hooks == ["register_methods"]
    assert infos["mean"].provides == {"methods": ["mean"]}
    assert "lowest-k" in host.rules() and "cutoffs" in host.schemes()
    assert "csv" in host.readers() and "json" in host.reporters()


def test_a_fresh_plugin_manager_per_host():
    a, b = PluginHost(entrypoints=False), PluginHost(entrypoints=False)
    assert isinstance(a.pm, pluggy.PluginManager)
    assert a.pm is not b.pm


def test_unknown_name_lists_installed_and_suggests(host):
    with pytest.raises(
        PluginError, match=r"unknown method 'maen' \(installed: .*mean.*\); did you mean 'mean'\?"
    ):
        host.method("maen")


def test_name_clash_names_both_plugins(host):
    class Mean2(ScoringMethod):
        name = "mean"

        def score(self, table, context):  # pragma: no cover - never called
            raise NotImplementedError

    class Clash:
        @hookimpl
        def register_methods(self, register):
            register(Mean2)

    host.register(Clash(), name="clashing-plugin")
    assert "mean" not in host.methods() and "ikm-2017" in host.methods()  # others still work
    with pytest.raises(
        PluginError,
        match=r"registered by both plugin 'mean' \(package publiceval\) "
        r"and plugin 'clashing-plugin'",
    ):
        host.method("mean")


def test_registering_a_non_method_is_refused(host):
    class Wrong:
        @hookimpl
        def register_methods(self, register):
            register(dict)

    host.register(Wrong(), name="wrong")
    with pytest.raises(
        PluginError, match="plugin 'wrong' registered .* not a subclass of ScoringMethod"
    ):
        host.methods()


def test_entry_point_plugin_is_discovered_lazily_and_usable_by_name(installed_plugin):
    assert "pe_highest" not in sys.modules
    host = PluginHost()
    assert "pe_highest" not in sys.modules  # nothing loaded at construction
    assert "highest-share" in host.methods()
    info = next(i for i in host.plugins() if i.name == installed_plugin)
    assert (info.source, info.version, info.provides) == (
        "entrypoint",
        "1.2.3",
        {"methods": ["highest-share"]},
    )
    ev = evaluate(SURVEY, ROWS, method="highest-share", host=host)
    assert ev.opd("opd0").score.value == pytest.approx(0.5)
    assert ev.provenance.method.plugin == "highest"


@pytest.mark.parametrize(
    ("setting", "loaded"), [("", False), ("other", False), ("highest", True), ("x, highest", True)]
)
def test_environment_variable_restricts_autoloading(installed_plugin, monkeypatch, setting, loaded):
    monkeypatch.setenv("PUBLICEVAL_LOAD_PLUGINS", setting)
    assert ("highest-share" in PluginHost().methods()) is loaded


def test_broken_entry_point_is_reported_by_name(tmp_path, monkeypatch):
    (tmp_path / "pe_broken.py").write_text("raise RuntimeError('boom')\n")
    dist = tmp_path / "pe_broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pe-broken\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[publiceval]\nbroken = pe_broken\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    with pytest.raises(PluginError, match=r"plugin 'broken' \(pe_broken\) failed to load: boom"):
        PluginHost().methods()


def test_study_file_and_cli_use_an_entry_point_plugin(installed_plugin, tmp_path):
    study = tmp_path / "study.toml"
    (tmp_path / "answers.csv").write_text("respondent,opd,q1,q2\nr1,opd0,4,2\nr2,opd1,1,\n")
    study.write_text(STUDY_TEMPLATE.format(method="highest-share"))
    reset_host()
    assert publiceval.load_study(study).evaluate().opd("opd0").score.value == pytest.approx(0.5)
    runner = CliRunner()
    listed = runner.invoke(cli, ["plugins", "--json"])
    assert listed.exit_code == 0, listed.output
    names = {p["name"]: p for p in json.loads(listed.output)}
    assert names["highest"]["hooks"] == ["register_methods"]
    assert names["highest"]["version"] == "1.2.3"
    text = runner.invoke(cli, ["plugins"])
    assert "highest 1.2.3 (entrypoint): hooks register_methods" in text.output
    result = runner.invoke(cli, ["evaluate", str(study), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["provenance"]["method"]["name"] == "highest-share"


def test_hookspecs_are_documented_with_params():
    from publiceval._core import hookspecs

    for name in (
        "register_methods",
        "register_schemes",
        "register_rules",
        "register_readers",
        "register_reporters",
    ):
        doc = getattr(hookspecs, name).__doc__
        assert doc and ":param register:" in doc
