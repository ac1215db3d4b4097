"""Building blocks for scoring methods: oriented answers, estimates → ``Score`` objects, distributions.

Built-in methods are written with these, and so can third-party ones. :mod:`.items` holds the
basics (performance items, scores from estimates, distributions); :mod:`.helpers` the
method helpers (element names, item weights, the delta method, paired items). The helpers
for scoring from mergeable aggregates are :mod:`publiceval._core.aggregate_scoring`.
"""

from .helpers import (
    combine_per_group,
    combined_item_scores,
    item_coefficients,
    item_scores_by_opd,
    normalize_name,
    opd_estimates,
    paired_items,
    scale_range,
    with_estimate,
)
from .items import (
    common_scale,
    distribution_counts,
    distribution_dicts,
    distributions,
    histogram_counts,
    item_score_map,
    make_scores,
    mean_item_scores,
    on_scale,
    oriented,
    performance_items,
)

__all__ = [
    "combine_per_group",
    "combined_item_scores",
    "common_scale",
    "distribution_counts",
    "distribution_dicts",
    "distributions",
    "histogram_counts",
    "item_coefficients",
    "item_score_map",
    "item_scores_by_opd",
    "make_scores",
    "mean_item_scores",
    "normalize_name",
    "on_scale",
    "opd_estimates",
    "oriented",
    "paired_items",
    "performance_items",
    "scale_range",
    "with_estimate",
]
