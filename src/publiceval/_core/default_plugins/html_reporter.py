"""``html``: one self-contained HTML page with SVG charts, readable offline and printable to PDF."""

from __future__ import annotations

from collections.abc import Callable

from publiceval.plugin import Evaluation, Lang, Reporter, Text, hookimpl


class HTMLReporter(Reporter):
    """Summary, ranking, charts, item profiles, distributions, recommendations, data quality.

    Needs the ``report`` extra (Jinja2; the charts are SVG written by hand, so no plotting
    library). The page makes no network request: no scripts, no web fonts, charts inline; a
    Content-Security-Policy forbids fetching anything.
    """

    name = "html"
    title = Text(id="Laporan HTML dengan grafik", en="HTML report with charts")
    suffix = ".html"
    media_type = "text/html"

    def render(self, evaluation: Evaluation, *, lang: Lang = "id") -> bytes:
        from publiceval.plugin import render_html

        return render_html(evaluation, lang).encode("utf-8")


@hookimpl
def register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    register(HTMLReporter)
