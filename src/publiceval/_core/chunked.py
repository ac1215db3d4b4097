"""Evaluate data larger than memory: chunks → mergeable aggregates → one evaluation.

Each chunk of rows is validated into a :class:`~publiceval._core.table.ResponseTable`, reduced to
:class:`~publiceval._core.aggregates.TableAggregates` and dropped; the merged aggregates are then
scored by the same estimation code as an in-memory table, so the results do not depend on
where the chunks were cut (as long as one respondent's rows are not split, see
:func:`split_table`). Memory is bounded by one chunk plus the aggregates.

A method scores aggregates when it sets ``supports_aggregates`` and implements
:meth:`~publiceval._core.methods.ScoringMethod.score_aggregates` (every built-in method does;
their in-memory path is the same code).
"""

from __future__ import annotations

import dataclasses
import itertools
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .aggregates import Indicator, TableAggregates, table_aggregates
from .errors import DataError, PublicevalError, StudyError
from .ingest import DataSpec, LayoutKind, iter_study_tables
from .methods import AGGREGATE_METHODS, ScoringMethod
from .pipeline import ComponentSpec, evaluate
from .plugins import PluginHost, get_host
from .results import Evaluation
from .survey import Survey
from .table import ColumnMap, ResponseTable

__all__ = [
    "DistinctHashes",
    "aggregate_tables",
    "evaluate_file",
    "evaluate_tables",
    "resolve_method",
    "split_table",
]


# --------------------------------------------------------------------------- chunking
def split_table(table: ResponseTable, chunk_rows: int) -> Iterator[ResponseTable]:
    """Cut a table into chunks of about ``chunk_rows`` source rows.

    Cuts fall only where the respondent changes, so a respondent's survey-wide answers are
    de-duplicated within one chunk exactly as in the whole table. The reject log goes with
    the first chunk.
    """
    if chunk_rows < 1:
        raise DataError(f"chunk_rows must be at least 1; found {chunk_rows}")
    per, wide = table.per_opd, table.survey_wide
    rows = np.unique(np.concatenate([per.source_row, wide.source_row]))
    resp_of = np.concatenate([per.respondent, wide.respondent])
    src = np.concatenate([per.source_row, wide.source_row])
    order = np.argsort(src, kind="stable")
    resp_sorted = resp_of[order]
    src_sorted = src[order]
    cuts = [int(rows[0])] if rows.size else []
    pos = 0
    n_src = src_sorted.size
    while rows.size:
        target = pos + chunk_rows
        if target >= n_src:
            break
        while target < n_src and resp_sorted[target] == resp_sorted[target - 1]:
            target += 1
        if target >= n_src:
            break
        cuts.append(int(src_sorted[target]))
        pos = target
    cuts.append(int(rows[-1]) + 1 if rows.size else 0)
    first = True
    for lo, hi in itertools.pairwise(cuts):
        pm = (per.source_row >= lo) & (per.source_row < hi)
        wm = (wide.source_row >= lo) & (wide.source_row < hi)
        yield ResponseTable(
            survey=table.survey,
            per_opd=per.take(pm),
            survey_wide=wide.take(wm),
            respondent_keys=table.respondent_keys,
            stratum_ids=table.stratum_ids,
            psu_ids=table.psu_ids,
            rejects=table.rejects if first else type(table.rejects)(),
            source=table.source,
        )
        first = False
    if not cuts[:-1]:
        yield table


