"""The design facts a variance needs beyond one group's sums: strata, PSUs, lonely PSUs.

Two ways of treating a group (an OPD) as a part of the sample, both from the same moments:

* ``conditional``: each group is its own design (its cells, group × stratum, are the strata;
  the variance conditions on the group's sample size). Right when each OPD was sampled on
  its own, or when every PSU lies inside one OPD.
* ``unconditional``: the groups are *domains* of the whole design (Lumley 2010, §2.4;
  R's ``svyby``): the linearised variable is zero outside the domain, so every PSU of a
  stratum counts, with or without rows of the group, and the degrees of freedom are those of
  the whole design. Right when PSUs (villages, households) cut across OPDs.

A stratum (a cell, in the conditional view) with one PSU has no between-PSU variance; what
to do then is R's ``survey.lonely.psu`` choice (``fail``, ``adjust``, ``average``,
``certainty``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .model import FloatArray, IntArray, Moments

__all__ = [
    "Domain",
    "LonelyPSU",
    "VarianceOptions",
    "current_variance",
    "lonely_cells",
    "psus_nested",
    "stratum_units",
    "variance_options",
]

Domain = Literal["conditional", "unconditional"]
LonelyPSU = Literal["fail", "adjust", "average", "certainty"]


@dataclass(frozen=True)
class VarianceOptions:
    """How design variances are computed from moments (see the module docstring).

    ``domain=None`` decides per set of moments: conditional when the PSUs are nested in the
    groups (or none are declared), unconditional otherwise. ``psu_population`` is the number
    of PSUs in the population per group, for the finite population correction under cluster
    sampling (without it only the element fraction of an unclustered design is known).
    """

    domain: Domain | None = None
    lonely_psu: LonelyPSU = "adjust"
    psu_population: FloatArray | None = None

    def resolved(self, moments: Moments) -> Domain:
        """The domain estimator these moments get."""
        if self.domain is not None:
            return self.domain
        return "conditional" if psus_nested(moments) else "unconditional"


#: The variance options of the evaluation being scored. Set by the pipeline around a method's
#: scoring, so every estimate a plugin builds follows the study's design choices without each
#: plugin having to pass them on; outside an evaluation the defaults apply.
_DEFAULT = VarianceOptions()
_VARIANCE: ContextVar[VarianceOptions] = ContextVar("variance", default=_DEFAULT)


@contextmanager
def variance_options(options: VarianceOptions) -> Iterator[VarianceOptions]:
    """Estimates built inside the block use ``options`` (domain, lonely PSUs, PSU FPC)."""
    token = _VARIANCE.set(options)
    try:
        yield options
    finally:
        _VARIANCE.reset(token)


def current_variance() -> VarianceOptions:
    """The options set by the innermost :func:`variance_options` block (else the defaults)."""
    return _VARIANCE.get()


def _design_psus(moments: Moments) -> tuple[IntArray, IntArray]:
    """Per design PSU (stratum, PSU code) with rows: its stratum and the groups it holds rows of."""
    stratum = moments.cell_stratum[moments.psu_cell]
    group = moments.cell_group[moments.psu_cell]
    return stratum * (int(moments.psu_code.max(initial=0)) + 1) + moments.psu_code, group


def psus_nested(moments: Moments) -> bool:
    """Whether every PSU holds rows of one group only (always so when each row is a PSU)."""
    if not moments.has_psu or moments.psu_code.size == 0:
        return True
    key, group = _design_psus(moments)
    order = np.lexsort((group, key))
    k, g = key[order], group[order]
    same_psu = k[1:] == k[:-1]
    return not bool(np.any(same_psu & (g[1:] != g[:-1])))


def stratum_units(moments: Moments) -> FloatArray:
    """PSUs (rows, when no PSUs are declared) of the whole sample, per stratum code."""
    size = int(moments.cell_stratum.max(initial=-1)) + 1
    if not moments.has_psu:
        rows = np.bincount(
            moments.cell_stratum[moments.pat_cell], weights=moments.pat_n, minlength=size
        )
        return np.asarray(rows, dtype=np.float64)
    key, _ = _design_psus(moments)
    uniq = np.sort(key)  # distinct keys by a sort (numpy 2's unique hashes first: slower)
    uniq = uniq[np.r_[True, uniq[1:] != uniq[:-1]]] if uniq.size else uniq
    width = int(moments.psu_code.max(initial=0)) + 1
    return np.bincount(uniq // width, minlength=size).astype(np.float64)


def lonely_cells(moments: Moments, domain: Domain) -> list[tuple[int, int]]:
    """``(group, stratum code)`` of the cells whose stratum has a single PSU.

    Conditional: the group × stratum cell has one PSU (or row), in a group of several
    cells. Unconditional: the design
    stratum has one PSU in the whole sample; each group with rows there is listed.
    """
    if domain == "unconditional":
        units = stratum_units(moments)
        lone = units[moments.cell_stratum] == 1
    else:
        if moments.has_psu:
            units = np.bincount(moments.psu_cell, minlength=moments.n_cells).astype(np.float64)
        else:
            units = np.bincount(
                moments.pat_cell, weights=moments.pat_n, minlength=moments.n_cells
            ).astype(np.float64)
        # a group of one cell has no degrees of freedom at all: its SE is unknown, not lonely
        cells = np.bincount(moments.cell_group, minlength=moments.n_groups)
        lone = (units == 1) & (cells[moments.cell_group] > 1)
    pairs = zip(moments.cell_group[lone].tolist(), moments.cell_stratum[lone].tolist(), strict=True)
    return sorted(pairs)
