"""``evaluate``: responses in, an :class:`Evaluation` out.

The pipeline only orchestrates: a scoring method scores, a category scheme categorises, ranks
are assigned, rules recommend. Every policy is a plugin, so new methods, schemes and rules
arrive without this module changing.
"""

from __future__ import annotations

import functools
import importlib.metadata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .aggregates import TableAggregates
from .components import Component
from .errors import PluginError, PublicevalError
from .methods import MethodResult, ScoringContext, ScoringMethod
from .plugins import PluginHost, component_base, get_host
from .profile_summary import described
from .published import PublishedScores
from .ranking import competition_ranks
from .reject_warnings import kept_with_notes
from .rejects import RejectLog
from .reliability import reliability
from .response import Response
from .results import (
    Category,
    ComponentInfo,
    DataQuality,
    DimensionReliability,
    Evaluation,
    EvaluationWarning,
    ItemInfo,
    OPDResult,
    Provenance,
    SchemeInfo,
    Score,
    ScoreScale,
    SurveyWideResult,
)
from .rules import RecommendationRule, run_rules
from .schemes import CategoryScheme, band_of, check_bands, outside_bands_warning, scale_label_bands
from .statistics import StatisticsOptions
from .survey import Survey
from .table import ResponseTable
from .text import Text
from .uncertainty import attach_uncertainty, design_choices, variance_options

__all__ = ["ComponentSpec", "evaluate", "library_version", "run_rules"]

#: A plugin named by string, given as an instance, or as ``(name, options)``.
ComponentSpec = str | Component | tuple[str, Mapping[str, Any]]
#: How many reject entries an evaluation carries in full (the count always covers all).
MAX_REJECTS_IN_RESULT = 1000

#: Name under which survey-wide items are categorised by their own scale's labels.
SCALE_LABELS = "scale-labels"


@functools.cache
def library_version() -> str:
    """The installed version of publiceval."""
    try:
        return importlib.metadata.version("publiceval")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def _instantiate(
    spec: ComponentSpec, options: Mapping[str, Any] | None, kind: str, host: PluginHost
) -> tuple[Any, str | None]:
    """A component from a spec, and the plugin that provided it (None for a given instance)."""
    base = component_base(kind)
    if isinstance(spec, Component):
        if not isinstance(spec, base):
            raise PluginError(f"expected a {base.__name__}; found {type(spec).__name__}")
        return spec, None
    if isinstance(spec, tuple):
        spec, options = spec
    cls = getattr(host, kind[:-1])(spec)
    return cls.create(options), host.provider(kind, spec)


def _info(component: Component, plugin: str | None) -> ComponentInfo:
    title = component.title if (component.title.id or component.title.en) else None
    return ComponentInfo(
        name=component.name, plugin=plugin, options=component.options_dict(), title=title
    )


def _scheme_infos(
    main: CategoryScheme | None, compared: Sequence[CategoryScheme], scale: ScoreScale
) -> list[SchemeInfo]:
    """Each scheme used, once by name (the main one first), with all its bands on ``scale``."""
    out: list[SchemeInfo] = []
    for scheme, is_main in [(main, True), *((c, False) for c in compared)]:
        if scheme is not None and all(s.name != scheme.name for s in out):
            out.append(scheme.describe(scale, main=is_main))
    return out


#: The statistics options ``evaluate()`` took as keyword arguments before ``statistics=``.
LEGACY_STATISTICS = (
    "confidence",
    "seed",
    "uncertainty",
    "draws",
    "rank_method",
    "adequacy",
    "suppress_inadequate",
    "pairwise",
    "reliability",
)


