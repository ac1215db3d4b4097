"""Shared fixtures for the core tests: a small survey and a fresh plugin host."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from builders import make_survey
from publiceval import Survey
from publiceval.plugin import PluginHost

# Timing deadlines make property tests flaky on a loaded 2-core machine; in CI the examples are
# also derandomised, so a red run is reproducible from its log rather than a matter of chance.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


#: Modules whose small files carry deliberate bad rows to test how they are read and reported;
#: the gates that stop a run losing data would stop them, so these run with the gates open.
#: The gates themselves are tested in test_gates.py (and by the corpus cases that name them).
GATES_OPEN = {
    "test_bad_input",
    "test_cli",
    "test_cli_validate",
    "test_ingest",
    "test_numbers_and_weights",
    "test_reader_csv",
    "test_reader_messages",
    "test_safety",
}


@pytest.fixture(autouse=True)
def _gates_open_for_reading_tests(request: pytest.FixtureRequest, monkeypatch) -> None:
    if request.module.__name__.rsplit(".", 1)[-1] in GATES_OPEN:
        from publiceval._core import gates

        monkeypatch.setattr(gates, "DEFAULT_MAX_REJECTS", "100%")
        monkeypatch.setattr(gates, "DEFAULT_ALLOW_EMPTY_OPDS", True)


@pytest.fixture
def survey() -> Survey:
    return make_survey()


@pytest.fixture
def host() -> PluginHost:
    """A fresh host with the built-ins and no third-party plugins."""
    return PluginHost(entrypoints=False)
