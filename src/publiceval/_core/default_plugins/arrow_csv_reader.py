"""``csv-arrow``: a CSV parsed by pyarrow's multithreaded reader, streamed block by block.

Install with ``pip install 'publiceval[parquet]'`` (pyarrow). Choose it with ``format =
"csv-arrow"`` for large, well-formed UTF-8 exports: it is several times faster than ``csv``
and its memory stays at one chunk. The ``csv`` reader remains the default because it also
repairs what spreadsheets produce (other encodings, ``sep=`` lines, ragged rows reported row
by row); this one rejects a malformed file as a whole, naming pyarrow's message.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from publiceval.plugin import (
    CodedCells,
    ColumnMap,
    DataError,
    KeepColumns,
    LayoutSpec,
    RawChunk,
    Reader,
    Reject,
    ResponseTable,
    Survey,
    TabularReader,
    Text,
    column_letter,
    hookimpl,
    read_responses,
)

from ._arrow_cells import arrow_cells
from ._arrow_cells import text_cells as _text_cells  # noqa: F401 - the name tests use
from ._csv_faults import find_open_quote, first_ragged, nul_reject, open_quote_error

__all__ = ["ArrowCSVOptions", "ArrowCSVReader"]

#: Bytes pyarrow parses at a time; a chunk is one or more such blocks. (Larger blocks parse
#: faster alone but made the whole read slower here: 4 MB 1.3×, 16 MB 1.7× the time at 1M rows.)
BLOCK_BYTES = 1 << 20

#: Blocks for chunks of at most :data:`SMALL_CHUNK_ROWS` rows (chunked evaluation). pyarrow's
#: streaming reader holds about 40 blocks' worth of buffers at once (46 MB of Arrow's pool with
#: 1 MB blocks, 10 MB with 256 kB); a small chunk needs no large block.
SMALL_BLOCK_BYTES = 1 << 18
SMALL_CHUNK_ROWS = 100_000


#: ``chunk_rows`` meaning "the whole file in one chunk" (:meth:`ArrowCSVReader.read`).
WHOLE_FILE = 1 << 62

#: Bytes of the file read ahead of the rows used. pyarrow's streaming reader otherwise reads
#: the whole file into memory ahead of its parser (a 177 MB file: 170 MB held at once).
AHEAD_BYTES = 8 * BLOCK_BYTES


class _Paced(io.RawIOBase):
    """The file, read no further than ``ahead`` bytes past what the consumer has used.

    pyarrow reads it on its own I/O thread; :meth:`allow` (called for each batch used) lets it
    read on. While the consumer waits for a batch (:meth:`hungry`) reads are never held back,
    so a batch that needs more than ``ahead`` bytes cannot deadlock; closing lets a waiting
    read finish at once (end of file).
    """

    def __init__(self, path: Path, ahead: int, block: int = BLOCK_BYTES) -> None:
        super().__init__()
        self._block = block
        self._file = path.open("rb")
        self._allowed = ahead
        self._read = 0
        self._waiting = True  # pyarrow reads the first block(s) before the first batch
        self._turn = threading.Condition()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        with self._turn:
            self._turn.wait_for(lambda: self.closed or self._waiting or self._read < self._allowed)
            if self.closed:
                return 0
        got = self._file.readinto(buffer)
        self._read += got or 0
        return got or 0

    def allow(self, more: int) -> None:
        with self._turn:
            self._allowed += more
            self._turn.notify_all()

    def batches(self, stream: Any) -> Iterator[Any]:
        """The stream's batches, reading freely only while one is awaited."""
        batches = iter(stream)
        while True:
            with self._turn:
                self._waiting = True
                self._turn.notify_all()
            try:
                batch = next(batches, None)
            finally:
                with self._turn:
                    self._waiting = False
            if batch is None:
                return
            self.allow(self._block)  # one block used: the next may be read
            yield batch

    def close(self) -> None:
        with self._turn:
            super().close()
            self._turn.notify_all()
        self._file.close()


