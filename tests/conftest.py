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


@pytest.fixture
def survey() -> Survey:
    return make_survey()


@pytest.fixture
def host() -> PluginHost:
    """A fresh host with the built-ins and no third-party plugins."""
    return PluginHost(entrypoints=False)
