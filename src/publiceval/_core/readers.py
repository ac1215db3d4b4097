"""Readers: from a file a survey tool exported to a validated :class:`ResponseTable`."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from .components import Component
from .survey import Survey
from .table import ColumnMap, ResponseTable

__all__ = ["Reader"]


class Reader(Component):
    """Base class of reader plugins.

    ``suffixes`` are the file endings the reader claims when a study names no format.
    A reader parses the file format; column mapping, label parsing and rejects are shared by
    handing raw columns to :meth:`ResponseTable.from_columns`.
    """

    suffixes: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def read(self, path: Path, survey: Survey, mapping: ColumnMap) -> ResponseTable:
        """Read the whole file."""

    def iter_tables(
        self, path: Path, survey: Survey, mapping: ColumnMap, chunk_rows: int
    ) -> Iterator[ResponseTable]:
        """Read in chunks of about ``chunk_rows`` rows; by default the whole file is one chunk."""
        yield self.read(path, survey, mapping)