def evaluate(
    survey: Survey,
    responses: ResponseTable
    | TableAggregates
    | PublishedScores
    | Iterable[Mapping[str, Any] | Response],
    *,
    method: ComponentSpec = "mean",
    method_options: Mapping[str, Any] | None = None,
    scheme: ComponentSpec | None = None,
    scheme_options: Mapping[str, Any] | None = None,
    compare: Sequence[ComponentSpec] = (),
    rules: Sequence[ComponentSpec] = (),
    statistics: StatisticsOptions | Mapping[str, Any] | None = None,
    rank_precision: int | None = None,
    host: PluginHost | None = None,
    **deprecated: Any,
) -> Evaluation:
    """Score, categorise, rank and recommend.

    :param survey: the instrument and its OPDs.
    :param responses: a :class:`ResponseTable`, merged :class:`TableAggregates` (chunked or
        distributed data), rows (dicts or :class:`Response`), or
        :class:`PublishedScores` when only published OPD-level figures exist.
    :param method: scoring method name (default ``"mean"``), instance, or ``(name, options)``.
    :param scheme: category scheme for the OPD scores, if any.
    :param compare: further schemes whose categories are reported side by side.
    :param rules: recommendation rules to run, in any order (output is sorted).
    :param statistics: a :class:`StatisticsOptions` (or a dict of its keys, the same as the
        ``[statistics]`` table of a study file): confidence level, seed, uncertainty (rank
        intervals, tiers, category probabilities), draws, rank method, sample adequacy,
        suppression of inadequate samples, pairwise comparisons and reliability (Cronbach's α
        per dimension, in ``Evaluation.reliability``; respondent-level rows only).
    :param rank_precision: compare scores at this many decimals when ranking, so values a
        report prints the same share a rank.
    :param host: the plugin host that resolves names (default: the global one). What later
        stages need (scheme bands, titles) is copied from it into the evaluation.
    :param deprecated: the statistics options as separate keyword arguments, as before
        ``statistics`` existed (``confidence``, ``seed``, ``uncertainty``, ``draws``,
        ``rank_method``, ``adequacy``, ``suppress_inadequate``, ``pairwise``,
        ``reliability``): each still works, with a :class:`DeprecationWarning`, and wins over
        the same key in ``statistics``.
    :returns: an :class:`Evaluation` that serialises to stable JSON.
    """
    host = host or get_host()
    unknown = sorted(set(deprecated) - set(LEGACY_STATISTICS))
    if unknown:
        raise TypeError(f"evaluate() got an unexpected keyword argument {unknown[0]!r}")
    confidence = deprecated.get("confidence")
    if confidence is not None and not (isinstance(confidence, (int, float)) and 0 < confidence < 1):
        raise PublicevalError(f"confidence must lie between 0 and 1; found {confidence}")
    stats_options = StatisticsOptions.merged(
        statistics, {key: deprecated.get(key) for key in LEGACY_STATISTICS}
    )
    confidence = stats_options.confidence
    seed = stats_options.seed
    if not isinstance(responses, (ResponseTable, PublishedScores, TableAggregates)):
        responses = ResponseTable.from_rows(survey, responses)
    if responses.survey != survey:
        raise PublicevalError(
            "the responses were validated against a different survey than the one given"
        )
    scorer: ScoringMethod
    scorer, method_plugin = _instantiate(method, method_options, "methods", host)
    schemer: CategoryScheme | None = None
    scheme_plugin = None
    if scheme is not None:
        schemer, scheme_plugin = _instantiate(scheme, scheme_options, "schemes", host)
    compared: list[tuple[CategoryScheme, str | None]] = [
        _instantiate(s, None, "schemes", host) for s in compare
    ]
    rule_objs: list[tuple[RecommendationRule, str | None]] = [
        _instantiate(r, None, "rules", host) for r in rules
    ]
    population = np.array(
        [np.nan if o.population is None else o.population for o in survey.opds], dtype=np.float64
    )
    context = ScoringContext(confidence=confidence, seed=seed, population=population)
    dims: list[DimensionReliability] | None = None
    design = design_choices(survey, responses, stats_options)
    with variance_options(design.variance):
        if isinstance(responses, PublishedScores):
            result = scorer.score_published(responses, context)
        elif isinstance(responses, TableAggregates):
            result = scorer.score_aggregates(responses, context)
        else:
            result = scorer.score(responses, context)
    rejects = RejectLog() if isinstance(responses, PublishedScores) else responses.rejects
    respondents = 0 if isinstance(responses, PublishedScores) else responses.n_respondents
    data_source = responses.source
    if isinstance(responses, ResponseTable) and stats_options.reliability:
        dims = _reliability(responses, confidence)
        # mirrored for 1.0 readers; reports read the typed ``Evaluation.reliability``
        result.extras.setdefault("reliability", [d.model_dump(mode="json") for d in dims])
    warnings = list(result.warnings) + design.warnings
    if stats_options.reliability and not isinstance(responses, ResponseTable):
        text = Text(
            id="reliabilitas instrumen (alfa Cronbach) memerlukan data per responden; "
            "tidak dihitung dari agregat",
            en="instrument reliability (Cronbach's alpha) needs respondent-level rows; "
            "it is not computed from aggregates",
        )
        warnings.append(
            EvaluationWarning(code="reliability_unavailable", message=text.en, text=text)
        )
    opd_results = _opd_results(
        survey, result, schemer, [c for c, _ in compared], rank_precision, warnings
    )
    opd_results = attach_uncertainty(
        opd_results,
        result,
        schemer,
        stats_options,
        population={o.id: o.population for o in survey.opds},
        confidence=confidence,
        seed=seed,
        rank_precision=rank_precision,
        warnings=warnings,
        provenance=design.provenance,
    )
    wide = _survey_wide(survey, result)
    if rejects.rows_rejected:
        reasons = ", ".join(f"{k} {v}" for k, v in rejects.by_reason().items())
        text = Text(
            id=f"{rejects.rows_rejected} dari {rejects.rows_read} baris ditolak: {reasons}",
            en=f"{rejects.rows_rejected} of {rejects.rows_read} rows were rejected: {reasons}",
        )
        warnings.append(EvaluationWarning(code="rows_rejected", message=text.en, text=text))
    warnings += kept_with_notes(rejects)
    # what a reader noticed about the file (a legacy encoding, skipped rows, absent columns)
    for note in getattr(responses, "warnings", ()):
        warnings.append(EvaluationWarning(code="data_note", message=str(note)))
    period = None
    if survey.period_start or survey.period_end:
        period = "/".join(str(d) for d in (survey.period_start, survey.period_end) if d)
    evaluation = Evaluation(
        title=survey.title,
        city=survey.city,
        organisation=survey.organisation,
        texts=survey.bilingual_texts(),
        period=period,
        period_start=survey.period_start,
        period_end=survey.period_end,
        opds=opd_results,
        survey_wide=wide,
        items=_item_infos(survey),
        warnings=warnings,
        data=DataQuality(
            rows_read=rejects.rows_read,
            rows_used=rejects.rows_used,
            rows_rejected=rejects.rows_rejected,
            respondents=respondents,
            reasons=rejects.by_reason(),
            rejects=rejects.entries[:MAX_REJECTS_IN_RESULT],
            rejects_truncated=len(rejects.entries) > MAX_REJECTS_IN_RESULT,
        ),
        provenance=Provenance(
            version=library_version(),
            method=_info(scorer, method_plugin),
            scheme=_info(schemer, scheme_plugin) if schemer else None,
            compared_schemes=[_info(c, p) for c, p in compared],
            rules=[_info(r, p) for r, p in rule_objs],
            confidence=confidence,
            seed=seed,
            statistics={**stats_options.provenance(), **design.provenance},
            data_source=data_source,
        ),
        schemes=_scheme_infos(schemer, [c for c, _ in compared], result.scale),
        reliability=dims,
        **described(survey, responses),
        extras=result.extras,
    )
    return run_rules(evaluation, [r for r, _ in rule_objs])


