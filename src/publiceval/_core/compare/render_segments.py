"""A segment breakdown as Markdown, a terminal table or an HTML page, in either language.

Every score is printed with its n; a suppressed cell prints its n and a dash, never a score.
"""

from __future__ import annotations

import html

from ..text import Lang, format_number
from .segments import Gap, SegmentBreakdown, SegmentCell
from .sentences import ci_text, fmt

__all__ = ["gap_sentence", "render_segments"]

_W: dict[str, dict[Lang, str]] = {
    "all": {"id": "Semua OPD", "en": "All OPDs"},
    "gaps": {"id": "Selisih antarkelompok", "en": "Gaps between segments"},
    "ref": {"id": "pembanding", "en": "reference"},
    "note": {
        "id": "Sel dengan kurang dari {m} responden disembunyikan (n tetap ditampilkan).",
        "en": "Cells with fewer than {m} respondents are suppressed (their n is still shown).",
    },
    "domain": {
        "id": "Setiap kelompok dinilai sebagai domain dari seluruh desain sampel (strata, PSU dan "
        "bobot; penduga domain seperti svyby di R); selisih antarkelompok memperhitungkan "
        "kovarians keduanya karena berasal dari PSU yang sama.",
        "en": "Each segment is scored as a domain of the whole sample design (strata, PSUs and "
        "weights; the domain estimator, as R's svyby); gaps between segments include their "
        "covariance, as both come from the same PSUs.",
    },
    "subsample": {
        "id": "Setiap kelompok dinilai dari barisnya sendiri sebagai sampel acak sederhana "
        "(tanpa strata atau PSU); selisih diuji sebagai dua sampel independen.",
        "en": "Each segment is scored from its own rows as a simple random sample (no strata "
        "or PSUs); gaps are tested as two independent samples.",
    },
    "noans": {
        "id": "{k} baris tanpa jawaban tidak dihitung.",
        "en": "{k} rows without an answer are left out.",
    },
}


def _label(b: SegmentBreakdown, segment: str, lang: Lang) -> str:
    text = b.labels.get(segment)
    return text.get(lang) if text else segment


def _cell(c: SegmentCell, lang: Lang) -> str:
    if c.suppressed or c.score is None:
        return f"– (n = {c.n})"
    return f"{fmt(c.score.value, lang)} (n = {c.n})"


def gap_sentence(b: SegmentBreakdown, gap: Gap, where: str, lang: Lang) -> str:
    """``Di RSUD, responden Perempuan memberi skor 0,29 lebih rendah daripada …``."""
    seg, ref = _label(b, gap.segment, lang), _label(b, gap.reference, lang)
    c = gap.change
    d = c.difference or 0.0
    pct = format_number(b.confidence * 100, lang, 0)
    size = fmt(abs(d), lang)
    if lang == "id":
        how = "lebih tinggi" if d > 0 else "lebih rendah"
        tail = (
            "selisih ini di luar batas kebetulan"
            if c.significant
            else "selisih ini masih dalam batas kebetulan"
        )
        return (
            f"{where}, responden {seg} memberi skor {size} {how} daripada responden {ref} "
            f"(rentang {pct}% {ci_text(c, lang)}); {tail}."
        )
    how = "higher" if d > 0 else "lower"
    tail = "this gap is beyond chance" if c.significant else "this gap is within chance"
    return (
        f"{where}, {seg} respondents score {size} {how} than {ref} respondents ({pct}% interval "
        f"{ci_text(c, lang)}); {tail}."
    )


def _rows(b: SegmentBreakdown, lang: Lang) -> tuple[list[str], list[list[str]]]:
    head = ["OPD", *(_label(b, s, lang) for s in b.segments)]
    rows = [[_W["all"][lang], *(_cell(c, lang) for c in b.pooled)]]
    rows += [[o.short_name or o.name, *(_cell(c, lang) for c in o.cells)] for o in b.opds]
    return head, rows


def _sentences(b: SegmentBreakdown, lang: Lang) -> list[str]:
    where = "Di seluruh OPD" if lang == "id" else "Across all OPDs"
    out = [gap_sentence(b, g, where, lang) for g in b.pooled_gaps]
    for o in b.opds:
        at = ("Di " if lang == "id" else "At ") + (o.short_name or o.name)
        out += [gap_sentence(b, g, at, lang) for g in o.gaps]
    return out


def _notes(b: SegmentBreakdown, lang: Lang) -> list[str]:
    out = [_W["domain" if b.estimator == "domain" else "subsample"][lang]]
    out.append(_W["note"][lang].format(m=b.min_n))
    if b.no_answer:
        out.append(_W["noans"][lang].format(k=b.no_answer))
    return out


def render_segments(b: SegmentBreakdown, fmt_name: str, lang: Lang = "id") -> str:
    """``table``, ``markdown``, ``html`` or ``json`` text of the breakdown."""
    if fmt_name == "json":
        return b.model_dump_json(indent=2) + "\n"
    head, rows = _rows(b, lang)
    title = f"{b.title}: {b.question.get(lang)}"
    gaps = _sentences(b, lang)
    if fmt_name == "html":
        table = "<table><thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head)
        table += (
            "</tr></thead><tbody>"
            + "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
            )
            + "</tbody></table>"
        )
        items = "".join(f"<li>{html.escape(s)}</li>" for s in gaps)
        notes = "".join(f"<p><small>{html.escape(n)}</small></p>" for n in _notes(b, lang))
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>body{{font-family:system-ui,sans-serif;"
            "max-width:980px;margin:2rem auto;padding:0 1rem}td,th{border-bottom:1px solid "
            "#d0d7de;padding:.25rem .6rem;text-align:left}table{border-collapse:collapse}</style>"
            f"</head><body><h1>{html.escape(title)}</h1>{table}<h2>{_W['gaps'][lang]}</h2>"
            f"<ul>{items}</ul>{notes}</body></html>\n"
        )
    if fmt_name == "markdown":
        out = [f"# {title}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        out += ["", f"## {_W['gaps'][lang]}", "", *(f"- {s}" for s in gaps), ""]
        return "\n".join(out + [f"*{n}*" for n in _notes(b, lang)]) + "\n"
    widths = [max(len(r[k]) for r in [head, *rows]) for k in range(len(head))]
    lines = [title, ""] + [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [head, *rows]
    ]
    return "\n".join([*lines, "", *(f"- {s}" for s in gaps), *_notes(b, lang), ""])
