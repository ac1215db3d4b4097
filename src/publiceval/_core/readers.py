"""Reader base classes; they live in :mod:`publiceval._core.ingest` (kept here for old imports)."""

from __future__ import annotations

from .ingest.read import Reader, TabularReader

__all__ = ["Reader", "TabularReader"]
