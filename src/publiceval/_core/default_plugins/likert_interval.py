"""``likert-interval``: k equal-width classes on any score range, with a named label set.

The interval rule common in Indonesian research: width = (max − min) / classes, e.g. 0.75 on a
1–4 scale with 4 classes (1,00–1,75 / 1,76–2,50 / 2,51–3,25 / 3,26–4,00).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from publiceval.plugin import (
    Band,
    CategoryScheme,
    PluginError,
    SchemeOptions,
    ScoreScale,
    Text,
    hookimpl,
    scale_label_bands,
)

__all__ = ["LABEL_SETS", "ClassLabel", "LikertInterval", "LikertIntervalOptions"]


class ClassLabel(BaseModel):
    """A class of a custom label set: a short code and the label in both languages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    label: Text


def _set(*pairs: tuple[str, str, str]) -> tuple[ClassLabel, ...]:
    return tuple(ClassLabel(code=c, label=Text(id=i, en=e)) for c, i, e in pairs)


#: Built-in label sets by name and number of classes, worst class first.
LABEL_SETS: dict[str, dict[int, tuple[ClassLabel, ...]]] = {
    "quality": {
        4: _set(
            ("TB", "Tidak Baik", "Poor"),
            ("KB", "Kurang Baik", "Fair"),
            ("B", "Baik", "Good"),
            ("SB", "Sangat Baik", "Very good"),
        ),
        5: _set(
            ("STB", "Sangat Tidak Baik", "Very poor"),
            ("TB", "Tidak Baik", "Poor"),
            ("CB", "Cukup Baik", "Fair"),
            ("B", "Baik", "Good"),
            ("SB", "Sangat Baik", "Very good"),
        ),
    },
    "satisfaction": {
        4: _set(
            ("TP", "Tidak Puas", "Not satisfied"),
            ("KP", "Kurang Puas", "Rather unsatisfied"),
            ("P", "Puas", "Satisfied"),
            ("SP", "Sangat Puas", "Very satisfied"),
        ),
        5: _set(
            ("STP", "Sangat Tidak Puas", "Very unsatisfied"),
            ("TP", "Tidak Puas", "Unsatisfied"),
            ("CP", "Cukup Puas", "Fairly satisfied"),
            ("P", "Puas", "Satisfied"),
            ("SP", "Sangat Puas", "Very satisfied"),
        ),
    },
    "agreement": {
        4: _set(
            ("TS", "Tidak Setuju", "Disagree"),
            ("KS", "Kurang Setuju", "Rather disagree"),
            ("S", "Setuju", "Agree"),
            ("SS", "Sangat Setuju", "Strongly agree"),
        ),
        5: _set(
            ("STS", "Sangat Tidak Setuju", "Strongly disagree"),
            ("TS", "Tidak Setuju", "Disagree"),
            ("N", "Netral", "Neutral"),
            ("S", "Setuju", "Agree"),
            ("SS", "Sangat Setuju", "Strongly agree"),
        ),
    },
}


class LikertIntervalOptions(SchemeOptions):
    """Options of ``likert-interval``."""

    classes: int | None = Field(default=None, ge=2, le=20)
    """Number of classes; default: one per point of an integer score range (4 on 1–4), or the
    number of custom labels."""
    labels: Literal["quality", "satisfaction", "agreement"] | list[ClassLabel] = "quality"
    """A built-in label set, or custom labels from the worst class to the best."""
    closed: Literal["right", "left"] = "right"
    """``right``: a value on an edge belongs to the lower class (2.50 is *Kurang Baik*, as the
    tables 1,76–2,50 / 2,51–3,25 print it); ``left``: to the upper class."""

    @model_validator(mode="after")
    def _consistent(self) -> LikertIntervalOptions:
        if isinstance(self.labels, list):
            if len(self.labels) < 2:
                raise ValueError("custom labels need at least 2 classes")
            codes = [c.code for c in self.labels]
            if len(set(codes)) != len(codes):
                raise ValueError(f"custom label codes must differ; found {codes}")
            if self.classes is not None and self.classes != len(self.labels):
                raise ValueError(
                    f"classes={self.classes} but {len(self.labels)} custom labels are given"
                )
        return self


class LikertInterval(CategoryScheme):
    """Equal-width classes over the score's range, labelled from a named or custom set."""

    name = "likert-interval"
    title = Text(id="Interval kelas Likert", en="Likert class intervals")
    Options = LikertIntervalOptions

    def _classes(self, scale: ScoreScale, opts: LikertIntervalOptions) -> int:
        if opts.classes is not None:
            return opts.classes
        if isinstance(opts.labels, list):
            return len(opts.labels)
        points = scale.high - scale.low + 1
        if scale.low.is_integer() and scale.high.is_integer() and points in (4, 5):
            return int(points)
        raise PluginError(
            f"scheme {self.name!r}: give 'classes' for scores on {scale.low:g}–{scale.high:g}; "
            "the default (one class per scale point) applies to 1–4 or 1–5 style ranges"
        )

    def bands(self, scale: ScoreScale) -> Sequence[Band]:
        opts = self.options
        if not isinstance(opts, LikertIntervalOptions):
            raise PluginError(f"scheme {self.name!r} got options of the wrong type")
        k = self._classes(scale, opts)
        if isinstance(opts.labels, list):
            labels = tuple(opts.labels)
        else:
            sets = LABEL_SETS[opts.labels]
            if k not in sets:
                raise PluginError(
                    f"scheme {self.name!r}: label set {opts.labels!r} has "
                    f"{' or '.join(str(n) for n in sorted(sets))} classes; found classes={k}. "
                    "Give custom 'labels' for other numbers of classes"
                )
            labels = sets[k]
        if not scale.low < scale.high:
            raise PluginError(f"scheme {self.name!r}: empty score range {scale.low}–{scale.high}")
        unit = scale_label_bands(0, k, [(j, c.label) for j, c in enumerate(labels)])
        span = scale.high - scale.low

        def edge(e: float) -> float:
            return scale.high if e == k else scale.low + (e * span) / k

        return [
            Band(
                code=labels[j].code,
                label=labels[j].label,
                low=edge(b.low),
                high=edge(b.high),
                order=b.order,
                closed=opts.closed,
            )
            for j, b in enumerate(unit)
        ]


@hookimpl
def register_schemes(register: Callable[[type[CategoryScheme]], None]) -> None:
    register(LikertInterval)
