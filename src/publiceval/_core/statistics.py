"""The one vocabulary of statistics options: the study file's ``[statistics]`` table, the
``statistics=`` argument of :func:`publiceval.evaluate` and the CLI all speak it."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from .stats.adequacy import AdequacyOptions

__all__ = ["StatisticsOptions"]


class StatisticsOptions(BaseModel):
    """Confidence level, random seed and what uncertainty an evaluation computes.

    In a study file this is the ``[statistics]`` table (``[statistics.adequacy]`` for
    ``adequacy``); in Python ``evaluate(survey, data, statistics=StatisticsOptions(...))`` or a
    dict of the same keys.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    confidence: float = Field(default=0.95, gt=0, lt=1)
    """Level of every confidence interval, rank interval and test."""
    seed: int = 0
    """Seed of the simulations, so results are reproducible."""
    uncertainty: bool = True
    """Rank intervals, tiers and category probabilities (see ``docs/statistics.md``)."""
    draws: int = Field(default=1000, ge=100, le=1_000_000)
    """Simulation draws for the rank critical values."""
    rank_method: Literal["simultaneous", "marginal"] = "simultaneous"
    adequacy: AdequacyOptions = Field(default_factory=AdequacyOptions)
    """Criterion (krejcie-morgan, slovin, min-n, max-cv, none), min_n, max_cv, margin; a
    criterion name alone is accepted."""
    suppress_inadequate: bool = False
    """Leave OPDs whose sample is inadequate out of the ranking (rank None)."""
    pairwise: bool = False
    """Add Holm-adjusted pairwise comparisons to each OPD."""
    reliability: bool = False
    """Add Cronbach's α per dimension of the instrument (respondent-level data only)."""
    small_n: int = Field(default=30, ge=1)
    """Below this many respondents an OPD is flagged ``small-sample``."""

    @field_validator("adequacy", mode="before")
    @classmethod
    def _criterion_name(cls, value: Any) -> Any:
        return {"criterion": value} if isinstance(value, str) else value

    @classmethod
    def merged(
        cls, statistics: StatisticsOptions | Mapping[str, Any] | None, old: Mapping[str, Any]
    ) -> StatisticsOptions:
        """``statistics`` (options, a dict of their keys, or None for the defaults) with the
        deprecated keyword arguments of ``evaluate`` that were given (not None), which win.

        Each given keyword raises a :class:`DeprecationWarning` naming it.
        """
        base = (
            statistics
            if isinstance(statistics, cls)
            else cls.model_validate(dict(statistics or {}))
        )
        given = {k: v for k, v in old.items() if v is not None}
        if not given:
            return base
        warnings.warn(
            "evaluate(" + ", ".join(f"{k}=" for k in given) + ") is deprecated; pass "
            "statistics=StatisticsOptions(" + ", ".join(f"{k}=..." for k in given) + ") "
            "(or a dict of the same keys) instead",
            DeprecationWarning,
            stacklevel=3,
        )
        return cls.model_validate({**base.model_dump(), **given})

    def provenance(self) -> dict[str, JsonValue]:
        """What ``Provenance.statistics`` records (confidence and seed have their own fields)."""
        return self.model_dump(mode="json", exclude={"confidence", "seed"})
