"""Ready-made instruments for ``publiceval init``: the nine SKM *unsur* and common label sets.

The nine elements follow PermenPANRB No. 14 Tahun 2017 and are identified by name (``element``),
not position. Answers are on 1–4. The SKM questionnaire words each element's options
differently ("Sangat sesuai", "Sangat mudah", "Gratis" …); those wordings, and the common
satisfaction and agreement sets, are aliases of the scale so forms that use them read as they are.
"""

from __future__ import annotations

import difflib

from pydantic import BaseModel, ConfigDict

from .errors import StudyError
from .profile import STANDARD_QUESTIONS, ProfileQuestion
from .survey import Item, Scale, ScaleLabel
from .text import Text

__all__ = [
    "LABEL_SETS",
    "PRESETS",
    "SKM_ELEMENTS",
    "SKM_WORDINGS",
    "Preset",
    "get_preset",
    "label_scale",
]

#: Four-point label sets (worst to best) in Indonesian and English.
LABEL_SETS: dict[str, tuple[tuple[str, str], ...]] = {
    "quality": (
        ("Tidak Baik", "Poor"),
        ("Kurang Baik", "Fair"),
        ("Baik", "Good"),
        ("Sangat Baik", "Very good"),
    ),
    "satisfaction": (
        ("Tidak Puas", "Not satisfied"),
        ("Kurang Puas", "Rather unsatisfied"),
        ("Puas", "Satisfied"),
        ("Sangat Puas", "Very satisfied"),
    ),
    "agreement": (
        ("Tidak Setuju", "Disagree"),
        ("Kurang Setuju", "Rather disagree"),
        ("Setuju", "Agree"),
        ("Sangat Setuju", "Strongly agree"),
    ),
}

#: The nine SKM elements (id, Indonesian name, English name), PermenPANRB 14/2017.
SKM_ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("u1", "Persyaratan", "Requirements"),
    ("u2", "Sistem, Mekanisme, dan Prosedur", "Systems, mechanisms and procedures"),
    ("u3", "Waktu Penyelesaian", "Completion time"),
    ("u4", "Biaya/Tarif", "Cost/tariff"),
    ("u5", "Produk Spesifikasi Jenis Pelayanan", "Service product specification"),
    ("u6", "Kompetensi Pelaksana", "Staff competence"),
    ("u7", "Perilaku Pelaksana", "Staff behaviour"),
    ("u8", "Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints and suggestions"),
    ("u9", "Sarana dan Prasarana", "Facilities and infrastructure"),
)

#: Option wordings of the SKM questionnaire per element, worst to best (read as 1..4).
SKM_WORDINGS: tuple[tuple[str, str, str, str], ...] = (
    ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    (
        "Tidak sopan dan ramah",
        "Kurang sopan dan ramah",
        "Sopan dan ramah",
        "Sangat sopan dan ramah",
    ),
    (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    ),
    ("Buruk", "Cukup", "Baik", "Sangat baik"),
)


def label_scale(scale_id: str, labels: str, *, aliases: bool = True) -> Scale:
    """A 1–4 scale named by a label set; with ``aliases`` every other set and SKM wording reads too."""
    if labels not in LABEL_SETS:
        raise StudyError(f"unknown label set {labels!r}; expected one of {', '.join(LABEL_SETS)}")
    own = LABEL_SETS[labels]
    extra: dict[str, int] = {}
    if aliases:
        for name, pairs in LABEL_SETS.items():
            if name == labels:
                continue
            for k, (ind, eng) in enumerate(pairs):
                extra[ind] = k + 1
                extra[eng] = k + 1
        for wording in SKM_WORDINGS:
            for k, text in enumerate(wording):
                extra.setdefault(text, k + 1)
    own_texts = {t.casefold() for pair in own for t in pair}
    return Scale(
        id=scale_id,
        min=1,
        max=4,
        labels=tuple(
            ScaleLabel(value=k + 1, label=Text(id=ind, en=eng)) for k, (ind, eng) in enumerate(own)
        ),
        aliases={a: v for a, v in extra.items() if a.casefold() not in own_texts},
    )


class Preset(BaseModel):
    """An instrument to start from: scales and items."""

    model_config = ConfigDict(frozen=True)

    name: str
    title: Text
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    profile: tuple[ProfileQuestion, ...] = ()
    """Respondent-profile questions the instrument asks (the SKM's four)."""
    skm: bool = False
    """An SKM instrument: scored with ``ikm-2017`` and banded with ``permenpan-2017``."""


def _skm(name: str, labels: str) -> Preset:
    scale = label_scale("skm", labels)
    items = tuple(
        Item(id=i, text=Text(id=ind, en=eng), scale="skm", element=ind, dimension="SKM")
        for i, ind, eng in SKM_ELEMENTS
    )
    return Preset(
        name=name,
        title=Text(
            id=f"9 unsur SKM (PermenPANRB 14/2017), label {labels}",
            en=f"The 9 SKM elements (PermenPANRB 14/2017), {labels} labels",
        ),
        scales=(scale,),
        items=items,
        profile=STANDARD_QUESTIONS,
        skm=True,
    )


def _single(name: str, labels: str, text: Text) -> Preset:
    return Preset(
        name=name,
        title=Text(id=f"Satu pertanyaan ({labels})", en=f"One question ({labels})"),
        scales=(label_scale(labels, labels),),
        items=(Item(id=labels, text=text, scale=labels),),
    )


PRESETS: dict[str, Preset] = {
    "skm9": _skm("skm9", "quality"),
    "skm9-puas": _skm("skm9-puas", "satisfaction"),
    "skm9-setuju": _skm("skm9-setuju", "agreement"),
    "satisfaction": _single(
        "satisfaction",
        "satisfaction",
        Text(id="Kepuasan terhadap pelayanan", en="Satisfaction with the service"),
    ),
    "agreement": _single(
        "agreement",
        "agreement",
        Text(id="Pelayanan sudah baik", en="The service is good"),
    ),
}


def get_preset(name: str) -> Preset:
    """A preset by name, with a suggestion for a misspelt one."""
    if name in PRESETS:
        return PRESETS[name]
    hint = difflib.get_close_matches(name, list(PRESETS), n=1)
    tip = f"; did you mean {hint[0]!r}?" if hint else ""
    raise StudyError(f"unknown preset {name!r}; expected one of {', '.join(PRESETS)}{tip}")
