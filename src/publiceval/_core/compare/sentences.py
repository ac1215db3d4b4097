"""Plain-language sentences about a change, in Indonesian and English.

"Beyond chance" always means: the Holm-adjusted test across the family (every OPD's score, or
one element across OPDs) rejects "no change" at the comparison's level. A change that is not
beyond chance is never called an improvement or a decline.
"""

from __future__ import annotations

from ..text import Lang, format_number
from .models import Change, ItemChange, OPDChange

__all__ = [
    "change_sentence",
    "ci_text",
    "element_name",
    "fmt",
    "fmt_signed",
    "item_subject",
    "opd_sentence",
    "opd_subject",
    "rank_text",
]


def fmt(value: float | None, lang: Lang, decimals: int = 2) -> str:
    """A number as the report prints it (``2,78`` in Indonesian); ``–`` when missing."""
    return format_number(value, lang, decimals) if value is not None else "–"


def fmt_signed(value: float | None, lang: Lang, decimals: int = 2) -> str:
    """A change with its sign (``+0,27``, ``−0,10``)."""
    if value is None:
        return "–"
    text = fmt(abs(value), lang, decimals)
    return ("+" if value >= 0 else "−") + text


def ci_text(change: Change, lang: Lang) -> str:
    """``+0,13 s.d. +0,36`` / ``+0.13 to +0.36``; ``–`` without an interval."""
    if change.ci is None:
        return "–"
    joint = " s.d. " if lang == "id" else " to "
    return fmt_signed(change.ci.low, lang) + joint + fmt_signed(change.ci.high, lang)


def change_sentence(subject: str, change: Change, lang: Lang, level: float) -> str:
    """One sentence: from what to what, the interval, and whether it is beyond chance."""
    text = _change_sentence(subject, change, lang, level)
    return text[:1].upper() + text[1:]


#: The change sentence's words by language: the detail, the verbs and the verdict.
_CHANGE: dict[str, dict[Lang, str]] = {
    "detail": {"id": "perubahan {d}", "en": "change {d}"},
    "interval": {"id": ", rentang {pct}% {ci}", "en": ", {pct}% interval {ci}"},
    "better": {
        "id": "{s} membaik dari {a} menjadi {b} ({detail}); perubahan ini di luar batas kebetulan.",
        "en": "{s} improved from {a} to {b} ({detail}); this change is beyond chance.",
    },
    "worse": {
        "id": "{s} memburuk dari {a} menjadi {b} ({detail}); perubahan ini di luar batas kebetulan.",
        "en": "{s} declined from {a} to {b} ({detail}); this change is beyond chance.",
    },
    "within-chance": {
        "id": "{s} {verb} dari {a} menjadi {b} ({detail}), tetapi perubahan ini masih dalam "
        "batas kebetulan.",
        "en": "{s} {verb} from {a} to {b} ({detail}), but the change is within chance.",
    },
    "untested": {
        "id": "{s} berubah dari {a} menjadi {b}; perubahan ini tidak dapat diuji (tanpa galat baku).",
        "en": "{s} changed from {a} to {b}; the change cannot be tested (no standard error).",
    },
    "up": {"id": "naik", "en": "rose"},
    "down": {"id": "turun", "en": "fell"},
    "same": {"id": "tetap", "en": "stayed"},
}


def _change_sentence(subject: str, change: Change, lang: Lang, level: float) -> str:
    diff = change.difference or 0
    detail = _CHANGE["detail"][lang].format(d=fmt_signed(change.difference, lang))
    if change.ci is not None:
        pct = format_number(level * 100, lang, 0)
        detail += _CHANGE["interval"][lang].format(pct=pct, ci=ci_text(change, lang))
    direction = change.direction
    key = direction if direction in ("better", "worse", "within-chance") else "untested"
    verb = _CHANGE["up" if diff > 0 else "down" if diff < 0 else "same"][lang]
    return _CHANGE[key][lang].format(
        s=subject,
        a=fmt(change.before, lang),
        b=fmt(change.after, lang),
        detail=detail,
        verb=verb,
    )


def opd_subject(opd: OPDChange, lang: Lang) -> str:
    """``pelayanan Dishub`` / ``Dishub's service``."""
    name = opd.short_name or opd.name
    return f"pelayanan {name}" if lang == "id" else f"{name}'s service"


def opd_sentence(opd: OPDChange, lang: Lang, level: float) -> str:
    """The OPD's score change, then its category and rank, with the rank intervals."""
    text = change_sentence(opd_subject(opd, lang), opd.score, lang, level)
    cat = opd.category
    if cat is not None and cat.changed and cat.before_label and cat.after_label:
        a, b = cat.before_label.get(lang), cat.after_label.get(lang)
        if lang == "id":
            text += f" Kategorinya berpindah dari {cat.before} ({a}) ke {cat.after} ({b})."
        else:
            text += f" Its category moved from {cat.before} ({a}) to {cat.after} ({b})."
    r = opd.rank
    if r.before is not None and r.after is not None and r.before != r.after:
        text += " " + rank_text(opd, lang)
    return text


def rank_text(opd: OPDChange, lang: Lang) -> str:
    """``Peringkat 6 (mungkin 4–7) → 4 (mungkin 2–6).`` with both periods' rank intervals."""
    r = opd.rank

    def one(rank: int | None, interval: object) -> str:
        low = getattr(interval, "low", None)
        high = getattr(interval, "high", None)
        if rank is None:
            return "–"
        if low is None or high is None:
            return str(rank)
        word = "mungkin" if lang == "id" else "plausibly"
        return f"{rank} ({word} {low}–{high})"

    head = "Peringkat" if lang == "id" else "Rank"
    return f"{head} {one(r.before, r.before_interval)} → {one(r.after, r.after_interval)}."


def item_subject(item: ItemChange, lang: Lang, opd: OPDChange | None = None) -> str:
    """``unsur Waktu Penyelesaian di Dishub`` / ``the element Waktu Penyelesaian at Dishub``."""
    label = element_name(item.element, lang) if item.element else item.text.get(lang)
    where = ""
    if opd is not None:
        where = (
            f" di {opd.short_name or opd.name}"
            if lang == "id"
            else f" at {opd.short_name or opd.name}"
        )
    return f"unsur {label}{where}" if lang == "id" else f"the element {label}{where}"


def element_name(element: str, lang: Lang) -> str:
    """An SKM element in ``lang`` by the regulation's names (``Persyaratan`` → ``Requirements``);
    any other element as the study wrote it."""
    from ..presets import SKM_ELEMENTS
    from ..profile import name_key

    key = name_key(element)
    for _, indonesian, english in SKM_ELEMENTS:
        if name_key(indonesian) == key:
            return english if lang == "en" else indonesian
    return element
