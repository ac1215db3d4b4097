"""Reading an export for inference: every column's distinct values, through the reader plugins.

The same readers that later evaluate the study parse the export here (CSV, XLSX, Google Forms,
Kobo), so what is inferred is what will be read: the same header names (Kobo's group paths
dropped), the same encodings and delimiters, the same row numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError
from ..ingest import TabularReader, column_letter
from ..plugins import PluginHost
from ..text import Text

__all__ = ["ColumnValues", "ExportTable", "detect_format", "read_export"]

#: Distinct values kept per column; a column with more is free text (or ids, or times).
MAX_DISTINCT = 400
#: Values kept from the end of a column with more distinct values than that.
TAIL = 50
_CHUNK_ROWS = 20_000
_KOBO_MARKS = ("_uuid", "_submission_time", "_id", "_index", "_validation_status", "__version__")
_GFORMS_MARKS = ("timestamp", "stempel waktu", "cap waktu", "marca temporal", "horodateur")
#: A Kobo question path, ``grp_layanan/q1``: names without spaces (a label "biaya/tarif ..." is not)
_GROUP_PATH = re.compile(r"^[A-Za-z_][\w.-]*(?:/[A-Za-z_][\w.-]*)+$")
_SUFFIX_FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}


@dataclass
class ColumnValues:
    """A column's non-empty values (stripped) with their counts, and how many cells were empty."""

    name: str
    letter: str
    counts: Counter[str] = field(default_factory=Counter)
    empty: int = 0
    overflow: bool = False
    """More than :data:`MAX_DISTINCT` distinct values: ``counts`` holds the first ones only."""
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=TAIL))
    """The last values past the overflow (an export is in time order: its last timestamps)."""

    @property
    def filled(self) -> int:
        """Non-empty cells."""
        return sum(self.counts.values())

    def add(self, value: Any) -> None:
        text = cell_text(value)
        if not text:
            self.empty += 1
        elif text in self.counts or len(self.counts) < MAX_DISTINCT:
            self.counts[text] += 1
        else:
            self.overflow = True
            self.tail.append(text)


@dataclass
class ExportTable:
    """The export as the inference sees it: the header in order and each column's values."""

    path: Path
    format: str
    format_why: Text
    header: list[str]
    columns: dict[str, ColumnValues]
    rows: int
    rejected_rows: int = 0
    warnings: list[str] = field(default_factory=list)


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates in ISO form, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return str(value).strip()


def detect_format(suffix_format: str, header: Sequence[str]) -> tuple[str, Text]:
    """``kobo`` or ``gforms`` when the header carries their marks, else the file type's reader."""
    folded = [h.strip().casefold() for h in header]
    kobo = [h for h in header if h.strip().casefold() in _KOBO_MARKS]
    grouped = [h for h in header if _GROUP_PATH.match(h.strip())]
    if kobo or len(grouped) >= 2:
        shown = ", ".join(repr(h) for h in (kobo or grouped)[:3])
        return "kobo", Text(
            id=f"ekspor KoboToolbox (kolom {shown})",
            en=f"a KoboToolbox export (columns {shown})",
        )
    marks = [header[k] for k, h in enumerate(folded) if h in _GFORMS_MARKS]
    if marks:
        return "gforms", Text(
            id=f"ekspor Google Formulir (kolom {marks[0]!r})",
            en=f"a Google Forms export (column {marks[0]!r})",
        )
    what = "CSV" if suffix_format == "csv" else "Excel"
    return suffix_format, Text(id=f"berkas {what} biasa", en=f"a plain {what} file")


def _reader(host: PluginHost, name: str) -> TabularReader:
    reader = host.reader(name).create({})
    if not isinstance(reader, TabularReader):  # pragma: no cover - built-in readers are tabular
        raise DataError(f"reader {name!r} cannot list an export's columns")
    return reader


def _scan(reader: TabularReader, path: Path) -> tuple[list[str], dict[str, ColumnValues], int, int]:
    header: list[str] = []

    def keep(names: Sequence[str]) -> set[str]:
        header.extend(names)
        return set(names)

    columns: dict[str, ColumnValues] = {}
    rows = rejected = 0
    for chunk in reader.iter_raw(path, _CHUNK_ROWS, keep):
        if not columns:
            for j, name in reversed(list(enumerate(header))):
                columns[name] = ColumnValues(name, column_letter(j))
        rejected += len({r.row for r in chunk.rejects})
        rows += len(chunk.rows)
        for name, cells in chunk.columns.items():
            col = columns[name]
            for value in cells:
                col.add(value)
    columns = {name: columns[name] for name in dict.fromkeys(header) if name in columns}
    return header, columns, rows, rejected


def read_export(path: Path, host: PluginHost, format: str | None = None) -> ExportTable:
    """Read ``path`` whole with the reader its type (or ``format``) names; detect Kobo and Forms."""
    if not path.exists():
        raise DataError(f"export not found: {path}")
    if path.is_dir():
        raise DataError(f"{path}: expected an export file (CSV or XLSX); found a folder")
    suffix_format = _SUFFIX_FORMATS.get(path.suffix.lower())
    if format is None and suffix_format is None:
        raise DataError(
            f"{path}: cannot tell the file type from {path.suffix or 'no ending'!r}; expected "
            ".csv or .xlsx (or give --format csv|xlsx|gforms|kobo)"
        )
    first = format if format in ("csv", "xlsx") else suffix_format or "csv"
    header, columns, rows, rejected = _scan(_reader(host, first), path)
    if format is None:
        format, why = detect_format(first, header)
    else:
        why = Text(id=f"format {format!r} diberikan", en=f"format {format!r} given")
    if format == "kobo":
        # Kobo drops group paths from the names: read the columns as the study will
        header, columns, rows, rejected = _scan(_reader(host, format), path)
    if not header:
        raise DataError(f"{path}: found no header row; expected the questions as column names")
    if rows == 0:
        raise DataError(
            f"{path}: found a header row but no data rows; expected at least one row of answers"
        )
    dup = sorted({h for h in header if header.count(h) > 1})
    warnings = [
        f"{path}: column {d!r} appears more than once; only its last occurrence is read"
        for d in dup
    ]
    return ExportTable(path, format, why, header, columns, rows, rejected, warnings)