class ArrowCSVOptions(BaseModel):
    """``delimiter`` defaults to a comma; the file must be UTF-8."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delimiter: str = ","


def _pyarrow() -> tuple[Any, Any, Any]:
    try:
        import pyarrow as pa  # type: ignore[import-untyped,import-not-found,unused-ignore]
        import pyarrow.compute as pc  # type: ignore[import-untyped,import-not-found,unused-ignore]
        import pyarrow.csv as pcsv  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        raise DataError(
            "the csv-arrow reader needs pyarrow; install it with: pip install 'publiceval[parquet]'"
        ) from None
    return pa, pc, pcsv


class ArrowCSVReader(TabularReader):
    """Reads a CSV with pyarrow in streamed blocks; numeric columns stay numeric."""

    name = "csv-arrow"
    title = Text(id="Berkas CSV (pyarrow, cepat)", en="CSV file (pyarrow, fast)")
    suffixes = ()
    Options = ArrowCSVOptions

    def read(
        self, path: Path, survey: Survey, mapping: ColumnMap, *, layout: LayoutSpec | None = None
    ) -> ResponseTable:
        """The whole file, parsed by pyarrow's multithreaded reader in one go (the streaming
        reader chunked reading needs parses one block after another: about 2.5× the time);
        memory is the used columns of the whole file, which the table holds anyway."""
        return read_responses(self, path, survey, mapping, layout=layout, chunk_rows=WHOLE_FILE)

    def iter_raw(self, path: Path, chunk_rows: int, keep: KeepColumns) -> Iterator[RawChunk]:
        pa, pc, pcsv = _pyarrow()
        opts = self.options
        assert isinstance(opts, ArrowCSVOptions)
        if not path.exists():
            raise DataError(f"data file not found: {path}")
        if path.stat().st_size == 0:
            raise DataError(f"{path}: the file is empty; expected a header row and data rows")
        parse = pcsv.ParseOptions(delimiter=opts.delimiter)
        block = SMALL_BLOCK_BYTES if chunk_rows <= SMALL_CHUNK_ROWS else BLOCK_BYTES
        read = pcsv.ReadOptions(block_size=block)
        try:
            with pcsv.open_csv(path, read_options=read, parse_options=parse) as probe:
                header = [str(n) for n in probe.schema.names]
            wanted = keep(header)
            names = [h for h in header if h in wanted]
            letters = {h: column_letter(j) for j, h in enumerate(header)}
            # outside a ',' file a number such as '1.500' may be Indonesian (1500): hand the
            # cells over as text, so ingest reads each column with one locale
            text = {h: pa.string() for h in names} if opts.delimiter != "," else None
            convert = pcsv.ConvertOptions(
                include_columns=names, strings_can_be_null=True, column_types=text
            )
            if chunk_rows >= WHOLE_FILE:
                whole = pcsv.read_csv(
                    path, read_options=read, parse_options=parse, convert_options=convert
                )
            else:
                source = _Paced(path, AHEAD_BYTES * block // BLOCK_BYTES, block)
                stream = pcsv.open_csv(
                    source, read_options=read, parse_options=parse, convert_options=convert
                )
        except pa.ArrowInvalid as exc:
            raise _parse_error(path, opts.delimiter, None, exc) from None
        except OSError as exc:
            raise DataError(
                f"{path}: cannot be read as CSV by pyarrow ({_one_line(exc)})"
            ) from None
        if chunk_rows >= WHOLE_FILE:
            if whole.num_rows:
                batches = whole.to_batches()
                del whole  # the chunk's table holds the same buffers
                yield self._chunk(pa, pc, names, batches, 0, str(path), letters, opts.delimiter)
            return
        done = 0
        pending: list[Any] = []
        size = 0
        try:
            with stream, source:
                for batch in source.batches(stream):
                    pending.append(batch)
                    size += batch.num_rows
                    if size >= chunk_rows:
                        yield self._chunk(
                            pa, pc, names, pending, done, str(path), letters, opts.delimiter
                        )
                        done += size
                        pending, size = [], 0
                if pending:
                    yield self._chunk(
                        pa, pc, names, pending, done, str(path), letters, opts.delimiter
                    )
        except pa.ArrowInvalid as exc:
            raise _parse_error(path, opts.delimiter, header, exc) from None

    @staticmethod
    def _chunk(
        pa: Any,
        pc: Any,
        names: list[str],
        batches: list[Any],
        done: int,
        source: str,
        letters: dict[str, str],
        delimiter: str,
    ) -> RawChunk:
        table = pa.Table.from_batches(batches)
        columns: dict[str, Any] = {}
        nul: list[str] = []
        for name in names:
            arr = table.column(name)
            # ids stay integers, numbers floats (NaN: no answer), text shares its strings
            cells = columns[name] = arrow_cells(pa, pc, arr)
            # text arrives as codes into its distinct strings: look for a NUL in those
            if isinstance(cells, CodedCells) and any(
                "\x00" in v for v in cells.values.tolist() if v is not None
            ):
                nul.append(name)
        n = table.num_rows
        # record numbers as a person sees them: the header is record 1
        rows = np.arange(done + 2, done + n + 2, dtype=np.int64)
        return RawChunk(
            columns=columns,
            rows=rows,
            rejects=_reject_nul(columns, nul, letters, rows, source),
            delimiter=delimiter,
        )


def _reject_nul(
    columns: dict[str, Any],
    nul: list[str],
    letters: dict[str, str],
    rows: NDArray[np.int64],
    source: str,
) -> list[Reject]:
    """Reject the rows with a NUL character in a used cell (a damaged file); blank those cells."""
    rejects: dict[int, Reject] = {}
    for name in nul:
        cells = columns[name]
        if isinstance(cells, CodedCells):
            cells = cells.cells()
        hit = [i for i, c in enumerate(cells.tolist()) if c is not None and "\x00" in c]
        for i in hit:
            found = nul_reject([cells[i]], [name], [letters[name]], int(rows[i]), source)
            if found is not None and i not in rejects:
                rejects[i] = found
        cells = cells.copy()
        cells[hit] = None
        columns[name] = cells
    return [rejects[i] for i in sorted(rejects)]


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 200 else text[:197] + "..."


def _parse_error(
    path: Path, delimiter: str, header: list[str] | None, exc: BaseException
) -> DataError:
    """pyarrow's parse error as one line naming the row: found by reading the file again."""
    limit = csv.field_size_limit()
    found = find_open_quote(path, "utf-8-sig", delimiter)
    if found is not None:
        if header is None and found.row > 1:
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
                header = next(csv.reader(f, delimiter=delimiter), None)
        return open_quote_error(path, found, header, limit)
    ragged = first_ragged(path, "utf-8-sig", delimiter)
    if ragged is not None:
        row, cells, width = ragged
        return DataError(
            f"{path}, row {row}: expected {width} cells as in the header; found {cells} "
            f"(delimiter {delimiter!r}); the csv-arrow reader refuses a malformed file as a "
            "whole: fix the row, or set [data] format = 'csv' to reject such rows one by one"
        )
    return DataError(f"{path}: the CSV cannot be parsed by pyarrow ({_one_line(exc)})")


@hookimpl
def register_readers(register: Callable[[type[Reader]], None]) -> None:
    register(ArrowCSVReader)
