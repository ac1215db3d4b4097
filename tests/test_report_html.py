"""The ``html`` report: one self-contained page, both languages, every section, charts inline."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import resources

import pytest

from publiceval._core.report.messages import MESSAGES, Messages, placeholders
from report_builders import evaluation, rendered

pytest.importorskip("jinja2")
pytest.importorskip("jinja2")


def _html(lang: str = "id", kind: str = "plain") -> str:
    return rendered("html", lang, kind).decode("utf-8")


class _Collect(HTMLParser):
    """Tags, attributes and text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Collect:
    p = _Collect()
    p.feed(page)
    return p


def test_every_opd_and_section_appears_in_both_languages() -> None:
    ev = evaluation()
    for lang, heads in (
        (
            "id",
            [
                "Ringkasan",
                "Peringkat OPD",
                "Profil unsur per OPD",
                "Sebaran jawaban",
                "Perbandingan skema kategori",
                "Rekomendasi",
                "Kualitas data",
                "Lampiran: metode dan asal-usul",
            ],
        ),
        (
            "en",
            [
                "Summary",
                "OPD ranking",
                "Item profile per OPD",
                "Answer distributions",
                "Comparison of category schemes",
                "Recommendations",
                "Data quality",
                "Appendix: method and provenance",
            ],
        ),
    ):
        page = _parse(_html(lang))
        text = " ".join(page.text)
        for head in heads:
            assert head in text, (lang, head)
        for r in ev.opds:
            assert r.name in text
        assert ("html", {"lang": lang}) in page.tags


def test_page_is_self_contained() -> None:
    page = _html("en")
    tags = _parse(page).tags
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe", "object", "embed")]
    for _, attrs in tags:
        for name, value in attrs.items():
            assert not name.startswith("on")
            if name in ("href", "src", "xlink:href"):
                assert value is not None and value.startswith("#"), (name, value)
    assert "@import" not in page and "url(http" not in page and "@font-face" not in page
    # the only http(s) strings are XML namespace names, which are never fetched
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    assert "default-src 'none'" in page


def test_charts_are_inline_svg_with_unique_ids() -> None:
    page = _html("id")
    ev = evaluation()
    svgs = re.findall(r"<svg\b", page)
    # scores + one profile per OPD with items + pooled items + two survey-wide scales (4 and 5 points)
    assert len(svgs) == 1 + sum(1 for r in ev.opds if r.items) + 1 + 2
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    refs = set(re.findall(r'href="#([^"]+)"', page)) | set(re.findall(r"url\(#([^)]+)\)", page))
    assert refs <= set(ids)


def test_numbers_follow_the_locale() -> None:
    assert ">3,19<" in _html("id") and ">3.19<" not in _html("id")
    assert ">3.19<" in _html("en") and ">3,19<" not in _html("en")
    assert "2,92–3,45" in _html("id") and "2.92–3.45" in _html("en")


def test_shared_ranks_weakest_items_and_categories() -> None:
    page = _html("en")
    assert page.count('<td class="num rank">4=</td>') == 2
    assert '<td class="num rank">6</td>' in page
    # PUPR's weakest item (1.92, Time to complete) is highlighted in the heat table
    assert '<td class="heat weak" style="background: ' in page
    row = re.search(r'<tr><td><a href="#opd-pupr">PUPR</a></td>(.*?)</tr>', page, re.S)
    assert row is not None
    assert re.search(r'class="heat weak"[^>]*>1.92<', row.group(1))
    assert '<td class="weak">Time to complete</td>' in row.group(1)
    # the comparison names all three schemes and counts OPDs per band
    assert (
        "Likert class intervals" in page and "SKM service quality" in page
    ) or "PermenPANRB" in page
    assert "1 of 6 OPDs" in page


def test_recommendations_carry_their_evidence() -> None:
    page = _html("en")
    assert "Prioritise improving the services of PUPR" in page
    # the evidence as sentences, with names, not ids or comparison signs
    assert (
        "<li>Rank of Dinas Pekerjaan Umum dan Penataan Ruang is 6 (among the 2 lowest of 6).</li>"
        in page
    )
    assert "<td>rank</td>" not in page and "among the 2 lowest of 6</td>" not in page


def test_data_quality_lists_every_reject() -> None:
    ev = evaluation()
    page = _html("id")
    assert ev.data.rows_rejected == 3
    for label in ("OPD tidak dikenal", "Di luar rentang skala", "Jawaban tidak dikenal"):
        assert label in page
    assert "<code>tidak-ada</code>" in page and "<code>lumayan</code>" in page
    assert "Kecamatan Kecil" in page.split('id="quality"')[1]  # n = 1: no CI, listed as small


def test_uncertainty_is_shown_when_present() -> None:
    page = _html("id", "uncertainty")
    assert "Rentang peringkat" in page and "Peluang kategori" in page and "Kelompok" in page
    assert "Baik 70% · Kurang Baik 30%" in page
    assert "Jumlah responden memadai (12; minimal 30)." in page or "minimal 30)" in page
    assert "min-n" not in page and "✗" not in page and "✓" not in page
    # the pipeline's own statistics: Dinkes is B with probability 0.93 (shown rounded)
    real = _html("id")
    assert "Jumlah responden belum memadai (12; minimal 30); baca skornya dengan hati-hati." in real


def test_published_aggregates_render_without_items() -> None:
    page = _html("en", "published")
    assert "Scores are published figures without data per respondent" in page
    assert 'id="items"' not in page
    assert page.count("<svg") == 1


def test_print_css_is_there() -> None:
    page = _html("id")
    assert "@media print" in page and "@page" in page and "break-inside: avoid" in page


# --- the message catalogue --------------------------------------------------------------


def test_catalogue_has_both_languages_with_the_same_placeholders() -> None:
    for key, text in MESSAGES.items():
        assert text.id.strip() and text.en.strip(), key
        assert placeholders(text.id) == placeholders(text.en), key
    for key in (k for k in MESSAGES if k.startswith("sheet_")):
        assert len(MESSAGES[key].id) <= 31 and len(MESSAGES[key].en) <= 31


def test_unknown_label_raises() -> None:
    m = Messages("en")
    with pytest.raises(KeyError, match="no report label 'nope'"):
        m["nope"]
    with pytest.raises(AttributeError):
        _ = m.nope


_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)


@pytest.mark.parametrize("name", ["report.html.j2", "report.md.j2"])
def test_templates_hold_no_ui_words(name: str) -> None:
    """Every word a reader sees comes from the catalogue, so templates hold only markup."""
    source = (
        resources.files("publiceval._core.report")
        .joinpath("templates")
        .joinpath(name)
        .read_text("utf-8")
    )
    text = _JINJA.sub(" ", source)
    if name.endswith(".html.j2"):
        text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", text)
    words = re.findall(r"[A-Za-z]{2,}", text)
    assert words == [], words
