"""The OPD column and the OPDs in it: readable ids, the usual short names, the form's wording kept.

A form's dropdown words an OPD its own way ("Dinas Penanaman Modal ... (DPMPTSP) Kota X",
"DINAS KESEHATAN"); the study keeps a plain name ("Dinas Penanaman Modal dan Pelayanan Terpadu
Satu Pintu"), the short name Indonesian reports use ("DPMPTSP") and every other wording in the
data as an alias. Wordings equal but for case, spacing or punctuation are one OPD; wordings
that are merely alike are merged only when one is a rare slip of the other, and always listed.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field

from ..profile import name_key
from ..scaffold import slugify
from ..text import Text
from .export import ColumnValues
from .model import Check, OPDGuess

__all__ = ["OPDNames", "agency_share", "build_opds", "clean_name", "short_name_of"]

_AGENCY = re.compile(
    r"^(?:dinas|badan|kantor|satpol|satuan|rsud|rumah sakit|kecamatan|kec|kelurahan|kel|desa|"
    r"bagian|sekretariat|setda|setwan|inspektorat|puskesmas|upt|uptd|mal pelayanan|mpp|"
    r"dpmptsp|disdukcapil|dukcapil|bappeda|bapenda|bpkad|bkpsdm|bkd|bpbd|dinkes|disdik|"
    r"dishub|dinsos|disnaker|dlh|diskominfo|kesbangpol|samsat|polres|pengadilan|kejaksaan|"
    r"department|agency|office|ministry|hospital|district)\b"
)
_PAREN = re.compile(r"\s*\(([^()]{1,40})\)\s*")
_PREFIX = re.compile(r"^([A-Z][A-Za-z0-9]{1,14}(?:\s[A-Z]{1,4})?)\s*[-:–]\s+(.{6,})$")
_SUFFIX = re.compile(r"^(.{6,}?)\s+[-–]\s*([A-Z][A-Za-z0-9]{1,14}(?:\s[A-Z]{1,4})?)$")
_CITY = re.compile(r"\s+((?:kota|kabupaten|kab\.?|provinsi|prov\.?)\s+[a-z][a-z .'-]*)$", re.I)
_SMALL = {"dan", "di", "serta", "atau", "dari", "untuk", "yang", "and", "of", "the", "for"}
_UPPER = {
    "rsud",
    "upt",
    "uptd",
    "pp",
    "dprd",
    "kb",
    "umkm",
    "ukm",
    "ptsp",
    "mpp",
    "rs",
    "sd",
    "smp",
}
#: The short names Indonesian reports use, by the OPD's plain name (as ``name_key`` makes it).
KNOWN_SHORT: dict[str, str] = {
    "dinas kesehatan": "Dinkes",
    "dinas pendidikan": "Disdik",
    "dinas pendidikan dan kebudayaan": "Disdikbud",
    "dinas kependudukan dan pencatatan sipil": "Disdukcapil",
    "dinas penanaman modal dan pelayanan terpadu satu pintu": "DPMPTSP",
    "dinas perhubungan": "Dishub",
    "dinas sosial": "Dinsos",
    "dinas tenaga kerja": "Disnaker",
    "dinas lingkungan hidup": "DLH",
    "dinas pekerjaan umum dan penataan ruang": "DPUPR",
    "dinas pekerjaan umum": "DPU",
    "dinas perumahan dan kawasan permukiman": "Disperkim",
    "dinas komunikasi dan informatika": "Diskominfo",
    "dinas pariwisata": "Dispar",
    "dinas perindustrian dan perdagangan": "Disperindag",
    "dinas pemuda dan olahraga": "Dispora",
    "dinas perpustakaan dan kearsipan": "Dispusip",
    "dinas pertanian": "Distan",
    "dinas pemadam kebakaran": "Damkar",
    "dinas pemberdayaan perempuan dan perlindungan anak": "DP3A",
    "dinas pengendalian penduduk dan keluarga berencana": "DPPKB",
    "badan perencanaan pembangunan daerah": "Bappeda",
    "badan pendapatan daerah": "Bapenda",
    "badan pengelolaan keuangan dan aset daerah": "BPKAD",
    "badan kepegawaian dan pengembangan sumber daya manusia": "BKPSDM",
    "badan kepegawaian daerah": "BKD",
    "badan penanggulangan bencana daerah": "BPBD",
    "badan kesatuan bangsa dan politik": "Kesbangpol",
    "satuan polisi pamong praja": "Satpol PP",
    "rumah sakit umum daerah": "RSUD",
    "sekretariat daerah": "Setda",
    "sekretariat dewan perwakilan rakyat daerah": "Setwan",
    "mal pelayanan publik": "MPP",
}
#: Merge a rare wording into a frequent look-alike when it has at most this share of its rows.
MERGE_SHARE = 0.1
LOOK_ALIKE = 0.88


def agency_share(col: ColumnValues) -> float:
    """The share of filled cells that name an agency (Dinas ..., Badan ..., RSUD ...)."""
    total = col.filled
    if not total:
        return 0.0
    return sum(n for v, n in col.counts.items() if _AGENCY.match(name_key(v))) / total


def _case(text: str) -> str:
    """All-capitals or all-lower wording in the usual case: "DINAS KESEHATAN" → "Dinas Kesehatan"."""
    letters = [c for c in text if c.isalpha()]
    if not letters or not (text.isupper() or text.islower()) or len(text.split()) < 2:
        return text
    out = []
    for k, w in enumerate(text.split()):
        low = w.lower()
        if low in _UPPER:
            out.append(low.upper())
        elif low in _SMALL and k:
            out.append(low)
        else:
            out.append(low[:1].upper() + low[1:])
    return " ".join(out)


@dataclass
class OPDNames:
    """A wording split into a plain name, an abbreviation it carries and a city it names."""

    name: str
    short: str | None = None
    city: str | None = None


def clean_name(raw: str, keep_city: bool = False) -> OPDNames:
    """The plain name of a form's wording: no "(ABBR)", "ABBR - ", or trailing "Kota X"
    (kept with ``keep_city``: a survey across cities has one Dinas Kesehatan in each)."""
    text = " ".join(raw.split())
    short: str | None = None
    m = _PAREN.search(text)
    if m and len(m.group(1).split()) <= 2:
        short = m.group(1).strip()
        text = (text[: m.start()] + " " + text[m.end() :]).strip()
    for pattern, keep, abbr in ((_PREFIX, 2, 1), (_SUFFIX, 1, 2)):
        m = pattern.match(text)
        if m and short is None:
            short, text = m.group(abbr).strip(), m.group(keep).strip()
    city = None
    m = _CITY.search(text)
    if m:
        city = _case(m.group(1).strip())
        city = re.sub(r"^(?:kab\.?)\s", "Kabupaten ", city, flags=re.I)
        city = re.sub(r"^(?:prov\.?)\s", "Provinsi ", city, flags=re.I)
        if not keep_city and len(text[: m.start()].split()) >= 2:
            text = text[: m.start()].strip()
    return OPDNames(_case(text), short, city)


def short_name_of(name: str, given: str | None = None) -> str | None:
    """The usual abbreviation, the one the wording carried, "Kec. X", or initials of a long name."""
    key = name_key(name)
    if key in KNOWN_SHORT:
        return KNOWN_SHORT[key]
    if given:
        return given
    for word, short in (("kecamatan", "Kec."), ("kelurahan", "Kel.")):
        if key.startswith(word + " ") and len(name.split()) >= 2:
            return f"{short} {' '.join(name.split()[1:])}"
    significant = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in _SMALL]
    if len(significant) >= 3 and not any(len(w) > 1 and w.isupper() for w in significant):
        return "".join(w[0].upper() for w in significant)
    return None


@dataclass
class _Group:
    names: OPDNames
    wordings: Counter[str] = field(default_factory=Counter)

    @property
    def rows(self) -> int:
        return sum(self.wordings.values())


def _merge_look_alikes(groups: dict[str, _Group], checks: list[Check], column: str) -> None:
    keys = sorted(groups, key=lambda k: -groups[k].rows)
    for small in reversed(keys):
        if small not in groups:
            continue
        for big in keys:
            if big == small or big not in groups or groups[big].rows < groups[small].rows:
                continue
            ratio = difflib.SequenceMatcher(None, small, big).ratio()
            short = name_key(short_name_of(groups[big].names.name, groups[big].names.short) or "")
            if small == short and short:
                ratio = 1.0
            if ratio < LOOK_ALIKE:
                continue
            a, b = groups[small], groups[big]
            if a.rows <= max(2, MERGE_SHARE * b.rows) or ratio == 1.0:
                b.wordings.update(a.wordings)
                del groups[small]
                if ratio == 1.0:
                    break  # the OPD's own short name: the data names it exactly
                checks.append(
                    Check(
                        code="opd-merged",
                        column=column,
                        message=Text(
                            id=f"OPD {a.names.name!r} ({a.rows} baris) digabung ke {b.names.name!r}"
                            " karena namanya mirip; periksa, dan pisahkan bila keliru",
                            en=f"OPD {a.names.name!r} ({a.rows} row(s)) was merged into "
                            f"{b.names.name!r} as a near-duplicate; check it, and split it if wrong",
                        ),
                    )
                )
            else:
                checks.append(
                    Check(
                        code="opd-look-alike",
                        column=column,
                        message=Text(
                            id=f"OPD {a.names.name!r} dan {b.names.name!r} mirip tetapi dibiarkan "
                            "terpisah; bila sama, jadikan salah satunya alias yang lain",
                            en=f"OPDs {a.names.name!r} and {b.names.name!r} look alike but were "
                            "kept apart; if they are one, make one an alias of the other",
                        ),
                    )
                )
            break


def build_opds(
    col: ColumnValues, underscores: bool = False
) -> tuple[list[OPDGuess], str | None, list[Check]]:
    """The OPDs of the OPD column, the city their wordings name (if any), and what to check.

    ``underscores``: Kobo choice names (``dinas_kesehatan``) are names with ``_`` for spaces."""
    groups: dict[str, _Group] = {}
    cities: Counter[str] = Counter()
    texts = {raw: raw.replace("_", " ") if underscores else raw for raw in col.counts}
    named = {name_key(c) for c in (clean_name(t).city for t in texts.values()) if c}
    for raw, n in col.counts.items():
        names = clean_name(texts[raw], keep_city=len(named) > 1)
        if names.city:
            cities[names.city] += n
        group = groups.setdefault(name_key(names.name), _Group(names))
        group.wordings[raw] += n
        if names.short and not group.names.short:
            group.names.short = names.short
    checks: list[Check] = []
    _merge_look_alikes(groups, checks, col.name)
    out: list[OPDGuess] = []
    used: set[str] = set()
    claimed: dict[str, str] = {}
    for group in sorted(groups.values(), key=lambda g: (-g.rows, g.names.name)):
        name = group.names.name
        short = short_name_of(name, group.names.short)
        base = slugify(short or name)
        oid, k = base, 2
        while oid in used:
            oid, k = f"{base}-{k}", k + 1
        used.add(oid)
        if short and claimed.setdefault(name_key(short), oid) != oid:
            short = None  # two OPDs would share it: the data could not tell them apart
        own = {name_key(t) for t in (oid, name, short) if t}
        aliases: list[str] = []
        for raw in sorted(group.wordings, key=lambda w: -group.wordings[w]):
            key = name_key(raw)
            if key not in own and claimed.setdefault(key, oid) == oid:
                own.add(key)
                aliases.append(" ".join(raw.split()))
        forms = len(group.wordings)
        out.append(
            OPDGuess(
                id=oid,
                name=name,
                short_name=short,
                aliases=tuple(aliases),
                rows=group.rows,
                why=Text(
                    id=f"{group.rows} baris, {forms} cara penulisan di data",
                    en=f"{group.rows} row(s), {forms} wording(s) in the data",
                ),
            )
        )
    for o in out:
        if not _AGENCY.match(name_key(o.name)) and len(out) > 1 and o.rows <= 2:
            checks.append(
                Check(
                    code="opd-odd",
                    column=col.name,
                    message=Text(
                        id=f"nilai {o.name!r} ({o.rows} baris) di kolom OPD tidak tampak seperti nama "
                        "instansi; hapus OPD itu bila bukan unit layanan",
                        en=f"the OPD column's value {o.name!r} ({o.rows} row(s)) does not look like an "
                        "agency; remove that OPD if it is not a service unit",
                    ),
                )
            )
    if len(named) > 1:
        listed = ", ".join(c for c, _ in cities.most_common(5))
        checks.append(
            Check(
                code="opd-cities",
                column=col.name,
                message=Text(
                    id=f"nama OPD menyebut beberapa kota/kabupaten ({listed}): setiap OPD "
                    "tetap dengan kotanya; isi 'city' di [survey] bila perlu",
                    en=f"the OPD names name several cities or regencies ({listed}): each OPD "
                    "keeps its city; fill in 'city' under [survey] if wanted",
                ),
            )
        )
        return out, None, checks
    city = cities.most_common(1)[0][0] if cities else None
    return out, city, checks