def _reliability(table: ResponseTable, confidence: float) -> list[DimensionReliability]:
    """Cronbach's α per dimension of the instrument (respondent-level data only)."""
    if table.per_opd.n_rows < 2 or len(table.survey.opd_items) < 2:
        return []
    return reliability(table, level=confidence)


def _opd_results(
    survey: Survey,
    result: MethodResult,
    scheme: CategoryScheme | None,
    compared: Sequence[CategoryScheme],
    rank_precision: int | None,
    warnings: list[EvaluationWarning],
) -> list[OPDResult]:
    values = [
        result.opd_scores[o.id].value if o.id in result.opd_scores else None for o in survey.opds
    ]
    ranks = competition_ranks(values, precision=rank_precision)
    out = []
    for o, value, rank in zip(survey.opds, values, ranks, strict=True):
        score = result.opd_scores.get(o.id)
        if score is None or value is None:
            text = Text(id=f"OPD {o.id!r} tidak memiliki skor", en=f"OPD {o.id!r} has no score")
            warnings.append(
                EvaluationWarning(code="no_score", message=text.en, text=text, target=o.id)
            )
        category = _categorize(scheme, value, result.scale) if scheme else None
        if scheme is not None and value is not None and category is None:
            warnings.append(outside_bands_warning(scheme.name, o.id, value))
        cats = {
            c.name: cat
            for c in compared
            if (cat := _categorize(c, value, result.scale)) is not None
        }
        if category is not None:
            cats.setdefault(category.scheme, category)
        out.append(
            OPDResult(
                opd=o.id,
                name=o.name,
                short_name=o.short_name,
                tags=list(o.tags),
                score=score or _empty_score(result.scale),
                rank=rank,
                category=category,
                categories=cats,
                items=result.item_scores.get(o.id, []),
            )
        )
    out.sort(key=lambda r: (r.rank is None, r.rank or 0, r.opd))
    return out


def _empty_score(scale: ScoreScale) -> Score:
    return Score(value=None, scale=scale, notes=["no answers"])


def _categorize(scheme: CategoryScheme, value: float | None, scale: ScoreScale) -> Category | None:
    return None if value is None else scheme.categorize(value, scale)


def _survey_wide(survey: Survey, result: MethodResult) -> list[SurveyWideResult]:
    out = []
    for item in survey.survey_items:
        item_score = result.survey_wide.get(item.id)
        if item_score is None:
            continue
        scale = survey.scale_of(item)
        category = None
        value = item_score.score.value
        if value is not None and len(scale.labels) >= 2:
            labels = [(lab.value, lab.label) for lab in scale.labels]
            bands = check_bands(SCALE_LABELS, scale_label_bands(scale.min, scale.max, labels))
            category = band_of(SCALE_LABELS, bands, value)
        out.append(
            SurveyWideResult(
                item=item.id,
                text=item.text,
                score=item_score.score,
                category=category,
                distribution=item_score.distribution,
            )
        )
    return out


def _item_infos(survey: Survey) -> list[ItemInfo]:
    """Every item with its text and scale labels, for reports."""
    out = []
    for item in survey.items:
        scale = survey.scale_of(item)
        out.append(
            ItemInfo(
                id=item.id,
                text=item.text,
                scope=item.scope,
                dimension=item.dimension,
                element=item.element,
                role=item.role,
                reverse=item.reverse,
                scale_min=scale.min,
                scale_max=scale.max,
                labels={str(lab.value): lab.label for lab in scale.labels},
            )
        )
    return out
