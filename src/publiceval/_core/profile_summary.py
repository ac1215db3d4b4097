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


def _classify(
    question: ProfileQuestion, texts: NDArray[np.object_]
) -> tuple[list[Text], list[str], NDArray[np.int64]]:
    """Labels, their kinds and the label code of every record."""
    values = texts.tolist()
    if question.kind == "number":
        return _bins(values)
    labels: list[Text] = list(question.choices)
    kinds = ["choice"] * len(labels)
    index: dict[str, int] = {}
    codes = np.empty(len(values), np.int64)
    others: dict[str, int] = {}
    for value in values:
        if value is not None and question.choice_of(value) is None:
            others[value] = others.get(value, 0) + 1
    shown = sorted(others, key=lambda v: (-others[v], v))[:_OTHER_LIMIT]
    for v in shown:
        index[v] = len(labels)
        labels.append(Text(id=v, en=v))
        kinds.append("other")
    rest = len(labels)
    if len(others) > len(shown):
        labels.append(Text(id="Lainnya", en="Other"))
        kinds.append("other")
    missing = len(labels)
    labels.append(_MISSING)
    kinds.append("missing")
    for k, value in enumerate(values):
        if value is None:
            codes[k] = missing
            continue
        choice = question.choice_of(value)
        codes[k] = choice if choice is not None else index.get(value, rest)
    return labels, kinds, codes


def _bins(values: list[object]) -> tuple[list[Text], list[str], NDArray[np.int64]]:
    labels = []
    for low, high in AGE_BINS:
        if low == 0:
            labels.append(Text(id=f"< {high:g}", en=f"< {high:g}"))
        elif high >= 200:
            labels.append(Text(id=f"≥ {low:g}", en=f"≥ {low:g}"))
        else:
            labels.append(Text(id=f"{low:g}–{high - 1:g}", en=f"{low:g}–{high - 1:g}"))
    unread, missing = len(labels), len(labels) + 1
    labels += [Text(id="Bukan angka", en="Not a number"), _MISSING]
    kinds = ["bin"] * len(AGE_BINS) + ["other", "missing"]
    codes = np.empty(len(values), np.int64)
    for k, value in enumerate(values):
        if value is None:
            codes[k] = missing
            continue
        try:
            number = float(str(value).replace(",", ".").split()[0])
        except (ValueError, IndexError):
            codes[k] = unread
            continue
        codes[k] = next((j for j, (lo, hi) in enumerate(AGE_BINS) if lo <= number < hi), unread)
    return labels, kinds, codes


def collect_suggestions(survey: Survey, table: ResponseTable) -> tuple[list[Suggestion], bool]:
    """Every non-empty suggestion with its OPD and row (at most :data:`MAX_SUGGESTIONS`)."""
    block = table.per_opd
    texts = block.notes.get("suggestions")
    if texts is None:
        return [], False
    have = np.flatnonzero(
        np.array([t is not None and _said_something(str(t)) for t in texts], dtype=bool)
    )
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
