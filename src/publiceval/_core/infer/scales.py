"""Answer scales from the answers' words: which word set a column uses, and what does not fit.

The SKM questionnaire words each element's options its own way ("Sangat sesuai", "Gratis",
"Dikelola dengan baik" ...); together with the common four-point sets (Sangat Baik ..., Sangat
Puas ..., Sangat Setuju ...) they are one 1-4 scale, :func:`~publiceval._core.presets.label_scale`.
Five-point and "Sangat Tidak ..." sets get scales of their own; numbers get a numeric scale.
An answer that fits no word is never guessed: it is listed, with the label it most resembles.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..presets import LABEL_SETS, SKM_WORDINGS, label_scale
from ..survey import Scale, ScaleLabel, normalize_label
from ..text import Text
from .export import ColumnValues
from .model import ScaleGuess

__all__ = ["ColumnFit", "WordSet", "answer_key", "build_scales", "fit_column", "wording_of"]

#: Share of a column's answers that must fit a scale for it to be a question.
FIT_SHARE = 0.8
_INT = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class WordSet:
    """Option words from worst to best (Indonesian, English), and the family they belong to."""

    name: str
    family: str
    labels: tuple[tuple[str, str], ...]

    def lookup(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for k, (ind, eng) in enumerate(self.labels):
            out.setdefault(normalize_label(ind), k + 1)
            out.setdefault(normalize_label(eng), k + 1)
        return out


def _skm_lookup() -> dict[str, int]:
    out: dict[str, int] = {}
    for pairs in LABEL_SETS.values():
        for k, (ind, eng) in enumerate(pairs):
            out[normalize_label(ind)] = k + 1
            out[normalize_label(eng)] = k + 1
    for wording in SKM_WORDINGS:
        for k, text in enumerate(wording):
            out.setdefault(normalize_label(text), k + 1)
    return out


#: The 1-4 SKM family: every common four-point set and every element's wording, as one scale.
SKM_LOOKUP = _skm_lookup()
OTHER_SETS: tuple[WordSet, ...] = (
    WordSet(
        "puas4",
        "puas",
        (
            ("Sangat Tidak Puas", "Very dissatisfied"),
            ("Tidak Puas", "Dissatisfied"),
            ("Puas", "Satisfied"),
            ("Sangat Puas", "Very satisfied"),
        ),
    ),
    WordSet(
        "setuju4",
        "setuju",
        (
            ("Sangat Tidak Setuju", "Strongly disagree"),
            ("Tidak Setuju", "Disagree"),
            ("Setuju", "Agree"),
            ("Sangat Setuju", "Strongly agree"),
        ),
    ),
    WordSet(
        "puas5",
        "puas",
        (
            ("Sangat Tidak Puas", "Very dissatisfied"),
            ("Tidak Puas", "Dissatisfied"),
            ("Cukup Puas", "Neutral"),
            ("Puas", "Satisfied"),
            ("Sangat Puas", "Very satisfied"),
        ),
    ),
    WordSet(
        "setuju5",
        "setuju",
        (
            ("Sangat Tidak Setuju", "Strongly disagree"),
            ("Tidak Setuju", "Disagree"),
            ("Netral", "Neutral"),
            ("Setuju", "Agree"),
            ("Sangat Setuju", "Strongly agree"),
        ),
    ),
    WordSet(
        "baik5",
        "baik",
        (
            ("Sangat Buruk", "Very poor"),
            ("Buruk", "Poor"),
            ("Cukup", "Fair"),
            ("Baik", "Good"),
            ("Sangat Baik", "Very good"),
        ),
    ),
)
_LOOKUPS: dict[str, dict[str, int]] = {
    "skm": SKM_LOOKUP,
    **{s.name: s.lookup() for s in OTHER_SETS},
}
_POINTS: dict[str, int] = {"skm": 4, **{s.name: len(s.labels) for s in OTHER_SETS}}


def _distinctive() -> list[set[str]]:
    """Per SKM wording, its words that no other set or wording uses."""
    everywhere: Counter[str] = Counter()
    sets = [
        {normalize_label(t) for pair in pairs for t in pair} for pairs in LABEL_SETS.values()
    ] + [{normalize_label(t) for t in w} for w in SKM_WORDINGS]
    for s in sets:
        everywhere.update(s)
    return [
        {normalize_label(t) for t in w if everywhere[normalize_label(t)] == 1} for w in SKM_WORDINGS
    ]


_DISTINCT = _distinctive()


@dataclass
class ColumnFit:
    """How a column's answers fit the best word set (or numbers)."""

    column: str
    set_name: str
    """``skm``, a name from :data:`OTHER_SETS`, or ``numbers``."""
    share: float
    low: int = 1
    high: int = 4
    unknown: dict[str, int] = field(default_factory=dict)
    suggestions: dict[str, int] = field(default_factory=dict)
    label_votes: Counter[str] = field(default_factory=Counter)
    """Answers per common label set (quality, satisfaction, agreement), to name the SKM scale."""

    @property
    def is_question(self) -> bool:
        """Enough answers fit for the column to be a rated question."""
        return self.share >= FIT_SHARE


def _numbers(counts: Mapping[str, int]) -> dict[int, int]:
    return {int(v): n for v, n in counts.items() if _INT.match(v.strip())}


def answer_key(text: str, underscores: bool = False) -> str:
    """An answer as scales match it; Kobo's choice names (``sangat_baik``) read with spaces."""
    return normalize_label(text.replace("_", " ") if underscores else text)


