"""Respondent-profile questions (gender, age, education, occupation) with their answers as choices.

PermenPANRB 14/2017 asks every SKM respondent these four; SKM reports show their distribution.
The choices are the answers found in the data (variants in case and spacing as one), in both
languages where the usual Indonesian answer has a usual English one.
"""

from __future__ import annotations

import re
from collections import Counter

from ..profile import STANDARD_PROFILE, ProfileQuestion, name_key
from ..text import Text
from .export import ColumnValues
from .model import ProfileGuess

__all__ = ["MAX_CHOICES", "profile_question"]

#: More distinct answers than this: the question is kept as free text, not as choices.
MAX_CHOICES = 30
_INT = re.compile(r"^\d{1,3}$")
_LEADING = re.compile(r"^\D{0,3}(\d{1,3})")
_ENGLISH: dict[str, str] = {
    "laki laki": "Male",
    "pria": "Male",
    "l": "Male",
    "perempuan": "Female",
    "wanita": "Female",
    "p": "Female",
    "sd": "Primary school",
    "sd ke bawah": "Primary school or less",
    "tidak sekolah": "No schooling",
    "smp": "Junior high school",
    "sltp": "Junior high school",
    "sma": "Senior high school",
    "slta": "Senior high school",
    "smk": "Vocational high school",
    "sma smk": "Senior high school",
    "diploma": "Diploma",
    "d1 d3 d4": "Diploma",
    "d3": "Diploma",
    "s1": "Bachelor's degree",
    "s2": "Master's degree",
    "s2 ke atas": "Master's degree or higher",
    "s3": "Doctorate",
    "pns": "Civil servant",
    "asn": "Civil servant",
    "tni": "Armed forces",
    "polri": "Police",
    "swasta": "Private sector",
    "pegawai swasta": "Private sector",
    "wirausaha": "Self-employed",
    "wiraswasta": "Self-employed",
    "pelajar": "Student",
    "mahasiswa": "Student",
    "pelajar mahasiswa": "Student",
    "ibu rumah tangga": "Homemaker",
    "petani": "Farmer",
    "nelayan": "Fisher",
    "buruh": "Labourer",
    "tidak bekerja": "Not working",
    "pensiunan": "Retired",
    "lainnya": "Other",
    "lain lain": "Other",
}
_EDUCATION_ORDER = (
    "tidak sekolah", "sd", "sd ke bawah", "smp", "sltp", "sma", "slta", "smk", "sma smk",
    "diploma", "d1", "d2", "d3", "d4", "d1 d3 d4", "s1", "s2", "s2 ke atas", "s3",
)  # fmt: skip


def _first_number(key: str) -> int | None:
    m = _LEADING.match(key)
    return int(m.group(1)) if m else None


def _choices(col: ColumnValues, pid: str) -> list[Text]:
    """The distinct answers (case and spacing variants as one), most frequent first, except
    where an order is natural (schooling, age bands)."""
    groups: dict[str, Counter[str]] = {}
    for raw, n in col.counts.items():
        groups.setdefault(name_key(raw), Counter())[" ".join(raw.split())] += n
    keys = sorted(groups, key=lambda k: -sum(groups[k].values()))
    if pid == "education" and all(k in _EDUCATION_ORDER for k in keys):
        keys.sort(key=_EDUCATION_ORDER.index)
    shown = {key: groups[key].most_common(1)[0][0] for key in keys}
    if pid != "education" and all(_first_number(shown[k]) is not None for k in keys):
        # age bands "17-25 tahun", youngest first ("< 17 tahun" before "17-25 tahun")
        keys.sort(key=lambda k: (_first_number(shown[k]) or 0, shown[k][:1].isdigit()))
    return [Text(id=shown[k], en=_ENGLISH.get(k, shown[k])) for k in keys]


def profile_question(pid: str, col: ColumnValues, why: Text) -> ProfileGuess:
    """The profile question ``pid`` asked in ``col``: a number (age in years), choices, or text."""
    text = STANDARD_PROFILE.get(pid, Text(id=col.name, en=col.name))
    filled = col.filled or 1
    numeric = sum(n for v, n in col.counts.items() if _INT.match(v.strip())) / filled
    if pid == "age" and numeric >= 0.8:
        question = ProfileQuestion(id=pid, text=text, column=col.name, kind="number")
        note = Text(id="jawaban berupa angka (tahun)", en="answers are numbers (years)")
    else:
        choices = _choices(col, pid)
        if col.overflow or len(choices) > MAX_CHOICES:
            question = ProfileQuestion(id=pid, text=text, column=col.name, kind="text")
            note = Text(
                id=f"lebih dari {MAX_CHOICES} jawaban berbeda: disimpan sebagai teks",
                en=f"more than {MAX_CHOICES} different answers: kept as text",
            )
        else:
            question = ProfileQuestion(
                id=pid, text=text, column=col.name, kind="choice", choices=tuple(choices)
            )
            note = Text(
                id=f"{len(choices)} pilihan jawaban dari data",
                en=f"{len(choices)} choices from the data",
            )
    return ProfileGuess(
        question=question,
        confidence="high",
        why=Text(id=f"{why.id}; {note.id}", en=f"{why.en}; {note.en}"),
    )
