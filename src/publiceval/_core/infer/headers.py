"""What a column holds, from its header's words and the shape of its values.

Headers are compared as :func:`~publiceval._core.profile.name_key` makes them (case, spacing and
punctuation ignored), in Indonesian and English. The shape of the values (dates, e-mail
addresses, free text) confirms or overrules a header, because forms name columns freely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..profile import name_key
from ..text import Text
from .export import ColumnValues

__all__ = [
    "HeaderHint",
    "free_text",
    "header_hint",
    "leading_number",
    "share",
    "system_column",
    "words",
]

_TIMESTAMP = re.compile(
    r"^(?:timestamp|stempel waktu|cap waktu|submission time|waktu pengisian|tanggal pengisian|"
    r"waktu|tanggal|date|time|submissiontime)$"
)
_RESPONDENT = re.compile(
    r"^(?:email|e mail|email address|alamat email|alamat e mail|surel|alamat surel|"
    r"respondent|respondent id|responden|id responden|responden id|no responden|"
    r"nomor responden|kode responden|nik)$"
)
_OPD = re.compile(
    r"\b(?:opd|skpd|unit layanan|unit pelayanan|unit kerja|instansi|perangkat daerah|"
    r"dinas yang|layanan yang (?:anda )?nilai|tempat layanan|tempat pelayanan|satuan kerja|"
    r"service unit|agency|office|department|organi[sz]ation)\b"
)
_SUGGESTIONS = re.compile(
    r"\b(?:kritik|saran|masukan|usulan|komentar|harapan|pesan|suggestions?|comments?|"
    r"feedback|remarks?|criticism)\b"
)
#: Personal data a published export must not carry (the study does not use it).
_PERSONAL = re.compile(
    r"\b(?:nama|name|nama lengkap|full name|alamat|address|telepon|telp|no hp|nomor hp|hp|"
    r"handphone|whatsapp|wa|phone|nik|ktp|tanda tangan|signature)\b"
)
_PROFILE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("gender", re.compile(r"\b(?:jenis kelamin|kelamin|gender|sex)\b")),
    ("age", re.compile(r"\b(?:usia|umur|age|kelompok umur|kelompok usia)\b")),
    ("education", re.compile(r"\b(?:pendidikan|education|schooling)\b")),
    ("occupation", re.compile(r"\b(?:pekerjaan|profesi|occupation|job|profession|work)\b")),
)
#: Columns KoboToolbox and Google Forms add on their own (not questions).
_SYSTEM = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
    "instanceid",
    "version",
    "uuid",
    "id",
    "index",
    "status",
    "submitted by",
    "tags",
    "notes",
    "validation status",
    "parent index",
    "parent table name",
    "score",
    "skor",
}
_NUMBER = re.compile(
    r"^\s*(?:(?:no|nomor|q|p|u|unsur|pertanyaan|question)\s*\.?\s*)?(\d{1,2})(?:\s*[.):\-]|\s+\D|\s*$)",
    re.I,
)
_DATE = re.compile(r"(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})(?!\d)")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class HeaderHint:
    """A role the header's words suggest, with the words that suggested it."""

    role: str
    """``timestamp``, ``respondent``, ``opd``, ``suggestions``, ``system``, ``personal`` or
    ``profile:<id>``."""
    why: Text


def words(header: str) -> str:
    """The header as matched: lower case, punctuation as spaces, numbering kept."""
    return name_key(header)


def leading_number(header: str) -> int | None:
    """The number a header starts with ("8. Bagaimana ...", "U8 ...", "Q8)"), if any."""
    m = _NUMBER.match(header)
    return int(m.group(1)) if m else None


def system_column(header: str) -> bool:
    """A column the form tool adds itself (Kobo's ``_uuid``, ``start``, ``deviceid`` ...)."""
    raw = header.strip()
    return raw.startswith("_") or words(raw) in _SYSTEM


def share(col: ColumnValues, pattern: re.Pattern[str]) -> float:
    """The share of non-empty cells that ``pattern`` finds something in."""
    total = col.filled
    if not total:
        return 0.0
    hits = sum(n for v, n in col.counts.items() if pattern.search(v))
    return hits / total


def free_text(col: ColumnValues) -> bool:
    """Typed sentences: many distinct values, most of several words."""
    distinct = len(col.counts)
    if col.overflow:
        return True
    if distinct < 3:
        return False
    long = sum(1 for v in col.counts if len(v.split()) >= 3)
    return distinct >= 0.3 * col.filled or long >= 0.5 * distinct


def header_hint(header: str, col: ColumnValues) -> HeaderHint | None:
    """The role the header's words (and the values' shape) suggest; ``None`` when they say none."""
    key = words(header)
    q = f"{header!r}"
    timely = share(col, _DATE) >= 0.8 or header.strip().lower() == "_submission_time"
    if (_TIMESTAMP.match(key) or key.endswith("submission time")) and timely:
        return HeaderHint(
            "timestamp",
            Text(id=f"kolom {q}: tanggal dan jam pengisian", en=f"column {q}: submission times"),
        )
    if _RESPONDENT.match(key) or share(col, _EMAIL) >= 0.8:
        return HeaderHint(
            "respondent",
            Text(
                id=f"kolom {q}: e-mail atau nomor responden, satu orang bisa menilai beberapa OPD",
                en=f"column {q}: an e-mail address or respondent id (one person may rate several OPDs)",
            ),
        )
    if system_column(header):
        return HeaderHint(
            "system",
            Text(
                id=f"kolom {q} dibuat aplikasi formulir", en=f"column {q} is added by the form tool"
            ),
        )
    for pid, pattern in _PROFILE:
        m = pattern.search(key)
        if m:
            return HeaderHint(
                f"profile:{pid}",
                Text(id=f"judul kolom memuat {m.group(0)!r}", en=f"the header says {m.group(0)!r}"),
            )
    m = _OPD.search(key)
    if m:
        return HeaderHint(
            "opd",
            Text(id=f"judul kolom memuat {m.group(0)!r}", en=f"the header says {m.group(0)!r}"),
        )
    m = _SUGGESTIONS.search(key)
    if m:  # a column answered on a scale is a question first (see classify)
        free = free_text(col)
        return HeaderHint(
            "suggestions",
            Text(
                id=f"judul kolom memuat {m.group(0)!r}"
                + (" dan isinya teks bebas" if free else ""),
                en=f"the header says {m.group(0)!r}"
                + (" and the cells are free text" if free else ""),
            ),
        )
    m = _PERSONAL.search(key)
    if m:
        return HeaderHint(
            "personal",
            Text(
                id=f"judul kolom memuat {m.group(0)!r}: data pribadi",
                en=f"the header says {m.group(0)!r}: personal data",
            ),
        )
    return None
