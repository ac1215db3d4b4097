"""From an :class:`~publiceval._core.results.Evaluation` to what a report shows.

Every reporter (HTML, Markdown, XLSX) reads the same :class:`ReportContext`, so the formats
agree on ranks, weakest items, category counts and wording. The context keeps raw numbers
(for spreadsheets and charts) next to their text in the report's language (for documents).
Nothing here escapes anything: escaping belongs to each output format."""

from __future__ import annotations

from collections import Counter

from ..results import (
    ComponentInfo,
    Evaluation,
    ScoreScale,
)
from ..text import Lang, format_number
from .formatting import ci_text, evidence_value, options_json, percent_text, period_text
from .messages import Messages
from .plain import Names, ci_method_text, element_name, evidence_sentences, with_names
from .rows import (
    band_views,
    bare_item,
    component_view,
    counts_on,
    distribution_groups,
    reliability_views,
    scale_view,
    scheme_bands,
    scheme_title,
    score_row,
)
from .skm import build_skm
from .summary import claims, generated_date, summary_lines
from .views import (
    COMPARATORS,
    BandView,
    CategoryView,
    ComponentView,
    DistributionGroup,
    DistributionRow,
    EvidenceView,
    ItemRow,
    OPDRow,
    RecommendationView,
    RejectView,
    ReliabilityView,
    ReportContext,
    ScaleView,
    SchemeView,
    SurveyWideRow,
    WarningView,
)

__all__ = [
    "BandView",
    "CategoryView",
    "ComponentView",
    "DistributionGroup",
    "DistributionRow",
    "EvidenceView",
    "ItemRow",
    "OPDRow",
    "RecommendationView",
    "RejectView",
    "ReliabilityView",
    "ReportContext",
    "ScaleView",
    "SchemeView",
    "SurveyWideRow",
    "WarningView",
    "build_context",
    "percent_text",
]


