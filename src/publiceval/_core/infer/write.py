"""The study file ``init --from`` writes: every inference as a comment in the user's language.

Written with tomlkit like ``publiceval init`` (values quoted and escaped by the library, comments
kept), reusing its table helpers. Comments say what was decided and why; the file ends with the
list of what to check, so a person reads one file, top to bottom, and knows what to trust.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import tomlkit
from tomlkit.items import KeyType, SingleKey, Table

from ..scaffold import _aot, _rows, _table
from ..text import Lang, Text, one_line
from ..toml_write import inline
from .model import Confidence, Inference, ItemGuess, OPDGuess, ProfileGuess, ScaleGuess

__all__ = ["study_from_inference"]

_CONFIDENCE: dict[Confidence, Text] = {
    "high": Text(id="yakin", en="sure"),
    "medium": Text(id="cukup yakin", en="fairly sure"),
    "low": Text(id="ragu: periksa", en="unsure: check"),
}
#: ``[data]`` options written with their value and why, so the study says what it does.
_POLICY: tuple[tuple[str, Any, Text], ...] = (
    (
        "invalid_answer",
        "skip-answer",
        Text(
            id="jawaban tidak valid dihitung tidak dijawab (sesuai rumus PermenPANRB 14/2017)",
            en="an invalid answer counts as unanswered (as the PermenPANRB 14/2017 formula reads)",
        ),
    ),
    (
        "duplicates",
        "keep-first",
        Text(
            id="formulir terkirim dua kali: yang pertama dipakai",
            en="a form sent twice: the first copy is kept",
        ),
    ),
    (
        "duplicate_window_minutes",
        10,
        Text(
            id="OPD dan jawaban sama dalam 10 menit = kiriman ganda",
            en="same OPD and answers within 10 minutes = sent twice",
        ),
    ),
    (
        "max_rejects",
        "10%",
        Text(
            id="evaluasi berhenti bila lebih banyak baris ditolak",
            en="the evaluation stops when more rows are rejected",
        ),
    ),
    (
        "allow_empty_opds",
        False,
        Text(
            id="evaluasi berhenti bila ada OPD tanpa baris yang sah",
            en="the evaluation stops when an OPD has no usable row",
        ),
    ),
)


def _c(text: Text, lang: Lang) -> str:
    """A comment's text: one line, no control characters."""
    return one_line(text.get(lang))


def _value(value: Any, comment: str | None = None) -> Any:
    item = tomlkit.item(value)
    if comment:
        item.comment(one_line(comment))
    return item


def _t(id_: str, en: str) -> Text:
    return Text(id=id_, en=en)


def _survey(
    inf: Inference, lang: Lang, city: str | None, year: int | None, title: str | None
) -> Table:
    city = city or inf.city
    year = year or inf.year
    words = " ".join(p for p in ("Survei Kepuasan Masyarakat", city, str(year or "")) if p)
    table = _table(("title", title or words))
    if city:
        why = inf.city_why if city == inf.city and inf.city_why else _t("diberikan", "given")
        table.add("city", _value(city, _c(why, lang)))
    else:
        table.add(
            tomlkit.comment(
                'city = "Kota ..."   # '
                + _c(_t("ISI: nama kota/kabupaten", "FILL IN: city or regency"), lang)
            )
        )
    if year:
        if inf.span and inf.span[0].year == inf.span[1].year == year:
            seen = _t(
                f"pengisian {inf.span[0]} s.d. {inf.span[1]}",
                f"forms submitted {inf.span[0]} to {inf.span[1]}",
            )
        else:
            seen = _t("tahun survei", "survey year")
        table.add("period_start", _value(dt.date(year, 1, 1), _c(seen, lang)))
        table.add("period_end", dt.date(year, 12, 31))
    elif inf.span:
        table.add("period_start", inf.span[0])
        table.add("period_end", inf.span[1])
    else:
        fill = _c(_t("ISI: periode survei", "FILL IN: the survey period"), lang)
        table.add(tomlkit.comment(f"period_start = 2026-01-01   # {fill}"))
        table.add(tomlkit.comment("period_end = 2026-12-31"))
    return table


