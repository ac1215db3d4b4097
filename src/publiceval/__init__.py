"""publiceval: an honest evaluation of public services from citizens' survey answers.

Three lines evaluate a survey::

    import publiceval
    study = publiceval.load_study("examples/serang/study.toml")
    print(study.evaluate().to_json())

This flat namespace is for people who *use* publiceval: the survey and its answers
(:class:`Survey`, :class:`ResponseTable`, ...), running an evaluation (:func:`evaluate`,
:func:`load_study`, :func:`evaluate_file`, :func:`evaluate_dask`, :func:`validate_study`, with
:class:`StatisticsOptions`), the
result a user reads (:class:`Evaluation` and its parts), survey planning and weighting helpers
(:func:`krejcie_morgan`, :func:`slovin`, :func:`rake`) and the errors. People who *extend*
publiceval with plugins import base classes and helpers from :mod:`publiceval.plugin`; the
pytest fixtures for plugin tests are in :mod:`publiceval.testing`. Everything under
``publiceval._core`` is private.

Names that moved to :mod:`publiceval.plugin` (the plugin host, base classes, estimation helpers)
are still importable from here, with a :class:`DeprecationWarning`.
"""

from __future__ import annotations

import sys
import warnings
from typing import TYPE_CHECKING, Any

from ._core.chunked import evaluate_file
from ._core.dask_backend import evaluate_dask
from ._core.errors import (
    DataError,
    PluginClashError,
    PluginError,
    PublicevalError,
    StudyError,
    SurveyError,
)
from ._core.hookspecs import hookimpl
from ._core.pipeline import evaluate
from ._core.pipeline import library_version as _library_version
from ._core.published import PublishedScore, PublishedScores
from ._core.rejects import Reject, RejectLog, RejectReason
from ._core.render_report import render
from ._core.response import Response
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
from ._core.sample_size import krejcie_morgan, slovin
from ._core.statistics import StatisticsOptions
from ._core.stats.adequacy import AdequacyOptions
from ._core.stats.raking import RakeResult, rake
from ._core.study import Study, load_study
from ._core.survey import OPD, Item, Scale, ScaleLabel, Survey
from ._core.table import ColumnMap, ResponseTable
from ._core.text import Text
from ._core.validation import ValidationReport, validate_study

if TYPE_CHECKING:  # the deprecated names, typed for type checkers (at run time: __getattr__)
    from ._core.pipeline import library_version as library_version
    from .plugin import AnswerBlock as AnswerBlock
    from .plugin import CategoryScheme as CategoryScheme
    from .plugin import Component as Component
    from .plugin import Design as Design
    from .plugin import GroupEstimate as GroupEstimate
    from .plugin import ItemEstimates as ItemEstimates
    from .plugin import MethodResult as MethodResult
    from .plugin import NoOptions as NoOptions
    from .plugin import PluginHost as PluginHost
    from .plugin import PluginInfo as PluginInfo
    from .plugin import Reader as Reader
    from .plugin import RecommendationRule as RecommendationRule
    from .plugin import Reporter as Reporter
    from .plugin import SchemeOptions as SchemeOptions
    from .plugin import ScoringContext as ScoringContext
    from .plugin import ScoringMethod as ScoringMethod
    from .plugin import TableAggregates as TableAggregates
    from .plugin import get_host as get_host
    from .plugin import get_plugins as get_plugins
    from .plugin import item_estimates as item_estimates

__version__ = _library_version()

__all__ = [
    "OPD",
    "AdequacyOptions",
    "AdequacyResult",
    "Band",
    "Category",
    "ColumnMap",
    "ComponentInfo",
    "DataError",
    "DataQuality",
    "DimensionReliability",
    "Evaluation",
    "EvaluationWarning",
    "Evidence",
    "Interval",
    "Item",
    "ItemInfo",
    "ItemReliability",
    "ItemScore",
    "OPDResult",
    "OPDUncertainty",
    "PairwiseResult",
    "PluginClashError",
    "PluginError",
    "Provenance",
    "PublicevalError",
    "PublishedScore",
    "PublishedScores",
    "RakeResult",
    "RankInterval",
    "Recommendation",
    "Reject",
    "RejectLog",
    "RejectReason",
    "Response",
    "ResponseTable",
    "Scale",
    "ScaleLabel",
    "SchemeInfo",
    "Score",
    "ScoreScale",
    "StatisticsOptions",
    "Study",
    "StudyError",
    "Survey",
    "SurveyError",
    "SurveyWideResult",
    "Text",
    "ValidationReport",
    "__version__",
    "evaluate",
    "evaluate_dask",
    "evaluate_file",
    "hookimpl",
    "krejcie_morgan",
    "load_study",
    "rake",
    "render",
    "slovin",
    "validate_study",
]

#: Names that used to be exported here and now live in :mod:`publiceval.plugin`.
_MOVED_TO_PLUGIN = frozenset(
    {
        "AnswerBlock",
        "CategoryScheme",
        "Component",
        "Design",
        "GroupEstimate",
        "ItemEstimates",
        "MethodResult",
        "NoOptions",
        "PluginHost",
        "PluginInfo",
        "Reader",
        "RecommendationRule",
        "Reporter",
        "SchemeOptions",
        "ScoringContext",
        "ScoringMethod",
        "TableAggregates",
        "get_host",
        "get_plugins",
        "item_estimates",
    }
)


def _getattr(name: str) -> Any:
    """Old names, with a :class:`DeprecationWarning` that says where they live now."""
    if name in _MOVED_TO_PLUGIN:
        from . import plugin

        # ``from publiceval import X`` asks twice: once from importlib (``hasattr``), then for the
        # user's line; warn once, pointing at the user's line
        if _from_importlib():
            return getattr(plugin, name)
        warnings.warn(
            f"publiceval.{name} moved to publiceval.plugin.{name} (the plugin-author kit); "
            f"import it with 'from publiceval.plugin import {name}'",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(plugin, name)
    if name == "library_version":
        if _from_importlib():
            return _library_version
        warnings.warn(
            "publiceval.library_version() is deprecated; read publiceval.__version__",
            DeprecationWarning,
            stacklevel=2,
        )
        return _library_version
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if not TYPE_CHECKING:
    __getattr__ = _getattr


def _from_importlib() -> bool:
    caller = sys._getframe(2).f_code.co_filename
    return caller.startswith("<frozen importlib")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
