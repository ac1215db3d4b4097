"""Plain words from structured results: evidence as sentences, probabilities at their ends,
OPD names instead of ids in messages, sample adequacy, and element names in either language.

Every word comes from the message catalogue; what a study or a rule wrote (names, labels) is
looked up in the report's language where the evaluation carries both.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..presets import SKM_ELEMENTS
from ..profile import name_key
from ..results import AdequacyResult, Evaluation, Evidence
from ..text import Lang, Text, format_number
from .messages import Messages

__all__ = [
    "Names",
    "adequacy_sentence",
    "element_name",
    "evidence_sentence",
    "probability_text",
    "with_names",
]

#: SKM element names in both languages (PermenPANRB 14/2017), by matching key.
_STANDARD = {name_key(ind): Text(id=ind, en=eng) for _, ind, eng in SKM_ELEMENTS}
_QUOTED_ID = re.compile(r"'([A-Za-z0-9][A-Za-z0-9_.\-]*)'")
#: A sample-size criterion's code in parentheses (``(min-n 30 (population unknown))``): the
#: sentence around it already says how many respondents were needed.
_CRITERION = re.compile(
    r"\s*\((?:min-n|max-cv|krejcie-morgan|slovin)\b[^()]*(?:\([^()]*\)[^()]*)*\)"
)
_AMONG = re.compile(r"among the (\d+) (lowest|best) of (\d+)( items)?")
_PREFIXED = ("item score", "survey-wide item", "importance", "performance", "IPA quadrant")


def probability_text(p: float, lang: Lang) -> str:
    """A probability as a reader takes it: ``> 99%`` and ``< 1%`` at the ends (a simulation
    never makes a category certain), whole percents between."""
    if p >= 0.995:
        return "> 99%"
    if p < 0.005:
        return "< 1%"
    return format_number(p * 100.0, lang, 0) + "%"


def element_name(ev: Evaluation, name: str, lang: Lang) -> str:
    """An element's name in ``lang``: the study's translation, else the regulation's, else as
    the study wrote it."""
    text = ev.texts.get(f"element:{name}") or _STANDARD.get(name_key(name))
    return text.get(lang) if text is not None else name


@dataclass(frozen=True)
class Names:
    """What ids and stored labels read as in one language."""

    opds: Mapping[str, str]
    items: Mapping[str, str]
    labels: Mapping[str, str]
    """A label as the evaluation stores it (its Indonesian) → the label in the report's language."""
    short: Mapping[str, str] = field(default_factory=dict)
    """OPD id → short name, for lists of many OPDs."""

    @classmethod
    def of(
        cls,
        ev: Evaluation,
        opd_names: Mapping[str, str],
        lang: Lang,
        short: Mapping[str, str] | None = None,
    ) -> Names:
        items: dict[str, str] = {}
        labels: dict[str, str] = {}
        for info in ev.items:
            items[info.id] = (
                element_name(ev, info.element, lang) if info.element else info.text.get(lang)
            )
            for label in info.labels.values():
                labels[label.id] = label.get(lang)
        for scheme in ev.schemes:
            for band in scheme.bands:
                labels[band.label.id] = band.label.get(lang)
        for r in ev.opds:
            for c in (r.category, *r.categories.values()):
                if c is not None:
                    labels[c.label.id] = c.label.get(lang)
        return cls(opds=opd_names, items=items, labels=labels, short=short or {})

    def text(self, value: str) -> str:
        """A stored value (a label, an OPD id, a comma-separated list of them) as read; in a
        list, OPDs by their short names."""
        parts = [p.strip() for p in value.split(",")]
        opds = self.short if len(parts) > 1 and self.short else self.opds
        return ", ".join(self.labels.get(p) or opds.get(p) or self.opds.get(p) or p for p in parts)


def with_names(message: str, opd_names: Mapping[str, str]) -> str:
    """A message with each quoted OPD id (``'bpbd'``) written as the OPD's name, and without
    the code of a sample-size criterion."""
    return _QUOTED_ID.sub(
        lambda mt: opd_names.get(mt.group(1), mt.group(0)),
        _CRITERION.sub("", message),
    )


