"""A comparison as Markdown (and as a plain-text table for the terminal), in either language."""

from __future__ import annotations

from ..text import Lang, format_number
from .models import Comparison, ItemChange, OPDChange, Step
from .sentences import (
    change_sentence,
    ci_text,
    fmt,
    fmt_signed,
    item_subject,
    opd_sentence,
    rank_text,
)

__all__ = [
    "L",
    "headers",
    "method_note",
    "opd_rows",
    "paired_lines",
    "render_markdown",
    "render_table",
    "significant_items",
    "step_lines",
    "step_title",
    "verdict",
]

L: dict[str, dict[Lang, str]] = {
    "opd": {"id": "OPD", "en": "OPD"},
    "before": {"id": "Sebelum", "en": "Before"},
    "after": {"id": "Sesudah", "en": "After"},
    "change": {"id": "Perubahan", "en": "Change"},
    "interval": {"id": "Rentang {pct}%", "en": "{pct}% interval"},
    "p": {"id": "p (Holm)", "en": "p (Holm)"},
    "verdict": {"id": "Kesimpulan", "en": "Verdict"},
    "category": {"id": "Kategori", "en": "Category"},
    "rank": {"id": "Peringkat (rentang)", "en": "Rank (interval)"},
    "better": {"id": "membaik", "en": "better"},
    "worse": {"id": "memburuk", "en": "worse"},
    "within-chance": {"id": "dalam batas kebetulan", "en": "within chance"},
    "untested": {"id": "tidak dapat diuji", "en": "not testable"},
    "element": {"id": "Unsur", "en": "Element"},
    "periods": {"id": "Periode", "en": "Periods"},
    "respondents": {"id": "responden", "en": "respondents"},
    "real": {"id": "Perubahan di luar batas kebetulan", "en": "Changes beyond chance"},
    "all": {"id": "Semua OPD", "en": "All OPDs"},
    "elements": {
        "id": "Unsur yang berubah di luar batas kebetulan",
        "en": "Elements that changed beyond chance",
    },
    "wide": {"id": "Pertanyaan umum", "en": "Survey-wide questions"},
    "moves": {"id": "OPD baru, hilang dan berganti nama", "en": "New, gone and renamed OPDs"},
    "appeared": {"id": "baru pada periode ini", "en": "new in this period"},
    "disappeared": {"id": "tidak ada lagi", "en": "no longer surveyed"},
    "linked": {
        "id": "Responden yang sama di kedua periode",
        "en": "The same respondents in both periods",
    },
    "paired_line": {
        "id": "{who}: perubahan berpasangan; {n} responden mengisi di kedua periode",
        "en": "{who}: paired change; {n} respondents answered in both periods",
    },
    "unpaired_line": {
        "id": "{who}: {n} responden mengisi di kedua periode, tetapi kovariansnya tidak dapat "
        "diperkirakan; perubahan dihitung sebagai sampel saling bebas",
        "en": "{who}: {n} respondents answered in both periods, but their covariance cannot be "
        "estimated; the change is treated as independent samples",
    },
    "renamed": {"id": "berganti nama, dulu", "en": "renamed, formerly"},
    "none": {"id": "Tidak ada.", "en": "None."},
    "sentences": {"id": "Ringkasan", "en": "Summary"},
    # the XLSX workbook (sheet names at most 31 characters) and its column titles
    "sheet_opds": {"id": "Perubahan per OPD", "en": "Change per OPD"},
    "sheet_items": {"id": "Unsur per OPD", "en": "Elements per OPD"},
    "sheet_moves": {"id": "OPD baru, hilang, ganti nama", "en": "New, gone, renamed OPDs"},
    "sheet_periods": {"id": "Periode", "en": "Periods"},
    "step": {"id": "Perbandingan", "en": "Comparison"},
    "opd_id": {"id": "Kode OPD", "en": "OPD id"},
    "item_id": {"id": "Kode pertanyaan", "en": "Item id"},
    "question": {"id": "Pertanyaan", "en": "Question"},
    "low": {"id": "Rentang {pct}%: bawah", "en": "{pct}% interval: low"},
    "high": {"id": "Rentang {pct}%: atas", "en": "{pct}% interval: high"},
    "se": {"id": "Galat baku perubahan", "en": "Standard error of the change"},
    "cat_before": {"id": "Kategori sebelum", "en": "Category before"},
    "cat_after": {"id": "Kategori sesudah", "en": "Category after"},
    "rank_before": {"id": "Peringkat sebelum", "en": "Rank before"},
    "rank_after": {"id": "Peringkat sesudah", "en": "Rank after"},
    "rank_best": {"id": "{which}: paling baik mungkin", "en": "{which}: best plausible"},
    "rank_worst": {"id": "{which}: paling buruk mungkin", "en": "{which}: worst plausible"},
    "n_before": {"id": "n sebelum", "en": "n before"},
    "n_after": {"id": "n sesudah", "en": "n after"},
    "former": {"id": "Nama/kode sebelumnya", "en": "Former name/id"},
    "status": {"id": "Keadaan", "en": "Status"},
    "title": {"id": "Judul", "en": "Title"},
    "label": {"id": "Label", "en": "Label"},
    "source": {"id": "Sumber", "en": "Source"},
    "start": {"id": "Awal periode", "en": "Period start"},
    "end": {"id": "Akhir periode", "en": "Period end"},
    "resp_h": {"id": "Responden", "en": "Respondents"},
    "opds_h": {"id": "Jumlah OPD", "en": "OPDs"},
    "confidence": {"id": "Tingkat kepercayaan", "en": "Confidence level"},
    "method": {"id": "Metode", "en": "Method"},
    "test": {"id": "Uji", "en": "Test"},
    "scheme": {"id": "Skema kategori", "en": "Category scheme"},
    "version": {"id": "Versi publiceval", "en": "publiceval version"},
    "note": {"id": "Catatan", "en": "Note"},
    "beyond": {"id": "di luar batas kebetulan", "en": "beyond chance"},
    "score": {"id": "Skor", "en": "Score"},
    "segment": {"id": "Kelompok", "en": "Segment"},
    "where": {"id": "Di mana", "en": "Where"},
    "difference": {"id": "Selisih", "en": "Difference"},
    "suppressed": {
        "id": "{seg}: disembunyikan (n = {n} < {m})",
        "en": "{seg}: suppressed (n = {n} < {m})",
    },
    "sheet_segments": {"id": "OPD × kelompok", "en": "OPD × segment"},
    "sheet_cities": {"id": "Kota", "en": "Cities"},
    "sheet_city_items": {"id": "Unsur", "en": "Elements"},
    "first": {"id": "Kota pertama", "en": "First city"},
    "second": {"id": "Kota kedua", "en": "Second city"},
    "city_title": {"id": "Judul survei", "en": "Survey title"},
    "page": {"id": "Halaman", "en": "Page"},
}


