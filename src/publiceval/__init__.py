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

import importlib
import sys
import typing
import warnings
from typing import TYPE_CHECKING, Any

# The public names, typed for type checkers; at run time ``__getattr__`` imports each on first
# use (``_LAZY``). (``typing.TYPE_CHECKING`` here, ``TYPE_CHECKING`` below: the block below is
# the deprecated names only, which tests/test_public_api.py checks.)
if typing.TYPE_CHECKING:
    from ._core.chunked import evaluate_file as evaluate_file
    from ._core.dask_backend import evaluate_dask as evaluate_dask
    from ._core.errors import DataError as DataError
    from ._core.errors import GateError as GateError
    from ._core.errors import PluginClashError as PluginClashError
    from ._core.errors import PluginError as PluginError
    from ._core.errors import PublicevalError as PublicevalError
    from ._core.errors import StudyError as StudyError
    from ._core.errors import SurveyError as SurveyError
    from ._core.hookspecs import hookimpl as hookimpl
    from ._core.pipeline import evaluate as evaluate
    from ._core.published import PublishedScore as PublishedScore
    from ._core.published import PublishedScores as PublishedScores
    from ._core.rejects import Reject as Reject
    from ._core.rejects import RejectLog as RejectLog
    from ._core.rejects import RejectReason as RejectReason
    from ._core.render_report import render as render
    from ._core.response import Response as Response
    from ._core.results import AdequacyResult as AdequacyResult
    from ._core.results import Band as Band
    from ._core.results import Category as Category
    from ._core.results import ComponentInfo as ComponentInfo
    from ._core.results import DataQuality as DataQuality
    from ._core.results import DimensionReliability as DimensionReliability
    from ._core.results import Evaluation as Evaluation
    from ._core.results import EvaluationWarning as EvaluationWarning
    from ._core.results import Evidence as Evidence
    from ._core.results import Interval as Interval
    from ._core.results import ItemInfo as ItemInfo
    from ._core.results import ItemReliability as ItemReliability
    from ._core.results import ItemScore as ItemScore
    from ._core.results import OPDResult as OPDResult
    from ._core.results import OPDUncertainty as OPDUncertainty
    from ._core.results import PairwiseResult as PairwiseResult
    from ._core.results import Provenance as Provenance
    from ._core.results import RankInterval as RankInterval
    from ._core.results import Recommendation as Recommendation
    from ._core.results import SchemeInfo as SchemeInfo
    from ._core.results import Score as Score
    from ._core.results import ScoreScale as ScoreScale
    from ._core.results import SurveyWideResult as SurveyWideResult
    from ._core.sample_size import krejcie_morgan as krejcie_morgan
    from ._core.sample_size import slovin as slovin
    from ._core.statistics import StatisticsOptions as StatisticsOptions
    from ._core.stats.adequacy import AdequacyOptions as AdequacyOptions
    from ._core.stats.raking import RakeResult as RakeResult
    from ._core.stats.raking import rake as rake
    from ._core.study import Study as Study
    from ._core.study import load_study as load_study
    from ._core.survey import OPD as OPD
    from ._core.survey import Item as Item
    from ._core.survey import Scale as Scale
    from ._core.survey import ScaleLabel as ScaleLabel
    from ._core.survey import Survey as Survey
    from ._core.table import ColumnMap as ColumnMap
    from ._core.table import ResponseTable as ResponseTable
    from ._core.text import Text as Text
    from ._core.validation import ValidationReport as ValidationReport
    from ._core.validation import validate_study as validate_study

    __version__: str

