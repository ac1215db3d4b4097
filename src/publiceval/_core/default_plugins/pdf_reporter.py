"""``pdf``: the HTML report laid out for print (A4, one page per OPD, fonts embedded)."""

from __future__ import annotations

from collections.abc import Callable

from publiceval.plugin import Evaluation, Lang, Reporter, Text, hookimpl


class PDFReporter(Reporter):
    """The same page as ``html``, as a PDF a unit head can be handed.

    Needs the ``pdf`` extra (WeasyPrint) and the system's Pango library.
    """

    name = "pdf"
    title = Text(id="Laporan PDF", en="PDF report")
    suffix = ".pdf"
    media_type = "application/pdf"

    def render(self, evaluation: Evaluation, *, lang: Lang = "id") -> bytes:
        from publiceval.plugin import render_pdf

        return render_pdf(evaluation, lang)


@hookimpl
def register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    register(PDFReporter)
