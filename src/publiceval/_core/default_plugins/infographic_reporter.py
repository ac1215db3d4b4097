"""``infographic``: a one-page summary as SVG (1080 × 1350), for social media and notice boards."""

from __future__ import annotations

from collections.abc import Callable

from publiceval.plugin import Evaluation, Lang, Reporter, Text, hookimpl


class InfographicReporter(Reporter):
    """Respondents, OPDs per category, the highest and lowest scores, survey-wide results."""

    name = "infographic"
    title = Text(id="Infografik ringkasan (SVG)", en="Summary infographic (SVG)")
    suffix = ".svg"
    media_type = "image/svg+xml"

    def render(self, evaluation: Evaluation, *, lang: Lang = "id") -> bytes:
        from publiceval.plugin import render_infographic

        return render_infographic(evaluation, lang)


@hookimpl
def register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    register(InfographicReporter)
