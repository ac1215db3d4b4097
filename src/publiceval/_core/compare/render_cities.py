"""Cities side by side as a terminal table, Markdown or a self-contained HTML page."""

from __future__ import annotations

import html

from ..text import Lang, format_number
from .cities import CityComparison, city_notes
from .sentences import ci_text, element_name, fmt

__all__ = ["render_cities"]

_W: dict[str, dict[Lang, str]] = {
    "title": {"id": "Perbandingan antarkota", "en": "Cities compared"},
    "city": {"id": "Kota", "en": "City"},
    "score": {"id": "Rata-rata OPD", "en": "OPD average"},
    "interval": {"id": "Rentang {pct}%", "en": "{pct}% interval"},
    "opds": {"id": "OPD", "en": "OPDs"},
    "resp": {"id": "Responden", "en": "Respondents"},
    "pairs": {"id": "Selisih antarkota", "en": "Differences between cities"},
    "all": {"id": "Semua OPD", "en": "All OPDs"},
    "cat": {"id": "Kategori (skema kota)", "en": "Category (the city's scheme)"},
    "element": {"id": "Unsur (rata-rata OPD, rentang)", "en": "Element (OPD average, interval)"},
}


def _interval(low: float | None, high: float | None, lang: Lang) -> str:
    if low is None or high is None:
        return "–"
    return f"{fmt(low, lang)}–{fmt(high, lang)}"


def _tables(c: CityComparison, lang: Lang) -> list[tuple[list[str], list[list[str]]]]:
    pct = format_number(c.confidence * 100, lang, 0)
    head = [_W[k][lang].format(pct=pct) for k in ("city", "score", "interval", "opds", "resp")]
    rows = [
        [
            x.label,
            fmt(x.score.value, lang),
            _interval(
                x.score.ci.low if x.score.ci else None,
                x.score.ci.high if x.score.ci else None,
                lang,
            ),
            str(x.opds),
            str(x.respondents),
        ]
        for x in c.cities
    ]
    head2 = [
        "OPD",
        _W["city"][lang],
        "Skor" if lang == "id" else "Score",
        _W["interval"][lang].format(pct=pct),
        "n",
        _W["cat"][lang],
    ]
    rows2 = [
        [
            o.short_name or o.name,
            o.city,
            fmt(o.score.value, lang),
            _interval(
                o.score.ci.low if o.score.ci else None,
                o.score.ci.high if o.score.ci else None,
                lang,
            ),
            str(o.score.n),
            getattr(o.category, lang) if o.category else "–",
        ]
        for o in c.opds
    ]
    head3 = [_W["element"][lang], *(x.label for x in c.cities)]
    by_item = [{i.item: i for i in x.items} for x in c.cities]
    rows3 = []
    for item in c.cities[0].items:
        cells = []
        for city in by_item:
            sc = city[item.item].score if item.item in city else None
            ci = sc.ci if sc is not None else None
            cells.append(
                "–"
                if sc is None
                else f"{fmt(sc.value, lang)} "
                f"({_interval(ci.low if ci else None, ci.high if ci else None, lang)})"
            )
        rows3.append(
            [element_name(item.element, lang) if item.element else item.text.get(lang), *cells]
        )
    return [(head, rows), (head3, rows3), (head2, rows2)]


def _sentences(c: CityComparison, lang: Lang) -> list[str]:
    """``Rata-rata OPD B (3,00) lebih tinggi 0,15 daripada A (2,85) (…); …`` per pair."""
    pct = format_number(c.confidence * 100, lang, 0)
    out = []
    for p in c.pairs:
        ch = p.change
        d = ch.difference or 0.0
        a, b, size = fmt(ch.before, lang), fmt(ch.after, lang), fmt(abs(d), lang)
        if lang == "id":
            how = "lebih tinggi" if d > 0 else "lebih rendah"
            tail = {"untested": "selisih ini tidak dapat diuji"}.get(
                ch.direction,
                "selisih ini di luar batas kebetulan"
                if ch.significant
                else "selisih ini masih dalam batas kebetulan",
            )
            out.append(
                f"Rata-rata OPD {p.second} ({b}) {how} {size} daripada {p.first} ({a}) "
                f"(rentang {pct}% {ci_text(ch, lang)}); {tail}."
            )
        else:
            how = "higher" if d > 0 else "lower"
            tail = {"untested": "this difference cannot be tested"}.get(
                ch.direction,
                "this difference is beyond chance"
                if ch.significant
                else "this difference is within chance",
            )
            out.append(
                f"The OPD average of {p.second} ({b}) is {size} {how} than that of "
                f"{p.first} ({a}) ({pct}% interval {ci_text(ch, lang)}); {tail}."
            )
    return out


def render_cities(c: CityComparison, fmt_name: str, lang: Lang = "id") -> str:
    """``table``, ``markdown``, ``html`` or ``json`` text of a cities comparison."""
    if fmt_name == "json":
        return c.model_dump_json(indent=2) + "\n"
    tables = _tables(c, lang)
    sentences = _sentences(c, lang)
    title = _W["title"][lang]
    if fmt_name == "html":
        parts = [f"<h1>{title}</h1>"]
        for k, (head, rows) in enumerate(tables):
            if k == 2:
                parts.append(f"<h2>{_W['all'][lang]}</h2>")
            parts.append(
                "<table><thead><tr>"
                + "".join(f"<th>{html.escape(h)}</th>" for h in head)
                + "</tr></thead><tbody>"
                + "".join(
                    "<tr>" + "".join(f"<td>{html.escape(x)}</td>" for x in r) + "</tr>"
                    for r in rows
                )
                + "</tbody></table>"
            )
            if k == 0:
                parts.append(
                    f"<h2>{_W['pairs'][lang]}</h2><ul>"
                    + "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
                    + "</ul>"
                )
        parts += [f"<p><small>{html.escape(n)}</small></p>" for n in city_notes(c, lang)]
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}'
            "</title><style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2rem "
            "auto;padding:0 1rem}td,th{border-bottom:1px solid #d0d7de;padding:.25rem .6rem;"
            "text-align:left}table{border-collapse:collapse}</style></head><body>"
            + "".join(parts)
            + "</body></html>\n"
        )
    out = [f"# {title}" if fmt_name == "markdown" else title, ""]
    for k, (head, rows) in enumerate(tables):
        if fmt_name == "markdown":
            out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
            out += ["| " + " | ".join(x.replace("|", "\\|") for x in r) + " |" for r in rows]
        else:
            widths = [max(len(r[j]) for r in [head, *rows]) for j in range(len(head))]
            out += [
                "  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip()
                for r in [head, *rows]
            ]
        out.append("")
        if k == 0:
            out += [f"- {s}" for s in sentences] + [""]
    return "\n".join(out + [f"- {n}" for n in city_notes(c, lang)]) + "\n"
