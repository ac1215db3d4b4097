"""publiceval-spi: the KPK integrity-survey categories, and a median scoring method.

Two plugins in one package, both registered through the ``publiceval`` entry-point group:

- scheme ``spi``: the three bands the KPK (Komisi Pemberantasan Korupsi) uses to present its
  *Survei Penilaian Integritas* index on 0-100: *rentan* (vulnerable) 0-72.9, *waspada*
  (alert) 73-77.9, *terjaga* (well guarded) 78-100. The band edges come from public reports
  and are **unverified** against a KPK regulation; they are options a user can override.
- method ``median``: the median over respondents of each respondent's mean answer, with a
  distribution-free confidence interval from order statistics. Robust to a few extreme
  respondents, which a mean is not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from publiceval.plugin import (
    Band,
    CategoryScheme,
    EvaluationWarning,
    Interval,
    MethodResult,
    PluginError,
    ResponseTable,
    SchemeOptions,
    Score,
    ScoreScale,
    ScoringContext,
    ScoringMethod,
    Text,
    common_scale,
    hookimpl,
    oriented,
    performance_items,
    survey_wide_scores,
)
from pydantic import BaseModel, ConfigDict, Field
from scipy import stats

__all__ = [
    "SPI_BANDS",
    "Median",
    "MedianOptions",
    "SPIBand",
    "SPIOptions",
    "SPIScheme",
    "median_interval",
]
__version__ = "0.1.0"


class SPIBand(BaseModel):
    """One SPI band on the 0-100 index: ``[low, high)``, the top band closed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    label: Text
    low: float
    high: float


SPI_BANDS: tuple[SPIBand, ...] = (
    SPIBand(code="terjaga", label=Text(id="Terjaga", en="Well guarded"), low=78.0, high=100.0),
    SPIBand(code="waspada", label=Text(id="Waspada", en="Alert"), low=73.0, high=78.0),
    SPIBand(code="rentan", label=Text(id="Rentan", en="Vulnerable"), low=0.0, high=73.0),
)
"""Best first. Published as 78-100, 73-77.9 and 0-72.9 (unverified); read as half-open
intervals, so 72.95 is *rentan* unless ``precision = 1`` rounds it to 73.0 first."""


class SPIOptions(SchemeOptions):
    """Options of the ``spi`` scheme (plus ``precision`` from every scheme)."""

    rescale: bool = False
    """Map scores on another range (e.g. a 1-4 mean) linearly onto 0-100 before banding. Off by
    default: the SPI bands are meant for the SPI index, and a rescaled satisfaction mean is a
    local convention, not the KPK's method."""
    bands: list[SPIBand] = Field(default_factory=lambda: list(SPI_BANDS), min_length=1)
    """The bands on 0-100; override when the KPK publishes other edges."""


class SPIScheme(CategoryScheme):
    """KPK *Survei Penilaian Integritas*: rentan / waspada / terjaga on a 0-100 index."""

    name = "spi"
    title = Text(
        id="Kategori Survei Penilaian Integritas (KPK)",
        en="KPK Integrity Assessment Survey categories",
    )
    Options = SPIOptions

    def bands(self, scale: ScoreScale) -> Sequence[Band]:
        opts = self.options
        assert isinstance(opts, SPIOptions)
        on_index = scale.low == 0 and scale.high == 100
        if not on_index and not opts.rescale:
            raise PluginError(
                f"scheme 'spi' needs scores on 0-100 (the SPI index); found scores on "
                f"{scale.low:g}-{scale.high:g} ({scale.unit or 'no unit'}). Use a method that "
                "scores on 0-100, or set rescale = true to map the scores linearly onto 0-100"
            )
        span = scale.high - scale.low

        def edge(x: float) -> float:
            return x if on_index else scale.low + x / 100.0 * span

        ordered = sorted(opts.bands, key=lambda b: b.low, reverse=True)
        return [
            Band(code=b.code, label=b.label, low=edge(b.low), high=edge(b.high), order=k)
            for k, b in enumerate(ordered)
        ]


class MedianOptions(BaseModel):
    """Options of the ``median`` method."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    items: list[str] | None = None
    """Score only these per-OPD items (default: every performance item)."""
    min_items: int = Field(default=1, ge=1)
    """A respondent counts for an OPD only when they answered at least this many items."""


def median_interval(values: NDArray[np.float64], level: float) -> tuple[float, float, float] | None:
    """Distribution-free interval for the median from order statistics.

    With ``n`` sorted values, ``[x_(j), x_(n-j+1)]`` covers the population median with
    probability ``1 - 2 P(B <= j - 1)``, ``B ~ Binomial(n, 1/2)``; ``j`` is the largest index
    whose coverage is still at least ``level``. Returns ``(low, high, coverage)``, or None when
    ``n`` is too small for that level (``n <= 5`` at 95%).

    Reference: Conover, *Practical Nonparametric Statistics* (3rd ed., 1999), confidence
    intervals for a quantile.
    """
    n = values.shape[0]
    if n == 0:
        return None
    alpha = 1.0 - level
    cdf = stats.binom.cdf(np.arange(n), n, 0.5)
    ok = np.nonzero(cdf <= alpha / 2)[0]
    if ok.size == 0:
        return None
    j = int(ok[-1]) + 1  # 1-based order statistic
    x = np.sort(values)
    return float(x[j - 1]), float(x[n - j]), float(1.0 - 2.0 * cdf[j - 1])


class Median(ScoringMethod):
    """Median over respondents of each respondent's mean answer (reverse items flipped)."""

    name = "median"
    title = Text(id="Median skor responden", en="Median respondent score")
    Options = MedianOptions

    def score(self, table: ResponseTable, context: ScoringContext) -> MethodResult:
        opts = self.options
        assert isinstance(opts, MedianOptions)
        survey = table.survey
        items = performance_items(survey, opts.items)
        scale = common_scale(survey, items, self.name)
        out_scale = ScoreScale(
            low=scale.min, high=scale.max, unit=f"median {scale.min}-{scale.max}"
        )
        y, observed = oriented(table.per_opd, survey, items)
        answered = observed.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            row_mean = np.where(observed, y, 0.0).sum(axis=1) / answered
        usable = answered >= opts.min_items
        opd = table.per_opd.opd
        warnings = []
        if table.per_opd.n_rows and np.ptp(table.per_opd.weight) > 0:
            warnings.append(
                EvaluationWarning(
                    code="median_unweighted",
                    message="method 'median' ignores survey weights; every respondent counts once",
                )
            )
        scores: dict[str, Score] = {}
        for g, o in enumerate(survey.opds):
            values = row_mean[(opd == g) & usable]
            if values.size == 0:
                scores[o.id] = Score(value=None, scale=out_scale, n=0, notes=["no answers"])
                continue
            ci = median_interval(values, context.confidence)
            notes = [] if ci else ["too few respondents for a distribution-free interval"]
            scores[o.id] = Score(
                value=float(np.median(values)),
                scale=out_scale,
                n=int(values.size),
                ci=Interval(
                    low=ci[0],
                    high=ci[1],
                    level=context.confidence,
                    method=f"order statistics (coverage {ci[2]:.4f})",
                )
                if ci
                else None,
                notes=notes,
            )
        return MethodResult(
            scale=out_scale,
            opd_scores=scores,
            survey_wide=survey_wide_scores(table, context),
            warnings=warnings,
        )


@hookimpl
def register_schemes(register: Callable[[type[CategoryScheme]], None]) -> None:
    register(SPIScheme)


@hookimpl
def register_methods(register: Callable[[type[ScoringMethod]], None]) -> None:
    register(Median)