def fit_column(col: ColumnValues, underscores: bool = False) -> ColumnFit | None:
    """The word set (or number range) most of the column's answers belong to; ``None`` if empty.

    ``underscores``: read ``_`` as a space, as the Kobo reader does with choice names."""
    filled = col.filled
    if not filled or col.overflow:
        return None
    numbers = _numbers(col.counts)
    words: Counter[str] = Counter()
    for v, n in col.counts.items():
        if not _INT.match(v.strip()):
            words[answer_key(v, underscores)] += n
    best, best_hit = "numbers", -1
    for name, lookup in _LOOKUPS.items():
        hit = sum(n for w, n in words.items() if w in lookup)
        if hit > best_hit:
            best, best_hit = name, hit
    n_numbers = sum(numbers.values())
    if best_hit <= 0:
        best = "numbers"
    if best == "numbers":
        if not numbers or min(numbers) < 0 or max(numbers) > 10:
            return ColumnFit(col.name, "numbers", 0.0)
        low = 0 if min(numbers) == 0 else 1
        top = max(numbers)
        high = 4 if top <= 4 and low == 1 else 5 if top <= 5 and low == 1 else 7 if top <= 7 else 10
        share = n_numbers / filled
        unknown = {v: n for v, n in col.counts.items() if not _INT.match(v.strip())}
        return ColumnFit(col.name, "numbers", share, low, high, unknown)
    lookup, points = _LOOKUPS[best], _POINTS[best]
    in_range = sum(n for k, n in numbers.items() if 1 <= k <= points)
    unknown = {
        v: n
        for v, n in col.counts.items()
        if answer_key(v, underscores) not in lookup
        and not (_INT.match(v.strip()) and 1 <= int(v) <= points)
    }
    fit = ColumnFit(col.name, best, (best_hit + in_range) / filled, 1, points, unknown)
    for v in unknown:
        hint = difflib.get_close_matches(answer_key(v, underscores), list(lookup), n=1, cutoff=0.8)
        if hint:
            fit.suggestions[v] = lookup[hint[0]]
    if best == "skm":
        for name, pairs in LABEL_SETS.items():
            keys = {normalize_label(t) for pair in pairs for t in pair}
            fit.label_votes[name] = sum(n for w, n in words.items() if w in keys)
    return fit


def wording_of(col: ColumnValues, underscores: bool = False) -> int | None:
    """Which SKM element's wording the answers use (index into ``SKM_WORDINGS``), if clear."""
    filled = col.filled
    if not filled:
        return None
    keys: Counter[str] = Counter()
    for v, n in col.counts.items():
        keys[answer_key(v, underscores)] += n
    best, best_hit = None, 0
    for k, distinct in enumerate(_DISTINCT):
        hit = sum(n for w, n in keys.items() if w in distinct)
        if hit > best_hit:
            best, best_hit = k, hit
    return best if best_hit >= 0.3 * filled else None


def _unify(fits: Sequence[ColumnFit]) -> None:
    """A column of a short set adopts the longer set of its family when that fits it as well
    (a five-point question whose middle option nobody chose still is five-point)."""
    chosen = {f.set_name for f in fits}
    for fit in fits:
        for other in OTHER_SETS:
            mine = next((s for s in OTHER_SETS if s.name == fit.set_name), None)
            if (
                mine is None
                or other.name not in chosen
                or other.family != mine.family
                or len(other.labels) <= len(mine.labels)
            ):
                continue
            fit.set_name, fit.high = other.name, len(other.labels)


def _word_scale(name: str) -> Scale:
    ws = next(s for s in OTHER_SETS if s.name == name)
    return Scale(
        id=name,
        min=1,
        max=len(ws.labels),
        labels=tuple(
            ScaleLabel(value=k + 1, label=Text(id=ind, en=eng))
            for k, (ind, eng) in enumerate(ws.labels)
        ),
    )


def build_scales(fits: Sequence[ColumnFit]) -> tuple[list[ScaleGuess], dict[str, str]]:
    """One scale per distinct set (the SKM family and 1-4 numbers share ``skm``), and each
    question column's scale id."""
    _unify(fits)
    groups: dict[str, list[ColumnFit]] = {}
    for fit in fits:
        key = fit.set_name
        if key == "numbers":
            key = "skm" if (fit.low, fit.high) == (1, 4) else f"scale-{fit.low}-{fit.high}"
        groups.setdefault(key, []).append(fit)
    guesses: list[ScaleGuess] = []
    of_column: dict[str, str] = {}
    for sid, members in groups.items():
        votes: Counter[str] = Counter()
        for f in members:
            votes.update(f.label_votes)
        if sid == "skm":
            top = votes.most_common(1)
            labels = top[0][0] if top and top[0][1] > 0 else "quality"
            scale = label_scale("skm", labels)
            family = "skm"
            why = Text(
                id=f"jawaban berupa kata pilihan SKM 1-4 (label {labels}) atau angka 1-4",
                en=f"answers are SKM 1-4 option words ({labels} labels) or numbers 1-4",
            )
        elif sid.startswith("scale-"):
            low, high = members[0].low, members[0].high
            scale = Scale(id=sid, min=low, max=high)
            family = "numbers"
            why = Text(
                id=f"jawaban berupa angka {low}-{high}", en=f"answers are numbers {low}-{high}"
            )
        else:
            scale = _word_scale(sid)
            family = sid
            words = " / ".join(lab.label.id for lab in scale.labels)
            why = Text(id=f"jawaban berupa kata: {words}", en=f"answers are the words {words}")
        unknown: Counter[str] = Counter()
        suggestions: dict[str, int] = {}
        for f in members:
            unknown.update(f.unknown)
            suggestions.update(f.suggestions)
            of_column[f.column] = sid
        guesses.append(
            ScaleGuess(
                scale=scale,
                family=family,
                columns=tuple(f.column for f in members),
                unknown=dict(unknown),
                suggestions=suggestions,
                why=why,
            )
        )
    return guesses, of_column
