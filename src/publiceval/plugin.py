"""The plugin-author kit: everything a third party needs to write a publiceval plugin.

This module is for people who *extend* publiceval with a scoring method, a category scheme, a
recommendation rule, a reader or a reporter. People who *use* publiceval to evaluate a survey
need only the flat :mod:`publiceval` namespace (``Survey``, ``evaluate``, ``load_study``,
``Evaluation``, ...); tests of a plugin get fixtures from :mod:`publiceval.testing`.

What is here:

- the hook marker :data:`hookimpl` (also available as ``publiceval.hookimpl``);
- the base classes a plugin subclasses: :class:`ScoringMethod` (or
  :class:`AggregateScoringMethod`, for a method computed from mergeable aggregates, which then
  runs in memory, in chunks and on Dask alike), :class:`CategoryScheme`,
  :class:`RecommendationRule`, :class:`Reader` (and :class:`TabularReader` for file formats that
  parse into text cells), :class:`Reporter`, with :class:`Component` and :class:`NoOptions`;
- the plugin host (:class:`PluginHost`, :func:`get_host`, :func:`get_plugins`, :func:`reset_host`);
- what those classes receive and return: :class:`ScoringContext`, :class:`MethodResult`,
  :class:`Band`, :class:`SchemeOptions`, :class:`RawChunk`, :class:`AnswerBlock`, the result models a
  rule or reporter reads and builds, and the survey and table models;
- helpers the built-in plugins are written with: answers oriented and scored
  (:func:`oriented`, :func:`make_scores`, :func:`survey_wide_scores`, ...), design-based estimates
  (:func:`item_estimates`, :class:`ItemEstimates`, :class:`TableAggregates`), intervals for shares
  and ranks, cell parsing, and :func:`read_responses` to run a reader through every layout.

Built-in plugins (``publiceval._core.default_plugins``) use only names exported here or by
:mod:`publiceval`; a test checks it. Everything under ``publiceval._core`` is private: its module
paths may change without notice, the names below do not.
"""

from __future__ import annotations

from ._core.aggregate_scoring import (
    aggregate_combined_item_scores,
    aggregate_distributions,
    aggregate_item_scores,
    aggregate_survey_wide,
    estimates_of,
    indicator_estimates,
    oriented_indicator,
    survey_wide_scores,
)
from ._core.aggregates import Indicator, TableAggregates, table_aggregates
from ._core.cells import CellProblem, parse_answer
from ._core.components import Component, NoOptions
from ._core.declarative import (
    CITY_FIELDS,
    ITEM_FIELDS,
    LANGS,
    OPD_FIELDS,
    SURVEY_ITEM_FIELDS,
    CategoryCondition,
    OPDConditions,
    OPDMatch,
    RankCondition,
    RuleContext,
    RuleError,
    SurveyItemCondition,
    TagCondition,
    TemplatedOptions,
    Threshold,
    check_slug,
    check_survey_item_category,
    check_text,
    city_recommendation,
    opd_recommendation,
    rule_recommendation,
)
from ._core.errors import (
    DataError,
    PluginClashError,
    PluginError,
    PublicevalError,
    StudyError,
    SurveyError,
)
from ._core.estimation import Design, GroupEstimate, ItemEstimates, item_estimates, t_interval
from ._core.hookspecs import hookimpl
from ._core.ingest import (
    CodedCells,
    KeepColumns,
    LayoutKind,
    LayoutSpec,
    MaskedInts,
    RawChunk,
    Reader,
    TabularReader,
    column_letter,
    read_responses,
)
from ._core.methods import AggregateScoringMethod, MethodResult, ScoringContext, ScoringMethod
from ._core.plugin_registry import PluginClash
from ._core.plugins import PluginHost, PluginInfo, get_host, get_plugins, reset_host
from ._core.proportion_scores import with_proportion_interval
from ._core.published import PLACEHOLDER_NOTE, PublishedScore, PublishedScores
from ._core.rejects import Reject, RejectLog, RejectReason
from ._core.report.context import build_context
from ._core.report.formatting import percent_text
from ._core.report.infographic import render_infographic
from ._core.report.messages import Messages
from ._core.report.pdf import render_pdf
from ._core.report.plain import with_names
from ._core.report.render import render_html, render_markdown
from ._core.report.xlsx import render_xlsx
from ._core.reporters import Reporter
from ._core.results import (
    AdequacyResult,
    Band,
    Category,
    ComponentInfo,
    DataQuality,
    DimensionReliability,
    Evaluation,
    EvaluationWarning,
    Evidence,
    Interval,
    ItemInfo,
    ItemReliability,
    ItemScore,
    OPDResult,
    OPDUncertainty,
    PairwiseResult,
    Provenance,
    RankInterval,
    Recommendation,
    SchemeInfo,
    Score,
    ScoreScale,
    SurveyWideResult,
)
from ._core.rules import RecommendationRule
from ._core.schemes import CategoryScheme, SchemeOptions, scale_label_bands
from ._core.scoring import (
    combine_per_group,
    combined_item_scores,
    common_scale,
    distribution_counts,
    distribution_dicts,
    distributions,
    histogram_counts,
    item_coefficients,
    item_score_map,
    make_scores,
    mean_item_scores,
    normalize_name,
    opd_estimates,
    oriented,
    paired_items,
    performance_items,
    scale_range,
    with_estimate,
)
from ._core.stats import category_probabilities, rank_intervals, tiers
from ._core.stats.proportions import effective_n, logit_interval, wilson_interval
from ._core.survey import OPD, WEIGHT_TOLERANCE, Item, Scale, ScaleLabel, Survey, normalize_label
from ._core.table import AnswerBlock, ColumnMap, ResponseTable
from ._core.text import Lang, Text, clean_text, format_number, json_safe, one_line

