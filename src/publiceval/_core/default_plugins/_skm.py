"""The SKM elements (*unsur*) of PermenPANRB 14/2017 and how their names are matched."""

from __future__ import annotations

import re
from dataclasses import dataclass

from publiceval.plugin import Text, normalize_name

__all__ = ["SKM_2017_ELEMENTS", "Element", "element_key"]

_STOPWORDS = re.compile(r"\b(?:dan|and|atau|or|serta)\b")


def element_key(name: str) -> str:
    """Matching key of an element name: case, spaces, punctuation and *dan/and* ignored.

    "Sistem, Mekanisme, dan Prosedur" and "sistem mekanisme prosedur" share a key.
    """
    return " ".join(_STOPWORDS.sub(" ", normalize_name(name)).split())


@dataclass(frozen=True)
class Element:
    """An SKM element (*unsur*): its name in both languages and other names apps use for it."""

    name: Text
    aliases: tuple[str, ...] = ()

    def match_keys(self) -> set[str]:
        """Every matching key of the element."""
        return {element_key(n) for n in (self.name.id, self.name.en, *self.aliases)}


#: The nine elements of PermenPANRB 14/2017, in the regulation's order.
SKM_2017_ELEMENTS: tuple[Element, ...] = (
    Element(Text(id="Persyaratan", en="Requirements"), ("Persyaratan Pelayanan", "Requirement")),
    Element(
        Text(id="Sistem, Mekanisme, dan Prosedur", en="Systems, mechanisms and procedures"),
        ("Prosedur", "Prosedur Pelayanan", "Sistem Mekanisme Prosedur", "Procedures"),
    ),
    Element(
        Text(id="Waktu Penyelesaian", en="Completion time"),
        ("Waktu Pelayanan", "Waktu", "Waktu Penyelesaian Pelayanan", "Service time", "Time"),
    ),
    Element(
        Text(id="Biaya/Tarif", en="Cost/tariff"),
        ("Biaya", "Tarif", "Biaya Tarif", "Biaya Pelayanan", "Cost", "Tariff", "Fees"),
    ),
    Element(
        Text(id="Produk Spesifikasi Jenis Pelayanan", en="Product specification of the service"),
        (
            "Spesifikasi Produk Jenis Pelayanan",
            "Produk Spesifikasi",
            "Spesifikasi Produk",
            "Produk",
            "Produk Layanan",
            "Produk Pelayanan",
            "Product",
            "Service product",
        ),
    ),
    Element(
        Text(id="Kompetensi Pelaksana", en="Competence of staff"),
        ("Kompetensi", "Kompetensi Petugas", "Kompetensi Petugas Pelayanan", "Competence"),
    ),
    Element(
        Text(id="Perilaku Pelaksana", en="Behaviour of staff"),
        (
            "Perilaku",
            "Perilaku Petugas",
            "Perilaku Petugas Pelayanan",
            "Behavior of staff",
            "Behaviour",
            "Behavior",
        ),
    ),
    Element(
        Text(
            id="Penanganan Pengaduan, Saran dan Masukan",
            en="Handling of complaints, suggestions and feedback",
        ),
        (
            "Penanganan Pengaduan",
            "Pengaduan",
            "Penanganan Pengaduan Saran dan Masukan",
            "Complaint handling",
            "Complaints",
        ),
    ),
    Element(
        Text(id="Sarana dan Prasarana", en="Facilities and infrastructure"),
        ("Sarana", "Sarana Prasarana", "Prasarana", "Facilities", "Infrastructure"),
    ),
)
