"""``permenpan-2017``: the SKM quality bands A–D of PermenPANRB 14/2017."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from publiceval.plugin import Band, CategoryScheme, PluginError, ScoreScale, Text, hookimpl

__all__ = ["IKM_EDGES", "MEAN_EDGES", "PermenPAN2017", "ikm_quality_bands"]

#: Band edges on the IKM (25–100), half-open: [25, 65) D, [65, 76.61) C, [76.61, 88.31) B,
#: [88.31, 100] A. The regulation prints 25.00–64.99, 65.00–76.60, 76.61–88.30, 88.31–100.00.
IKM_EDGES = (25.0, 65.0, 76.61, 88.31, 100.0)
#: The same edges on the mean (IKM / 25): the regulation's 2.60, 3.0644 and 3.5324.
MEAN_EDGES = (1.0, 2.6, 3.0644, 3.5324, 4.0)

_LABELS = (
    ("D", Text(id="Tidak Baik", en="Poor")),
    ("C", Text(id="Kurang Baik", en="Fair")),
    ("B", Text(id="Baik", en="Good")),
    ("A", Text(id="Sangat Baik", en="Very good")),
)


def ikm_quality_bands(
    scheme: str, scale: ScoreScale, ikm_edges: Sequence[float], mean_edges: Sequence[float]
) -> list[Band]:
    """The four IKM quality bands on the IKM range 25–100 or on the mean range 1–4.

    The bands are defined on the IKM; on the mean they are the same bands divided by 25, so an
    OPD gets the same category whichever of the two scales its score is reported on.
    """
    rng = (scale.low, scale.high)
    if rng == (25.0, 100.0):
        edges = ikm_edges
    elif rng == (1.0, 4.0):
        edges = mean_edges
    else:
        raise PluginError(
            f"scheme {scheme!r} is defined on the IKM (25–100) and on the mean of a 1–4 scale; "
            f"the scores are on {scale.low:g}–{scale.high:g} ({scale.unit or 'no unit'}). Use an "
            "IKM method or the mean of 1–4 answers, or a scheme such as 'likert-interval'"
        )
    return [
        Band(code=code, label=label, low=edges[k], high=edges[k + 1], order=3 - k)
        for k, (code, label) in enumerate(_LABELS)
    ]


class PermenPAN2017(CategoryScheme):
    """A *Sangat Baik*, B *Baik*, C *Kurang Baik*, D *Tidak Baik* (PermenPANRB 14/2017).

    Half-open bands without the printed table's gaps; compare at 2 decimals with
    ``precision=2`` when a report's printed values are to be reproduced.
    """

    name = "permenpan-2017"
    title = Text(
        id="Mutu pelayanan SKM (PermenPANRB 14/2017)",
        en="SKM service quality (PermenPANRB 14/2017)",
    )

    def bands(self, scale: ScoreScale) -> Sequence[Band]:
        return ikm_quality_bands(self.name, scale, IKM_EDGES, MEAN_EDGES)


@hookimpl
def register_schemes(register: Callable[[type[CategoryScheme]], None]) -> None:
    register(PermenPAN2017)
