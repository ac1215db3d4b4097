"""``kepmenpan-2004``: the IKM quality bands A–D of KepMenPAN 25/2004."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from publiceval.plugin import Band, CategoryScheme, ScoreScale, Text, hookimpl

from .permenpan_2017 import ikm_quality_bands

__all__ = ["IKM_EDGES_2004", "MEAN_EDGES_2004", "KepMenPAN2004"]

#: Band edges on the IKM (25–100), half-open: [25, 43.76) D, [43.76, 62.51) C,
#: [62.51, 81.26) B, [81.26, 100] A (printed 25–43.75 / 43.76–62.50 / 62.51–81.25 / 81.26–100).
IKM_EDGES_2004 = (25.0, 43.76, 62.51, 81.26, 100.0)
#: The same edges on the mean (IKM / 25). The decree's mean table prints 1.76, 2.51 and 3.26,
#: i.e. 2-decimal rounding of these; dividing the IKM edges keeps both scales in agreement.
MEAN_EDGES_2004 = (1.0, 1.7504, 2.5004, 3.2504, 4.0)


class KepMenPAN2004(CategoryScheme):
    """A *Sangat Baik*, B *Baik*, C *Kurang Baik*, D *Tidak Baik* (KepMenPAN 25/2004)."""

    name = "kepmenpan-2004"
    title = Text(
        id="Mutu pelayanan IKM (KepMenPAN 25/2004)", en="IKM service quality (KepMenPAN 25/2004)"
    )

    def bands(self, scale: ScoreScale) -> Sequence[Band]:
        return ikm_quality_bands(self.name, scale, IKM_EDGES_2004, MEAN_EDGES_2004)


@hookimpl
def register_schemes(register: Callable[[type[CategoryScheme]], None]) -> None:
    register(KepMenPAN2004)
