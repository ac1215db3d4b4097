"""What an evaluation returns: scores with their uncertainty, categories, ranks and recommendations.

All results are pydantic models that round-trip through JSON, and carry their provenance.
"""

from __future__ import annotations

from .base import SCHEMA_VERSION
from .evaluation import (
    ComponentInfo,
    DataQuality,
    Evaluation,
    EvaluationWarning,
    Evidence,
    ItemInfo,
    OPDResult,
    Provenance,
    Recommendation,
    SurveyWideResult,
)
from .profile import ProfileCount, ProfileSummary, Suggestion
from .scores import Band, Category, Interval, ItemScore, SchemeInfo, Score, ScoreScale
from .statistics import (
    AdequacyResult,
    DimensionReliability,
    ItemReliability,
    OPDUncertainty,
    PairwiseResult,
    RankInterval,
    SmallAreaResult,
)

__all__ = [
    "SCHEMA_VERSION",
    "AdequacyResult",
    "Band",
    "Category",
    "ComponentInfo",
    "DataQuality",
    "DimensionReliability",
    "Evaluation",
    "EvaluationWarning",
    "Evidence",
    "Interval",
    "ItemInfo",
    "ItemReliability",
    "ItemScore",
    "OPDResult",
    "OPDUncertainty",
    "PairwiseResult",
    "ProfileCount",
    "ProfileSummary",
    "Provenance",
    "RankInterval",
    "Recommendation",
    "SchemeInfo",
    "Score",
    "ScoreScale",
    "SmallAreaResult",
    "Suggestion",
    "SurveyWideResult",
]