def _data(inf: Inference, data_file: str, lang: Lang) -> Table:
    table = _table(
        ("path", _value(data_file, _c(_t("salinan ekspor", "a copy of the export"), lang))),
        ("format", _value(inf.format, _c(inf.format_why, lang))),
        (
            "layout",
            _value(
                "wide",
                _c(
                    _t(
                        "satu baris per responden dan OPD, satu kolom per pertanyaan",
                        "one row per respondent and OPD, one column per question",
                    ),
                    lang,
                ),
            ),
        ),
    )
    for key, value, why in _POLICY:
        # the invalid-answer rule of the SKM formula; other methods keep their own default
        skm_only = key == "invalid_answer" and inf.method != "ikm-2017"
        if not skm_only:
            table.add(key, _value(value, _c(why, lang)))
    columns = tomlkit.table()
    who = inf.role_of(inf.respondent) if inf.respondent else None
    respondent_why = (
        _t(f"kolom {who.letter}: {who.why.id}", f"column {who.letter}: {who.why.en}")
        if who
        else _t(
            "tidak ada e-mail atau nomor responden: setiap baris satu responden",
            "no e-mail or respondent id: each row is its own respondent",
        )
    )
    columns.add("respondent", _value(inf.respondent or "", _c(respondent_why, lang)))
    for key, column in (
        ("opd", inf.opd_column),
        ("timestamp", inf.timestamp),
        ("suggestions", inf.suggestions),
    ):
        role = inf.role_of(column) if column else None
        if column and role:
            why = _t(f"kolom {role.letter}: {role.why.id}", f"column {role.letter}: {role.why.en}")
            columns.add(key, _value(column, _c(why, lang)))
        elif key == "opd":
            columns.add(
                tomlkit.comment(
                    'opd = "..."   # '
                    + _c(_t("ISI: kolom OPD tidak ditemukan", "FILL IN: no OPD column found"), lang)
                )
            )
    items = tomlkit.table()
    items.add(
        tomlkit.comment(
            _c(
                _t(
                    "Kolom tiap pertanyaan, dipetakan ke unsur SKM menurut maknanya (bukan nomornya).",
                    "Each question's column, mapped to its SKM element by meaning (not by number).",
                ),
                lang,
            )
        )
    )
    for item in inf.items:
        role = inf.role_of(item.column)
        letter = role.letter if role else "?"
        note = _t(
            f"kolom {letter}: {item.why.id} ({_CONFIDENCE[item.confidence].id})",
            f"column {letter}: {item.why.en} ({_CONFIDENCE[item.confidence].en})",
        )
        items.add(tomlkit.comment(_c(note, lang)))
        items.add(item.id, item.column)
    columns.add("items", items)
    table.add("columns", columns)
    return table


def _scale(guess: ScaleGuess, letters: str, lang: Lang) -> Table:
    """A ``[[scales]]`` table as ``init`` writes it, with why and the typos left to confirm."""
    scale = guess.scale
    why = _t(f"{guess.why.id} (kolom {letters})", f"{guess.why.en} (columns {letters})")
    labels = [{"value": lab.value, "label": lab.label.model_dump()} for lab in scale.labels]
    table = _table(_c(why, lang), ("id", scale.id), ("min", scale.min), ("max", scale.max))
    if labels:
        table.add("labels", _rows(labels))
    if not scale.aliases and not guess.suggestions:
        return table
    aliases = tomlkit.table()
    if scale.aliases:
        table.add(
            tomlkit.comment(
                _c(
                    _t(
                        "Kata jawaban lain yang dibaca sebagai nilai (huruf besar/kecil dan spasi "
                        "tidak berpengaruh).",
                        "Other answer texts read as points (case and spacing do not matter).",
                    ),
                    lang,
                )
            )
        )
        for text, value in scale.aliases.items():
            aliases.add(SingleKey(text, KeyType.Basic), value)
    if guess.suggestions:
        note = _t(
            "Salah ketik? Hapus # bila benar (tidak ditebak diam-diam):",
            "Typos? Remove the # if right (not guessed silently):",
        )
        aliases.add(tomlkit.comment(_c(note, lang)))
        for answer, point in guess.suggestions.items():
            aliases.add(
                tomlkit.comment(f"{tomlkit.string(one_line(answer)).as_string()} = {point}")
            )
    table.add("aliases", aliases)
    return table


def _span_of(letters: Sequence[str]) -> str:
    """Column letters, at most twelve shown."""
    more = len(letters) - 12
    return ", ".join(letters[:12]) + (f" +{more}" if more > 0 else "")


def _item(item: ItemGuess) -> Table:
    table = _table(("id", item.id), ("text", inline(item.text.model_dump())), ("scale", item.scale))
    if item.element:
        table.add("element", item.element)
        table.add("dimension", "SKM")
    return table


