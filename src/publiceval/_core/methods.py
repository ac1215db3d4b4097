"""Scoring methods: how answers become one score per OPD (and per item, and survey-wide)."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from pydantic import JsonValue

from .components import Component
from .errors import PublicevalError
from .estimation import Design
from .results import EvaluationWarning, ItemScore, Score, ScoreScale

if TYPE_CHECKING:
    from .published import PublishedScores
    from .table import ResponseTable

__all__ = ["MethodResult", "ScoringContext", "ScoringMethod"]


@dataclass(frozen=True)
class ScoringContext:
    """What a method may need besides the responses: confidence level, design, seed."""

    confidence: float = 0.95
    seed: int = 0
    population: NDArray[np.float64] | None = None
    """Population size per OPD in ``survey.opds`` order (NaN where unknown)."""

    def design_for(self, table: ResponseTable) -> Design:
        """The design of the table's per-OPD rows."""
        block = table.per_opd
        return Design(stratum=block.stratum, psu=block.psu, population=self.population)


@dataclass
class MethodResult:
    """Scores a method produced. Keys are OPD ids and survey-wide item ids."""

    scale: ScoreScale
    opd_scores: dict[str, Score]
    item_scores: dict[str, list[ItemScore]] = field(default_factory=dict)
    survey_wide: dict[str, ItemScore] = field(default_factory=dict)
    extras: dict[str, JsonValue] = field(default_factory=dict)
    warnings: list[EvaluationWarning] = field(default_factory=list)


class ScoringMethod(Component):
    """Base class of scoring-method plugins.

    Implement :meth:`score` for respondent-level data; override :meth:`score_published` when
    the method can also work from published OPD-level figures.
    """

    @abstractmethod
    def score(self, table: ResponseTable, context: ScoringContext) -> MethodResult:
        """Score every OPD and survey-wide item of ``table``."""

    def score_published(self, published: PublishedScores, context: ScoringContext) -> MethodResult:
        """Score from published aggregates; by default a method cannot."""
        raise PublicevalError(
            f"method {self.name!r} needs respondent-level data; it cannot score published aggregates"
        )
