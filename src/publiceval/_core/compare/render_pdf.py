"""Comparisons as PDF documents: the comparison's HTML page laid out for print by WeasyPrint.

The same page as the ``html`` format (so the two never disagree), with print styles added: A4,
page numbers and the title in the footer, tables that fit the page width and repeat their header
on each page, the dumbbell and change charts scaled to the page, each later comparison step on
a new page, and the fonts embedded (WeasyPrint embeds a subset of every font it uses). Nothing is
fetched while laying out, as for the evaluation's PDF (:mod:`publiceval._core.report.pdf`).
"""

from __future__ import annotations

from ..report.pdf import PDF_CSS, _no_fetch, _require_weasyprint
from ..text import Lang
from .cities import CityComparison
from .models import Comparison
from .segments import SegmentBreakdown

__all__ = [
    "COMPARE_PRINT_CSS",
    "render_cities_pdf",
    "render_comparison_pdf",
    "render_pdf",
    "render_segments_pdf",
]

#: Print styles over the comparison pages' own (screen) styles; placed after them in the page so
#: they win. Tables are no longer scroll boxes (a PDF cannot scroll): they fit the page instead.
COMPARE_PRINT_CSS = """
html { font-size: 9.5pt; }
body, svg text { font-family: "DejaVu Sans", "Liberation Sans", "Noto Sans", sans-serif; }
body { max-width: none; margin: 0; padding: 0; line-height: 1.35; }
h1 { font-size: 15pt; margin: 0 0 .4rem; }
h2 { font-size: 12.5pt; margin: .9rem 0 .3rem; break-after: avoid; }
h3 { font-size: 10.5pt; margin: .7rem 0 .25rem; break-after: avoid; }
table { display: table; overflow: visible; width: auto; max-width: 100%; font-size: 7.4pt;
  margin: .3rem 0 .8rem; }
th, td { padding: .12rem .3rem; }
th { white-space: normal; vertical-align: bottom; }
thead { display: table-header-group; }
tr, li, figure, table { break-inside: avoid; }
ul { margin: .2rem 0 .6rem; padding-left: 1.1rem; }
li { margin: .1rem 0; }
figure { margin: .4rem 0 .6rem; }
svg { max-width: 100%; height: auto; }
figure svg { max-height: 116mm; width: auto; }
figcaption, .note, small { font-size: 7.8pt; }
"""

#: Periods only: each comparison step after the first starts a page.
_STEP_CSS = "h2 { break-before: page; } h2:first-of-type { break-before: auto; }"


def _pdf(page: str, extra: str = "") -> bytes:
    weasyprint = _require_weasyprint()
    css = f"<style>{PDF_CSS}{COMPARE_PRINT_CSS}{extra}</style>"
    head_end = page.find("</head>")
    page = page[:head_end] + css + page[head_end:] if head_end >= 0 else css + page
    document = weasyprint.HTML(string=page, url_fetcher=_no_fetch, base_url=None)
    pdf = document.write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def render_comparison_pdf(comparison: Comparison, lang: Lang = "id") -> bytes:
    """Periods compared, as a PDF in ``lang``: sentences, both charts, the tables."""
    from .render_html import render_html

    return _pdf(render_html(comparison, lang), _STEP_CSS)


def render_segments_pdf(breakdown: SegmentBreakdown, lang: Lang = "id") -> bytes:
    """A breakdown by segment as a PDF: the OPD × segment table (n beside every score), gaps."""
    from .render_segments import render_segments

    # many segments make a wide table: lay it out across the page
    wide = "@page { size: A4 landscape; }" if len(breakdown.segments) > 9 else ""
    return _pdf(render_segments(breakdown, "html", lang), wide)


def render_cities_pdf(comparison: CityComparison, lang: Lang = "id") -> bytes:
    """Cities side by side as a PDF: the cities, every pair, the elements, all OPDs."""
    from .render_cities import render_cities

    wide = "@page { size: A4 landscape; }" if len(comparison.cities) > 6 else ""
    return _pdf(render_cities(comparison, "html", lang), wide)


def render_pdf(result: Comparison | SegmentBreakdown | CityComparison, lang: Lang = "id") -> bytes:
    """Any comparison (periods, segments or cities) as a PDF document in ``lang``."""
    if isinstance(result, SegmentBreakdown):
        return render_segments_pdf(result, lang)
    if isinstance(result, CityComparison):
        return render_cities_pdf(result, lang)
    return render_comparison_pdf(result, lang)
