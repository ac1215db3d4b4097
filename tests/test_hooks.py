"""Every hook, exercised on a fresh PluginHost: what a plugin registers is found by name, wrong
classes are refused naming the plugin, and the hook runs once, lazily."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

import publiceval
from publiceval import (
    ColumnMap,
    PluginError,
    Recommendation,
    ResponseTable,
    Score,
    ScoreScale,
    Survey,
    Text,
    hookimpl,
)
from publiceval._core.results import Evaluation
from publiceval.plugin import (
    Band,
    CategoryScheme,
    MethodResult,
    PluginHost,
    Reader,
    RecommendationRule,
    Reporter,
    ScoringContext,
    ScoringMethod,
)
from publiceval.testing import PluginHarness, sample_rows


class Constant(ScoringMethod):
    name = "test-constant"
    title = Text(id="Konstan", en="Constant")

    def score(self, table: ResponseTable, context: ScoringContext) -> MethodResult:
        scale = ScoreScale(low=0, high=10)
        return MethodResult(
            scale=scale,
            opd_scores={
                o.id: Score(value=float(k), scale=scale) for k, o in enumerate(table.survey.opds)
            },
        )


class Everything(CategoryScheme):
    name = "test-everything"

    def bands(self, scale: ScoreScale) -> Sequence[Band]:
        return [
            Band(
                code="all",
                label=Text(id="Semua", en="All"),
                low=scale.low,
                high=scale.high,
                order=0,
            )
        ]


class EveryOPD(RecommendationRule):
    name = "test-every-opd"

    def recommend(self, evaluation: Evaluation) -> list[Recommendation]:
        return [
            Recommendation(
                target=r.opd,
                priority=2,
                title=Text(id="Tinjau", en="Review"),
                text=Text(id="Tinjau OPD ini.", en="Review this OPD."),
                rule=self.name,
            )
            for r in evaluation.opds
        ]


class Pipes(Reader):
    name = "test-pipes"
    suffixes = (".pipes",)

    def read(self, path: Path, survey: Survey, mapping: ColumnMap) -> ResponseTable:
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split("|")
        cells = [ln.split("|") for ln in lines[1:]]
        columns = {}
        for j, name in enumerate(header):
            col = np.empty(len(cells), dtype=object)
            col[:] = [c[j] for c in cells]
            columns[name] = col
        return ResponseTable.from_columns(
            survey, columns, mapping=mapping, source=str(path), first_row=2
        )


class Names(Reporter):
    name = "test-names"
    suffix = ".txt"

    def render(self, evaluation: Evaluation, *, lang: publiceval._core.text.Lang = "id") -> bytes:
        return " ".join(r.opd for r in evaluation.opds).encode("utf-8")


class Plugin:
    """One plugin implementing every hook, counting calls."""

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}

    def _count(self, hook: str) -> None:
        self.calls[hook] = self.calls.get(hook, 0) + 1

    @hookimpl
    def register_methods(self, register: Callable[[type[ScoringMethod]], None]) -> None:
        self._count("register_methods")
        register(Constant)

    @hookimpl
    def register_schemes(self, register: Callable[[type[CategoryScheme]], None]) -> None:
        self._count("register_schemes")
        register(Everything)

    @hookimpl
    def register_rules(self, register: Callable[[type[RecommendationRule]], None]) -> None:
        self._count("register_rules")
        register(EveryOPD)

    @hookimpl
    def register_readers(self, register: Callable[[type[Reader]], None]) -> None:
        self._count("register_readers")
        register(Pipes)

    @hookimpl
    def register_reporters(self, register: Callable[[type[Reporter]], None]) -> None:
        self._count("register_reporters")
        register(Names)


@pytest.fixture
def plugin() -> Plugin:
    return Plugin()


@pytest.fixture
def harness(
    plugin: Plugin, publiceval_survey: Survey, publiceval_responses: ResponseTable
) -> PluginHarness:
    host = PluginHost(entrypoints=False)
    host.register(plugin, name="everything")
    return PluginHarness(host, publiceval_survey, publiceval_responses)


def test_hooks_run_lazily_and_once(plugin: Plugin) -> None:
    host = PluginHost(entrypoints=False)
    host.register(plugin, name="everything")
    assert plugin.calls == {}
    host.methods()
    host.reporters()
    host.scheme("test-everything")
    assert plugin.calls == {
        "register_methods": 1,
        "register_schemes": 1,
        "register_rules": 1,
        "register_readers": 1,
        "register_reporters": 1,
    }


def test_plugin_info_lists_every_hook(harness: PluginHarness) -> None:
    info = next(i for i in harness.host.plugins() if i.name == "everything")
    assert info.source == "registered"
    assert info.hooks == [
        "register_methods",
        "register_readers",
        "register_reporters",
        "register_rules",
        "register_schemes",
    ]
    assert info.provides == {
        "methods": ["test-constant"],
        "schemes": ["test-everything"],
        "rules": ["test-every-opd"],
        "readers": ["test-pipes"],
        "reporters": ["test-names"],
    }


def test_register_methods(harness: PluginHarness) -> None:
    assert harness.host.method("test-constant") is Constant
    ev = harness.evaluate(method="test-constant")
    assert [(r.opd, r.score.value, r.rank) for r in ev.opds] == [
        ("rsud", 2.0, 1),
        ("dpmptsp", 1.0, 2),
        ("disdukcapil", 0.0, 3),
    ]
    assert ev.provenance.method.plugin == "everything"


def test_register_schemes(harness: PluginHarness) -> None:
    assert harness.host.scheme("test-everything") is Everything
    ev = harness.evaluate(scheme="test-everything")
    assert {r.category.code for r in ev.opds if r.category} == {"all"}
    assert ev.provenance.scheme is not None
    assert ev.provenance.scheme.plugin == "everything"


def test_register_rules(harness: PluginHarness) -> None:
    assert harness.host.rule("test-every-opd") is EveryOPD
    ev = harness.evaluate(rules=["test-every-opd"])
    assert sorted(r.target for r in ev.recommendations) == ["disdukcapil", "dpmptsp", "rsud"]


def test_register_readers(harness: PluginHarness, tmp_path: Path) -> None:
    assert harness.host.reader_for_suffix(".PIPES") is Pipes
    path = tmp_path / "answers.pipes"
    lines = ["respondent|opd|u1|u2|u3"]
    lines += [f"{r['respondent']}|{r['opd']}|{r['u1']}|{r['u2']}|{r['u3']}" for r in sample_rows()]
    path.write_text("\n".join([*lines, "r9|dinas-x|1|1|1"]) + "\n", encoding="utf-8")
    table = harness.read("test-pipes", path)
    assert (table.rejects.rows_read, table.rejects.rows_used, table.rejects.rows_rejected) == (
        10,
        9,
        1,
    )
    assert table.rejects.entries[0].row == 11


def test_register_reporters(harness: PluginHarness) -> None:
    assert harness.host.reporter("test-names") is Names
    assert harness.render("test-names") == b"disdukcapil dpmptsp rsud"


@pytest.mark.parametrize(
    ("hook", "base"),
    [
        ("register_methods", "ScoringMethod"),
        ("register_schemes", "CategoryScheme"),
        ("register_rules", "RecommendationRule"),
        ("register_readers", "Reader"),
        ("register_reporters", "Reporter"),
    ],
)
def test_each_hook_refuses_a_class_of_the_wrong_kind(hook: str, base: str) -> None:
    def wrong(register: Callable[[type], None]) -> None:
        register(Names if hook != "register_reporters" else Constant)

    wrong.__name__ = hook
    plugin = type("Wrong", (), {hook: staticmethod(hookimpl(wrong))})
    host = PluginHost(entrypoints=False)
    host.register(plugin, name="wrong-kind")
    with pytest.raises(
        PluginError, match=rf"plugin 'wrong-kind' registered .* not a subclass of {base}"
    ):
        host.plugins()


def test_a_class_without_a_name_is_refused() -> None:
    class Nameless(Reporter):
        def render(
            self, evaluation: Evaluation, *, lang: publiceval._core.text.Lang = "id"
        ) -> bytes:
            return b""

    class P:
        @hookimpl
        def register_reporters(self, register: Callable[[type[Reporter]], None]) -> None:
            register(Nameless)

    host = PluginHost(entrypoints=False)
    host.register(P(), name="nameless")
    with pytest.raises(PluginError, match="plugin 'nameless' registered Nameless without a 'name'"):
        host.reporters()


def test_a_hook_that_raises_is_reported_by_plugin_and_hook() -> None:
    class Broken:
        @hookimpl
        def register_rules(self, register: Callable[[type[RecommendationRule]], None]) -> None:
            raise RuntimeError("boom")

    host = PluginHost(entrypoints=False)
    host.register(Broken(), name="broken")
    with pytest.raises(PluginError, match="plugin 'broken' failed in register_rules: boom"):
        host.rules()


def test_a_misspelt_hook_is_refused_at_registration() -> None:
    class Typo:
        @hookimpl
        def register_method(self, register: Callable[[type[ScoringMethod]], None]) -> None:
            register(Constant)

    host = PluginHost(entrypoints=False)
    with pytest.raises(
        PluginError,
        match=r"plugin 'typo' implements 'register_method', which is not a publiceval hook; "
        r"did you mean 'register_methods'\?",
    ):
        host.register(Typo(), name="typo")
    # refused entirely: the host works on without it
    assert "typo" not in {i.name for i in host.plugins()}


def test_register_readers_from_a_study_file(harness: PluginHarness, tmp_path: Path) -> None:
    path = tmp_path / "answers.pipes"
    lines = ["respondent|opd|u1|u2|u3"]
    lines += [f"{r['respondent']}|{r['opd']}|{r['u1']}|{r['u2']}|{r['u3']}" for r in sample_rows()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # named explicitly, and found from the file ending
    for data_format in ("test-pipes", None):
        study = harness.write_study(tmp_path / "s", data=path, data_format=data_format)
        ev = harness.load_study(study).evaluate(harness.host)
        assert ev.data.rows_used == 9
        assert ev.provenance.data_source == str(path)
