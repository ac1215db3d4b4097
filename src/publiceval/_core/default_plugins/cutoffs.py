"""``cutoffs``: a category scheme from bounds and labels the user gives."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from publiceval.plugin import (
    Band,
    CategoryScheme,
    PluginError,
    SchemeOptions,
    ScoreScale,
    Text,
    hookimpl,
)


class CutoffBand(BaseModel):
    """A band as a user writes it: ``low`` is required, ``high`` defaults to the next band's ``low``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    label: Text
    low: float | None = None
    high: float | None = None


class CutoffOptions(SchemeOptions):
    """Bands from worst to best or best to worst; the lowest band starts at the scale's low end
    and the highest ends at its high end unless given."""

    bands: list[CutoffBand] = Field(min_length=1)
    closed: Literal["left", "right"] = "left"
    """``left``: bands are [low, high), a value on an edge goes up (``score >= 3.00`` is *Baik*);
    ``right``: (low, high], it goes down, as tables printed 1,76–2,50 / 2,51–3,25 read."""


class Cutoffs(CategoryScheme):
    """User-given bands, e.g. ``score >= 3.00`` is *Baik*."""

    name = "cutoffs"
    title = Text(id="Batas kategori pengguna", en="User-given cut-offs")
    Options = CutoffOptions

    def bands(self, scale: ScoreScale) -> Sequence[Band]:
        opts = self.options
        if not isinstance(opts, CutoffOptions):
            raise PluginError(f"scheme {self.name!r} got options of the wrong type")
        given = sorted(opts.bands, key=lambda b: float("-inf") if b.low is None else b.low)
        out = []
        for k, b in enumerate(given):
            low = scale.low if b.low is None else b.low
            nxt = given[k + 1].low if k + 1 < len(given) else None
            high = b.high if b.high is not None else (nxt if nxt is not None else scale.high)
            out.append(
                Band(
                    code=b.code,
                    label=b.label,
                    low=low,
                    high=high,
                    order=len(given) - 1 - k,
                    closed=opts.closed,
                )
            )
        return out


@hookimpl
def register_schemes(register: Callable[[type[CategoryScheme]], None]) -> None:
    register(Cutoffs)
