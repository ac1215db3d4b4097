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
)
from ._core.aggregates import Indicator, TableAggregates, table_aggregates
from ._core.cells import CellProblem, parse_answer
from ._core.components import Component, NoOptions
from ._core.errors import DataError, PluginError, PublicevalError, StudyError, SurveyError
from ._core.estimation import Design, GroupEstimate, ItemEstimates, item_estimates, t_interval
from ._core.hookspecs import hookimpl
from ._core.ingest import (
    KeepColumns,
    LayoutKind,
    LayoutSpec,
    RawChunk,
    TabularReader,
    column_letter,
    read_responses,
)
from ._core.methods import AggregateScoringMethod, MethodResult, ScoringContext, ScoringMethod
from ._core.plugins import PluginHost, PluginInfo, get_host, get_plugins, reset_host
from ._core.proportion_scores import with_proportion_interval
from ._core.readers import Reader
from ._core.rejects import Reject, RejectLog, RejectReason
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
    survey_wide_scores,
    with_estimate,
)
from ._core.stats import category_probabilities, rank_intervals, tiers
from ._core.stats.proportions import effective_n, logit_interval, wilson_interval
from ._core.survey import OPD, Item, Scale, ScaleLabel, Survey, normalize_label
from ._core.table import AnswerBlock, ColumnMap, ResponseTable
from ._core.text import Lang, Text, format_number

__all__ = [
    "OPD",
    "AdequacyResult",
    "AggregateScoringMethod",
    "AnswerBlock",
    "Band",
    "Category",
    "CategoryScheme",
    "CellProblem",
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
    "MethodResult",
    "NoOptions",
    "OPDResult",
    "OPDUncertainty",
    "PairwiseResult",
    "PluginError",
    "PluginHost",
    "PluginInfo",
    "Provenance",
    "PublicevalError",
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
    "SurveyWideResult",
    "TableAggregates",
    "TabularReader",
    "Text",
    "aggregate_combined_item_scores",
    "aggregate_distributions",
    "aggregate_item_scores",
    "aggregate_survey_wide",
    "category_probabilities",
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
    "logit_interval",
    "make_scores",
    "mean_item_scores",
    "normalize_label",
    "normalize_name",
    "opd_estimates",
    "oriented",
    "oriented_indicator",
    "paired_items",
    "parse_answer",
    "performance_items",
    "rank_intervals",
    "read_responses",
    "reset_host",
    "scale_label_bands",
    "scale_range",
    "survey_wide_scores",
    "t_interval",
    "table_aggregates",
    "tiers",
    "wilson_interval",
    "with_estimate",
    "with_proportion_interval",
]
