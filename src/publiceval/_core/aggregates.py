"""Survey-aware reduction: a whole response table to mergeable aggregates.

:func:`table_aggregates` reduces a validated :class:`~publiceval._core.table.ResponseTable` to
:class:`TableAggregates`: the :class:`~publiceval._core.moments.Moments` of the raw answer codes
of every per-OPD item (by OPD, stratum and PSU, with answer histograms), the same for the
survey-wide items, optional *indicator* moments (0/1 variables of answers, e.g. "in the top
box") that a method asks for, the reject log and the respondents seen. Two of them merge
exactly (:meth:`TableAggregates.merged`), so chunks of a file and partitions on a cluster
combine into what the whole table gives. The numeric kernel (summing, merging, selecting) is
:mod:`publiceval._core.moments`, which knows nothing of surveys; its names are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import DataError
from .moments import MAX_ITEMS, Moments, accumulate, merge, merge_all, select
from .moments.model import FloatArray
from .moments.record import recall, remember
from .rejects import RejectLog
from .survey import Survey
from .table import AnswerBlock, ResponseTable
from .table.ids import RespondentIds

__all__ = [
    "MAX_ITEMS",
    "Indicator",
    "Moments",
    "TableAggregates",
    "accumulate",
    "block_moments",
    "hash_ids",
    "indicator_moments",
    "merge",
    "merge_all",
    "recorded_structure",
    "select",
    "table_aggregates",
]


@dataclass(frozen=True, order=True)
class Indicator:
    """A 0/1 variable of one per-OPD item's answers: 1 when the answer is one of ``values``.

    Its ratio mean is the share of the item's answers in ``values`` (a top-box share, the
    share of NPS promoters); a missing answer counts in neither numerator nor denominator.
    ``values`` are raw answers, before any reverse coding.
    """

    item: str
    values: tuple[int, ...]

    @classmethod
    def of(cls, item: str, values: Iterable[int]) -> Indicator:
        """An indicator with its values sorted and de-duplicated (so equal sets compare equal)."""
        return cls(item=item, values=tuple(sorted({int(v) for v in values})))


@dataclass(frozen=True)
class TableAggregates:
    """Mergeable aggregates of a whole :class:`~publiceval._core.table.ResponseTable`.

    ``per_opd`` sums the raw answer codes of every per-OPD item (code = answer - scale min + 1,
    0 = no answer) by OPD, stratum and PSU; ``survey_wide`` does the same for survey-wide
    items in one group. With the reject log and the respondents seen, this is everything an
    evaluation needs, and two of them merge exactly (:meth:`merged`).
    """

    survey: Survey
    per_opd: Moments
    survey_wide: Moments
    rejects: RejectLog
    respondents: tuple[NDArray[np.uint64], ...] | None
    """Per merged part, the sorted distinct 64-bit hashes of the respondent ids with a used row
    (None: only counted). 8 bytes a respondent per part, the same in every process; parts are
    only combined when the count is asked for, so merging copies nothing."""
    source: str | None = None
    respondent_count: int = 0
    indicators: tuple[Indicator, ...] = ()
    """The indicator variables summed in :attr:`indicator_moments`, in column order."""
    indicator_moments: Moments | None = None
    """Moments of the :attr:`indicators` (per OPD, like ``per_opd``); None when none were asked."""
    opd_items: tuple[str, ...] | None = None
    """The per-OPD items summed in ``per_opd``, in column order (None: every per-OPD item of
    the survey, in the survey's order)."""
    warnings: tuple[str, ...] = ()
    """What the reader noticed about the file (as :attr:`ResponseTable.warnings`), each once."""

    @property
    def opd_item_ids(self) -> tuple[str, ...]:
        """The per-OPD items whose answers ``per_opd`` sums, in column order."""
        if self.opd_items is not None:
            return self.opd_items
        return tuple(i.id for i in self.survey.opd_items)

    def item_columns(self, items: Iterable[str], scope: str = "opd") -> list[int]:
        """Column positions of ``items`` in ``per_opd`` (or ``survey_wide`` for scope "survey").

        Raises :class:`DataError` naming the items these aggregates do not carry (aggregates
        reduced for one method may hold only that method's items).
        """
        order = (
            self.opd_item_ids if scope == "opd" else tuple(i.id for i in self.survey.survey_items)
        )
        index = {item: j for j, item in enumerate(order)}
        items = list(items)
        missing = [i for i in items if i not in index]
        if missing:
            raise DataError(
                f"these aggregates carry no {'per-OPD' if scope == 'opd' else 'survey-wide'} "
                f"answers to {', '.join(missing)}; they hold "
                f"{', '.join(order) or 'none'} (reduce the data with the method's items: "
                "table_aggregates(..., items=method.aggregate_items(survey)))"
            )
        return [index[i] for i in items]

    def indicator_columns(self, wanted: Iterable[Indicator]) -> list[int]:
        """Column positions of ``wanted`` in :attr:`indicator_moments`.

        Raises :class:`DataError` naming what is missing when these aggregates were built
        without them (pass the method's ``aggregate_indicators`` when reducing).
        """
        index = {ind: j for j, ind in enumerate(self.indicators)}
        wanted = list(wanted)
        missing = [w for w in wanted if w not in index]
        if missing or (wanted and self.indicator_moments is None):
            shown = ", ".join(f"{w.item} in {list(w.values)}" for w in missing)
            raise DataError(
                f"these aggregates carry no moments of the answer indicator(s) {shown}; reduce "
                "the data with the method's indicators (table_aggregates(..., indicators="
                "method.aggregate_indicators(survey)); the chunked and Dask entry points do this)"
            )
        return [index[w] for w in wanted]

    @property
    def n_respondents(self) -> int:
        """Distinct respondents with at least one used row.

        Across merged parts this counts distinct id hashes: two different ids would have to
        share a 64-bit hash to be undercounted (odds about n² / 2⁶⁵, ~1e-6 at 5 million).
        """
        if self.respondents is None:
            return self.respondent_count
        if len(self.respondents) == 1:
            return int(self.respondents[0].shape[0])
        both = np.concatenate(self.respondents)
        both.sort()
        return int(np.count_nonzero(both[1:] != both[:-1]) + (1 if both.size else 0))

    def merged(self, other: TableAggregates) -> TableAggregates:
        """Aggregates of both tables' rows (they must be of the same survey)."""
        if other.survey != self.survey:
            raise DataError("cannot merge aggregates of different surveys")
        if self.respondents is None or other.respondents is None:
            raise DataError(
                "cannot merge aggregates built with respondents=False: distinct respondents "
                "across parts need their ids"
            )
        if self.indicators != other.indicators:
            raise DataError("cannot merge aggregates built with different answer indicators")
        if self.opd_item_ids != other.opd_item_ids:
            raise DataError("cannot merge aggregates built over different per-OPD items")
        both = None
        if self.indicator_moments is not None and other.indicator_moments is not None:
            both = merge(self.indicator_moments, other.indicator_moments)
        return TableAggregates(
            survey=self.survey,
            per_opd=merge(self.per_opd, other.per_opd),
            survey_wide=merge(self.survey_wide, other.survey_wide),
            rejects=self.rejects.merged(other.rejects),
            respondents=self.respondents + other.respondents,
            source=self.source if self.source == other.source else None,
            indicators=self.indicators,
            indicator_moments=both,
            opd_items=self.opd_items,
            warnings=tuple(dict.fromkeys(self.warnings + other.warnings)),
        )


_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def hash_ids(ids: NDArray[np.object_] | NDArray[np.str_] | RespondentIds) -> NDArray[np.uint64]:
    """A 64-bit hash of each id's text, the same for the same text in any array and process.

    The text's code points are mixed two at a time (one 64-bit word per round, a handful of
    rounds for usual ids) and each hash is taken after the id's own last word, so an id hashes
    alike whatever the longest id beside it (chunks and partitions must agree); a splitmix64
    finaliser spreads the bits.
    """
    # integer ids are hashed from their digits written by numpy, never as Python strings
    raw = ids.keys if isinstance(ids, RespondentIds) else np.asarray(ids)
    text = _digits(raw) if raw.dtype.kind in "iu" and raw.size else raw.astype(str)
    n = text.shape[0]
    width = text.dtype.itemsize // 4
    if n == 0:
        return np.zeros(0, np.uint64)
    if width % 2 or not text.flags.c_contiguous:
        padded = np.zeros(n, f"<U{width + width % 2}")
        padded[:] = text
        text = padded
    points = text.view(np.uint32).reshape(n, -1)
    length = np.strings.str_len(text)  # numpy drops trailing NULs: the text's own length
    words = points.view(np.uint64)
    last = (length + 1) // 2  # rounds each id needs
    h = length.astype(np.uint64) * _MIX[0]
    out = h.copy()
    with np.errstate(over="ignore"):
        for j in range(words.shape[1]):
            h = (h ^ words[:, j]) * _MIX[1]
            h ^= h >> np.uint64(29)
            done = last == j + 1
            out[done] = h[done]
        out = (out ^ (out >> np.uint64(30))) * _MIX[1]
        out = (out ^ (out >> np.uint64(27))) * _MIX[2]
        out ^= out >> np.uint64(31)
    hashes: NDArray[np.uint64] = out
    return hashes


def _distinct(hashes: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The sorted distinct hashes: a sort and a comparison (numpy 2's ``unique`` hashes the
    values first, 80× slower here: 0.49 s against 6 ms for a million)."""
    hashes = np.sort(hashes)
    keep = np.ones(hashes.shape[0], bool)
    np.not_equal(hashes[1:], hashes[:-1], out=keep[1:])
    out: NDArray[np.uint64] = hashes[keep]
    return out


def _digits(values: NDArray[Any]) -> NDArray[np.str_]:
    """Integers as their decimal text (``astype(str)``), as wide as the longest id and an even
    number of characters (the hash reads two at a time): ``astype(str)`` alone writes 21
    characters for any int64, twice the rounds of hashing for usual ids."""
    width = max(len(str(int(values.max()))), len(str(int(values.min()))))
    return values.astype(f"<U{width + width % 2}")


def _block_codes(block: AnswerBlock, survey: Survey) -> tuple[NDArray[np.int8], FloatArray]:
    """Answer codes (answer - scale min + 1; 0 = no answer) and the offset back to answers."""
    mins = np.array([survey.scale_of(i).min for i in block.items], dtype=np.int64)
    tops = np.array([survey.scale_of(i).max for i in block.items], dtype=np.int64)
    if block.items and int((tops - mins).max()) + 1 > 127:
        raise DataError("answer scales with more than 127 points cannot be aggregated as codes")
    codes = block.values - (mins - 1).astype(np.int8)
    np.multiply(codes, block.observed, out=codes)  # 0 where not answered (no mask indexing)
    return codes.astype(np.int8, copy=False), (mins - 1).astype(np.float64)


def block_moments(
    block: AnswerBlock,
    survey: Survey,
    n_groups: int,
    *,
    stratum_ids: tuple[str, ...] | None = None,
    psu_ids: tuple[str, ...] | None = None,
    threads: int | None = None,
    cell_cross: bool = True,
) -> Moments:
    """Moments (with histograms) of an answer block's raw codes, grouped by ``block.opd``.

    A survey-wide block (``opd == -1``) is summed as one group. ``cell_cross=False`` (a block
    with PSUs) keeps cross moments per group only (see :func:`accumulate`).
    """
    codes, offset = _block_codes(block, survey)
    group = np.maximum(block.opd, 0) if n_groups == 1 else block.opd
    return accumulate(
        group,
        n_groups,
        codes,
        None,
        block.weight,
        stratum=block.stratum,
        psu=block.psu,
        offset=offset,
        stratum_ids=stratum_ids if block.stratum is not None else None,
        psu_ids=psu_ids if block.psu is not None else None,
        histograms=True,
        threads=threads,
        cell_cross=cell_cross,
    )


def recorded_structure(table: ResponseTable) -> Moments | None:
    """The cells, patterns and PSUs (no sums) of ``table``'s last :func:`table_aggregates`,
    taken once (None if none): what the design choices read after scoring."""
    return recall(table)


def indicator_moments(
    block: AnswerBlock,
    indicators: Iterable[Indicator],
    n_groups: int,
    *,
    stratum_ids: tuple[str, ...] | None = None,
    psu_ids: tuple[str, ...] | None = None,
    threads: int | None = None,
) -> Moments:
    """Moments of 0/1 indicators of the block's answers, grouped by ``block.opd``.

    Each indicator is summed as a code (0: no answer, 1: answered outside ``values``, 2:
    inside) with offset -1, so its value is 0 or 1 and the fast integer path is exact.
    """
    indicators = list(indicators)
    codes = np.zeros((block.n_rows, len(indicators)), np.int8)
    for j, ind in enumerate(indicators):
        if ind.item not in block.items:
            raise DataError(f"indicator item {ind.item!r} is not an item of this answer block")
        col = block.items.index(ind.item)
        hit = np.isin(block.values[:, col], np.asarray(ind.values, dtype=np.int64))
        codes[:, j] = block.observed[:, col] * (1 + hit)
    return accumulate(
        block.opd,
        n_groups,
        codes,
        None,
        block.weight,
        stratum=block.stratum,
        psu=block.psu,
        offset=np.full(len(indicators), -1.0),
        stratum_ids=stratum_ids if block.stratum is not None else None,
        psu_ids=psu_ids if block.psu is not None else None,
        threads=threads,
    )


def table_aggregates(
    table: ResponseTable,
    *,
    threads: int | None = None,
    respondents: bool = True,
    indicators: Iterable[Indicator] = (),
    items: Iterable[str] | None = None,
) -> TableAggregates:
    """Reduce a validated table to mergeable aggregates.

    With ``respondents=False`` distinct respondents are only counted (cheaper for a table
    scored on its own; such aggregates cannot be merged). ``indicators`` adds the moments of
    0/1 answer indicators a method scores from (see
    :meth:`~publiceval._core.methods.ScoringMethod.aggregate_indicators`); ``items`` limits
    the per-OPD moments to those items (in the survey's order; default every per-OPD item), as
    a method that reads only some asks (:meth:`~publiceval._core.methods.ScoringMethod.
    aggregate_items`) — less work, the same numbers.
    """
    survey = table.survey
    ids: dict[str, Any] = {"stratum_ids": table.stratum_ids, "psu_ids": table.psu_ids}
    codes = np.concatenate([table.per_opd.respondent, table.survey_wide.respondent])
    used = np.flatnonzero(np.bincount(codes, minlength=len(table.respondent_keys)))
    wanted = tuple(dict.fromkeys(indicators))
    per_opd = table.per_opd
    chosen: tuple[str, ...] | None = None
    if items is not None:
        keep = set(items)
        unknown = keep - set(per_opd.items)
        if unknown:
            raise DataError(f"not per-OPD items of the survey: {', '.join(sorted(unknown))}")
        chosen = tuple(i for i in per_opd.items if i in keep)
        if chosen != tuple(per_opd.items):  # every item: no copy of the block
            per_opd = per_opd.select(list(chosen))
    by_group = per_opd.psu is not None  # the variance comes from PSU totals
    opd_moments = block_moments(
        per_opd,
        survey,
        len(survey.opds),
        stratum_ids=table.stratum_ids,
        psu_ids=table.psu_ids,
        threads=threads,
        cell_cross=not by_group,
    )
    if per_opd.stratum is not None or per_opd.psu is not None:
        remember(table, opd_moments)  # for the design choices, read after scoring
    return TableAggregates(
        survey=survey,
        per_opd=opd_moments,
        survey_wide=block_moments(table.survey_wide, survey, 1, threads=threads, **ids),
        rejects=table.rejects,
        respondents=(_distinct(hash_ids(table.respondent_keys[used])),) if respondents else None,
        source=table.source,
        respondent_count=int(used.size),
        indicators=wanted,
        indicator_moments=indicator_moments(
            table.per_opd, wanted, len(survey.opds), threads=threads, **ids
        )
        if wanted
        else None,
        opd_items=chosen,
        warnings=tuple(getattr(table, "warnings", ())),
    )