def _profile(guess: ProfileGuess, lang: Lang) -> Table:
    q = guess.question
    table = _table(
        _c(guess.why, lang),
        ("id", q.id),
        ("text", inline(q.text.model_dump())),
        ("column", q.data_column),
        ("kind", q.kind),
    )
    if q.choices:
        table.add("choices", _rows([c.model_dump() for c in q.choices]))
    return table


def _opd(guess: OPDGuess, lang: Lang) -> Table:
    table = _table(_c(guess.why, lang), ("id", guess.id), ("name", guess.name))
    if guess.short_name:
        table.add("short_name", guess.short_name)
    if guess.aliases:
        array = tomlkit.array()
        array.extend(guess.aliases)
        table.add("aliases", array)
    return table


def _checklist(inf: Inference, lang: Lang, skip: Sequence[str]) -> list[str]:
    checks = [c for c in inf.checks if c.code not in skip]
    head = _t("PERIKSA sebelum menerbitkan hasil:", "CHECK before publishing results:")
    if not checks:
        return [_c(_t("Tidak ada yang perlu diperiksa.", "Nothing to check."), lang)]
    return [_c(head, lang)] + [f"{k}. {_c(c.message, lang)}" for k, c in enumerate(checks, 1)]


def study_from_inference(
    inf: Inference,
    *,
    data_file: str,
    lang: Lang = "id",
    city: str | None = None,
    year: int | None = None,
    title: str | None = None,
) -> str:
    """The commented study file for ``inf`` (``city``/``year``/``title`` override the inferred)."""
    doc = tomlkit.document()
    intro = _t(
        f"Studi publiceval, dibuat oleh 'publiceval init --from' dari {inf.rows} baris ekspor.",
        f"publiceval study, written by 'publiceval init --from' from {inf.rows} export rows.",
    )
    for line in (
        _c(intro, lang),
        _c(
            _t(
                "Setiap keputusan diberi komentar; daftar periksa ada di akhir berkas.",
                "Every decision is commented; the list of what to check ends the file.",
            ),
            lang,
        ),
        "  publiceval validate study.toml",
        "  publiceval evaluate study.toml",
    ):
        doc.add(tomlkit.comment(line))
    doc.add(tomlkit.nl())
    doc.add("survey", _survey(inf, lang, city, year, title))
    doc.add("data", _data(inf, data_file, lang))
    doc.add("method", _table(_c(inf.method_why, lang), ("name", inf.method)))
    scheme = _table(("name", inf.scheme))
    if inf.scheme_options:
        scheme.add("options", inline(inf.scheme_options))
    doc.add("scheme", scheme)
    doc.add("report", _table(("lang", lang)))
    doc.add(tomlkit.nl())
    letters = {c.column: c.letter for c in inf.columns}
    doc.add(
        "scales",
        _aot(_scale(s, _span_of([letters[c] for c in s.columns]), lang) for s in inf.scales),
    )
    doc.add("items", _aot(_item(i) for i in inf.items))
    if inf.profile:
        doc.add(tomlkit.nl())
        doc.add(
            tomlkit.comment(
                _c(
                    _t(
                        "Profil responden (PermenPANRB 14/2017).",
                        "Respondent profile (PermenPANRB 14/2017).",
                    ),
                    lang,
                )
            )
        )
        doc.add("profile", _aot(_profile(p, lang) for p in inf.profile))
    doc.add(tomlkit.nl())
    opds = list(inf.opds)
    if opds:
        doc.add(
            tomlkit.comment(
                _c(
                    _t(
                        f"OPD dari kolom {inf.opd_column!r}; alias = cara penulisan lain di data.",
                        f"OPDs from column {inf.opd_column!r}; aliases = other wordings in the data.",
                    ),
                    lang,
                )
            )
        )
        doc.add("opds", _aot(_opd(o, lang) for o in opds))
    else:
        placeholder = OPDGuess(
            id="opd", name="OPD", rows=0, why=_t("ISI: daftar OPD", "FILL IN: the OPDs")
        )
        doc.add("opds", _aot([_opd(placeholder, lang)]))
    doc.add(tomlkit.nl())
    skip = [code for code, given in (("city-unknown", city), ("year-unknown", year)) if given]
    for line in _checklist(inf, lang, skip):
        doc.add(tomlkit.comment(line))
    return tomlkit.dumps(doc)
