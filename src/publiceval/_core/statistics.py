"""The one vocabulary of statistics options: the study file's ``[statistics]`` table, the
``statistics=`` argument of :func:`publiceval.evaluate` and the CLI all speak it."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator

from .aggregates import TableAggregates, recorded_structure
from .errors import DataError
from .moments import Moments, accumulate
from .moments.design import VarianceOptions, lonely_cells
from .results import EvaluationWarning
from .stats.adequacy import AdequacyOptions
from .survey import Survey
from .table import ResponseTable
from .text import Text

__all__ = ["DesignChoices", "StatisticsOptions", "design_choices"]


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
    rank_sets: Literal["step-down", "single-step"] = "step-down"
    """Step-down rank confidence sets (Mogstad et al. 2024, the csranks default: never wider)
    or the single-step ones (one critical value)."""
    domain: Literal["auto", "conditional", "unconditional"] = "auto"
    """OPDs as domains of the whole design (``unconditional``, R's ``svyby``) or each OPD its
    own design (``conditional``). ``auto``: conditional when every PSU lies inside one OPD
    (or no PSUs are declared), unconditional when PSUs cut across OPDs."""
    lonely_psu: Literal["fail", "adjust", "average", "certainty"] = "adjust"
    """A stratum with a single PSU, as R's ``survey.lonely.psu``; every choice but ``fail``
    names the cells in a ``lonely_psu`` warning."""
    small_area: Literal["off", "city-mean", "tags"] = "off"
    """Empirical-Bayes (Fay–Herriot) shrinkage of the OPD scores toward the city mean or a
    regression on OPD tags; ranks, rank intervals, tiers and categories then use it."""
    psu_population: dict[str, float] = Field(default_factory=dict)
    """PSUs in the population per OPD id: the finite population correction under cluster
    sampling (the element fraction from ``OPD.population`` applies only without PSUs)."""
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


_Said = tuple[dict[str, JsonValue], list[EvaluationWarning]]


class DesignChoices:
    """The variance options an evaluation's methods run with, and what to say about them.

    ``provenance`` and ``warnings`` may be resolved on first use (``later``): the variance
    options alone are needed while scoring, and what the design choices say is read after
    it, from the cells and PSUs the scoring's own data pass found (no second pass).
    """

    def __init__(
        self,
        variance: VarianceOptions,
        provenance: dict[str, JsonValue] | None = None,
        warnings: list[EvaluationWarning] | None = None,
        *,
        later: Callable[[], _Said] | None = None,
    ) -> None:
        self.variance = variance
        self._later = later
        if later is None:
            self.__dict__["_said"] = (provenance or {}, warnings or [])

    @cached_property
    def _said(self) -> _Said:
        assert self._later is not None
        return self._later()

    @property
    def provenance(self) -> dict[str, JsonValue]:
        """What ``Provenance.statistics`` records of the design (domain, fpc, lonely cells)."""
        return self._said[0]

    @property
    def warnings(self) -> list[EvaluationWarning]:
        """The ``lonely_psu`` warning, when a stratum cell has a single PSU."""
        return self._said[1]


def _design_moments(responses: object, n_groups: int) -> tuple[Moments, tuple[str, ...]] | None:
    """Moments of one empty column (cells, PSUs and row counts only) and the stratum labels;
    None for published scores and for rows without strata or PSUs.

    For a table the structure the scoring's data pass recorded is used when there is one
    (:func:`~publiceval._core.aggregates.recorded_structure`); else one pass finds it.
    """
    if isinstance(responses, TableAggregates):
        return responses.per_opd, responses.per_opd.stratum_ids or ()
    if isinstance(responses, ResponseTable):
        block = responses.per_opd
        if block.stratum is None and block.psu is None:
            return None  # each row its own PSU, OPDs the only strata: nothing to resolve
        mom = recorded_structure(responses) or accumulate(
            block.opd.astype(np.int64),
            n_groups,
            np.zeros((block.n_rows, 1), np.int8),
            stratum=block.stratum,
            psu=block.psu,
        )
        return mom, tuple(responses.stratum_ids or ())
    return None


def design_choices(survey: Survey, responses: object, options: StatisticsOptions) -> DesignChoices:
    """Resolve the domain estimator and lonely-PSU handling for these responses.

    Raises :class:`DataError` naming the cells when ``lonely_psu = "fail"`` meets a stratum
    with a single PSU; otherwise a ``lonely_psu`` warning names them and the choice made.
    """
    opds = survey.opds
    psu_pop = np.array([options.psu_population.get(o.id, np.nan) for o in opds], np.float64)
    base = VarianceOptions(
        domain=None if options.domain == "auto" else options.domain,
        lonely_psu=options.lonely_psu,
        psu_population=psu_pop if options.psu_population else None,
    )
    if not isinstance(responses, (ResponseTable, TableAggregates)):
        return DesignChoices(variance=base, provenance={"ranked": "direct"})

    def said() -> _Said:
        return _said(survey, responses, options, base)

    if isinstance(responses, ResponseTable) and options.lonely_psu != "fail":
        return DesignChoices(variance=base, later=said)  # after scoring: its data pass
    prov, warns = said()
    return DesignChoices(variance=base, provenance=prov, warnings=warns)


def _said(
    survey: Survey, responses: object, options: StatisticsOptions, base: VarianceOptions
) -> _Said:
    """The design provenance and warnings (raises for ``lonely_psu = "fail"``)."""
    opds = survey.opds
    found = _design_moments(responses, len(opds))
    domain = base.resolved(found[0]) if found else (base.domain or "conditional")
    clustered = found is not None and found[0].has_psu
    fpc = "none"
    if domain == "conditional":
        known = options.psu_population if clustered else {o.id: o.population for o in opds}
        fpc = ("psu" if clustered else "element") if any(known.values()) else "none"
    ranked = "small-area (shrunken)" if options.small_area != "off" else "direct"
    prov: dict[str, JsonValue] = {"domain_estimator": domain, "fpc": fpc, "ranked": ranked}
    warns: list[EvaluationWarning] = []
    lonely = lonely_cells(found[0], domain) if found else []
    labels = found[1] if found else ()
    if lonely:
        shown = ", ".join(
            f"{opds[g].id!r}" + (f" × {labels[h]!r}" if h < len(labels) else "")
            for g, h in lonely[:10]
        ) + (f" and {len(lonely) - 10} more" if len(lonely) > 10 else "")
        where = "stratum cell(s)" if domain == "conditional" else "OPD(s) in a stratum"
        if options.lonely_psu == "fail":
            raise DataError(
                f"{len(lonely)} {where} with a single PSU: {shown}; their variance cannot be "
                "estimated. Set [statistics] lonely_psu to 'adjust', 'average' or 'certainty'"
            )
        how_id, how_en = {
            "adjust": ("dipusatkan pada rerata keseluruhan", "centred at the grand mean"),
            "average": ("diberi rata-rata varians strata lain", "the other strata's average"),
            "certainty": ("dianggap pasti (nol)", "taken as certain (zero)"),
        }[options.lonely_psu]
        text = Text(
            id=f"{len(lonely)} sel strata hanya memiliki satu PSU ({shown}); variansnya "
            f"{how_id} (lonely_psu = {options.lonely_psu!r}, seperti R)",
            en=f"{len(lonely)} {where} with a single PSU ({shown}): their variance is "
            f"{how_en} (lonely_psu = {options.lonely_psu!r}, as in R)",
        )
        warns.append(EvaluationWarning(code="lonely_psu", message=text.en, text=text))
        prov["lonely_psu_cells"] = len(lonely)
    return prov, warns
