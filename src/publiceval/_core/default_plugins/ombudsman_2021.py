"""``ombudsman-2021``: the compliance zones of Ombudsman RI (hijau / kuning / merah) on 0–100."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from publiceval.plugin import Band, CategoryScheme, PluginError, ScoreScale, Text, hookimpl

__all__ = ["ZONE_EDGES", "Ombudsman2021"]

#: [0, 51) merah, [51, 81) kuning, [81, 100] hijau (printed 0–50.99, 51.00–80.99, 81.00–100).
ZONE_EDGES = (0.0, 51.0, 81.0, 100.0)

_ZONES = (
    ("merah", Text(id="Zona merah (kepatuhan rendah)", en="Red zone (low compliance)")),
    ("kuning", Text(id="Zona kuning (kepatuhan sedang)", en="Yellow zone (moderate compliance)")),
    ("hijau", Text(id="Zona hijau (kepatuhan tinggi)", en="Green zone (high compliance)")),
)


class Ombudsman2021(CategoryScheme):
    """Ombudsman RI compliance zones (2021) for scores on 0–100.

    Accepts any score whose range lies within 0–100 (a percentage, a CSI, an IKM); refuses
    others, such as a 1–4 mean or an NPS.
    """

    name = "ombudsman-2021"
    title = Text(id="Zona kepatuhan Ombudsman RI (2021)", en="Ombudsman RI compliance zones (2021)")

    def bands(self, scale: ScoreScale) -> Sequence[Band]:
        if not (scale.low >= 0.0 and scale.high <= 100.0):
            raise PluginError(
                f"scheme {self.name!r} is defined on 0–100; the scores are on "
                f"{scale.low:g}–{scale.high:g} ({scale.unit or 'no unit'})"
            )
        return [
            Band(code=code, label=label, low=ZONE_EDGES[k], high=ZONE_EDGES[k + 1], order=2 - k)
            for k, (code, label) in enumerate(_ZONES)
        ]


@hookimpl
def register_schemes(register: Callable[[type[CategoryScheme]], None]) -> None:
    register(Ombudsman2021)