__all__ = [
    "CITY_FIELDS",
    "ITEM_FIELDS",
    "LANGS",
    "OPD",
    "OPD_FIELDS",
    "PLACEHOLDER_NOTE",
    "SURVEY_ITEM_FIELDS",
    "WEIGHT_TOLERANCE",
    "AdequacyResult",
    "AggregateScoringMethod",
    "AnswerBlock",
    "Band",
    "Category",
    "CategoryCondition",
    "CategoryScheme",
    "CellProblem",
    "CodedCells",
    "ColumnMap",
    "Component",
    "ComponentInfo",
    "DataError",
    "DataQuality",
    "Design",
    "DimensionReliability",
    "Evaluation",
    "EvaluationWarning",
    "Evidence",
    "GroupEstimate",
    "Indicator",
    "Interval",
    "Item",
    "ItemEstimates",
    "ItemInfo",
    "ItemReliability",
    "ItemScore",
    "KeepColumns",
    "Lang",
    "LayoutKind",
    "LayoutSpec",
    "MaskedInts",
    "Messages",
    "MethodResult",
    "NoOptions",
    "OPDConditions",
    "OPDMatch",
    "OPDResult",
    "OPDUncertainty",
    "PairwiseResult",
    "PluginClash",
    "PluginClashError",
    "PluginError",
    "PluginHost",
    "PluginInfo",
    "Provenance",
    "PublicevalError",
    "PublishedScore",
    "PublishedScores",
    "RankCondition",
    "RankInterval",
    "RawChunk",
    "Reader",
    "Recommendation",
    "RecommendationRule",
    "Reject",
    "RejectLog",
    "RejectReason",
    "Reporter",
    "ResponseTable",
    "RuleContext",
    "RuleError",
    "Scale",
    "ScaleLabel",
    "SchemeInfo",
    "SchemeOptions",
    "Score",
    "ScoreScale",
    "ScoringContext",
    "ScoringMethod",
    "StudyError",
    "Survey",
    "SurveyError",
    "SurveyItemCondition",
    "SurveyWideResult",
    "TableAggregates",
    "TabularReader",
    "TagCondition",
    "TemplatedOptions",
    "Text",
    "Threshold",
    "aggregate_combined_item_scores",
    "aggregate_distributions",
    "aggregate_item_scores",
    "aggregate_survey_wide",
    "build_context",
    "category_probabilities",
    "check_slug",
    "check_survey_item_category",
    "check_text",
    "city_recommendation",
    "clean_text",
    "column_letter",
    "combine_per_group",
    "combined_item_scores",
    "common_scale",
    "distribution_counts",
    "distribution_dicts",
    "distributions",
    "effective_n",
    "estimates_of",
    "format_number",
    "get_host",
    "get_plugins",
    "histogram_counts",
    "hookimpl",
    "indicator_estimates",
    "item_coefficients",
    "item_estimates",
    "item_score_map",
    "json_safe",
    "logit_interval",
    "make_scores",
    "mean_item_scores",
    "normalize_label",
    "normalize_name",
    "one_line",
    "opd_estimates",
    "opd_recommendation",
    "oriented",
    "oriented_indicator",
    "paired_items",
    "parse_answer",
    "percent_text",
    "performance_items",
    "rank_intervals",
    "read_responses",
    "render_html",
    "render_infographic",
    "render_markdown",
    "render_pdf",
    "render_xlsx",
    "reset_host",
    "rule_recommendation",
    "scale_label_bands",
    "scale_range",
    "survey_wide_scores",
    "t_interval",
    "table_aggregates",
    "tiers",
    "wilson_interval",
    "with_estimate",
    "with_names",
    "with_proportion_interval",
]