def verdict(direction: str, lang: Lang) -> str:
    """The short verdict word for a table cell."""
    return L[direction][lang]


def _rank_cell(opd: OPDChange) -> str:
    r = opd.rank

    def one(rank: int | None, low: int | None, high: int | None) -> str:
        if rank is None:
            return "–"
        return f"{rank} ({low}–{high})" if low is not None else str(rank)

    bi, ai = r.before_interval, r.after_interval
    return (
        f"{one(r.before, bi.low if bi else None, bi.high if bi else None)} → "
        f"{one(r.after, ai.low if ai else None, ai.high if ai else None)}"
    )


def _category_cell(opd: OPDChange) -> str:
    c = opd.category
    if c is None:
        return "–"
    return f"{c.before or '–'} → {c.after or '–'}"


def _p(value: float | None, lang: Lang) -> str:
    if value is None:
        return "–"
    return (
        "< 0,001"
        if value < 0.001 and lang == "id"
        else "< 0.001"
        if value < 0.001
        else (format_number(value, lang, 3))
    )


def opd_rows(step: Step, lang: Lang, only_real: bool = False) -> list[list[str]]:
    """One row per OPD: name, before, after, change, interval, p, verdict, category, rank."""
    rows = []
    for o in step.opds:
        if only_real and not o.score.significant:
            continue
        c = o.score
        rows.append(
            [
                o.short_name or o.name,
                fmt(c.before, lang),
                fmt(c.after, lang),
                fmt_signed(c.difference, lang),
                ci_text(c, lang),
                _p(c.p_adjusted, lang),
                verdict(c.direction, lang),
                _category_cell(o),
                _rank_cell(o),
            ]
        )
    return rows


