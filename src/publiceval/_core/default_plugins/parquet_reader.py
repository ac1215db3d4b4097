"""``parquet``: a Parquet file, as data teams and large city systems export (needs ``pyarrow``).

Install with ``pip install 'publiceval[parquet]'``. Only the columns the study uses are read,
batch by batch; numeric columns stay numeric, so a million rows cost a few megabytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from publiceval.plugin import (
    ColumnMap,
    DataError,
    KeepColumns,
    LayoutSpec,
    RawChunk,
    Reader,
    ResponseTable,
    Survey,
    TabularReader,
    Text,
    hookimpl,
    read_responses,
)

from ._arrow_cells import arrow_cells

__all__ = ["ParquetReader"]

#: ``chunk_rows`` meaning "the whole file in one chunk" (:meth:`ParquetReader.read`).
WHOLE_FILE = 1 << 62


def _pyarrow() -> tuple[Any, Any, Any]:
    try:
        import pyarrow as pa  # type: ignore[import-untyped,import-not-found,unused-ignore]
        import pyarrow.compute as pc  # type: ignore[import-untyped,import-not-found,unused-ignore]
        import pyarrow.parquet as pq  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError:
        raise DataError(
            "reading Parquet needs pyarrow; install it with: pip install 'publiceval[parquet]'"
        ) from None
    return pa, pc, pq


class ParquetReader(TabularReader):
    """Reads a Parquet file in record batches."""

    name = "parquet"
    title = Text(id="Berkas Parquet", en="Parquet file")
    suffixes = (".parquet", ".pq")

    def read(
        self, path: Path, survey: Survey, mapping: ColumnMap, *, layout: LayoutSpec | None = None
    ) -> ResponseTable:
        """The whole file, its used columns decoded by pyarrow on all cores at once (batch by
        batch is one core); memory is those columns, which the table holds anyway."""
        return read_responses(self, path, survey, mapping, layout=layout, chunk_rows=WHOLE_FILE)

    def iter_raw(self, path: Path, chunk_rows: int, keep: KeepColumns) -> Iterator[RawChunk]:
        pa, pc, pq = _pyarrow()
        if not path.exists():
            raise DataError(f"data file not found: {path}")
        if path.stat().st_size == 0:
            raise DataError(f"{path}: the file is empty; expected a Parquet file")
        try:
            pf = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"{path}: expected a Parquet file; cannot read it ({exc})") from None
        header = [str(n) for n in pf.schema_arrow.names]
        wanted = keep(header)
        names = [h for h in header if h in wanted]
        total = int(pf.metadata.num_rows)
        done = 0
        try:
            # the whole file (``read``): pyarrow decodes the columns on all cores at once
            batches = (
                [pf.read(columns=names)]  # one table: one chunk
                if chunk_rows >= WHOLE_FILE
                else pf.iter_batches(batch_size=chunk_rows, columns=names)
            )
            for batch in batches:
                n = batch.num_rows
                columns: dict[str, Any] = {}
                for name in names:
                    columns[name] = arrow_cells(pa, pc, batch.column(name))
                rows = np.arange(done + 1, done + n + 1, dtype=np.int64)
                done += n
                yield RawChunk(columns=columns, rows=rows, done=done, total=total)
        except pa.ArrowException as exc:
            raise DataError(f"{path}: the Parquet data cannot be read ({exc})") from None


@hookimpl
def register_readers(register: Callable[[type[Reader]], None]) -> None:
    register(ParquetReader)
