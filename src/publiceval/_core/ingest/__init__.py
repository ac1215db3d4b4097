"""The road from a data file to validated :class:`~publiceval._core.table.ResponseTable` s.

* :mod:`.raw`: what a reader gives (:class:`RawChunk`, :data:`KeepColumns`): the contract
  of reader plugins, with :class:`TabularReader`;
* :mod:`.plan`: the layout (wide, long, opd-columns) planned from the header;
* :mod:`.accumulate`: chunks kept as dictionary-encoded columns;
* :mod:`.shape`: the layout reshaped into records, a typed :class:`~publiceval._core.table.Handoff`
  (rows, headers and cell text travel as data) for the table builder;
* :mod:`.read`: readers and the reading road, whole or in chunks;
* :mod:`.data`: the one entry point for a study's ``[data]`` table.
"""

from .data import (
    DataSpec,
    iter_study_tables,
    large_file_chunk_rows,
    read_study_data,
    study_reader,
)
from .plan import LayoutKind, LayoutSpec
from .raw import (
    AUTO_CHUNK_BYTES,
    DEFAULT_CHUNK_ROWS,
    MAX_CELL_CHARS,
    CodedCells,
    KeepColumns,
    MaskedInts,
    Progress,
    RawChunk,
    column_letter,
)
from .read import Reader, TabularReader, iter_responses, read_responses

__all__ = [
    "AUTO_CHUNK_BYTES",
    "DEFAULT_CHUNK_ROWS",
    "MAX_CELL_CHARS",
    "CodedCells",
    "DataSpec",
    "KeepColumns",
    "LayoutKind",
    "LayoutSpec",
    "MaskedInts",
    "Progress",
    "RawChunk",
    "Reader",
    "TabularReader",
    "column_letter",
    "iter_responses",
    "iter_study_tables",
    "large_file_chunk_rows",
    "read_responses",
    "read_study_data",
    "study_reader",
]