def headers(lang: Lang, level: float) -> list[str]:
    """Column titles of :func:`opd_rows`."""
    pct = format_number(level * 100, lang, 0)
    keys = ["opd", "before", "after", "change", "interval", "p", "verdict", "category", "rank"]
    return [L[k][lang].format(pct=pct) for k in keys]


def significant_items(step: Step) -> list[tuple[OPDChange, ItemChange]]:
    """Every (OPD, element) whose change is beyond chance, largest first."""
    found = [(o, i) for o in step.opds for i in o.items if i.change.significant]
    return sorted(found, key=lambda p: -abs(p[1].change.difference or 0.0))


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|")

    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return out


def step_title(step: Step) -> str:
    """``semester-1 → semester-2``."""
    return f"{step.before} → {step.after}"


def step_lines(step: Step, lang: Lang, level: float) -> dict[str, list[str]]:
    """The sentences of a step, by section: OPDs, elements, survey-wide, moves."""
    opds = [opd_sentence(o, lang, level) for o in step.opds]
    items = [
        change_sentence(item_subject(i, lang, o), i.change, lang, level)
        for o, i in significant_items(step)
    ]
    wide = [
        change_sentence(f"«{w.text.get(lang)}»", w.change, lang, level) for w in step.survey_wide
    ]
    moves = [f"{p.short_name or p.name}: {L['appeared'][lang]}" for p in step.appeared]
    moves += [f"{p.short_name or p.name}: {L['disappeared'][lang]}" for p in step.disappeared]
    moves += [
        f"{o.short_name or o.name}: {L['renamed'][lang]} {o.name_before or o.opd_before} "
        f"({o.opd_before})"
        for o in step.opds
        if o.matched_by != "id"
    ]
    return {
        "opds": opds,
        "items": items,
        "wide": wide,
        "moves": moves,
        "paired": paired_lines(step, lang),
    }


def paired_lines(step: Step, lang: Lang) -> list[str]:
    """Which OPD changes (and survey-wide questions) were paired, and how many respondents
    answered in both periods; also where they answered but the change stayed independent."""
    out = []
    named = [(o.short_name or o.name, o.score) for o in step.opds]
    named += [(f"«{w.text.get(lang)}»", w.change) for w in step.survey_wide]
    for who, c in named:
        if c.n_linked:
            key = "paired_line" if c.paired else "unpaired_line"
            out.append(L[key][lang].format(who=who, n=c.n_linked))
    return out


def render_markdown(comparison: Comparison, lang: Lang = "id") -> str:
    """The whole comparison as Markdown: per step, the real changes first, then everything."""
    level = comparison.confidence
    out = [f"# {comparison.title}", ""]
    out.append(
        f"**{L['periods'][lang]}:** "
        + "; ".join(
            f"{p.label} ({p.respondents} {L['respondents'][lang]}, {p.opds} OPD)"
            for p in comparison.periods
        )
    )
    out.append("")
    for step in comparison.steps:
        lines = step_lines(step, lang, level)
        out += [f"## {step_title(step)}", "", f"### {L['real'][lang]}", ""]
        real = opd_rows(step, lang, only_real=True)
        out += _md_table(headers(lang, level), real) if real else [L["none"][lang]]
        out += ["", f"### {L['sentences'][lang]}", ""] + [f"- {s}" for s in lines["opds"]]
        out += ["", f"### {L['all'][lang]}", ""]
        out += _md_table(headers(lang, level), opd_rows(step, lang))
        out += ["", f"### {L['elements'][lang]}", ""]
        out += [f"- {s}" for s in lines["items"]] or [L["none"][lang]]
        if lines["wide"]:
            out += ["", f"### {L['wide'][lang]}", ""] + [f"- {s}" for s in lines["wide"]]
        if lines["moves"]:
            out += ["", f"### {L['moves'][lang]}", ""] + [f"- {s}" for s in lines["moves"]]
        if lines["paired"]:
            out += ["", f"### {L['linked'][lang]}", ""] + [f"- {s}" for s in lines["paired"]]
        out.append("")
    out.append(method_note(comparison, lang))
    return "\n".join(out) + "\n"


