"""The sections of an SKM report (PermenPANRB 14/2017) as view data.

Respondent profile, NRR per element with the IKM and *mutu pelayanan* per unit, the weakest
elements, the follow-up plan (*rencana tindak lanjut*) and the citizens' suggestions. Each is
``None`` or empty when the evaluation has nothing for it, so a format leaves it out rather
than printing it empty: the element table, weakest elements and follow-up plan need an IKM
(a 25–100 score); the profile needs ``[[profile]]`` questions; suggestions need the column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..results import Evaluation
from ..text import Lang, Text, format_number
from .colors import band_color
from .keywords import elements_mentioned
from .messages import Messages
from .plain import element_name

__all__ = ["SKMView", "build_skm"]

#: The IKM quality bands of PermenPANRB 14/2017 (half-open, from the top).
_GRADES = (
    (88.31, "A", Text(id="Sangat Baik", en="Very good")),
    (76.61, "B", Text(id="Baik", en="Good")),
    (65.0, "C", Text(id="Kurang Baik", en="Fair")),
    (25.0, "D", Text(id="Tidak Baik", en="Poor")),
)
WEAKEST_SHOWN = 3


@dataclass(frozen=True)
class ProfileRow:
    label: str
    count: int
    share: float
    share_text: str
    bar: float
    """The bar's length: the share over the question's largest share (0..1)."""


@dataclass(frozen=True)
class ProfileView:
    id: str
    title: str
    respondents: int
    rows: tuple[ProfileRow, ...]


@dataclass(frozen=True)
class UnitRow:
    """One unit's NRR per element, IKM and quality grade."""

    opd: str
    name: str
    nrr: tuple[float | None, ...]
    nrr_text: tuple[str, ...]
    ikm: float | None
    ikm_text: str
    grade: str
    grade_label: str
    grade_color: str
    weakest: tuple[tuple[str, str], ...]
    """(element, NRR text) of the lowest elements, lowest first."""


@dataclass(frozen=True)
class FollowupRow:
    opd: str
    name: str
    priority: int
    elements: str
    action: str


@dataclass(frozen=True)
class SuggestionGroup:
    element: str
    count: int
    texts: tuple[tuple[str, int], ...]
    """(text, how many wrote exactly it), most often first."""


@dataclass(frozen=True)
class UnitSuggestions:
    opd: str
    name: str
    count: int
    count_text: str
    groups: tuple[SuggestionGroup, ...]


@dataclass(frozen=True)
class SKMView:
    """What an SKM report adds; empty parts are left out of every format."""

    profile: tuple[ProfileView, ...]
    elements: tuple[str, ...]
    """Element names in the report's language (columns of ``units``)."""
    units: tuple[UnitRow, ...]
    followup: tuple[FollowupRow, ...]
    suggestions: tuple[UnitSuggestions, ...]
    suggestions_truncated: bool

    @property
    def any(self) -> bool:
        return bool(self.profile or self.units or self.suggestions)


def _grade(ikm: float | None) -> tuple[str, Text | None, str]:
    if ikm is None:
        return "–", None, "#ffffff"
    for k, (low, code, label) in enumerate(_GRADES):
        if ikm >= low:
            return code, label, band_color(k, len(_GRADES))
    return "D", _GRADES[-1][2], band_color(len(_GRADES) - 1, len(_GRADES))


def _is_ikm(ev: Evaluation) -> bool:
    scales = {(r.score.scale.low, r.score.scale.high) for r in ev.opds if r.score.value is not None}
    return scales == {(25.0, 100.0)}


def _profile(ev: Evaluation, m: Messages) -> tuple[ProfileView, ...]:
    lang = m.lang
    out = []
    for q in ev.profile:
        rows = []
        top = max((c.share for c in q.counts), default=0.0) or 1.0
        for c in q.counts:
            label = c.label.get(lang)
            if c.kind == "other":
                label = m.format("profile_other", label=label)
            elif c.kind == "missing":
                label = m.profile_missing
            rows.append(
                ProfileRow(label, c.count, c.share, share_text(c.share, lang), c.share / top)
            )
        if rows:
            out.append(ProfileView(q.id, q.text.get(lang), q.respondents, tuple(rows)))
    return tuple(out)


def share_text(share: float, lang: Lang) -> str:
    """A share of respondents in whole percents (``0%`` only when none)."""
    return "0%" if share <= 0 else format_number(share * 100.0, lang, 0) + "%"


