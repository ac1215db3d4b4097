"""Pytest fixtures for people who write publiceval plugins.

Installed with publiceval as a pytest plugin (entry point ``pytest11``), so a plugin's test suite
gets these fixtures without importing anything:

- ``publiceval_plugins``: override it (in ``conftest.py``) to list the plugin modules or objects
  under test; the ``@pytest.mark.publiceval_plugins(...)`` marker adds more for one test.
- ``publiceval_host``: a fresh :class:`~publiceval.PluginHost` with the built-ins and those plugins
  registered, and no installed entry points, so tests do not depend on what else is installed.
- ``publiceval_survey`` / ``publiceval_responses``: a small survey (three OPDs, three items on a
  1-4 scale and one survey-wide question) and its answers, with means simple enough to check by
  hand (see :data:`SAMPLE_MEANS`).
- ``publiceval_harness``: a :class:`PluginHarness` that runs a method, scheme, rule, reader or
  reporter through the same code paths as a real evaluation, and writes study files.

The same building blocks are plain functions too (:func:`sample_survey`, :func:`sample_rows`,
:func:`sample_responses`), for use outside pytest.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ._core.components import Component
from ._core.errors import PublicevalError
from ._core.pipeline import ComponentSpec, evaluate
from ._core.plugins import PluginHost
from ._core.results import Evaluation
from ._core.study import Study, load_study
from ._core.survey import OPD, Item, Scale, ScaleLabel, Survey
from ._core.table import ColumnMap, ResponseTable
from ._core.text import Lang, Text
from ._core.toml_write import inline

__all__ = [
    "SAMPLE_MEANS",
    "SAMPLE_SURVEY_WIDE_MEAN",
    "PluginHarness",
    "make_host",
    "publiceval_harness",
    "publiceval_host",
    "publiceval_plugins",
    "publiceval_responses",
    "publiceval_survey",
    "sample_responses",
    "sample_rows",
    "sample_survey",
    "toml_value",
]

MARKER = "publiceval_plugins"

_QUALITY = [
    ("Tidak Baik", "Poor"),
    ("Kurang Baik", "Fair"),
    ("Baik", "Good"),
    ("Sangat Baik", "Very good"),
]
_SATISFACTION = [
    ("Tidak Puas", "Not satisfied"),
    ("Kurang Puas", "Rather unsatisfied"),
    ("Puas", "Satisfied"),
    ("Sangat Puas", "Very satisfied"),
]

# respondent, OPD, (u1, u2, u3), survey-wide satisfaction (given once per respondent)
_ROWS: list[tuple[str, str, tuple[int, int, int], int | None]] = [
    ("r1", "disdukcapil", (4, 4, 3), 4),
    ("r1", "dpmptsp", (3, 3, 3), None),
    ("r2", "disdukcapil", (3, 4, 4), 3),
    ("r2", "dpmptsp", (2, 3, 3), None),
    ("r2", "rsud", (2, 2, 1), None),
    ("r3", "disdukcapil", (4, 3, 3), 3),
    ("r3", "rsud", (1, 2, 2), None),
    ("r4", "dpmptsp", (3, 2, 3), 2),
    ("r4", "rsud", (2, 1, 1), None),
]

SAMPLE_MEANS: dict[str, float] = {
    "disdukcapil": 32 / 9,
    "dpmptsp": 25 / 9,
    "rsud": 14 / 9,
}
"""The ``mean`` score of each sample OPD, worked by hand: e.g. DPMPTSP's item means are 8/3, 8/3
and 3, whose average is 25/9."""

SAMPLE_SURVEY_WIDE_MEAN = 3.0
"""Mean of the survey-wide satisfaction question over the four respondents (4, 3, 3, 2)."""


def sample_survey() -> Survey:
    """A small survey: three OPDs rated on three items (1-4) and one survey-wide question."""
    quality = Scale(
        id="quality",
        min=1,
        max=4,
        labels=tuple(
            ScaleLabel(value=k + 1, label=Text(id=i, en=e)) for k, (i, e) in enumerate(_QUALITY)
        ),
    )
    satisfaction = Scale(
        id="satisfaction",
        min=1,
        max=4,
        labels=tuple(
            ScaleLabel(value=k + 1, label=Text(id=i, en=e))
            for k, (i, e) in enumerate(_SATISFACTION)
        ),
    )
    return Survey(
        title="Survei contoh",
        city="Kota Contoh",
        scales=(quality, satisfaction),
        items=(
            Item(id="u1", text=Text(id="Persyaratan", en="Requirements"), scale="quality"),
            Item(id="u2", text=Text(id="Waktu penyelesaian", en="Time taken"), scale="quality"),
            Item(id="u3", text=Text(id="Perilaku pelaksana", en="Staff conduct"), scale="quality"),
            Item(
                id="kepuasan",
                text=Text(id="Kepuasan terhadap pemerintah kota", en="Satisfaction with the city"),
                scale="satisfaction",
                scope="survey",
            ),
        ),
        opds=(
            OPD(
                id="disdukcapil",
                name="Dinas Kependudukan dan Pencatatan Sipil",
                short_name="Disdukcapil",
                tags=("administrative",),
            ),
            OPD(
                id="dpmptsp",
                name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
                short_name="DPMPTSP",
                tags=("administrative",),
            ),
            OPD(
                id="rsud",
                name="Rumah Sakit Umum Daerah",
                short_name="RSUD",
                tags=("basic-service",),
            ),
        ),
    )


def sample_rows() -> list[dict[str, Any]]:
    """The sample answers as rows (one per respondent and OPD), as a reader would see them."""
    rows: list[dict[str, Any]] = []
    for respondent, opd, (u1, u2, u3), wide in _ROWS:
        row: dict[str, Any] = {"respondent": respondent, "opd": opd, "u1": u1, "u2": u2, "u3": u3}
        if wide is not None:
            row["kepuasan"] = wide
        rows.append(row)
    return rows


def sample_responses(survey: Survey | None = None) -> ResponseTable:
    """The sample answers validated against ``survey`` (default: :func:`sample_survey`)."""
    return ResponseTable.from_rows(survey or sample_survey(), sample_rows())


def make_host(plugins: Iterable[ModuleType | object] = ()) -> PluginHost:
    """A fresh host: built-ins plus ``plugins``, and no installed entry points."""
    host = PluginHost(entrypoints=False)
    for plugin in plugins:
        name = getattr(plugin, "__name__", None)
        host.register(plugin, name=name if isinstance(name, str) else None)
    return host


def toml_value(value: Any) -> str:
    """``value`` as an inline TOML value (strings, numbers, booleans, lists, tables)."""
    return inline(value).as_string()


def _entry(name: str, options: Mapping[str, Any] | None) -> str:
    return f"{{ name = {toml_value(name)}, options = {toml_value(dict(options or {}))} }}"


class PluginHarness:
    """Runs plugins the way publiceval does, on the sample survey unless told otherwise."""

    def __init__(self, host: PluginHost, survey: Survey, responses: ResponseTable) -> None:
        self.host = host
        self.survey = survey
        self.responses = responses

    def evaluate(
        self,
        *,
        method: ComponentSpec = "mean",
        scheme: ComponentSpec | None = None,
        compare: Sequence[ComponentSpec] = (),
        rules: Sequence[ComponentSpec] = (),
        responses: ResponseTable | None = None,
        **kwargs: Any,
    ) -> Evaluation:
        """:func:`publiceval.evaluate` with this harness's host, survey and responses."""
        return evaluate(
            self.survey,
            self.responses if responses is None else responses,
            method=method,
            scheme=scheme,
            compare=compare,
            rules=rules,
            host=self.host,
            **kwargs,
        )

    def render(
        self,
        reporter: str,
        evaluation: Evaluation | None = None,
        *,
        lang: Lang = "id",
        options: Mapping[str, Any] | None = None,
    ) -> bytes:
        """The bytes the reporter registered as ``reporter`` writes (default: the plain evaluation)."""
        ev = evaluation if evaluation is not None else self.evaluate()
        return self.host.reporter(reporter).create(options).render(ev, lang=lang)

    def read(
        self,
        reader: str,
        path: str | Path,
        *,
        options: Mapping[str, Any] | None = None,
        mapping: ColumnMap | None = None,
    ) -> ResponseTable:
        """Read ``path`` with the reader registered as ``reader``, against this survey."""
        instance = self.host.reader(reader).create(options)
        return instance.read(Path(path), self.survey, mapping or ColumnMap())

    def component(
        self, kind: str, name: str, options: Mapping[str, Any] | None = None
    ) -> Component:
        """An instance of what is registered as ``name`` among ``kind`` (``"methods"``, ...)."""
        getter = getattr(self.host, kind.removesuffix("s"), None)
        if kind not in {"methods", "schemes", "rules", "readers", "reporters"} or getter is None:
            raise PublicevalError(
                f"expected kind methods, schemes, rules, readers or reporters; found {kind!r}"
            )
        cls: type[Component] = getter(name)
        return cls.create(options)

    def write_csv(self, path: str | Path) -> Path:
        """The sample answers as a CSV file (header ``respondent,opd,u1,u2,u3,kepuasan``)."""
        path = Path(path)
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, ["respondent", "opd", "u1", "u2", "u3", "kepuasan"])
            writer.writeheader()
            writer.writerows(sample_rows())
        return path

    def write_study(
        self,
        directory: str | Path,
        *,
        method: str = "mean",
        method_options: Mapping[str, Any] | None = None,
        scheme: str | None = None,
        scheme_options: Mapping[str, Any] | None = None,
        rules: Sequence[tuple[str, Mapping[str, Any]]] = (),
        formats: Sequence[str] = ("json",),
        name: str = "study.toml",
        data: str | Path | None = None,
        data_format: str | None = None,
        data_options: Mapping[str, Any] | None = None,
    ) -> Path:
        """A study file for the sample survey, using plugins by name, the way a user's would.

        The answers are ``data`` (a file a reader plugin under test reads, named by
        ``data_format`` or claimed by its ending), or else the sample written as
        ``responses.csv`` beside the study.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        if data is None:
            data = self.write_csv(directory / "responses.csv").name
        # top-level keys come before the first [table]
        lines = [f"method = {_entry(method, method_options)}"]
        if scheme is not None:
            lines.append(f"scheme = {_entry(scheme, scheme_options)}")
        lines += [
            "rules = [" + ", ".join(_entry(n, o) for n, o in rules) + "]",
            "",
            "[survey]",
            f"title = {toml_value(self.survey.title)}",
            f"city = {toml_value(self.survey.city or '')}",
            "",
        ]
        for scale in self.survey.scales:
            labels = [
                {"value": lab.value, "label": {"id": lab.label.id, "en": lab.label.en}}
                for lab in scale.labels
            ]
            lines += [
                "[[scales]]",
                f"id = {toml_value(scale.id)}",
                f"min = {scale.min}",
                f"max = {scale.max}",
                f"labels = {toml_value(labels)}",
                "",
            ]
        for item in self.survey.items:
            lines += [
                "[[items]]",
                f"id = {toml_value(item.id)}",
                f"text = {toml_value({'id': item.text.id, 'en': item.text.en})}",
                f"scale = {toml_value(item.scale)}",
                f"scope = {toml_value(item.scope)}",
                "",
            ]
        for opd in self.survey.opds:
            lines += ["[[opds]]", f"id = {toml_value(opd.id)}", f"name = {toml_value(opd.name)}"]
            if opd.short_name:
                lines.append(f"short_name = {toml_value(opd.short_name)}")
            lines += [f"tags = {toml_value(list(opd.tags))}", ""]
        lines += ["[data]", f"path = {toml_value(str(data))}"]
        if data_format is not None:
            lines.append(f"format = {toml_value(data_format)}")
        if data_options:
            lines.append(f"options = {toml_value(dict(data_options))}")
        lines.append("")
        lines += ["[report]", 'lang = "en"', f"formats = {toml_value(list(formats))}", ""]
        body = "\n".join(lines)
        path = directory / name
        path.write_text(body, encoding="utf-8")
        return path

    def load_study(self, path: str | Path, *, allow_outside_data: bool = True) -> Study:
        """Load a study file, checking its plugin names against this harness's host (evaluate it
        with ``study.evaluate(harness.host)``).

        The data file may lie outside the study's folder (a test names it in
        :meth:`write_study`), unlike :func:`publiceval.load_study`'s default.
        """
        return load_study(path, host=self.host, allow_outside_data=allow_outside_data)


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker, so ``--strict-markers`` suites accept it."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(*plugins): register these plugin modules or objects on publiceval_host",
    )


@pytest.fixture
def publiceval_plugins() -> list[ModuleType | object]:
    """The plugins under test; override this fixture in your ``conftest.py``."""
    return []


@pytest.fixture
def publiceval_host(
    request: pytest.FixtureRequest, publiceval_plugins: list[ModuleType | object]
) -> PluginHost:
    """A fresh host: built-ins, ``publiceval_plugins`` and any marker plugins; no entry points."""
    extra: list[ModuleType | object] = []
    for marker in request.node.iter_markers(MARKER):
        extra.extend(marker.args)
    return make_host([*publiceval_plugins, *extra])


@pytest.fixture
def publiceval_survey() -> Survey:
    """:func:`sample_survey`."""
    return sample_survey()


@pytest.fixture
def publiceval_responses(publiceval_survey: Survey) -> ResponseTable:
    """:func:`sample_responses` for ``publiceval_survey``."""
    return sample_responses(publiceval_survey)


@pytest.fixture
def publiceval_harness(
    publiceval_host: PluginHost, publiceval_survey: Survey, publiceval_responses: ResponseTable
) -> PluginHarness:
    """A :class:`PluginHarness` over the fresh host and the sample data."""
    return PluginHarness(publiceval_host, publiceval_survey, publiceval_responses)