#: Public name → (module, attribute): imported on first use, so ``import publiceval`` (and the
#: CLI's ``--help``) costs numpy and pydantic's import, not scoring, readers and reports.
_LAZY: dict[str, tuple[str, str]] = {
    "evaluate_file": ("._core.chunked", "evaluate_file"),
    "evaluate_dask": ("._core.dask_backend", "evaluate_dask"),
    "DataError": ("._core.errors", "DataError"),
    "GateError": ("._core.errors", "GateError"),
    "PluginClashError": ("._core.errors", "PluginClashError"),
    "PluginError": ("._core.errors", "PluginError"),
    "PublicevalError": ("._core.errors", "PublicevalError"),
    "StudyError": ("._core.errors", "StudyError"),
    "SurveyError": ("._core.errors", "SurveyError"),
    "hookimpl": ("._core.hookspecs", "hookimpl"),
    "evaluate": ("._core.pipeline", "evaluate"),
    "PublishedScore": ("._core.published", "PublishedScore"),
    "PublishedScores": ("._core.published", "PublishedScores"),
    "Reject": ("._core.rejects", "Reject"),
    "RejectLog": ("._core.rejects", "RejectLog"),
    "RejectReason": ("._core.rejects", "RejectReason"),
    "render": ("._core.render_report", "render"),
    "Response": ("._core.response", "Response"),
    "AdequacyResult": ("._core.results", "AdequacyResult"),
    "Band": ("._core.results", "Band"),
    "Category": ("._core.results", "Category"),
    "ComponentInfo": ("._core.results", "ComponentInfo"),
    "DataQuality": ("._core.results", "DataQuality"),
    "DimensionReliability": ("._core.results", "DimensionReliability"),
    "Evaluation": ("._core.results", "Evaluation"),
    "EvaluationWarning": ("._core.results", "EvaluationWarning"),
    "Evidence": ("._core.results", "Evidence"),
    "Interval": ("._core.results", "Interval"),
    "ItemInfo": ("._core.results", "ItemInfo"),
    "ItemReliability": ("._core.results", "ItemReliability"),
    "ItemScore": ("._core.results", "ItemScore"),
    "OPDResult": ("._core.results", "OPDResult"),
    "OPDUncertainty": ("._core.results", "OPDUncertainty"),
    "PairwiseResult": ("._core.results", "PairwiseResult"),
    "Provenance": ("._core.results", "Provenance"),
    "RankInterval": ("._core.results", "RankInterval"),
    "Recommendation": ("._core.results", "Recommendation"),
    "SchemeInfo": ("._core.results", "SchemeInfo"),
    "Score": ("._core.results", "Score"),
    "ScoreScale": ("._core.results", "ScoreScale"),
    "SurveyWideResult": ("._core.results", "SurveyWideResult"),
    "krejcie_morgan": ("._core.sample_size", "krejcie_morgan"),
    "slovin": ("._core.sample_size", "slovin"),
    "StatisticsOptions": ("._core.statistics", "StatisticsOptions"),
    "AdequacyOptions": ("._core.stats.adequacy", "AdequacyOptions"),
    "RakeResult": ("._core.stats.raking", "RakeResult"),
    "rake": ("._core.stats.raking", "rake"),
    "Study": ("._core.study", "Study"),
    "load_study": ("._core.study", "load_study"),
    "OPD": ("._core.survey", "OPD"),
    "Item": ("._core.survey", "Item"),
    "Scale": ("._core.survey", "Scale"),
    "ScaleLabel": ("._core.survey", "ScaleLabel"),
    "Survey": ("._core.survey", "Survey"),
    "ColumnMap": ("._core.table", "ColumnMap"),
    "ResponseTable": ("._core.table", "ResponseTable"),
    "Text": ("._core.text", "Text"),
    "ValidationReport": ("._core.validation", "ValidationReport"),
    "validate_study": ("._core.validation", "validate_study"),
}

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
    "GateError",
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
    """Public names on first use; old names with a :class:`DeprecationWarning` that says where
    they live now."""
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module, __name__), attr)
        globals()[name] = value  # later lookups are plain attribute reads
        return value
    if name == "plugin":  # the plugin-author kit: ``publiceval.plugin`` after ``import publiceval``
        return importlib.import_module(".plugin", __name__)
    if name == "__version__":
        from ._core.pipeline import library_version as _library_version

        version = globals()["__version__"] = _library_version()
        return version
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
        from ._core.pipeline import library_version as _library_version

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
