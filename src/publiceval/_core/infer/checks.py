"""The short list of what to check: the inferences that could be wrong and what they leave out.

A person reads this list once, so it names only what needs their eyes (a column not placed, an
answer that fits no scale, an element found only by its number, an OPD merged), each with the
column and the fix, in Indonesian and English.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..presets import SKM_ELEMENTS
from ..text import Text
from .classify import Roles
from .export import ExportTable
from .model import Check, ItemGuess, ScaleGuess

__all__ = ["answer_checks", "column_checks", "element_checks"]

#: Elements found for a questionnaire to look like an SKM whose missing elements are worth listing.
MIN_SKM = 5
#: Unknown answers listed one by one; more are summed up in one line.
MAX_LISTED = 8


def element_checks(items: Sequence[ItemGuess]) -> list[Check]:
    """Elements missing, found weakly, or measured by two columns; questions on no element."""
    out: list[Check] = []
    found = {i.element for i in items if i.element}
    missing = [(code, ind, eng) for code, ind, eng in SKM_ELEMENTS if ind not in found]
    if len(found) >= MIN_SKM and missing:
        out.append(
            Check(
                code="elements-missing",
                message=Text(
                    id="unsur SKM tanpa pertanyaan: "
                    + ", ".join(f"{c.upper()} {i}" for c, i, _ in missing)
                    + "; IKM resmi butuh kesembilannya (isi 'element' pada [[items]])",
                    en="SKM elements with no question: "
                    + ", ".join(f"{c.upper()} {e}" for c, _, e in missing)
                    + "; the official IKM needs all nine (set 'element' in [[items]])",
                ),
            )
        )
    for item in items:
        if item.element is None:
            out.append(
                Check(
                    code="question-unplaced",
                    column=item.column,
                    message=Text(
                        id=f"pertanyaan {item.column!r} (item {item.id}) tidak cocok dengan unsur "
                        "SKM mana pun; tidak masuk IKM kecuali Anda mengisi 'element'",
                        en=f"question {item.column!r} (item {item.id}) matches no SKM element; "
                        "it is not part of the IKM unless you set its 'element'",
                    ),
                )
            )
        elif item.confidence == "low" or "-" in item.id:
            what_id = "hanya dari nomornya" if item.confidence == "low" else "unsur yang sudah ada"
            what_en = (
                "by its number only" if item.confidence == "low" else "an element already taken"
            )
            out.append(
                Check(
                    code="element-uncertain",
                    column=item.column,
                    message=Text(
                        id=f"pertanyaan {item.column!r} dipetakan ke {item.element} "
                        f"({what_id}); periksa item {item.id}",
                        en=f"question {item.column!r} was mapped to {item.element} "
                        f"({what_en}); check item {item.id}",
                    ),
                )
            )
    return out


def answer_checks(scales: Sequence[ScaleGuess], table: ExportTable) -> list[Check]:
    """Answers that fit no scale: typos with the label they resemble, and the rest."""
    out: list[Check] = []
    for guess in scales:
        listed = sorted(guess.unknown.items(), key=lambda kv: -kv[1])
        for answer, n in listed[:MAX_LISTED]:
            columns = [
                table.columns[c].letter for c in guess.columns if answer in table.columns[c].counts
            ]
            where = ", ".join(columns)
            point = guess.suggestions.get(answer)
            if point is not None:
                out.append(
                    Check(
                        code="answer-typo",
                        message=Text(
                            id=f"jawaban {answer!r} ({n} sel, kolom {where}) tidak ada di skala "
                            f"{guess.scale.id!r}; mungkin maksudnya nilai {point}: bila benar, "
                            "hapus tanda # di depannya pada aliases skala",
                            en=f"answer {answer!r} ({n} cell(s), column {where}) is not on scale "
                            f"{guess.scale.id!r}; it looks like point {point}: if so, uncomment "
                            "it under the scale's aliases",
                        ),
                    )
                )
            else:
                out.append(
                    Check(
                        code="answer-unknown",
                        message=Text(
                            id=f"jawaban {answer!r} ({n} sel, kolom {where}) tidak ada di skala "
                            f"{guess.scale.id!r} dan dihitung tidak valid; tambahkan ke aliases "
                            "bila bermakna",
                            en=f"answer {answer!r} ({n} cell(s), column {where}) is not on scale "
                            f"{guess.scale.id!r} and counts as invalid; add it to the aliases if "
                            "it means a point",
                        ),
                    )
                )
        if len(listed) > MAX_LISTED:
            rest = sum(n for _, n in listed[MAX_LISTED:])
            out.append(
                Check(
                    code="answer-unknown",
                    message=Text(
                        id=f"dan {len(listed) - MAX_LISTED} jawaban lain ({rest} sel) di luar "
                        f"skala {guess.scale.id!r}: lihat publiceval validate",
                        en=f"and {len(listed) - MAX_LISTED} more answers ({rest} cells) off scale "
                        f"{guess.scale.id!r}: see publiceval validate",
                    ),
                )
            )
    return out


def column_checks(
    table: ExportTable,
    roles: Roles,
    *,
    city: str | None,
    year: int | None,
) -> list[Check]:
    """Columns not placed, the OPD column missing or with empty cells, no timestamp, no city."""
    out: list[Check] = []
    if roles.opd is None:
        out.append(
            Check(
                code="opd-column-missing",
                message=Text(
                    id="kolom OPD (unit layanan yang dinilai) tidak ditemukan: tulis nama kolomnya "
                    "di [data.columns] opd dan daftarkan OPD-nya di [[opds]]",
                    en="no OPD column (the service unit rated) was found: name it in "
                    "[data.columns] opd and list the OPDs under [[opds]]",
                ),
            )
        )
    else:
        for other in roles.opd_others:
            out.append(
                Check(
                    code="opd-column-other",
                    column=other,
                    message=Text(
                        id=f"kolom {other!r} juga tampak seperti kolom OPD; yang dipakai "
                        f"{roles.opd!r}: ganti [data.columns] opd bila keliru",
                        en=f"column {other!r} looks like an OPD column too; {roles.opd!r} is "
                        "used: change [data.columns] opd if that is wrong",
                    ),
                )
            )
        empty = table.columns[roles.opd].empty
        if empty:
            out.append(
                Check(
                    code="opd-empty",
                    column=roles.opd,
                    message=Text(
                        id=f"{empty} baris tanpa OPD di kolom {roles.opd!r}; baris itu ditolak",
                        en=f"{empty} row(s) name no OPD in column {roles.opd!r}; they are rejected",
                    ),
                )
            )
    for column in roles.personal:
        letter = table.columns[column].letter
        out.append(
            Check(
                code="column-personal",
                column=column,
                message=Text(
                    id=f"kolom {letter} {column!r} berisi data pribadi: tidak dipakai, tetapi "
                    "salinan ekspor masih memuatnya; jangan publikasikan ekspor itu (hapus "
                    "kolomnya lebih dulu)",
                    en=f"column {letter} {column!r} holds personal data: it is not used, but the "
                    "copy of the export still has it; do not publish that export (delete the "
                    "column first)",
                ),
            )
        )
    for decision in roles.decisions.values():
        if decision.role == "unused" and decision.column not in roles.personal:
            out.append(
                Check(
                    code="column-unused",
                    column=decision.column,
                    message=Text(
                        id=f"kolom {decision.letter} {decision.column!r} tidak dipakai "
                        f"({decision.why.id})",
                        en=f"column {decision.letter} {decision.column!r} is not used "
                        f"({decision.why.en})",
                    ),
                )
            )
    if roles.timestamp is None:
        out.append(
            Check(
                code="timestamp-missing",
                message=Text(
                    id="tidak ada kolom waktu pengisian: kiriman ganda hanya dikenali bila "
                    "barisnya sama persis, dan tahun survei perlu diisi",
                    en="no submission-time column: a form sent twice is found only when its "
                    "rows are identical, and the survey year must be given",
                ),
            )
        )
    elif year is None:
        out.append(
            Check(
                code="year-unknown",
                column=roles.timestamp,
                message=Text(
                    id=f"waktu di kolom {roles.timestamp!r} tidak terbaca: periksa tahun survei",
                    en=f"the times in column {roles.timestamp!r} cannot be read: check the year",
                ),
            )
        )
    if city is None:
        out.append(
            Check(
                code="city-unknown",
                message=Text(
                    id="nama kota/kabupaten tidak ada di data: isi 'city' di [survey]",
                    en="the data names no city or regency: fill in 'city' under [survey]",
                ),
            )
        )
    if table.rejected_rows:
        out.append(
            Check(
                code="rows-malformed",
                message=Text(
                    id=f"{table.rejected_rows} baris rusak (jumlah sel salah): lihat "
                    "publiceval validate",
                    en=f"{table.rejected_rows} malformed row(s) (wrong number of cells): see "
                    "publiceval validate",
                ),
            )
        )
    for warning in table.warnings:
        out.append(Check(code="reader", message=Text(id=warning, en=warning)))
    return out
