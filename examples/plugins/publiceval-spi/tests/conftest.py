"""Tell publiceval's pytest fixtures which plugin is under test."""

from __future__ import annotations

import pytest

import publiceval_spi


@pytest.fixture
def publiceval_plugins() -> list[object]:
    return [publiceval_spi]