def method_note(comparison: Comparison, lang: Lang) -> str:
    """How the changes were tested, in one paragraph."""
    pct = format_number(comparison.confidence * 100, lang, 0)
    paired = any(o.score.paired for st in comparison.steps for o in st.opds)
    if paired:
        return (
            "*Cara membaca:* galat baku perubahan adalah akar jumlah kuadrat galat baku kedua "
            "periode, dikurangi dua kali kovarians responden yang sama di kedua periode "
            "(perubahan berpasangan; uji t sampel sebagian berpasangan, Derrick dkk. 2017; uji t "
            f"berpasangan bila semua responden sama). Rentang {pct}% memuat perubahan yang "
            f"sebenarnya dengan peluang {pct}%. Uji perubahan dikoreksi dengan metode Holm atas "
            "semua OPD (dan atas semua OPD untuk tiap unsur)."
            if lang == "id"
            else "*How to read this:* the standard error of a change is the root of the sum of "
            "the two periods' squared standard errors less twice the covariance of the "
            "respondents who answered in both periods (paired changes: the partially "
            "overlapping samples t-test of Derrick et al. 2017, the paired t-test when every "
            f"respondent is the same). A {pct}% interval holds the true change with probability "
            f"{pct}%. Tests of change are Holm-corrected across all OPDs (and across OPDs for "
            "each element)."
        )
    if lang == "id":
        return (
            "*Cara membaca:* kedua periode adalah sampel yang saling bebas; galat baku perubahan "
            "adalah akar jumlah kuadrat galat baku kedua periode, dengan derajat bebas "
            f"Welch–Satterthwaite. Rentang {pct}% memuat perubahan yang sebenarnya dengan "
            f"peluang {pct}%. Uji perubahan dikoreksi dengan metode Holm atas semua OPD (dan atas "
            "semua OPD untuk tiap unsur), sehingga 'di luar batas kebetulan' tidak muncul hanya "
            "karena banyaknya OPD yang diuji."
        )
    return (
        "*How to read this:* the two periods are independent samples; the standard error of a "
        "change is the root of the sum of the two periods' squared standard errors, on "
        f"Welch–Satterthwaite degrees of freedom. A {pct}% interval holds the true change with "
        f"probability {pct}%. Tests of change are Holm-corrected across all OPDs (and across "
        "OPDs for each element), so 'beyond chance' does not appear merely because many OPDs "
        "were tested."
    )


def render_table(comparison: Comparison, lang: Lang = "id") -> str:
    """A plain-text table per step and the sentences: what ``publiceval compare`` prints."""
    level = comparison.confidence
    out = [comparison.title, ""]
    for step in comparison.steps:
        out += [step_title(step), ""]
        rows = [headers(lang, level), *opd_rows(step, lang)]
        widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
        for j, row in enumerate(rows):
            out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
            if j == 0:
                out.append("  ".join("-" * w for w in widths))
        lines = step_lines(step, lang, level)
        out.append("")
        out += [f"- {s}" for s in lines["opds"] + lines["items"] + lines["wide"] + lines["moves"]]
        out += [f"- {s}" for s in lines["paired"]]
        out.append("")
    return "\n".join(out)


__all__ += ["headers", "method_note", "opd_rows", "rank_text", "step_lines", "step_title"]