def build_context(evaluation: Evaluation, lang: Lang) -> ReportContext:
    """The report of ``evaluation`` in ``lang``, as data every format can lay out."""
    m = Messages(lang)
    ev = evaluation
    lang = m.lang
    prov = ev.provenance
    infos = {i.id: i for i in ev.items}
    scale = next(
        (r.score.scale for r in ev.opds if r.score.value is not None),
        ev.opds[0].score.scale if ev.opds else ScoreScale(low=0, high=1),
    )

    # schemes: the main one first, then the compared ones (bands drawn on the score scale)
    scheme_infos: list[tuple[ComponentInfo, bool]] = []
    if prov.scheme is not None:
        scheme_infos.append((prov.scheme, True))
    scheme_infos += [
        (c, False) for c in prov.compared_schemes if c.name != getattr(prov.scheme, "name", None)
    ]
    schemes: list[SchemeView] = []
    n_bands: dict[str, int] = {}
    for info, main in scheme_infos:
        seen = [
            c
            for r in ev.opds
            if (c := r.categories.get(info.name) or (r.category if main else None)) is not None
        ]
        described = ev.scheme_info(info.name)
        views = band_views(scheme_bands(described, seen), lang)
        n_bands[info.name] = len(views)
        counted = Counter(c.code for c in seen)
        total = len(ev.opds)
        precision = described.precision if described is not None else info.options.get("precision")
        schemes.append(
            SchemeView(
                name=info.name,
                title=scheme_title(info.name, described, lang),
                main=main,
                bands=views,
                counts=tuple(
                    (
                        b,
                        counted[b.code],
                        m.format("count_of_total", count=counted[b.code], total=total),
                    )
                    for b in views
                ),
                precision=precision if isinstance(precision, int) else None,
                options_json=options_json(info.options),
            )
        )
    main_scheme = schemes[0] if schemes and schemes[0].main else None
    band_labels = {b.code: b.label for b in main_scheme.bands} if main_scheme else {}

    names = {r.opd: t.get(lang) if (t := ev.texts.get(f"opd:{r.opd}")) else r.name for r in ev.opds}
    ranks = Counter(r.rank for r in ev.opds)
    rows = tuple(score_row(r, ranks, n_bands, band_labels, infos, m, names[r.opd]) for r in ev.opds)
    ranked = [r for r in rows if r.score is not None and r.rank is not None]

    # per-item answer distributions pooled over OPDs
    pooled: dict[str, Counter[str]] = {}
    for r in ev.opds:
        for it in r.items:
            pooled.setdefault(it.item, Counter()).update(it.distribution)
    item_ids = [i.id for i in ev.items if i.id in pooled] or list(pooled)
    item_rows = []
    for item_id in item_ids:
        item_info = infos.get(item_id)
        sv = scale_view(item_info, pooled[item_id], lang)
        item_rows.append(
            (
                item_info.text.get(lang) if item_info else item_id,
                sv,
                counts_on(sv, pooled[item_id]),
                bool(item_info and item_info.reverse),
            )
        )

    wide = []
    wide_rows = []
    for w in ev.survey_wide:
        wide_info = infos.get(w.item)
        sv = scale_view(wide_info, w.distribution, lang)
        counts = counts_on(sv, w.distribution)
        ci = w.score.ci
        wide.append(
            SurveyWideRow(
                item=w.item,
                text=w.text.get(lang),
                value=w.score.value,
                value_text=format_number(w.score.value, lang),
                n=w.score.n,
                ci_low=ci.low if ci else None,
                ci_high=ci.high if ci else None,
                ci_text=ci_text(ci.low if ci else None, ci.high if ci else None, lang),
                category=w.category.label.get(lang) if w.category else None,
                scale=sv,
                counts=counts,
            )
        )
        if sum(counts):
            wide_rows.append((w.text.get(lang), sv, counts, bool(wide_info and wide_info.reverse)))

    labels = {r.opd: r.label for r in rows}
    said = Names.of(ev, names, lang, labels)
    recs = tuple(
        RecommendationView(
            priority=rec.priority,
            target=rec.target,
            target_name=m.city_wide
            if rec.target_kind == "city"
            else names.get(rec.target, rec.target),
            city_wide=rec.target_kind == "city",
            title=rec.title.get(lang),
            text=rec.text.get(lang),
            rule=rec.rule,
            # the kinds of service a rule matched on are the study's codes, not words
            sentences=evidence_sentences([e for e in rec.evidence if e.metric != "tags"], m, said),
            evidence=tuple(
                EvidenceView(
                    metric=m.get(f"metric.{e.metric}", e.metric),
                    value=evidence_value(e.value, lang),
                    comparator=COMPARATORS.get(e.comparator, e.comparator),
                    threshold=evidence_value(e.threshold, lang) if e.threshold is not None else "",
                    target=names.get(e.target, e.target) if e.target else "",
                    note=e.note,
                )
                for e in rec.evidence
            ),
        )
        for rec in ev.recommendations
    )

    d = ev.data

    def text_of(key: str, plain: str | None) -> str:
        t = ev.texts.get(key)
        return t.get(lang) if t is not None else (plain or "")

    unit_text = (
        m.get(f"unit.{scale.unit.split()[0]}", scale.unit)
        if scale.unit and scale.unit.split()
        else ""
    )
    best = tuple(r for r in ranked if r.rank == ranked[0].rank) if ranked else ()
    worst = tuple(r for r in ranked if r.rank == ranked[-1].rank) if ranked else ()
    period = period_text(ev.period, m, ev.period_start, ev.period_end)
    confidence_text = percent_text(
        prov.confidence, lang, 0 if (prov.confidence * 100).is_integer() else 1
    )
    ci_methods = sorted({r.score.ci.method for r in ev.opds if r.score.ci is not None})
    aggregate = bool(ev.opds) and all(r.score.source == "aggregate" for r in ev.opds)
    return ReportContext(
        lang=lang,
        m=m,
        title=text_of("title", ev.title),
        city=text_of("city", ev.city) or m.dash,
        organisation=text_of("organisation", ev.organisation) or m.dash,
        period=period,
        respondents=d.respondents,
        opd_count=len(ev.opds),
        confidence=prov.confidence,
        confidence_text=confidence_text,
        scale=scale,
        scale_text=f"{format_number(scale.low, lang)}–{format_number(scale.high, lang)}"
        + (f" ({unit_text})" if unit_text else ""),
        aggregate=aggregate,
        method=component_view(prov.method, lang, m),
        scheme=main_scheme,
        schemes=tuple(schemes),
        opds=rows,
        any_shared_rank=any(r.shared_rank for r in rows),
        has_rank_intervals=any(r.rank_low is not None for r in rows),
        has_probabilities=any(r.probabilities for r in rows),
        has_tiers=any(r.tier is not None for r in rows),
        ci_method=", ".join(ci_method_text(x, m) for x in ci_methods) or m.dash,
        items=tuple(infos.get(i) or bare_item(i, pooled[i]) for i in item_ids),
        item_distributions=distribution_groups(item_rows, m.all_opds),
        survey_wide=tuple(wide),
        survey_wide_distributions=distribution_groups(wide_rows, m.survey_wide),
        recommendations=recs,
        rows_read=d.rows_read,
        rows_used=d.rows_used,
        rows_rejected=d.rows_rejected,
        reasons=tuple((code, m.get(f"reason.{code}", code), n) for code, n in d.reasons.items()),
        rejects=tuple(
            RejectView(
                source=e.source or "",
                row=e.row,
                column=e.column or "",
                value=e.value or "",
                reason=e.reason.value,
                reason_label=m.get(f"reason.{e.reason.value}", e.reason.value),
                message=e.message,
            )
            for e in d.rejects
        ),
        rejects_truncated=d.rejects_truncated,
        small_samples=tuple(
            r
            for r in rows
            if r.source == "respondents" and (r.ci_low is None or r.flags or r.notes)
        ),
        warnings=tuple(
            WarningView(
                code=w.code,
                label=m.get(f"warning.{w.code}", w.code),
                target=names.get(w.target, w.target) if w.target else "",
                # an English-only message stays out of the Indonesian report (the label says it)
                message=with_names(w.in_lang(lang), labels)
                if w.text is not None or lang == "en"
                else "",
            )
            for w in ev.warnings
        ),
        rules=tuple(component_view(r, lang, m) for r in prov.rules),
        library=prov.library,
        version=prov.version,
        schema_version=ev.schema_version,
        seed=m.dash if prov.seed is None else str(prov.seed),
        data_source=prov.data_source or m.dash,
        reliability=reliability_views(ev, lang, m),
        best=best,
        worst=worst,
        summary_lines=summary_lines(
            m=m,
            respondents=d.respondents,
            aggregate=aggregate,
            period=period,
            rows=rows,
            best=best,
            worst=worst,
            scheme=main_scheme,
            survey_wide=wide,
            recommendations=recs,
            level=confidence_text,
        ),
        claims=tuple(claims(rows, best, worst, m, confidence_text))
        if best and worst and best[0].rank != worst[0].rank
        else (),
        generated=generated_date(m),
        item_labels=tuple(
            element_name(ev, i.element, lang)
            if (i := infos.get(item_id)) is not None and i.element
            else (i.text.get(lang) if i is not None else item_id)
            for item_id in item_ids
        ),
        skm=build_skm(ev, m, names),
    )
