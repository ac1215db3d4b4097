"""The evaluation as a PDF: the HTML report laid out for print by WeasyPrint.

The same page as the ``html`` format, so the two never disagree: A4 pages, one page per OPD
(each OPD's report card starts a page), the SKM sections each on a new page, page numbers in
the footer, and the fonts embedded (WeasyPrint embeds a subset of every font it uses). Nothing
is fetched while laying out: the page has no external reference and the URL fetcher refuses
any.
"""

from __future__ import annotations

from typing import Any, NoReturn

from ..errors import PluginError
from ..results import Evaluation
from ..text import Lang
from .render import render_html

__all__ = ["PDF_CSS", "render_pdf"]

#: What only the PDF adds to the page's own print styles: page numbers and running title.
PDF_CSS = """
@page {
  size: A4;
  margin: 14mm 12mm 16mm;
  @bottom-right {
    content: counter(page) " / " counter(pages);
    font: 8pt "DejaVu Sans", sans-serif;
    color: #5f6b7a;
  }
  @bottom-left { content: string(doc-title); font: 8pt "DejaVu Sans", sans-serif; color: #5f6b7a; }
}
h1 { string-set: doc-title content(); }
body { font-family: "DejaVu Sans", "Liberation Sans", "Noto Sans", sans-serif; }
"""


def _require_weasyprint() -> Any:
    try:
        import weasyprint  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except (ImportError, OSError) as exc:  # OSError: the system's Pango is missing
        raise PluginError(
            "the pdf format needs WeasyPrint and the system's Pango library; install the pdf "
            "extra (pip install 'publiceval[pdf]') and, on Debian or Ubuntu, "
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 ({exc})"
        ) from exc
    return weasyprint


def _no_fetch(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"the PDF report fetches nothing; refused {url[:80]!r}")


def render_pdf(evaluation: Evaluation, lang: Lang) -> bytes:
    """The evaluation as a PDF document in ``lang`` (A4, one page per OPD)."""
    weasyprint = _require_weasyprint()
    page = render_html(evaluation, lang)
    document = weasyprint.HTML(string=page, url_fetcher=_no_fetch, base_url=None)
    pdf = document.write_pdf(stylesheets=[weasyprint.CSS(string=PDF_CSS)])
    assert isinstance(pdf, bytes)
    return pdf
