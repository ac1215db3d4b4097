"""Layouts and tabular readers; they live in :mod:`publiceval._core.ingest` (kept for old imports)."""

from __future__ import annotations

from .ingest import (
    DEFAULT_CHUNK_ROWS,
    MAX_CELL_CHARS,
    KeepColumns,
    LayoutKind,
    LayoutSpec,
    Progress,
    RawChunk,
    TabularReader,
    column_letter,
    read_responses,
)

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "MAX_CELL_CHARS",
    "KeepColumns",
    "LayoutKind",
    "LayoutSpec",
    "Progress",
    "RawChunk",
    "TabularReader",
    "column_letter",
    "read_responses",
]
