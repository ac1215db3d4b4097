"""Honest statistics: uncertainty for every score, rank and category.

* :mod:`.ranks` — rank confidence sets (Mogstad, Romano, Shaikh & Wilhelm 2024), simultaneous
  and marginal;
* :mod:`.tiers` — groups of OPDs the data can tell apart;
* :mod:`.pairwise` — pairwise comparisons with Holm control;
* :mod:`.categories` — probability of each category;
* :mod:`.adequacy` — sample adequacy (Krejcie & Morgan, Slovin, minimum n, maximum CV);
* :mod:`.proportions` — Wilson and logit intervals for shares;
* :mod:`.raking` — post-stratification weights by iterative proportional fitting;
* :mod:`.reliability` — Cronbach's α with Feldt's interval, item diagnostics.

These are numeric kernels over numpy arrays and plain data; attaching their results to an
evaluation is :mod:`publiceval._core.uncertainty`'s job (this package imports no results or
plugin contracts).
"""

from __future__ import annotations

from .adequacy import Adequacy, AdequacyOptions, assess_adequacy
from .categories import category_probabilities
from .pairwise import PairwiseComparisons, holm, pairwise_comparisons
from .proportions import effective_n, logit_interval, wilson_interval
from .ranks import RankIntervals, observed_ranks, rank_intervals
from .tiers import tiers

__all__ = [
    "Adequacy",
    "AdequacyOptions",
    "PairwiseComparisons",
    "RankIntervals",
    "assess_adequacy",
    "category_probabilities",
    "effective_n",
    "holm",
    "logit_interval",
    "observed_ranks",
    "pairwise_comparisons",
    "rank_intervals",
    "tiers",
    "wilson_interval",
]
