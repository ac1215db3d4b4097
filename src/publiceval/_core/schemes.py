"""Category schemes: bands that turn a score into a label such as *Baik* or *Kurang Baik*.

Band edges are explicit and checked: bands are half-open ``[low, high)`` with the top band
closed, they touch without gaps or overlaps, and whether a score is compared unrounded or at a
published precision is an option (``precision``), never an accident of floating point.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from itertools import pairwise
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from .components import Component
from .errors import PluginError, PublicevalError
from .numbers import round_half_up
from .results import Band, Category, EvaluationWarning, SchemeInfo, ScoreScale
from .text import Text

__all__ = [
    "EDGE_TOLERANCE",
    "Band",
    "CategoryScheme",
    "SchemeOptions",
    "band_of",
    "check_bands",
    "outside_bands_warning",
    "round_half_up",
    "scale_label_bands",
]


#: How far (relative to the bands' width, at least 1) a score may lie below the lowest band or
#: above the highest and still be put in it: floating-point rounding of a score on the edge.
EDGE_TOLERANCE = 1e-9


class SchemeOptions(BaseModel):
    """Options every scheme understands."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    precision: int | None = Field(default=None, ge=0, le=10)
    """Compare the score rounded to this many decimals (as reports print it); None: unrounded."""


def check_bands(name: str, bands: Sequence[Band]) -> tuple[Band, ...]:
    """Sort bands by ``low`` and refuse gaps, overlaps, empty bands and clashing codes or orders."""
    if not bands:
        raise PluginError(f"scheme {name!r} has no bands")
    ordered = sorted(bands, key=lambda b: b.low)
    problems = []
    for b in ordered:
        if not b.low < b.high:
            problems.append(f"band {b.code!r} is empty or inverted: [{b.low}, {b.high})")
    for a, b in pairwise(ordered):
        if b.low > a.high:
            problems.append(
                f"gap between band {a.code!r} (ends {a.high}) and {b.code!r} (starts {b.low})"
            )
        elif b.low < a.high:
            problems.append(f"band {a.code!r} (ends {a.high}) overlaps {b.code!r} (starts {b.low})")
    for attr in ("code", "order"):
        values = [getattr(b, attr) for b in ordered]
        if len(set(values)) != len(values):
            problems.append(f"two bands share a {attr}")
    if len({b.closed for b in ordered}) > 1:
        problems.append("bands mix closed='left' and closed='right'; all must close on one side")
    orders = [b.order for b in ordered]
    if orders != sorted(orders, reverse=True):
        problems.append("band order must rise from the best (highest) band, 0, to the worst")
    if problems:
        raise PluginError(f"scheme {name!r} is refused: " + "; ".join(problems))
    return tuple(ordered)


class CategoryScheme(Component):
    """Base class of category-scheme plugins: implement :meth:`bands`."""

    Options: ClassVar[type[BaseModel]] = SchemeOptions

    @abstractmethod
    def bands(self, scale: ScoreScale) -> Sequence[Band]:
        """The bands on the range of the scores being categorised.

        A scheme defined on another range (e.g. IKM 25–100) converts its edges to ``scale``, or
        raises :class:`~publiceval._core.errors.PluginError` when it cannot.
        """

    def checked_bands(self, scale: ScoreScale) -> tuple[Band, ...]:
        """:meth:`bands`, validated."""
        return check_bands(self.name, self.bands(scale))

    def categorize(self, value: float, scale: ScoreScale) -> Category | None:
        """The band of ``value``, or None when it lies outside every band."""
        precision = getattr(self.options, "precision", None)
        return band_of(self.name, self.checked_bands(scale), value, precision)

    def describe(self, scale: ScoreScale, *, main: bool = False) -> SchemeInfo:
        """The scheme as an evaluation carries it: name, title and every band on ``scale``.

        A scheme that cannot draw bands on ``scale`` is described without bands (it then
        categorised no OPD either).
        """
        try:
            bands = list(self.checked_bands(scale))
        except PublicevalError:
            bands = []
        return SchemeInfo(
            name=self.name,
            title=self.title,
            main=main,
            scale=scale,
            precision=getattr(self.options, "precision", None),
            bands=bands,
        )


def band_of(
    scheme: str, bands: Sequence[Band], value: float, precision: int | None = None
) -> Category | None:
    """The category of ``value`` among checked ``bands`` (sorted by ``low``), or None outside them.

    The outer edges classify whichever side the bands close on, and a value at most
    :data:`EDGE_TOLERANCE` beyond them (rounding, e.g. 100.00000000000003) counts as on the edge.
    """
    compared = round_half_up(value, precision) if precision is not None else value
    top = bands[-1]
    bottom = bands[0]
    tol = EDGE_TOLERANCE * max(1.0, abs(top.high - bottom.low))
    if top.high < compared <= top.high + tol:
        compared = top.high
    elif bottom.low - tol <= compared < bottom.low:
        compared = bottom.low
    for band in bands:
        if band.closed == "right":
            inside = band.low < compared <= band.high or (band is bottom and compared == bottom.low)
        else:
            inside = band.low <= compared < band.high or (band is top and compared == top.high)
        if inside:
            return Category(
                scheme=scheme,
                code=band.code,
                label=band.label,
                order=band.order,
                low=band.low,
                high=band.high,
                compared_value=compared,
            )
    return None


def outside_bands_warning(scheme: str, opd: str, value: float) -> EvaluationWarning:
    """The warning for an OPD whose score lies outside every band of ``scheme`` by more than
    rounding (so it has no category): said, never silent."""
    text = Text(
        id=f"skor OPD {opd!r} ({value:.6g}) di luar semua kategori skema {scheme!r}",
        en=f"OPD {opd!r} score {value:.6g} lies outside every band of scheme {scheme!r}; "
        "it has no category",
    )
    return EvaluationWarning(code="no_category", message=text.en, text=text, target=opd)


def scale_label_bands(
    points_low: int, points_high: int, labels: Sequence[tuple[int, Text]]
) -> list[Band]:
    """Equal-width bands over ``[low, high]``, one per labelled point, best (highest) first.

    This is the interval rule common in Indonesian research: width = (max − min) / classes, so
    a 1–4 satisfaction scale gives Tidak Puas [1, 1.75), Kurang Puas [1.75, 2.5), Puas
    [2.5, 3.25), Sangat Puas [3.25, 4].
    """
    ordered = sorted(labels, key=lambda p: p[0])
    k = len(ordered)
    width = (points_high - points_low) / k
    bands = []
    for j, (value, label) in enumerate(ordered):
        low = points_low + j * width
        high = points_high if j == k - 1 else points_low + (j + 1) * width
        bands.append(Band(code=str(value), label=label, low=low, high=high, order=k - 1 - j))
    return bands
