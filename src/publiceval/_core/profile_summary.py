"""Counting the respondent profile and collecting the suggestions of a validated table."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .profile import ProfileQuestion
from .results.profile import ProfileCount, ProfileSummary, Suggestion
from .survey import Survey
from .table import ResponseTable
from .text import Text

__all__ = [
    "AGE_BINS",
    "MAX_SUGGESTIONS",
    "collect_suggestions",
    "described",
    "summarise_profile",
]

#: Age groups of the usual SKM respondent table (years; each is [low, high)).
AGE_BINS: tuple[tuple[float, float], ...] = (
    (0, 20),
    (20, 30),
    (30, 40),
    (40, 50),
    (50, 60),
    (60, 200),
)
#: Suggestions kept in an evaluation (a province export can hold millions of rows).
MAX_SUGGESTIONS = 5000

_MISSING = Text(id="Tidak diisi", en="Not answered")
#: Answers in a suggestion box that say "nothing to suggest" (compared ignoring case, spaces, dots).
_NOTHING = {
    "",
    "-",
    "--",
    "tidak ada",
    "tdk ada",
    "ga ada",
    "gak ada",
    "nggak ada",
    "belum ada",
    "nihil",
    "kosong",
    "tidak",
    "none",
    "no",
    "nothing",
    "n/a",
    "na",
    "nil",
    "x",
}
_OTHER_LIMIT = 10


def summarise_profile(survey: Survey, table: ResponseTable) -> list[ProfileSummary]:
    """Each profile question's counts over respondents, and over records per OPD."""
    block = table.per_opd
    if not survey.profile or not block.notes:
        return []
    _, first = np.unique(block.respondent, return_index=True)
    opd_ids = [o.id for o in survey.opds]
    out = []
    for question in survey.profile:
        texts = block.notes.get(question.id)
        if texts is None:
            continue
        labels, kinds, codes = _classify(question, texts)
        counts = []
        n = int(first.size)
        for k, (label, kind) in enumerate(zip(labels, kinds, strict=True)):
            mine = codes == k
            total = int(mine[first].sum())
            per_opd = np.bincount(block.opd[mine], minlength=len(opd_ids))
            if total == 0 and kind != "choice":
                continue
            counts.append(
                ProfileCount(
                    label=label,
                    kind=kind,
                    count=total,
                    share=total / n if n else 0.0,
                    per_opd={
                        o: int(c) for o, c in zip(opd_ids, per_opd.tolist(), strict=True) if c
                    },
                )
            )
        out.append(
            ProfileSummary(
                id=question.id, text=question.text, kind=question.kind, respondents=n, counts=counts
            )
        )
    return out


def _distinct(texts: NDArray[np.object_]) -> tuple[list[str], NDArray[np.int64]]:
    """The distinct answers and each record's position among them (-1: not answered), so each
    answer is classified once, not once per respondent."""
    present = np.asarray(texts != None, dtype=bool)  # noqa: E711 - element-wise on objects
    code = np.full(texts.shape[0], -1, np.int64)
    if not present.any():
        return [], code
    uniq, inverse = np.unique(texts[present].astype(str), return_inverse=True)
    code[present] = inverse.reshape(-1)
    return [str(u) for u in uniq.tolist()], code


def _classify(
    question: ProfileQuestion, texts: NDArray[np.object_]
) -> tuple[list[Text], list[str], NDArray[np.int64]]:
    """Labels, their kinds and the label code of every record."""
    values, code = _distinct(texts)
    if question.kind == "number":
        labels, kinds, lut = _bins(values)
    else:
        labels, kinds, lut = _choices(
            question, values, np.bincount(code[code >= 0], minlength=len(values))
        )
    # the last label is "not answered"
    return labels, kinds, np.where(code >= 0, lut[np.maximum(code, 0)], len(labels) - 1)


def _choices(
    question: ProfileQuestion, values: list[str], seen: NDArray[np.int64]
) -> tuple[list[Text], list[str], NDArray[np.int64]]:
    """Listed choices, the most frequent other answers as typed, "other", "not answered"."""
    labels: list[Text] = list(question.choices)
    kinds = ["choice"] * len(labels)
    choice = [question.choice_of(v) for v in values]
    others = {v: int(seen[j]) for j, v in enumerate(values) if choice[j] is None}
    shown = sorted(others, key=lambda v: (-others[v], v))[:_OTHER_LIMIT]
    index: dict[str, int] = {}
    for v in shown:
        index[v] = len(labels)
        labels.append(Text(id=v, en=v))
        kinds.append("other")
    rest = len(labels)
    if len(others) > len(shown):
        labels.append(Text(id="Lainnya", en="Other"))
        kinds.append("other")
    labels.append(_MISSING)
    kinds.append("missing")
    lut = np.array(
        [c if c is not None else index.get(v, rest) for v, c in zip(values, choice, strict=True)],
        dtype=np.int64,
    )
    return labels, kinds, lut


def _bins(values: list[str]) -> tuple[list[Text], list[str], NDArray[np.int64]]:
    """Age groups of the distinct answers; an answer that is no number is "not a number"."""
    labels = []
    for low, high in AGE_BINS:
        if low == 0:
            labels.append(Text(id=f"< {high:g}", en=f"< {high:g}"))
        elif high >= 200:
            labels.append(Text(id=f"≥ {low:g}", en=f"≥ {low:g}"))
        else:
            labels.append(Text(id=f"{low:g}–{high - 1:g}", en=f"{low:g}–{high - 1:g}"))
    unread = len(labels)
    labels += [Text(id="Bukan angka", en="Not a number"), _MISSING]
    kinds = ["bin"] * len(AGE_BINS) + ["other", "missing"]
    lut = np.full(len(values), unread, np.int64)
    for j, value in enumerate(values):
        try:
            number = float(value.replace(",", ".").split()[0])
        except (ValueError, IndexError):
            continue
        lut[j] = next((k for k, (lo, hi) in enumerate(AGE_BINS) if lo <= number < hi), unread)
    return labels, kinds, lut


def collect_suggestions(survey: Survey, table: ResponseTable) -> tuple[list[Suggestion], bool]:
    """Every non-empty suggestion with its OPD and row (at most :data:`MAX_SUGGESTIONS`)."""
    block = table.per_opd
    texts = block.notes.get("suggestions")
    if texts is None:
        return [], False
    values, code = _distinct(texts)
    said = np.array([_said_something(v) for v in values] + [False], dtype=bool)
    have = np.flatnonzero(said[np.where(code >= 0, code, len(values))])
    out = [
        Suggestion(
            opd=survey.opds[int(block.opd[k])].id,
            text=str(texts[k]).strip(),
            row=int(block.source_row[k]),
        )
        for k in have[:MAX_SUGGESTIONS].tolist()
    ]
    return out, bool(have.size > MAX_SUGGESTIONS)


def _said_something(text: str) -> bool:
    """Not empty and not a way of saying "no suggestion" ("-", "tidak ada", "none" …)."""
    return " ".join(text.casefold().replace(".", " ").split()) not in _NOTHING


def described(survey: Survey, responses: object) -> dict[str, Any]:
    """The evaluation's ``profile``, ``suggestions`` and ``suggestions_truncated`` fields (empty
    for aggregates and published scores, which keep no row's text)."""
    if not isinstance(responses, ResponseTable):
        return {}
    suggestions, truncated = collect_suggestions(survey, responses)
    return {
        "profile": summarise_profile(survey, responses),
        "suggestions": suggestions,
        "suggestions_truncated": truncated,
    }
