"""``table``: a plain-text ranking for the terminal, in Indonesian or English."""

from __future__ import annotations

from collections.abc import Callable

from publiceval.plugin import (
    Evaluation,
    Lang,
    Messages,
    Reporter,
    Text,
    format_number,
    hookimpl,
    one_line,
    percent_text,
    with_names,
)

#: Catalogue keys of the labels this reporter prints.
_KEYS = {
    "rank": "rank",
    "opd": "opd",
    "score": "score",
    "n": "n",
    "category": "category",
    "survey_wide": "table.survey_wide",
    "recs": "recommendations",
    "warnings": "warnings",
    "rows": "table.data_rows",
    "read": "table.read",
    "used": "table.used",
    "rejected": "table.rejected",
    "method": "table.method",
    "scheme": "scheme",
}


def _row(cells: list[str], widths: list[int], right: set[int]) -> str:
    return "  ".join(
        c.rjust(w) if k in right else c.ljust(w)
        for k, (c, w) in enumerate(zip(cells, widths, strict=True))
    ).rstrip()


class TableReporter(Reporter):
    """Ranking with score, CI, n and category; survey-wide questions; recommendations; data quality."""

    name = "table"
    title = Text(id="Tabel teks", en="Text table")
    suffix = ".txt"

    def render(self, evaluation: Evaluation, *, lang: Lang = "id") -> bytes:
        ev = evaluation
        m = Messages(lang)
        t = {k: m[key] for k, key in _KEYS.items()}
        t["ci"] = m.format("ci", level=percent_text(ev.provenance.confidence, lang))

        def said(key: str, plain: str) -> str:
            both = ev.texts.get(key)
            return both.get(lang) if both is not None else plain

        names = {r.opd: r.short_name or said(f"opd:{r.opd}", r.name) for r in ev.opds}
        lines = [said("title", ev.title)]
        meta = [x for x in (ev.city, ev.period) if x]
        if meta:
            lines.append(" · ".join(meta))
        method, scheme = ev.provenance.method, ev.provenance.scheme
        titled = [
            f"{label}: {c.title.get(lang) if c.title is not None else c.name}"
            for label, c in ((t["method"], method), (t["scheme"], scheme))
            if c is not None
        ]
        lines.append(" · ".join(titled))
        lines.append("")
        head = [t["rank"], t["opd"], t["score"], t["ci"], t["n"], t["category"]]
        body = []
        ranks = [r.rank for r in ev.opds]
        for r in ev.opds:
            shared = r.rank is not None and ranks.count(r.rank) > 1
            rank = "–" if r.rank is None else f"{r.rank}{'=' if shared else ''}"
            ci = r.score.ci
            body.append(
                [
                    rank,
                    one_line(names[r.opd]),
                    format_number(r.score.value, lang),
                    f"{format_number(ci.low, lang)}–{format_number(ci.high, lang)}" if ci else "–",
                    str(r.score.n) if r.score.source == "respondents" else "–",
                    one_line(r.category.label.get(lang)) if r.category else "–",
                ]
            )
        widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
        lines.append(_row(head, widths, {2, 3, 4}))
        lines.append("  ".join("-" * w for w in widths))
        lines.extend(_row(b, widths, {2, 3, 4}) for b in body)
        if ev.survey_wide:
            lines += ["", t["survey_wide"] + ":"]
            for s in ev.survey_wide:
                cat = f" — {s.category.label.get(lang)}" if s.category else ""
                lines.append(f"  {s.text.get(lang)}: {format_number(s.score.value, lang)}{cat}")
        if ev.recommendations:
            lines += ["", t["recs"] + ":"]
            for rec in ev.recommendations:
                target = names.get(rec.target, m.city_wide)
                lines.append(f"  [{rec.priority}] {rec.title.get(lang)} ({target})")
        d = ev.data
        lines += [
            "",
            f"{t['rows']}: {d.rows_read} {t['read']}, {d.rows_used} {t['used']}, {d.rows_rejected} {t['rejected']}",
        ]
        for reason, count in d.reasons.items():
            lines.append(f"  {reason}: {count}")
        if ev.warnings:
            lines += ["", t["warnings"] + ":"]
            lines.extend(f"  - {with_names(w.in_lang(lang), names)}" for w in ev.warnings)
        # one line per entry, no control character raw: a name or a cell cannot break the
        # table's rows or run terminal escape sequences
        return ("\n".join(one_line(line) for line in lines) + "\n").encode("utf-8")


@hookimpl
def register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    register(TableReporter)
