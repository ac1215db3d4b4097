"""``csv``: comma- or semicolon-separated text, as spreadsheets and survey tools export it.

Indonesian-locale Excel writes ``;`` between cells and ``1,5`` for one and a half; files come
with or without a UTF-8 byte-order mark, or in a legacy Windows encoding. The file is read in
chunks, so its size costs only the columns the study uses.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from publiceval.plugin import (
    DataError,
    KeepColumns,
    RawChunk,
    Reader,
    Reject,
    RejectReason,
    TabularReader,
    Text,
    column_letter,
    hookimpl,
)

from ._csv_faults import (
    EOF_MARK,
    find_open_quote,
    open_quote_error,
    reject_nul,
    reject_spanning,
    spanning_hint,
)

__all__ = ["CSVOptions", "CSVReader", "detect_encoding", "sniff_delimiter"]

_DELIMITERS = ",;\t|"
_SEP_LINE = re.compile(r"^sep=(.)\r?\n")
_SAMPLE = 1 << 16
# csv's default cap (128 KiB per cell) stops a runaway quote from swallowing the whole file
# silently; past it we report the row instead.
_FIELD_LIMIT = 1 << 17


class CSVOptions(BaseModel):
    """``delimiter`` and ``encoding`` are detected when not given."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    encoding: str | None = None


def _binary_kind(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (an .xlsx workbook?); set [data] format = 'xlsx'"
    if head.startswith(b"PAR1"):
        return "a Parquet file; set [data] format = 'parquet'"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Excel .xls workbook; save it as .xlsx or CSV"
    sample = head[:4096]
    # a stray NUL byte or two is a damaged row (rejected by row); many are not text at all
    if sample.count(b"\x00") > max(8, len(sample) // 100):
        line = sample[: sample.index(b"\x00")].count(b"\n") + 1
        return f"binary data (NUL bytes, from line {line})"
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and control / len(sample) > 0.05:
        return "binary data (control characters)"
    return None


def detect_encoding(path: Path) -> tuple[str, str | None]:
    """The encoding to read ``path`` with, and a warning when it is not UTF-8.

    The whole file is checked as UTF-8 incrementally (no full copy in memory); when that fails,
    Windows-1252 (what Excel on Indonesian and Western Windows writes) is assumed, else Latin-1.
    """
    encoding, note, _ = _scan(path)
    return encoding, note


def _has_nul(path: Path) -> bool:
    """Whether the file holds a NUL byte (a damaged row; looked for once, at memchr speed)."""
    with path.open("rb") as f:
        return any(b"\x00" in block for block in iter(lambda: f.read(1 << 20), b""))


def _scan(path: Path) -> tuple[str, str | None, bool]:
    """:func:`detect_encoding`, and whether the bytes read so far held a NUL byte."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    nul = False
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            nul = nul or b"\x00" in block
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                bad = offset + exc.start
                break
            offset += len(block)
        else:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                bad = offset
            else:
                return "utf-8-sig", None, nul
    legacy = "cp1252"
    with path.open("rb") as f:
        dec = codecs.getincrementaldecoder(legacy)()
        try:
            while block := f.read(1 << 20):
                nul = nul or b"\x00" in block
                dec.decode(block)
        except UnicodeDecodeError:
            legacy = "latin-1"
            nul = nul or _has_nul(path)
    return (
        legacy,
        (
            f"{path}: expected UTF-8 text; found an invalid byte at position {bad}. Read it as "
            f"{legacy} instead: check accented letters, or save the file as UTF-8, or set "
            "[data.options] encoding"
        ),
        nul,
    )


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first records most consistently into the most cells.

    ``csv.Sniffer`` is fooled by decimal commas in a ``;`` file; counting cells per record
    under each candidate is not.
    """
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end inside a record
    text = "".join(lines[:200])
    best, best_key = ",", (-1.0, 0)
    for delim in _DELIMITERS:
        try:
            records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim) if r]
        except csv.Error:
            continue
        if not records:
            continue
        width = len(records[0])
        if width < 2:
            continue
        same = sum(1 for r in records[1:] if len(r) == width)
        share = same / (len(records) - 1) if len(records) > 1 else 1.0
        key = (share, width)
        if key > best_key:
            best, best_key = delim, key
    return best


