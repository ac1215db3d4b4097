"""Which SKM element a citizen's suggestion is about: a small bilingual keyword list.

A suggestion goes under every element one of whose keywords starts a word of it ("antri" finds
"antrian" and "antrinya"), else under "other". No language model: the list is short, readable
and extended by a study (``[report.keywords]``, element name = list of words), whose words are
added to the element's own. Keys are the nine elements of PermenPANRB 14/2017 by matching key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..profile import name_key

__all__ = ["KEYWORDS", "elements_mentioned"]

#: Element (Indonesian name) → words that start a word of a suggestion about it (id and en).
KEYWORDS: dict[str, tuple[str, ...]] = {
    "Persyaratan": (
        "syarat",
        "persyaratan",
        "berkas",
        "dokumen",
        "formulir",
        "fotokopi",
        "requirement",
        "document",
        "form",
    ),
    "Sistem, Mekanisme, dan Prosedur": (
        "prosedur",
        "alur",
        "mekanisme",
        "sistem",
        "online",
        "aplikasi",
        "ribet",
        "rumit",
        "berbelit",
        "procedure",
        "process",
        "complicated",
    ),
    "Waktu Penyelesaian": (
        "antri",
        "antre",
        "lama",
        "lambat",
        "cepat",
        "waktu",
        "menunggu",
        "ditunggu",
        "jam",
        "queue",
        "slow",
        "wait",
        "time",
        "delay",
    ),
    "Biaya/Tarif": (
        "biaya",
        "tarif",
        "bayar",
        "pungli",
        "pungutan",
        "gratis",
        "mahal",
        "uang",
        "fee",
        "cost",
        "pay",
        "price",
        "bribe",
    ),
    "Produk Spesifikasi Jenis Pelayanan": (
        "hasil",
        "produk",
        "salah cetak",
        "keliru",
        "sesuai standar",
        "result",
        "product",
        "error",
        "mistake",
    ),
    "Kompetensi Pelaksana": (
        "kompeten",
        "paham",
        "mengerti",
        "terampil",
        "profesional",
        "competent",
        "skilled",
        "knowledge",
        "training",
    ),
    "Perilaku Pelaksana": (
        "ramah",
        "sopan",
        "jutek",
        "judes",
        "kasar",
        "senyum",
        "sikap",
        "perilaku",
        "friendly",
        "polite",
        "rude",
        "attitude",
        "behaviour",
        "behavior",
    ),
    "Penanganan Pengaduan, Saran dan Masukan": (
        "pengaduan",
        "aduan",
        "keluhan",
        "komplain",
        "tanggap",
        "respon",
        "complaint",
        "feedback",
        "respond",
    ),
    "Sarana dan Prasarana": (
        "ruang",
        "ruangan",
        "kursi",
        "toilet",
        "wc",
        "parkir",
        "ac",
        "kipas",
        "panas",
        "gedung",
        "fasilitas",
        "sarana",
        "prasarana",
        "loket",
        "room",
        "seat",
        "parking",
        "facility",
        "facilities",
        "building",
        "hot",
    ),
}

_BY_KEY = {name_key(k): v for k, v in KEYWORDS.items()}


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """Words of four letters or more start a word; shorter ones (``ac``, ``wc``) are whole words."""
    alts = sorted({w.casefold().strip() for w in words if w.strip()}, key=len, reverse=True)
    if not alts:
        return None
    parts = [re.escape(w) + (r"(?!\w)" if len(w) < 4 else "") for w in alts]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


def elements_mentioned(
    text: str, elements: Iterable[str], extra: Mapping[str, Iterable[str]] | None = None
) -> list[str]:
    """The elements (of ``elements``, as the study names them) that ``text`` mentions."""
    extra_by_key = {name_key(k): list(v) for k, v in (extra or {}).items()}
    found = []
    for element in elements:
        key = name_key(element)
        words = [*_BY_KEY.get(key, ()), *extra_by_key.get(key, ())]
        pattern = _pattern(words)
        if pattern is not None and pattern.search(text):
            found.append(element)
    return found
