"""publiceval: an honest evaluation of public services from citizens' survey answers.

Three lines evaluate a survey::

    import publiceval
    study = publiceval.load_study("examples/serang/study.toml")
    print(study.evaluate().to_json())
"""

from __future__ import annotations

from .aggregates import TableAggregates
from .chunked import evaluate_file
from .components import Component, NoOptions
from .errors import DataError, PluginError, PublicevalError, StudyError, SurveyError
from .estimation import Design, GroupEstimate, ItemEstimates, item_estimates
from .hookspecs import hookimpl
from .methods import MethodResult, ScoringContext, ScoringMethod
from .pipeline import evaluate, library_version
from .plugins import PluginHost, PluginInfo, get_host, get_plugins
from .published import PublishedScore, PublishedScores
from .readers import Reader
from .rejects import Reject, RejectLog, RejectReason
from .reporters import Reporter
from .response import Response
from .results import (
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
from .rules import RecommendationRule
from .schemes import Band, CategoryScheme, SchemeOptions
from .study import Study, load_study
from .survey import OPD, Item, Scale, ScaleLabel, Survey
from .table import AnswerBlock, ColumnMap, ResponseTable
from .text import Text

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
