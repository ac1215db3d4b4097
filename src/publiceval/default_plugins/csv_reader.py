"""``csv``: comma- or semicolon-separated text, as spreadsheets and survey tools export it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..errors import DataError
from ..hookspecs import hookimpl
from ..readers import Reader
from ..rejects import Reject, RejectReason
from ..survey import Survey
from ..table import ColumnMap, ResponseTable
from ..text import Text


class CSVOptions(BaseModel):
    """``delimiter`` and ``encoding`` are detected when not given."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delimiter: str | None = None
    encoding: str | None = None


def _decode(raw: bytes, path: Path, encoding: str | None) -> str:
    if encoding:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise DataError(f"{path}: cannot be read as {encoding}: {exc}") from None
    if b"\x00" in raw[:4096]:
        raise DataError(f"{path}: expected a text (CSV) file; found binary data")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: expected UTF-8 text; found an invalid byte at position {exc.start}. "
            "Save the file as UTF-8, or set [data] encoding in the study file."
        ) from None


class CSVReader(Reader):
    """Reads a CSV with a header row; every data row is validated, bad rows are logged."""

    name = "csv"
    title = Text(id="Berkas CSV", en="CSV file")
    suffixes = (".csv", ".txt")
    Options = CSVOptions

    def read(self, path: Path, survey: Survey, mapping: ColumnMap) -> ResponseTable:
        opts = self.options
        assert isinstance(opts, CSVOptions)
        if not path.exists():
            raise DataError(f"data file not found: {path}")
        text = _decode(path.read_bytes(), path, opts.encoding)
        if not text.strip():
            raise DataError(f"{path}: the file is empty; expected a header row and data rows")
        delimiter = opts.delimiter or _sniff(text)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        header = [h.strip() for h in rows[0]]
        body = rows[1:]
        extra: list[Reject] = []
        width = len(header)
        cells: list[list[str]] = []
        for pos, row in enumerate(body):
            if len(row) != width and any(c.strip() for c in row):
                extra.append(
                    Reject(
                        row=pos + 2,
                        reason=RejectReason.MALFORMED_ROW,
                        message=f"expected {width} cells as in the header; found {len(row)}",
                        source=str(path),
                    )
                )
            cells.append((row + [""] * width)[:width])
        columns = {}
        for j, name in enumerate(header):
            col = np.empty(len(cells), dtype=object)
            col[:] = [r[j] for r in cells]
            columns[name] = col
        return ResponseTable.from_columns(
            survey, columns, mapping=mapping, source=str(path), first_row=2, extra_rejects=extra
        )


def _sniff(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(",;\t|", key=first.count)


@hookimpl
def register_readers(register: Callable[[type[Reader]], None]) -> None:
    register(CSVReader)