class CSVReader(TabularReader):
    """Reads a CSV with a header row; every data row is validated, bad rows are logged."""

    name = "csv"
    title = Text(id="Berkas CSV", en="CSV file")
    suffixes = (".csv", ".txt", ".tsv")
    Options = CSVOptions

    def _opts(self) -> CSVOptions:
        opts = self.options
        if not isinstance(opts, CSVOptions):  # pragma: no cover - create() guarantees it
            raise DataError(f"{self.name}: options are not CSV options")
        return opts

    def iter_raw(self, path: Path, chunk_rows: int, keep: KeepColumns) -> Iterator[RawChunk]:
        yield from iter_csv(path, chunk_rows, keep, self._opts())


def iter_csv(
    path: Path,
    chunk_rows: int,
    keep: KeepColumns,
    opts: CSVOptions,
    rename: Callable[[list[str]], list[str]] | None = None,
) -> Iterator[RawChunk]:
    """Parse a CSV file into chunks (shared by the CSV, Google Forms and Kobo readers)."""
    if not path.exists():
        raise DataError(f"data file not found: {path}")
    total = path.stat().st_size
    with path.open("rb") as fb:
        head = fb.read(_SAMPLE)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise DataError(f"{path}: the file is empty; expected a header row and data rows")
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    kind = None if utf16 or opts.encoding else _binary_kind(head)
    if kind:
        raise DataError(f"{path}: expected a text (CSV) file; found {kind}")
    warnings: list[str] = []
    nul = False  # NUL characters in UTF-16 text are not looked for
    if utf16 and not opts.encoding:
        # Excel's "Unicode Text" export: UTF-16 with a byte-order mark, tab-separated
        encoding = "utf-16"
    elif opts.encoding:
        encoding = opts.encoding
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise DataError(
                f"{path}: unknown encoding {encoding!r} in [data.options]; expected e.g. "
                "'utf-8', 'cp1252' or 'latin-1'"
            ) from None
        nul = not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")) and _has_nul(path)
    else:
        encoding, note, nul = _scan(path)
        if note:
            warnings.append(note)
    sample = head.decode(encoding, errors="ignore").lstrip("\ufeff")
    # Excel honours (and some exports write) a first line "sep=;" naming the delimiter
    hint = _SEP_LINE.match(sample)
    if hint:
        sample = sample[hint.end() :]
    delimiter = opts.delimiter or (hint.group(1) if hint else sniff_delimiter(sample))
    old_limit = csv.field_size_limit()
    csv.field_size_limit(_FIELD_LIMIT)
    try:
        with path.open("rb") as fb:
            text = io.TextIOWrapper(fb, encoding=encoding, newline="", errors="strict")
            if hint:
                text.readline()
            parse = _Parse(path, encoding, delimiter, 1 if hint else 0, nul)
            yield from _chunks(parse, text, fb, total, chunk_rows, keep, warnings, rename)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: cannot be read as {encoding}: invalid byte at position {exc.start}; "
            "expected the encoding set in [data.options] encoding"
        ) from None
    finally:
        csv.field_size_limit(old_limit)


class _Parse:
    """What the chunk loop needs to explain a broken file."""

    def __init__(self, path: Path, encoding: str, delimiter: str, skip: int, nul: bool) -> None:
        self.path, self.encoding, self.delimiter = path, encoding, delimiter
        self.skip = skip
        self.nul = nul
        """Whether the file holds a NUL byte: then rows are looked at for one."""
        self.header: list[str] | None = None

    def open_quote(self) -> DataError:
        """The error of a quote left open (found by reading the file again), if it is one."""
        found = find_open_quote(self.path, self.encoding, self.delimiter, skip_lines=self.skip)
        if found is None:
            return DataError(
                f"{self.path}: a cell is longer than {_FIELD_LIMIT:,} characters; expected "
                "short cells (is this a CSV export of the survey?)"
            )
        return open_quote_error(self.path, found, self.header, _FIELD_LIMIT)