def ci_method_text(method: str, m: Messages) -> str:
    """A confidence-range method in the report's language (``t (linearised)`` → ``distribusi t
    (linearisasi)``); a method the catalogue does not know is shown as named."""
    suffix = " (design-adjusted)"
    if method.endswith(suffix):
        return m.format("ci_method.design", method=ci_method_text(method[: -len(suffix)], m))
    return m.get(f"ci_method.{method}", method)


def _number(value: float | int, lang: Lang) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format_number(float(value), lang, 2)


def _value(value: float | int | str | None, names: Names, lang: Lang, prob: bool) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return names.text(value)
    if prob:
        return probability_text(float(value), lang)
    return _number(value, lang)


def _metric(raw: str, m: Messages, names: Names) -> str:
    for prefix in _PREFIXED:
        if raw.startswith(prefix + " "):
            item = raw[len(prefix) + 1 :]
            return m.format(f"metric.{prefix}", item=names.items.get(item, item))
    if raw.startswith("category") and raw != "category probability":
        return m["metric.category"]
    if raw == "OPDs meeting the conditions":
        return m.ev_opds_meeting
    return m.get(f"metric.{raw}", raw)


def evidence_sentence(e: Evidence, m: Messages, names: Names) -> str:
    """One fact behind a recommendation as a sentence in the report's language."""
    lang = m.lang
    metric = _metric(e.metric, m, names)
    if e.target and e.target != "city" and e.metric not in ("opd",):
        # "Rank of Dinas X", but "Score of Waiting time at Dinas X"
        key = "ev_at" if e.metric.startswith(_PREFIXED) else "ev_of"
        subject = m.format(key, metric=metric, target=names.opds.get(e.target, e.target))
    else:
        subject = metric
    prob = e.metric == "category probability"
    value = _value(e.value, names, lang, prob)
    threshold = _value(e.threshold, names, lang, prob) if e.threshold is not None else ""
    among = _AMONG.search(e.note)
    if among is not None:
        k, which, total, items = among.groups()
        key = "ev_lowest_items" if items else f"ev_{which}_opds"
        verb = m.format("ev_is", value=value) + " (" + m.format(key, k=k, total=total) + ")"
    elif value == threshold or not e.comparator:  # "is Poor, at or below Poor" says it twice
        verb = m.format("ev_is", value=value)
    elif f"ev.{e.comparator}" in _keys():
        verb = m.format(f"ev.{e.comparator}", value=value, threshold=threshold)
    else:
        verb = m.format("ev_is", value=value)
    if e.metric == "OPDs meeting the conditions" and e.note:
        verb += " (" + m.format("ev_these_opds", names=names.text(e.note)) + ")"
    sentence = m.format("ev_sentence", subject=subject, verb=verb)
    return sentence[:1].upper() + sentence[1:]


def evidence_sentences(evidence: Sequence[Evidence], m: Messages, names: Names) -> tuple[str, ...]:
    """Each fact as a sentence; the same fact about several OPDs (every OPD rated *Tidak
    Baik* …) as one sentence naming them all, where the OPD first comes up."""
    groups: dict[tuple[object, ...], list[Evidence]] = {}
    for e in evidence:
        among = _AMONG.search(e.note)  # the only part of a note a sentence says
        key = (e.metric, e.value, e.comparator, e.threshold, among.group(0) if among else "")
        groups.setdefault(key, []).append(e)
    out = []
    for facts in groups.values():
        first = facts[0]
        targets = [e.target for e in facts if e.target and e.target != "city"]
        if len(facts) > 1 and len(targets) == len(facts):
            joined = ", ".join(names.short.get(t) or names.opds.get(t, t) for t in targets)
            merged = Names({**names.opds, "\0": joined}, names.items, names.labels, names.short)
            out.append(evidence_sentence(first.model_copy(update={"target": "\0"}), m, merged))
        else:
            out.extend(evidence_sentence(e, m, names) for e in facts)
    return tuple(out)


def _keys() -> frozenset[str]:
    from .messages import MESSAGES

    return frozenset(MESSAGES)


def adequacy_sentence(a: AdequacyResult | None, m: Messages) -> str:
    """Whether an OPD has enough respondents, as a sentence (empty when not assessed)."""
    if a is None:
        return ""
    required = _number(a.required, m.lang) if a.required is not None else None
    if a.adequate is None or required is None:
        return m.format("adequate_plain", n=a.n)
    return m.format("adequate_yes" if a.adequate else "adequate_no", n=a.n, required=required)
