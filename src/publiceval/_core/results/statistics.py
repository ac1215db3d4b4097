"""Typed statistics of an evaluation: rank intervals, tiers, category probabilities,
pairwise comparisons, sample adequacy, and instrument reliability."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from .base import FROZEN
from .scores import Interval


def _omit_none(value: object) -> bool:
    return value is None


class RankInterval(BaseModel):
    """The ranks an OPD may hold at the evaluation's confidence level."""

    model_config = FROZEN

    low: int
    high: int
    level: float
    method: str
    """``"simultaneous"`` or ``"marginal"``."""


class AdequacyResult(BaseModel):
    """Whether an OPD's sample is adequate under the chosen criterion."""

    model_config = FROZEN

    adequate: bool | None
    """None when the criterion is ``"none"``."""
    n: int
    required: float | None = None
    criterion: str


class PairwiseResult(BaseModel):
    """The OPDs this one is significantly better and worse than (Holm-adjusted)."""

    model_config = FROZEN

    better_than: list[str] = Field(default_factory=list)
    worse_than: list[str] = Field(default_factory=list)
    method: str = "holm"
    level: float = 0.95


class SmallAreaResult(BaseModel):
    """An OPD's empirical-Bayes (Fay–Herriot) estimate, beside its direct score.

    With ``[statistics] small_area`` on, ranks, rank intervals, tiers, pairwise tests and the
    main scheme's category use this estimate and ``rmse``; ``score`` stays the direct one.
    """

    model_config = FROZEN

    estimate: float
    rmse: float
    """Root of the Prasad–Rao mean squared error (used as the SE)."""
    ci: Interval
    weight: float
    """Weight on the direct score (1: kept as it is, 0: replaced by the synthetic estimate)."""
    synthetic: float
    """What the model predicts from the covariates alone (the city mean, or by tags)."""
    model: str


class OPDUncertainty(BaseModel):
    """What the statistics say about one OPD's score, rank and category.

    Absent parts are left out of the JSON (as in 1.0, where this was a dict). Reading by key
    (``u["rank_interval"]["high"]``, ``"tier" in u``) gives the 1.0 dicts, so code written
    against them keeps working; read the attributes for typed values.
    """

    model_config = FROZEN

    rank_interval: RankInterval | None = Field(default=None, exclude_if=_omit_none)
    tier: int | None = Field(default=None, exclude_if=_omit_none)
    """1 is the top group the data can tell apart from the rest."""
    category_probabilities: dict[str, float] | None = Field(default=None, exclude_if=_omit_none)
    """Probability of each band of the main scheme, by band code (summing to 1)."""
    category_probability: float | None = Field(default=None, exclude_if=_omit_none)
    """That of the category reported."""
    adequacy: AdequacyResult | None = Field(default=None, exclude_if=_omit_none)
    pairwise: PairwiseResult | None = Field(default=None, exclude_if=_omit_none)
    small_area: SmallAreaResult | None = Field(default=None, exclude_if=_omit_none)

    def _as_dict(self) -> dict[str, Any]:
        """The present parts as the 1.0 dict held them (plain values, no models)."""
        out: dict[str, Any] = {}
        for key in type(self).model_fields:
            value = getattr(self, key)
            if value is not None:
                out[key] = value.model_dump() if isinstance(value, BaseModel) else value
        return out

    def __getitem__(self, key: str) -> Any:
        return self._as_dict()[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and getattr(self, key, None) is not None

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        return iter(self._as_dict())

    def __len__(self) -> int:
        return len(self._as_dict())

    def items(self) -> list[tuple[str, Any]]:
        """The present parts and their 1.0 values."""
        return list(self._as_dict().items())

    def get(self, key: str, default: Any = None) -> Any:
        """The 1.0 value of ``key`` when present, else ``default``."""
        return self._as_dict().get(key, default)

    def keys(self) -> list[str]:
        """The present parts."""
        return list(self._as_dict())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._as_dict() == dict(other)
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]


class ItemReliability(BaseModel):
    """One item's diagnostics within its dimension."""

    model_config = FROZEN

    item: str
    reverse: bool = False
    alpha_if_deleted: float | None = None
    item_total: float | None = None
    """Corrected item–total correlation (with the sum of the dimension's other items)."""
    notes: list[str] = Field(default_factory=list)


class DimensionReliability(BaseModel):
    """Cronbach's α of one dimension (or of all items when the survey has no dimensions)."""

    model_config = FROZEN

    dimension: str | None
    n: int
    alpha: float | None
    """Pooled within OPDs: differences between OPDs do not count as consistency of the items."""
    ci: Interval | None = None
    alpha_total: float | None = None
    """α of all rows pooled across OPDs (inflated when OPDs differ); for comparison."""
    per_opd: dict[str, float] = Field(default_factory=dict)
    """α of each OPD with enough complete respondents (:data:`PER_OPD_MIN_N`)."""
    nan_policy: Literal["listwise", "pairwise"] = "listwise"
    items: list[ItemReliability] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