def _chunks(
    parse: _Parse,
    text: io.TextIOWrapper,
    raw: Any,
    total: int,
    chunk_rows: int,
    keep: KeepColumns,
    warnings: list[str],
    rename: Callable[[list[str]], list[str]] | None,
) -> Iterator[RawChunk]:
    path, delimiter = parse.path, parse.delimiter
    # the end mark comes back as a record of its own unless a quote was left open
    reader = csv.reader(chain(text, (EOF_MARK,)), delimiter=delimiter)
    record = 1
    try:
        header = next(reader, None)
        if header and header[-1].endswith(EOF_MARK):
            if header != [EOF_MARK]:
                raise parse.open_quote()
            header = None
        if header is None:
            raise DataError(f"{path}: the file is empty; expected a header row and data rows")
        header = [h.strip().lstrip("\ufeff") for h in header]
        if not any(header):
            raise DataError(f"{path}: row 1 is empty; expected the header row (column names)")
        header = [h or f"column {column_letter(j)}" for j, h in enumerate(header)]
        if rename is not None:
            header = rename(header)
        parse.header = header
        width = len(header)
        wanted = keep(header)
        picks = [(j, h) for j, h in enumerate(header) if h in wanted]
        blank = run = 0  # empty rows between data rows are noted; trailing ones are not
        getters = [(h, itemgetter(j)) for j, h in picks]
        while True:
            # islice, map and itemgetter run in C; Python only looks at odd rows
            lines = reader.line_num
            rows: list[list[str]] = list(islice(reader, chunk_rows))
            # more lines than records: a quoted cell ran over lines (checked in used cells)
            spanned = reader.line_num - lines > len(rows)
            last = rows[-1] if rows else None
            if last and last[-1].endswith(EOF_MARK):
                if last != [EOF_MARK]:
                    raise parse.open_quote()
                rows.pop()
            if not rows:
                break
            numbers = np.arange(record + 1, record + 1 + len(rows), dtype=np.int64)
            record += len(rows)
            rejects: list[Reject] = []
            odd = [i for i, n in enumerate(map(len, rows)) if n != width]
            firsts = [r[0] if r else "" for r in rows] if width else []
            empty_first = [i for i, c in enumerate(firsts) if not c or c.isspace()]
            drop: list[int] = []
            for i in sorted(set(odd) | set(empty_first)):
                row = rows[i]
                if not "".join(row).strip():
                    drop.append(i)
                    continue
                if len(row) == width:
                    continue
                if len(row) > width and not "".join(row[width:]).strip():
                    rows[i] = row[:width]
                    continue
                rejects.append(
                    Reject(
                        row=int(numbers[i]),
                        reason=RejectReason.MALFORMED_ROW,
                        message=f"expected {width} cells as in the header; found "
                        f"{len(row)} (delimiter {delimiter!r})" + spanning_hint(row),
                        source=str(path),
                    )
                )
                rows[i] = (row + [""] * width)[:width]
            if drop:
                # blank rows: noted when data follows them, ignored at the end of the file
                keep_mask = np.ones(len(rows), bool)
                keep_mask[drop] = False
                last_data = int(np.flatnonzero(keep_mask)[-1]) if keep_mask.any() else -1
                inner = sum(1 for i in drop if i < last_data)
                blank += run + inner if last_data >= 0 else 0
                run = (len(drop) - inner) if last_data >= 0 else run + len(drop)
                drop_set = set(drop)
                rows = [r for i, r in enumerate(rows) if i not in drop_set]
                numbers = numbers[keep_mask]
            elif rows:
                blank, run = blank + run, 0
            if not rows:
                continue
            if parse.nul:
                reject_nul(rows, numbers, header, str(path), rejects)
            if spanned:
                reject_spanning(rows, numbers, picks, delimiter, str(path), rejects)
            if parse.nul or spanned:
                rejects.sort(key=lambda e: e.row)  # in row order, however the file is chunked
            columns = {h: list(map(get, rows)) for h, get in getters}
            yield RawChunk(
                columns=dict(columns),
                rows=numbers,
                rejects=rejects,
                warnings=list(warnings),
                done=min(raw.tell(), total),
                total=total,
                delimiter=delimiter,
            )
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise parse.open_quote() from None
        raise DataError(
            f"{path}, after row {record}: cannot split a row into cells ({exc}); expected "
            "properly quoted cells"
        ) from None
    if blank:
        warnings.append(f"{path}: skipped {blank} empty row(s)")
        yield RawChunk(
            columns={}, rows=np.zeros(0, np.int64), warnings=list(warnings), done=total, total=total
        )


@hookimpl
def register_readers(register: Callable[[type[Reader]], None]) -> None:
    register(CSVReader)
