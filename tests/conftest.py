"""Shared fixtures for the core tests: a small survey and a fresh plugin host."""

from __future__ import annotations

import pytest

from builders import make_survey
from publiceval import PluginHost, Survey


@pytest.fixture
def survey() -> Survey:
    return make_survey()


@pytest.fixture
def host() -> PluginHost:
    """A fresh host with the built-ins and no third-party plugins."""
    return PluginHost(entrypoints=False)