class DistinctHashes:
    """The exact number of distinct 64-bit hashes in a stream of parts, in flat memory.

    Parts (each chunk's sorted distinct respondent hashes) are held until ``limit`` hashes are;
    they are then de-duplicated and *spilled* to temporary files, one per range of the top
    bits of the hash (256 ranges: hashes are uniform, so each gets about 1/256 of them). The
    count at the end reads one range at a time — a range too large for ``limit`` is split again
    on the next bits — so memory stays about ``limit`` hashes (2 MB by default) whatever the
    number of respondents, and the count is exact: equal hashes always land in the same range.
    """

    BITS = 8

    def __init__(self, limit: int = 1 << 18) -> None:
        self.limit = max(1, limit)
        self.held: list[NDArray[np.uint64]] = []
        self.n_held = 0
        self.spilled = 0
        """Hashes written to the spill files so far (with repeats across flushes)."""
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    def add(self, hashes: NDArray[np.uint64]) -> None:
        """Add some hashes (any order, repeats allowed)."""
        if hashes.size == 0:
            return
        self.held.append(np.asarray(hashes, dtype=np.uint64))
        self.n_held += int(hashes.size)
        if self.n_held > self.limit:
            self._spill()

    def _held(self) -> NDArray[np.uint64]:
        both = np.concatenate(self.held) if self.held else np.zeros(0, np.uint64)
        self.held, self.n_held = [], 0
        return _sorted_distinct(both)

    def _spill(self) -> None:
        hashes = self._held()
        if self._dir is None:
            self._dir = tempfile.TemporaryDirectory(prefix="publiceval-ids-")
        _write_ranges(Path(self._dir.name), "r", hashes, 64 - self.BITS)
        self.spilled += int(hashes.size)

    def count(self) -> int:
        """Distinct hashes added so far."""
        if self._dir is None:
            return int(_sorted_distinct(np.concatenate(self.held)).size) if self.held else 0
        self._spill()
        return sum(self._count_file(f, 64 - self.BITS) for f in self._files("r"))

    def distinct(self) -> NDArray[np.uint64]:
        """The sorted distinct hashes (8 bytes each: for a result that must merge further)."""
        if self._dir is None:
            return self._held()
        self._spill()
        parts = [_sorted_distinct(np.fromfile(f, dtype=np.uint64)) for f in self._files("r")]
        return np.concatenate(parts) if parts else np.zeros(0, np.uint64)

    def close(self) -> None:
        """Remove the spill files."""
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None
        self.held, self.n_held = [], 0

    def _files(self, prefix: str) -> list[Path]:
        assert self._dir is not None
        return sorted(Path(self._dir.name).glob(f"{prefix}.*"))

    def _count_file(self, path: Path, shift: int) -> int:
        size = path.stat().st_size // 8
        if size <= self.limit or shift < self.BITS:
            return int(_sorted_distinct(np.fromfile(path, dtype=np.uint64)).size)
        # a range larger than the budget (billions of respondents): split it on the next bits,
        # reading it a block at a time (the range's own file stays, for :meth:`distinct`)
        sub = path.parent / f"split-{path.name}"
        sub.mkdir()
        try:
            with path.open("rb") as fh:
                while block := fh.read(8 * self.limit):
                    part = np.frombuffer(block, dtype=np.uint64)
                    _write_ranges(sub, "r", _sorted_distinct(part), shift - self.BITS)
            return sum(self._count_file(f, shift - self.BITS) for f in sorted(sub.glob("r.*")))
        finally:
            shutil.rmtree(sub, ignore_errors=True)


def _sorted_distinct(hashes: NDArray[np.uint64]) -> NDArray[np.uint64]:
    hashes = np.sort(hashes)
    keep = np.ones(hashes.shape[0], bool)
    np.not_equal(hashes[1:], hashes[:-1], out=keep[1:])
    out: NDArray[np.uint64] = hashes[keep]
    return out


def _write_ranges(folder: Path, prefix: str, hashes: NDArray[np.uint64], shift: int) -> None:
    """Append sorted ``hashes`` to one file per value of bits ``shift..shift+8``.

    The hashes share every bit above those (a range being split again), so sorted hashes
    are sorted by those bits too: the ranges are cut with a binary search, no copies.
    """
    if hashes.size == 0:
        return
    base = int(hashes[0]) >> (shift + 8) << (shift + 8)
    starts = np.array([base + (j << shift) for j in range(256)], dtype=np.uint64)
    cuts = [*np.searchsorted(hashes, starts).tolist(), int(hashes.size)]
    for j in range(256):
        if cuts[j] < cuts[j + 1]:
            with (folder / f"{prefix}.{j:03d}").open("ab") as fh:
                hashes[cuts[j] : cuts[j + 1]].tofile(fh)


