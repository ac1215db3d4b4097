"""Shared data of the category-scheme tests: the 1–4 mean scale and the Serang 2025 scores."""

from __future__ import annotations

from publiceval import ScoreScale

#: The mean of a 1–4 answer scale, the scale the Serang 2025 scores are on.
MEAN_1_4 = ScoreScale(low=1, high=4, unit="mean 1-4")
#: The 20 published Serang 2025 scores (1–4 mean); ten unnamed ones lie in (2.81, 2.93).
SERANG = [
    3.07,
    3.03,
    3.01,
    2.98,
    2.93,
    *[2.82 + 0.01 * k for k in range(10)],
    2.81,
    2.81,
    2.78,
    2.50,
    2.50,
]
