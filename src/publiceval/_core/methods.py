"""Scoring methods: how answers become one score per OPD (and per item, and survey-wide)."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import JsonValue

from .aggregates import Indicator, TableAggregates, table_aggregates
from .components import Component
from .errors import PublicevalError
from .estimation import Design
from .results import EvaluationWarning, ItemScore, Score, ScoreScale
from .table.policy import InvalidAnswer

if TYPE_CHECKING:
    from .published import PublishedScores
    from .survey import Survey
    from .table import ResponseTable

__all__ = [
    "AGGREGATE_METHODS",
    "AggregateScoringMethod",
    "MethodResult",
    "ScoringContext",
    "ScoringMethod",
]

#: The built-in methods that score from aggregates (named in errors; tests keep it in step).
AGGREGATE_METHODS = (
    "mean",
    "ikm-2017",
    "ikm-2004",
    "top-box",
    "nps",
    "csi",
    "ipa",
    "servqual",
)


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

    **Scoring from aggregates.** Data too large for memory (read in chunks) or spread over a
    cluster (Dask) reach a method as merged :class:`~publiceval._core.aggregates.TableAggregates`:
    sums of answers, their cross moments, PSU totals and answer histograms per OPD. A method
    whose score is a function of those (item means and their covariance, shares of answer
    levels) sets ``supports_aggregates = True`` and implements :meth:`score_aggregates`; the
    simplest way is to subclass :class:`AggregateScoringMethod`, whose :meth:`score` reduces the
    in-memory table to the same aggregates, so memory, chunks and Dask share one code path and
    give the same numbers. A method that needs 0/1 indicators of answers (a top-box share)
    names them in :meth:`aggregate_indicators`; one that reads only some items names them in
    :meth:`aggregate_items`, so only those are reduced. A method that cannot (a median needs
    every answer) keeps the default, which refuses with :attr:`aggregates_reason`.
    """

    supports_aggregates: ClassVar[bool] = False
    """Whether :meth:`score_aggregates` is implemented (chunked and distributed data)."""
    aggregates_reason: ClassVar[str] = (
        "it needs each respondent's answers, which merged aggregates do not keep"
    )
    """Why the method cannot score aggregates (used in the error when it is asked to)."""
    default_invalid_answer: ClassVar[InvalidAnswer] = "reject-row"
    """What an invalid answer does when the study's ``[data] invalid_answer`` does not say:
    ``reject-row``, or ``skip-answer`` for a method whose formula divides by the answers
    actually given (the SKM's NRR per element)."""

    @abstractmethod
    def score(self, table: ResponseTable, context: ScoringContext) -> MethodResult:
        """Score every OPD and survey-wide item of ``table``."""

    def aggregate_indicators(self, survey: Survey) -> tuple[Indicator, ...]:
        """0/1 answer indicators whose moments :meth:`score_aggregates` needs (default none)."""
        return ()

    def aggregate_items(self, survey: Survey) -> tuple[str, ...] | None:
        """The per-OPD items whose moments :meth:`score_aggregates` reads (None: all of them).

        Only these are reduced for the method, in memory and in chunks: less work, the same
        numbers.
        """
        return None

    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        """Score merged aggregates (chunked or distributed data); by default a method cannot."""
        raise PublicevalError(
            f"method {self.name!r} cannot score from aggregates (chunked or distributed data) "
            f"because {self.aggregates_reason}; evaluate the data in memory, or use a method "
            f"that can (supports_aggregates = True; built in: {', '.join(AGGREGATE_METHODS)})"
        )

    def score_published(self, published: PublishedScores, context: ScoringContext) -> MethodResult:
        """Score from published aggregates; by default a method cannot."""
        raise PublicevalError(
            f"method {self.name!r} needs respondent-level data; it cannot score published aggregates"
        )


class AggregateScoringMethod(ScoringMethod):
    """A scoring method computed from mergeable aggregates only.

    Implement :meth:`score_aggregates`; :meth:`score` reduces an in-memory table to the same
    aggregates and calls it, so in-memory, chunked and Dask evaluations share one code path.
    """

    supports_aggregates: ClassVar[bool] = True

    def score(self, table: ResponseTable, context: ScoringContext) -> MethodResult:
        """Reduce ``table`` to aggregates (with this method's indicators) and score those."""
        survey = table.survey
        aggregates = table_aggregates(
            table,
            respondents=False,
            indicators=self.aggregate_indicators(survey),
            items=self.aggregate_items(survey),
        )
        return self.score_aggregates(aggregates, context)

    @abstractmethod
    def score_aggregates(
        self, aggregates: TableAggregates, context: ScoringContext
    ) -> MethodResult:
        """Score merged aggregates of in-memory, chunked or distributed responses."""