def aggregate_tables(
    tables: Iterable[ResponseTable],
    *,
    indicators: Iterable[Indicator] = (),
    items: Iterable[str] | None = None,
    keep_ids: bool = False,
    id_budget: int = 1 << 18,
) -> TableAggregates:
    """Reduce each table to aggregates as it arrives and merge them (constant memory).

    ``indicators`` are the answer indicators a method needs and ``items`` the per-OPD items
    it reads (default all), see :meth:`~publiceval._core.methods.ScoringMethod.aggregate_indicators`
    and :meth:`~publiceval._core.methods.ScoringMethod.aggregate_items`.

    Distinct respondents are counted exactly with :class:`DistinctHashes`: memory stays about
    ``id_budget`` hashes, the rest waits in temporary files. The result carries the count
    only; with ``keep_ids`` it keeps the distinct hashes (8 bytes a respondent), so it can be
    merged with the aggregates of other files (what the Dask backend does).
    """
    wanted = tuple(indicators)
    chosen = None if items is None else tuple(items)
    total: TableAggregates | None = None
    ids = DistinctHashes(id_budget)
    try:
        for table in tables:
            part = table_aggregates(table, indicators=wanted, items=chosen)
            for hashes in part.respondents or ():
                ids.add(hashes)
            part = dataclasses.replace(part, respondents=())
            total = part if total is None else total.merged(part)
        if total is None:
            raise DataError("no chunks to evaluate: the reader produced no tables")
        if keep_ids:
            return dataclasses.replace(total, respondents=(ids.distinct(),))
        return dataclasses.replace(total, respondents=None, respondent_count=ids.count())
    finally:
        ids.close()


# --------------------------------------------------------------------------- methods
def resolve_method(
    method: ComponentSpec, method_options: Mapping[str, Any] | None, host: PluginHost
) -> ScoringMethod:
    """The scoring method ``evaluate(method=..., method_options=...)`` would use.

    Chunked and distributed evaluation need it *before* reading: the method says which answer
    indicators the aggregates must carry, and one that cannot score aggregates is refused
    before any data is read.
    """
    if isinstance(method, ScoringMethod):
        scorer = method
    else:
        if isinstance(method, tuple):
            method, method_options = method
        if not isinstance(method, str):
            raise PublicevalError(
                f"expected a scoring method name or instance; found {type(method).__name__}"
            )
        scorer = host.method(method).create(method_options)
    if not scorer.supports_aggregates:
        try:
            able = sorted(n for n, c in host.methods().items() if c.supports_aggregates)
        except PublicevalError:  # e.g. a name clash elsewhere: fall back to the built-ins
            able = list(AGGREGATE_METHODS)
        raise StudyError(
            f"method {scorer.name!r} cannot score from aggregates (chunked or distributed data) "
            f"because {scorer.aggregates_reason}; evaluate the data in memory, or use a method "
            f"that can: {', '.join(able)}"
        )
    return scorer


# --------------------------------------------------------------------------- entry points
def evaluate_tables(survey: Survey, tables: Iterable[ResponseTable], **options: Any) -> Evaluation:
    """Evaluate chunk tables (e.g. a reader's ``iter_tables``) via merged aggregates.

    ``options`` are those of :func:`publiceval.evaluate`. The method is resolved first: one
    that cannot score aggregates is refused before a chunk is read, and the answer
    indicators it needs (e.g. top-box shares) are summed with the chunks.
    """
    host = options.get("host") or get_host()
    scorer = resolve_method(options.get("method", "mean"), options.get("method_options"), host)
    merged = aggregate_tables(
        tables,
        indicators=scorer.aggregate_indicators(survey),
        items=scorer.aggregate_items(survey),
    )
    return evaluate(survey, merged, **options)


def evaluate_file(
    survey: Survey,
    path: str | Path,
    *,
    mapping: ColumnMap | None = None,
    reader: str | None = None,
    reader_options: Mapping[str, Any] | None = None,
    layout: LayoutKind | None = None,
    chunk_rows: int = 20_000,
    host: PluginHost | None = None,
    **options: Any,
) -> Evaluation:
    """Evaluate a data file chunk by chunk, through the same ingest road as a study file.

    Peak memory is about one chunk plus the aggregates. ``reader`` names the reader plugin
    (default: by the file's suffix), ``layout`` the file's shape (``wide``, ``long`` or
    ``opd-columns``; default: the reader's); ``options`` go to :func:`publiceval.evaluate`.
    """
    host = host or get_host()
    data = DataSpec(
        path=str(path),
        format=reader,
        options=dict(reader_options or {}),
        columns=mapping or ColumnMap(),
        layout=layout,
    )
    tables = iter_study_tables(data, survey, host, chunk_rows=chunk_rows)
    return evaluate_tables(survey, tables, host=host, **options)
