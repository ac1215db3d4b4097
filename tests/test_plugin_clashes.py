"""Two installed packages registering the same name: an error only where the name is used."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap

import pytest
from click.testing import CliRunner

import publiceval
from builders import STUDY_TEMPLATE, make_survey
from publiceval import evaluate
from publiceval._core.cli import cli
from publiceval._core.errors import PluginClashError
from publiceval._core.plugins import reset_host
from publiceval.plugin import PluginError, PluginHost, hookimpl

MEDIAN_SOURCE = '''
from publiceval.plugin import ScoringMethod, Text, hookimpl


class Median(ScoringMethod):
    """Median answer per OPD ({pkg})."""

    name = "median"
    title = Text(id="Median", en="Median")

    def score(self, table, context):  # pragma: no cover - a clash never gets this far
        raise NotImplementedError


@hookimpl
def register_methods(register):
    register(Median)
'''

STUDY = STUDY_TEMPLATE + textwrap.dedent(
    """
    [scheme]
    name = "permenpan-2017"

    [[rules]]
    name = "lowest-k"
    options = {{ k = 1 }}

    [[rules]]
    name = "weakest-items"
    """
)


def _install(root, module: str, package: str, version: str, entry: str) -> None:
    """A distribution declaring a ``publiceval`` entry point, as pip would install it."""
    (root / f"{module}.py").write_text(MEDIAN_SOURCE.replace("{pkg}", package))
    dist = root / f"{module}-{version}.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n")
    (dist / "entry_points.txt").write_text(f"[publiceval]\n{entry} = {module}\n")


@pytest.fixture
def two_medians(tmp_path, monkeypatch):
    """Two packages, ``pe-median-a`` and ``pe-median-b``, both registering a method ``median``."""
    site = tmp_path / "site"
    site.mkdir()
    _install(site, "pe_median_a", "pe-median-a", "1.0", "median-a")
    _install(site, "pe_median_b", "pe-median-b", "2.0", "median-b")
    monkeypatch.syspath_prepend(str(site))
    # only these two: other installed plugins (the example plugin registers a `median` too) stay out
    monkeypatch.setenv("PUBLICEVAL_LOAD_PLUGINS", "median-a,median-b")
    importlib.invalidate_caches()
    reset_host()
    yield tmp_path
    for name in ("pe_median_a", "pe_median_b"):
        sys.modules.pop(name, None)
    reset_host()


def _study(folder, method: str):
    (folder / "answers.csv").write_text("respondent,opd,q1,q2\nr1,opd0,4,2\nr2,opd1,1,3\n")
    path = folder / "study.toml"
    path.write_text(STUDY.format(method=method))
    return path


def _names_both(text: str) -> bool:
    return all(
        part in text
        for part in (
            "'median'",
            "plugin 'median-a' (package pe-median-a 1.0)",
            "plugin 'median-b' (package pe-median-b 2.0)",
        )
    )


def test_a_study_not_using_the_clashing_name_evaluates(two_medians):
    study = _study(two_medians, "mean")
    evaluation = publiceval.load_study(study).evaluate()
    assert evaluation.opd("opd0").score.value is not None
    result = CliRunner().invoke(cli, ["evaluate", str(study), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["provenance"]["method"]["name"] == "mean"


def test_a_study_using_the_clashing_name_fails_once_with_exit_5(two_medians):
    study = _study(two_medians, "median")
    with pytest.raises(PluginClashError) as info:
        publiceval.load_study(study)
    assert _names_both(str(info.value))
    result = CliRunner().invoke(cli, ["evaluate", str(study)])
    assert result.exit_code == 5, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert _names_both(errors[0])
    assert f"{study}, line " in errors[0]  # where the study uses the name


def test_a_call_using_the_clashing_name_fails_and_others_work(two_medians):
    host = PluginHost()
    rows = [{"respondent": "r1", "opd": "opd0", "q1": 4, "q2": 2}]
    assert evaluate(make_survey(), rows, method="mean", host=host).opd("opd0").score.value
    with pytest.raises(PluginError) as info:
        evaluate(make_survey(), rows, method="median", host=host)
    assert isinstance(info.value, PluginClashError)
    assert info.value.exit_code == 5
    assert _names_both(str(info.value))
    assert "median" not in host.methods()  # the plural getters leave a clash out
    [clash] = host.clashes()
    assert (clash.kind, clash.name, clash.plugins) == (
        "methods",
        "median",
        ["median-a", "median-b"],
    )
    assert clash.packages == ["pe-median-a", "pe-median-b"]


def test_plugins_command_lists_both_providers_and_marks_the_clash(two_medians):
    runner = CliRunner()
    listed = runner.invoke(cli, ["plugins", "--json"])
    assert listed.exit_code == 0, listed.output
    infos = {p["name"]: p for p in json.loads(listed.stdout)}
    for name, package in (("median-a", "pe-median-a"), ("median-b", "pe-median-b")):
        assert infos[name]["provides"] == {"methods": ["median"]}
        assert infos[name]["clashes"] == {"methods": ["median"]}
        assert infos[name]["package"] == package
    assert infos["mean"]["clashes"] == {}
    text = runner.invoke(cli, ["plugins"])
    assert text.exit_code == 0, text.output
    assert text.output.count("methods: median (clash)") == 2
    assert "median-a 1.0 (entrypoint): hooks register_methods" in text.output
    assert "clash: method 'median' is registered by plugin 'median-a'" in text.output


def test_the_same_class_registered_twice_is_no_clash(host):
    from publiceval._core.default_plugins.mean import Mean

    class Again:
        @hookimpl
        def register_methods(self, register):
            register(Mean)

    host.register(Again(), name="again")
    assert host.clashes() == []
    assert host.method("mean") is Mean


def test_one_plugin_registering_two_classes_under_one_name(host):
    from publiceval._core.default_plugins.mean import Mean

    class Dup(Mean):
        name = "dup"

    class Dup2(Mean):
        name = "dup"

    class Twice:
        @hookimpl
        def register_methods(self, register):
            register(Dup)
            register(Dup2)

    host.register(Twice(), name="twice")
    with pytest.raises(PluginClashError, match="'dup' is registered twice by plugin 'twice'"):
        host.method("dup")
    assert host.clashes()[0].plugins == ["twice", "twice"]