def _units(
    ev: Evaluation, m: Messages, names: Mapping[str, str]
) -> tuple[tuple[str, ...], tuple[UnitRow, ...]]:
    lang = m.lang
    element_items = [
        i for i in ev.items if i.element and i.scope == "opd" and i.role == "performance"
    ]
    elements = tuple(element_name(ev, i.element or i.id, lang) for i in element_items)
    rows = []
    for r in ev.opds:
        by_item = {s.item: s.score.value for s in r.items}
        nrr = tuple(by_item.get(i.id) for i in element_items)
        code, label, color = _grade(r.score.value)
        ranked = sorted(
            ((v, name) for v, name in zip(nrr, elements, strict=True) if v is not None),
            key=lambda x: x[0],
        )
        rows.append(
            UnitRow(
                opd=r.opd,
                name=names.get(r.opd, r.name),
                nrr=nrr,
                nrr_text=tuple(format_number(v, lang) for v in nrr),
                ikm=r.score.value,
                ikm_text=format_number(r.score.value, lang),
                grade=code,
                grade_label=label.get(lang) if label is not None else m.dash,
                grade_color=color,
                weakest=tuple((name, format_number(v, lang)) for v, name in ranked[:WEAKEST_SHOWN]),
            )
        )
    return elements, tuple(rows)


def _followup(
    ev: Evaluation, m: Messages, names: Mapping[str, str], units: Sequence[UnitRow]
) -> tuple[FollowupRow, ...]:
    lang = m.lang
    items = {
        i.id: element_name(ev, i.element, lang) if i.element else i.text.get(lang) for i in ev.items
    }
    out = []
    for rec in ev.recommendations:
        if rec.target_kind != "opd":
            continue
        named = []
        for e in rec.evidence:
            if e.metric.startswith("item score "):
                item = items.get(e.metric[len("item score ") :])
                if item and item not in named:
                    named.append(item)
        if not named:
            unit = next((u for u in units if u.opd == rec.target), None)
            named = [unit.weakest[0][0]] if unit and unit.weakest else []
        out.append(
            FollowupRow(
                opd=rec.target,
                name=names.get(rec.target, rec.target),
                priority=rec.priority,
                elements=", ".join(named) or m.dash,
                action=rec.title.get(lang),
            )
        )
    if not out:  # no rule named a unit: each unit's weakest element is its priority
        out = [FollowupRow(u.opd, u.name, 1, u.weakest[0][0], m.dash) for u in units if u.weakest]
    return tuple(out)


def _keywords(ev: Evaluation) -> dict[str, list[str]]:
    raw = ev.extras.get("suggestion_keywords")
    if not isinstance(raw, dict):
        return {}
    return {str(k): [str(w) for w in v] for k, v in raw.items() if isinstance(v, list)}


def _suggestions(
    ev: Evaluation, m: Messages, names: Mapping[str, str]
) -> tuple[UnitSuggestions, ...]:
    lang = m.lang
    study_elements = list(dict.fromkeys(i.element for i in ev.items if i.element))
    extra = _keywords(ev)
    out = []
    for r in ev.opds:
        texts = [s.text.strip() for s in ev.suggestions if s.opd == r.opd and s.text.strip()]
        if not texts:
            continue
        groups: dict[str, list[str]] = {}
        for text in texts:
            found = elements_mentioned(text, study_elements, extra)
            for element in found or [""]:
                label = element_name(ev, element, lang) if element else m.suggestions_other
                groups.setdefault(label, []).append(text)
        other = groups.pop(m.suggestions_other, None)
        ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))
        if other:
            ordered.append((m.suggestions_other, other))
        out.append(
            UnitSuggestions(
                opd=r.opd,
                name=names.get(r.opd, r.name),
                count=len(texts),
                count_text=m.format("suggestions_count", count=len(texts)),
                groups=tuple(
                    SuggestionGroup(k, len(v), tuple(Counter(v).most_common())) for k, v in ordered
                ),
            )
        )
    return tuple(out)


def build_skm(ev: Evaluation, m: Messages, names: Mapping[str, str]) -> SKMView:
    """The SKM sections of ``ev`` (``names``: OPD id → name in the report's language)."""
    elements: tuple[str, ...] = ()
    units: tuple[UnitRow, ...] = ()
    followup: tuple[FollowupRow, ...] = ()
    if _is_ikm(ev):
        elements, units = _units(ev, m, names)
        followup = _followup(ev, m, names, units)
    return SKMView(
        profile=_profile(ev, m),
        elements=elements,
        units=units,
        followup=followup,
        suggestions=_suggestions(ev, m, names),
        suggestions_truncated=ev.suggestions_truncated,
    )
