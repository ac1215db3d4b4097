"""Is an OPD's sample large enough for the claim made about it?

Three criteria, chosen by the user:

* ``krejcie-morgan``: at least the Krejcie & Morgan (1970) size for the OPD's population of
  service users (``OPD.population``) — the rule SKM reports cite;
* ``slovin``: at least Slovin's size for that population;
* ``min-n``: at least ``min_n`` respondents;
* ``max-cv``: a coefficient of variation (SE / score) of at most ``max_cv``, which asks about
  precision rather than head count and so accounts for weights and clustering.

The population-based criteria fall back to ``min-n`` for an OPD whose population is unknown,
and say so in the criterion text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field

from ..errors import PublicevalError
from ..sample_size import krejcie_morgan, slovin

__all__ = ["Adequacy", "AdequacyOptions", "Criterion", "assess_adequacy"]

Criterion = Literal["krejcie-morgan", "slovin", "min-n", "max-cv", "none"]


class AdequacyOptions(BaseModel):
    """How sample adequacy is judged (``[statistics.adequacy]`` in a study file)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    criterion: Criterion = "krejcie-morgan"
    min_n: int = Field(default=30, ge=1)
    """Minimum respondents for ``min-n``, and the fallback when the population is unknown."""
    max_cv: float = Field(default=0.05, gt=0)
    """Largest coefficient of variation (SE / score) accepted by ``max-cv``."""
    margin: float = Field(default=0.05, gt=0, lt=1)
    """Margin of error d (Krejcie & Morgan) or e (Slovin)."""


@dataclass(frozen=True)
class Adequacy:
    """Per OPD: whether the sample is adequate (None: cannot be judged), and against what."""

    adequate: list[bool | None]
    n: NDArray[np.int64]
    required: NDArray[np.float64]
    """Required n (or the maximum CV for ``max-cv``); NaN when not applicable."""
    criterion: list[str]


def assess_adequacy(
    n: ArrayLike,
    population: ArrayLike,
    cv: ArrayLike,
    options: AdequacyOptions | None = None,
) -> Adequacy:
    """Judge each OPD's sample; ``n`` unweighted respondents, ``population`` NaN when unknown."""
    opts = options or AdequacyOptions()
    nn = np.asarray(n, dtype=np.int64)
    pop = np.asarray(population, dtype=np.float64)
    cvs = np.asarray(cv, dtype=np.float64)
    if not (nn.shape == pop.shape == cvs.shape) or nn.ndim != 1:
        raise PublicevalError(
            "assess_adequacy: expected equal-length 1-d n, population and cv; "
            f"found {nn.shape}, {pop.shape}, {cvs.shape}"
        )
    k = nn.size
    has_n = nn > 0
    if opts.criterion == "none":
        return Adequacy([None] * k, nn, np.full(k, np.nan), ["none"] * k)
    if opts.criterion == "max-cv":
        known = np.isfinite(cvs)
        ok = known & (np.abs(cvs) <= opts.max_cv)
        return Adequacy(
            [bool(o) if kn else None for o, kn in zip(ok, known, strict=True)],
            nn,
            np.full(k, opts.max_cv),
            [f"max-cv {opts.max_cv:g}"] * k,
        )
    if opts.criterion == "min-n":
        required = np.full(k, float(opts.min_n))
        labels = [f"min-n {opts.min_n}"] * k
    else:
        known_pop = np.isfinite(pop) & (pop >= 1)
        safe = np.where(known_pop, pop, 1.0)
        rule = krejcie_morgan if opts.criterion == "krejcie-morgan" else slovin
        by_pop = np.asarray(rule(safe, margin=opts.margin), dtype=np.float64)
        required = np.where(known_pop, by_pop, float(opts.min_n))
        labels = [
            f"{opts.criterion} (N={int(p)}, margin {opts.margin:g})"
            if kp
            else f"min-n {opts.min_n} (population unknown)"
            for p, kp in zip(safe, known_pop, strict=True)
        ]
    ok = nn >= required
    return Adequacy(
        [bool(o) if h else None for o, h in zip(ok, has_n, strict=True)], nn, required, labels
    )
