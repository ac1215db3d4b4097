"""A form submitted twice: found without a respondent id, by its answers and its time.

Google Forms and Kobo exports rarely carry a respondent id, and a volunteer's "did it send?"
double tap sends the same answers twice, a few seconds apart. Two records are one submission
sent twice when they name the same OPD and give the same answers (and the same notes), and
either were submitted within ``window`` of each other or are identical in every kept cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from ..cells import ColumnParse
from ..rejects import RejectReason
from .labels import label_codes, text_codes

if TYPE_CHECKING:
    from .validate import _Builder

__all__ = ["parse_timestamps", "reject_repeats", "repeated_submissions"]

_FORMATS = (
    "%Y/%m/%d %I:%M:%S %p",  # Google Forms, en-US sheet
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",  # Google Forms, id-ID sheet
    "%d/%m/%Y %H.%M.%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
)
_ZONE = re.compile(r"\s*(?:GMT|UTC|WIB|WITA|WIT)\s*[+-]?\d*(?::?\d\d)?\s*$", re.I)


def _parse_one(text: str) -> float:
    """Seconds since the epoch (local time read as UTC), or NaN when unreadable."""
    cleaned = _ZONE.sub("", text.strip())
    try:
        stamp = dt.datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        stamp = None
        for fmt in _FORMATS:
            try:
                stamp = dt.datetime.strptime(cleaned, fmt)
                break
            except ValueError:
                continue
    if stamp is None:
        return float("nan")
    if stamp.tzinfo is not None:
        stamp = stamp.replace(tzinfo=None) + (stamp.utcoffset() or dt.timedelta())
    return (stamp - dt.datetime(1970, 1, 1)).total_seconds()


def parse_timestamps(values: NDArray[Any]) -> NDArray[np.float64]:
    """Seconds of each cell (NaN where empty or unreadable); each distinct cell is parsed once
    (cells are factorised as the builder reads labels, so a date cell arrives as ISO text)."""
    if values.shape[0] == 0:
        return np.zeros(0)
    codes, labels, missing = label_codes(values)
    seconds = np.array([_parse_one(text) for text in labels], dtype=np.float64)
    return np.where(missing, np.nan, seconds[codes])


def repeated_submissions(
    keys: Sequence[NDArray[np.int64]],
    seconds: NDArray[np.float64] | None,
    window: float,
    identical: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pairs (repeat, first) of record positions that are one submission sent twice.

    ``keys`` are per-record codes whose equality means "same OPD and same answers";
    ``identical`` codes equal records in every kept cell. A repeat is matched to the earliest
    record of its group; with ``seconds`` it must lie within ``window`` seconds of it (a record
    whose time is unreadable is matched only when ``identical``).
    """
    n = identical.shape[0]
    if n == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty
    group = np.unique(np.column_stack(list(keys)), axis=0, return_inverse=True)[1].reshape(-1)
    order = np.lexsort((np.arange(n), group))
    g = group[order]
    start = np.ones(n, bool)
    start[1:] = g[1:] != g[:-1]
    head = order[np.maximum.accumulate(np.where(start, np.arange(n), 0))]
    repeat = ~start
    same = identical[order] == identical[head]
    if seconds is not None:
        gap = np.abs(seconds[order] - seconds[head])
        near = np.nan_to_num(gap, nan=np.inf) <= window
        repeat &= near | same
    else:
        repeat &= same
    return order[repeat].astype(np.int64), head[repeat].astype(np.int64)


def reject_repeats(b: _Builder, opd: NDArray[np.int32], parsed: Sequence[ColumnParse]) -> None:
    """Reject (or keep, per policy) a submission sent twice: see :mod:`.submissions`."""
    h = b.h
    cand = np.flatnonzero(~b.bad)
    if cand.size < 2:
        return
    answers = [opd[cand].astype(np.int64)]
    answers += [np.where(p.observed[cand], p.values[cand], -1).astype(np.int64) for p in parsed]
    answers += [text_codes(c.values[cand]) for c in h.notes.values()]
    every = [*answers]
    if h.timestamp is not None:
        every.append(text_codes(h.timestamp.values[cand]))
    for c in (h.opd, h.weight, h.stratum, h.psu, *h.items.values()):
        if c is not None:
            every.append(text_codes(c.unmasked().values[cand]))
    identical = np.unique(np.column_stack(every), axis=0, return_inverse=True)[1]
    seconds = None if h.timestamp is None else parse_timestamps(h.timestamp.values[cand])
    window = h.policy.duplicate_window_minutes * 60.0
    again, first = repeated_submissions(answers, seconds, window, identical.reshape(-1))
    if again.size == 0:
        return
    timed = seconds is not None
    # without a timestamp, identical rows may be two people who answered alike: by default they
    # are reported and kept; a study that says how to treat copies is taken at its word
    policy = h.policy.duplicates or ("keep-first" if timed else "keep-all")
    first_row = dict(zip(cand[again].tolist(), b.rows[cand[first]].tolist(), strict=True))
    window_text = f"{h.policy.duplicate_window_minutes:g} minutes"

    def message(pos: int) -> str:
        if not timed:
            what = (
                f"identical in every cell to row {first_row[pos]}; with no timestamp column this "
                "may be one submission sent twice or two people who answered alike"
            )
        else:
            what = (
                f"the same answers for the same OPD as row {first_row[pos]}, submitted within "
                f"{window_text}: one submission sent twice"
            )
        if policy == "keep-all":
            tip = "duplicates = 'keep-all'"
            if not timed:
                tip = "set [data] duplicates = 'keep-first' to drop copies"
            return f"{what}; kept ({tip})"
        return (
            f"{what}; rejected (if these are two people who answered alike, set [data] "
            "duplicates = 'keep-all')"
        )

    rows = np.zeros(b.n, bool)
    rows[cand[again]] = True
    scope: Literal["row", "cell"] = "cell" if policy == "keep-all" else "row"
    b.reject(rows, h.timestamp, RejectReason.DUPLICATE_SUBMISSION, message, scope=scope)
    if policy == "reject-all":
        firsts = np.zeros(b.n, bool)
        firsts[cand[first]] = True
        again_row = dict(zip(cand[first].tolist(), b.rows[cand[again]].tolist(), strict=False))
        b.reject(
            firsts & ~b.bad,
            h.timestamp,
            RejectReason.DUPLICATE_SUBMISSION,
            lambda pos: (
                f"sent again in row {again_row[pos]}; both copies rejected "
                "(duplicates = 'reject-all')"
            ),
        )
