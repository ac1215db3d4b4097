"""Names and free text from the data cannot run in a browser, a Markdown viewer or a spreadsheet.

The hostile evaluation names an OPD ``<script>alert(1)</script>``, gives an item the label
``=HYPERLINK(...)``, answers a question with ``=HYPERLINK(...)`` (a rejected answer whose
text the report shows), and starts the title, city and organisation with ``@``, ``+``, ``-``.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publiceval._core.errors import PublicevalError
from publiceval._core.report.context import build_context
from publiceval._core.report.render import text_bars
from publiceval._core.report.xlsx import needs_neutralising
from report_builders import HYPERLINK, SCRIPT_NAME, rendered

pytest.importorskip("jinja2")
escape = pytest.importorskip("markupsafe").escape


def test_html_escapes_names_and_labels_everywhere() -> None:
    page = rendered("html", "en", "hostile").decode("utf-8")
    assert SCRIPT_NAME not in page
    assert "<script" not in page.lower()
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    # in tables, headings, recommendation texts and inside the SVG charts
    assert page.count(escaped) >= 5
    svg_part = "".join(re.findall(r"<svg\b.*?</svg>", page, re.S))
    assert escaped in svg_part
    # the =HYPERLINK label shows as text, its quotes escaped inside attributes too
    assert str(escape(HYPERLINK)) in page
    assert 'title="=HYPERLINK(&#34;http' in page


def test_markdown_escapes_names() -> None:
    md = rendered("markdown", "en", "hostile").decode("utf-8")
    outside_code = re.sub(r"(`{3,})text\n.*?\n\1", "", md, flags=re.S)
    assert "<" not in outside_code.replace("\\<", "")
    assert r"\<script\>alert(1)\</script\>" in outside_code
    assert r"\=HYPERLINK" not in outside_code and "=HYPERLINK(" in outside_code  # plain text


def test_text_bars_fence_cannot_be_closed_by_a_name() -> None:
    from dataclasses import replace

    from report_builders import evaluation

    ctx = build_context(evaluation(), "en")
    ctx = replace(ctx, opds=(replace(ctx.opds[0], label="x ```` y"), *ctx.opds[1:]))
    block = str(text_bars(ctx))
    fence = block.splitlines()[0].removesuffix("text")
    assert len(fence) == 5 and block.endswith("\n" + fence)


def _cells(book: Any) -> list[Any]:
    return [
        c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None
    ]


def test_xlsx_stores_formula_like_text_as_quoted_text() -> None:
    openpyxl = pytest.importorskip("openpyxl")
    data = rendered("xlsx", "en", "hostile")
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = _cells(book)
    risky = [c for c in cells if isinstance(c.value, str) and needs_neutralising(c.value)]
    values = {c.value for c in risky}
    # the item label, the rejected answer, the title, the city and the organisation
    assert HYPERLINK in values
    assert any(v.startswith("@SUM") for v in values)
    assert "+62 Kota Uji" in values and "-Lembaga Uji" in values
    for c in risky:
        assert c.data_type == "s", c.coordinate
        assert c.quotePrefix, (c.parent.title, c.coordinate, c.value)
    assert SCRIPT_NAME in {c.value for c in cells}  # stored as plain text, shown as typed
    # no formula anywhere in the file: no <f> element in any sheet
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), name


def test_xlsx_keeps_negative_numbers_as_numbers() -> None:
    from publiceval._core.report.xlsx import _Sheet

    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    sheet = _Sheet(wb.active)
    sheet.add([-20.5, "-20.5", "=1+1", " =1+1", "ok", "@x", "\t=1"])
    cells = next(iter(wb.active.iter_rows()))
    assert cells[0].data_type == "n" and not cells[0].quotePrefix
    assert [c.quotePrefix for c in cells[1:]] == [True, True, True, False, True, True]


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_text_round_trips_through_a_cell_and_never_becomes_a_formula(text: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")

    from publiceval._core.report.xlsx import _Sheet
    from publiceval._core.text import clean_text

    wb = openpyxl.Workbook()
    _Sheet(wb.active).add([text])
    buf = io.BytesIO()
    wb.save(buf)
    cell = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active["A1"]
    # control characters (those openpyxl refuses among them) are written as escapes (``\x1b``)
    expected = clean_text(text)
    if expected:
        assert cell.data_type == "s"
        assert cell.value == expected or cell.value == expected.replace("\r\n", "\n").replace(
            "\r", "\n"
        )
        assert cell.quotePrefix == needs_neutralising(expected)


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><g onload="alert(1)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="http://evil.example/x.svg#a"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(http://evil.example/p)"/></svg>',
        "<svg><unclosed></svg>",
    ],
)
def test_chart_check_refuses_active_or_external_svg(svg: str) -> None:
    from publiceval._core.report.charts import checked_svg

    with pytest.raises(PublicevalError):
        checked_svg(svg, "k")


def test_chart_check_prefixes_ids() -> None:
    from publiceval._core.report.charts import checked_svg

    out = checked_svg(
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><defs><clipPath id="p1"/></defs>'
        '<rect clip-path="url(#p1)"/></svg>',
        "chart-2",
    )
    assert out.startswith("<svg") and 'id="chart-2-p1"' in out and "url(#chart-2-p1)" in out
