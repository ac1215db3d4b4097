"""Question columns mapped to the nine SKM elements by what they ask, not by their position.

PermenPANRB 14/2017 lists *penanganan pengaduan* as U8 and *sarana dan prasarana* as U9, while
the widely copied sample questionnaire asks about *sarana* as question 8 and *pengaduan* as 9.
So a header's key words (Indonesian and English) decide; the answers' own wording ("Gratis",
"Dikelola dengan baik") adds evidence; a number ("8.", "U8") only breaks a tie.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..presets import SKM_ELEMENTS
from ..text import Text
from .headers import leading_number, words
from .model import Confidence

__all__ = ["WORDING_ELEMENTS", "ElementMatch", "map_elements", "score_header"]

_STRONG, _WEAK, _WORDING, _NUMBER = 2.0, 1.0, 1.5, 0.5
#: Key words per element (regulation order U1..U9): (pattern, weight). Patterns match at the
#: start of a word, so "persyaratannya" finds "persyaratan" and "prasarana" is not "sarana".
_KEYWORDS: tuple[tuple[tuple[str, float], ...], ...] = (
    ((r"persyaratan|syarat|requirement|prerequisite", _STRONG),),
    (
        (r"prosedur|procedur|mekanisme|mechanism|alur", _STRONG),
        (r"sistem|system|tata cara|kemudahan|ease|easy", _WEAK),
    ),
    (
        (r"waktu|kecepatan|jangka waktu|time|timeliness|speed|duration", _STRONG),
        (r"cepat|lama|fast|quick|prompt", _WEAK),
    ),
    (
        (r"biaya|tarif|cost|fee|tariff|price|pungutan|retribusi|charge", _STRONG),
        (r"kewajaran|gratis|free|murah|afford", _WEAK),
    ),
    (
        (r"produk|spesifikasi|product|specification", _STRONG),
        (r"hasil pelayanan|hasil yang diberikan|standar pelayanan|output|service standard", _WEAK),
    ),
    (
        (
            r"kompetensi|kemampuan|competen|skill|capabilit|keahlian|profesional|professional",
            _STRONG,
        ),
    ),
    (
        (
            r"perilaku|kesopanan|keramahan|sopan|ramah|behavio|courte|polite|friendl|attitude|sikap",
            _STRONG,
        ),
    ),
    (
        (r"pengaduan|keluhan|complaint|grievance|pengelolaan pengaduan", _STRONG),
        (r"saran\b|masukan|suggestion|feedback", _WEAK),
    ),
    (
        (r"sarana|prasarana|fasilitas|facilit|infrastruktur|infrastructure|ruang tunggu", _STRONG),
        (r"kenyamanan|comfort|waiting room|gedung|building", _WEAK),
    ),
)
_PATTERNS = tuple(
    tuple((re.compile(rf"\b(?:{p})\w*"), w) for p, w in element) for element in _KEYWORDS
)
#: Elements (0-based, regulation order) whose answer wording is ``SKM_WORDINGS[k]``.
WORDING_ELEMENTS: tuple[tuple[int, ...], ...] = ((0, 4), (1,), (2,), (3,), (5,), (6,), (7,), (8,))


@dataclass
class ElementMatch:
    """The evidence for one column: a score per element and the words behind it."""

    column: str
    scores: list[float] = field(default_factory=lambda: [0.0] * len(SKM_ELEMENTS))
    found: list[list[str]] = field(default_factory=lambda: [[] for _ in SKM_ELEMENTS])
    number: int | None = None
    wording: int | None = None

    def ranked(self) -> list[int]:
        """Elements from the best supported down."""
        return sorted(range(len(self.scores)), key=lambda e: -self.scores[e])


def score_header(column: str, wording: int | None = None) -> ElementMatch:
    """Each element's score for a header: key words, the answers' wording, and its number."""
    match = ElementMatch(column, number=leading_number(column), wording=wording)
    text = words(column)
    for e, patterns in enumerate(_PATTERNS):
        for pattern, weight in patterns:
            m = pattern.search(text)
            if m:
                match.scores[e] += weight
                match.found[e].append(m.group(0))
    if wording is not None:
        for e in WORDING_ELEMENTS[wording]:
            match.scores[e] += _WORDING
    if match.number is not None and 1 <= match.number <= len(SKM_ELEMENTS):
        match.scores[match.number - 1] += _NUMBER
    return match


@dataclass(frozen=True)
class Placement:
    """A column placed on an element (0-based, regulation order), with confidence and why."""

    column: str
    element: int | None
    confidence: Confidence
    why: Text
    extra: bool = False
    """A second column for an element that already has one (both count toward it)."""


def _why(m: ElementMatch, e: int, runner_up: float) -> tuple[Confidence, Text]:
    name_id, name_en = SKM_ELEMENTS[e][1], SKM_ELEMENTS[e][2]
    parts_id: list[str] = []
    parts_en: list[str] = []
    if m.found[e]:
        said = ", ".join(repr(w) for w in m.found[e])
        parts_id.append(f"kata {said} di judul kolom")
        parts_en.append(f"the header says {said}")
    if m.wording is not None and e in WORDING_ELEMENTS[m.wording]:
        parts_id.append("pilihan jawabannya khas unsur ini")
        parts_en.append("its answer options are this element's")
    keyword = m.scores[e] - (_NUMBER if m.number == e + 1 else 0.0)
    if m.number is not None:
        if m.number != e + 1:
            parts_id.append(
                f"nomor {m.number} di judul diabaikan: makna yang menentukan (peraturan: U{e + 1})"
            )
            parts_en.append(
                f"the header's number {m.number} is overruled by its meaning "
                f"(the regulation's U{e + 1})"
            )
        elif keyword <= 0:
            parts_id.append(f"hanya nomor {m.number} di judul")
            parts_en.append(f"only the header's number {m.number}")
    confidence: Confidence
    if keyword >= _STRONG and m.scores[e] >= 2 * runner_up:
        confidence = "high"
    elif keyword > 0 and m.scores[e] > runner_up:
        confidence = "medium"
    else:
        confidence = "low"
    return confidence, Text(
        id=f"{name_id}: " + "; ".join(parts_id), en=f"{name_en}: " + "; ".join(parts_en)
    )


def map_elements(
    columns: Sequence[str], wordings: Mapping[str, int | None] | None = None
) -> list[Placement]:
    """Each question column's element, one column per element first (the best supported pairs
    win), then a further column joins an element only on a key word of its own."""
    wordings = wordings or {}
    matches = [score_header(c, wordings.get(c)) for c in columns]
    pairs = sorted(
        ((m.scores[e], k, e) for k, m in enumerate(matches) for e in range(len(SKM_ELEMENTS))),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    placed: dict[int, int] = {}
    taken: set[int] = set()
    for score, k, e in pairs:
        if score < _NUMBER or k in placed or e in taken:
            continue
        placed[k] = e
        taken.add(e)
    out: list[Placement] = []
    for k, m in enumerate(matches):
        if k in placed:
            e = placed[k]
            runner_up = max((s for j, s in enumerate(m.scores) if j != e), default=0.0)
            confidence, why = _why(m, e, runner_up)
            out.append(Placement(m.column, e, confidence, why))
            continue
        best = m.ranked()[0]
        if m.scores[best] >= _STRONG:
            confidence, why = _why(m, best, 0.0)
            out.append(Placement(m.column, best, "medium", why, extra=True))
            continue
        out.append(
            Placement(
                m.column,
                None,
                "low",
                Text(
                    id="tidak ada kata kunci unsur SKM di judul kolom",
                    en="the header names no SKM element",
                ),
            )
        )
    return out
