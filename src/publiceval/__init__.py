"""publiceval: an honest evaluation of public services from citizens' survey answers.

Three lines evaluate a survey::

    import publiceval
    study = publiceval.load_study("examples/serang/study.toml")
    print(study.evaluate().to_json())
"""

from __future__ import annotations

from ._core.aggregates import TableAggregates
from ._core.chunked import evaluate_file
from ._core.components import Component, NoOptions
from ._core.errors import DataError, PluginError, PublicevalError, StudyError, SurveyError
from ._core.estimation import Design, GroupEstimate, ItemEstimates, item_estimates
from ._core.hookspecs import hookimpl
from ._core.methods import MethodResult, ScoringContext, ScoringMethod
from ._core.pipeline import evaluate, library_version
from ._core.plugins import PluginHost, PluginInfo, get_host, get_plugins
from ._core.published import PublishedScore, PublishedScores
from ._core.readers import Reader
from ._core.rejects import Reject, RejectLog, RejectReason
from ._core.reporters import Reporter
from ._core.response import Response
from ._core.results import (
    Category,
    ComponentInfo,
    DataQuality,
    Evaluation,
    EvaluationWarning,
    Evidence,
    Interval,
    ItemInfo,
    ItemScore,
    OPDResult,
    Provenance,
    Recommendation,
    Score,
    ScoreScale,
    SurveyWideResult,
)
from ._core.rules import RecommendationRule
from ._core.schemes import Band, CategoryScheme, SchemeOptions
from ._core.study import Study, load_study
from ._core.survey import OPD, Item, Scale, ScaleLabel, Survey
from ._core.table import AnswerBlock, ColumnMap, ResponseTable
from ._core.text import Text

__version__ = library_version()

__all__ = [
    "OPD",
    "AnswerBlock",
    "Band",
    "Category",
    "CategoryScheme",
    "ColumnMap",
    "Component",
    "ComponentInfo",
    "DataError",
    "DataQuality",
    "Design",
    "Evaluation",
    "EvaluationWarning",
    "Evidence",
    "GroupEstimate",
    "Interval",
    "Item",
    "ItemEstimates",
    "ItemInfo",
    "ItemScore",
    "MethodResult",
    "NoOptions",
    "OPDResult",
    "PluginError",
    "PluginHost",
    "PluginInfo",
    "Provenance",
    "PublicevalError",
    "PublishedScore",
    "PublishedScores",
    "Reader",
    "Recommendation",
    "RecommendationRule",
    "Reject",
    "RejectLog",
    "RejectReason",
    "Reporter",
    "Response",
    "ResponseTable",
    "Scale",
    "ScaleLabel",
    "SchemeOptions",
    "Score",
    "ScoreScale",
    "ScoringContext",
    "ScoringMethod",
    "Study",
    "StudyError",
    "Survey",
    "SurveyError",
    "SurveyWideResult",
    "TableAggregates",
    "Text",
    "__version__",
    "evaluate",
    "evaluate_file",
    "get_host",
    "get_plugins",
    "hookimpl",
    "item_estimates",
    "library_version",
    "load_study",
]
