"""The SKM sections (PermenPANRB 14/2017) in every format, and their absence where there is no data.

An SKM study with profile questions and suggestions gets the respondent profile, NRR per element
with the IKM and *mutu pelayanan*, the weakest elements, the follow-up plan (with columns to fill
in, in the XLSX) and the suggestions grouped by element, in HTML, Markdown, XLSX and PDF. The
Serang example has none of that data and gets none of those sections.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

import publiceval
from publiceval import Evaluation
from publiceval._core.cli import cli
from publiceval._core.report.keywords import elements_mentioned
from skm_builders import OPDS, serang_evaluation, serang_page, skm_evaluation, write_skm_study

pytest.importorskip("jinja2")
pytest.importorskip("jinja2")
openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parents[1]
SERANG = ROOT / "examples" / "serang" / "study.toml"
SECTIONS = ("profile", "skm", "weakest", "followup", "suggestions")


@pytest.fixture(scope="module")
def skm(tmp_path_factory: pytest.TempPathFactory) -> Evaluation:
    return skm_evaluation(str(tmp_path_factory.mktemp("skm-report")))


def test_html_has_every_skm_section(skm: Evaluation) -> None:
    page = publiceval.render(skm, "html", lang="id").decode("utf-8")
    for section in SECTIONS:
        assert f'<section id="{section}">' in page, section
    # the profile: each question, its answers with shares; an answer off the list is "other"
    assert "Jenis kelamin" in page and "Laki-laki" in page and "D3 (lainnya)" in page
    # NRR per element, IKM and the quality letter per unit
    assert "U9" in page and "Sarana dan Prasarana" in page
    row = re.search(r"<tr><td>Dinas Kesehatan</td>(.*?)</tr>", page)
    assert row is not None and "82,41" in row.group(1) and "B · Baik" in row.group(1)
    # the follow-up plan: one row per recommendation, with the columns a unit fills in
    assert page.count('<td class="fill"></td>') == 3 * len(skm.recommendations)
    # suggestions: counted per unit and grouped under the element they mention
    assert "Antrian terlalu lama" in page and "Waktu Penyelesaian" in page


def test_english_report_names_elements_and_units_in_english(skm: Evaluation) -> None:
    page = publiceval.render(skm, "html", lang="en").decode("utf-8")
    assert "Respondent profile" in page and "Follow-up plan" in page
    assert "Health Office" in page and "Dinas Kesehatan" not in page
    # the nine elements by the regulation's English names (the study names them in Indonesian)
    table = page.split('<section id="skm">')[1].split("</section>")[0]
    assert "Facilities and infrastructure" in table and "Sarana dan Prasarana" not in table
    assert "Community Satisfaction Survey, Kota Uji 2025" in page
    # what citizens wrote stays as they wrote it
    assert "Antrian terlalu lama" in page


def test_markdown_has_every_skm_section(skm: Evaluation) -> None:
    md = publiceval.render(skm, "markdown", lang="id").decode("utf-8")
    for heading in (
        "## Profil responden",
        "## Nilai per unsur, IKM dan mutu pelayanan",
        "## Unsur terlemah per unit",
        "## Rencana tindak lanjut",
        "## Kritik dan saran",
    ):
        assert heading in md, heading
    assert "| Dinas Kesehatan | 3,39 |" in md


def test_xlsx_has_the_skm_sheets_and_a_plan_to_fill_in(skm: Evaluation) -> None:
    book = openpyxl.load_workbook(io.BytesIO(publiceval.render(skm, "xlsx", lang="id")))
    assert {"Profil responden", "NRR dan IKM", "Rencana tindak lanjut", "Kritik dan saran"} <= set(
        book.sheetnames
    )
    # no survey-wide question in this study: no empty sheet for them
    assert "Pertanyaan umum" not in book.sheetnames
    plan = book["Rencana tindak lanjut"]
    header = [c.value for c in plan[1]]
    assert header[-3:] == ["Program / kegiatan", "Waktu", "Penanggung jawab"]
    body = list(plan.iter_rows(min_row=2, values_only=True))
    assert len(body) == len(skm.recommendations)
    assert all(r[-3:] == (None, None, None) for r in body)  # left for the unit to fill in
    units = book["NRR dan IKM"]
    dinkes = next(r for r in units.iter_rows(min_row=2, values_only=True) if r[0] == "dinkes")
    assert isinstance(dinkes[2], float) and dinkes[12] == "B (Baik)"
    # ranks are numbers
    scores = book["Skor OPD"]
    assert [r[0] for r in scores.iter_rows(min_row=2, values_only=True)] == [1, 2, 3, 4]


def test_serang_has_none_of_the_skm_sections() -> None:
    ev = serang_evaluation()
    page = serang_page("id").decode("utf-8")
    for section in SECTIONS:
        assert f'id="{section}"' not in page, section
    md = publiceval.render(ev, "markdown", lang="id").decode("utf-8")
    assert "Profil responden" not in md and "Rencana tindak lanjut" not in md
    book = openpyxl.load_workbook(io.BytesIO(publiceval.render(ev, "xlsx", lang="id")))
    assert not {"Profil responden", "NRR dan IKM", "Rencana tindak lanjut"} & set(book.sheetnames)
    assert "Pertanyaan umum" in book.sheetnames  # Serang has survey-wide questions


def test_suggestions_find_their_element_by_keyword() -> None:
    elements = ["Waktu Penyelesaian", "Sarana dan Prasarana", "Perilaku Pelaksana"]
    assert elements_mentioned("Antriannya lama sekali", elements) == ["Waktu Penyelesaian"]
    assert elements_mentioned("Ruang tunggu tidak ada AC", elements) == ["Sarana dan Prasarana"]
    assert elements_mentioned("Acara bagus", elements) == []  # "ac" is a whole word only
    assert elements_mentioned("The staff were rude", elements) == ["Perilaku Pelaksana"]
    # a study adds its own words
    extra = {"Perilaku Pelaksana": ["galak"]}
    assert elements_mentioned("Satpam galak", elements) == []
    assert elements_mentioned("Satpam galak", elements, extra) == ["Perilaku Pelaksana"]


def test_a_study_extends_the_keywords(tmp_path: Path) -> None:
    study = write_skm_study(tmp_path)
    study.write_text(
        study.read_text(encoding="utf-8")
        + '\n[report.keywords]\n"Perilaku Pelaksana" = ["terima kasih"]\n',
        encoding="utf-8",
    )
    ev = publiceval.load_study(study).evaluate()
    page = publiceval.render(ev, "html", lang="id").decode("utf-8")
    behaviour = page.split("<strong>Perilaku Pelaksana</strong>")[1].split("</details>")[0]
    assert "Terima kasih, pelayanan sudah bagus" in behaviour


def test_pdf_has_every_section_a_page_per_opd_and_embedded_fonts(skm: Evaluation) -> None:
    try:
        pdf = publiceval.render(skm, "pdf", lang="id")
    except publiceval.PublicevalError as exc:  # no WeasyPrint or no Pango on this machine
        pytest.skip(f"the pdf format cannot run here: {exc}")
    assert pdf.startswith(b"%PDF-")
    pdftotext, pdffonts = shutil.which("pdftotext"), shutil.which("pdffonts")
    if pdftotext is None or pdffonts is None:
        pytest.skip("poppler-utils (pdftotext, pdffonts) is not installed: pages not checked")
    fonts = subprocess.run(
        [pdffonts, "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    listed = fonts.splitlines()[2:]
    assert listed and all(" yes " in line for line in listed), fonts  # every font embedded
    pages = (
        subprocess.run([pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode("utf-8")
        .split("\f")
    )
    text = "\f".join(pages)
    for heading in (
        "Profil responden",
        "Unsur terlemah per unit",
        "Rencana tindak lanjut",
        "Kritik dan saran",
        "IKM",
    ):
        assert heading in text, heading
    # each OPD's report card ("RAPOR UNIT", set in capitals) starts its own page
    cards = [k for k, p in enumerate(pages) if "rapor unit" in p.casefold()]
    assert len(cards) == len(OPDS)
    assert all(pages[k].casefold().count("rapor unit") == 1 for k in cards)
    assert cards == list(range(cards[0], cards[0] + len(OPDS)))  # and fits on that one page


def test_cli_writes_both_languages_in_one_run(tmp_path: Path) -> None:
    study = write_skm_study(tmp_path / "study")
    out = tmp_path / "out" / "laporan.md"
    result = CliRunner().invoke(
        cli, ["evaluate", str(study), "-f", "markdown", "--lang", "id,en", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "# Survei Kepuasan Masyarakat" in (tmp_path / "out" / "laporan.id.md").read_text(
        encoding="utf-8"
    )
    assert "# Community Satisfaction Survey" in (tmp_path / "out" / "laporan.en.md").read_text(
        encoding="utf-8"
    )
    bad = CliRunner().invoke(cli, ["evaluate", str(study), "--lang", "id,fr"])
    assert bad.exit_code != 0 and "id,en" in bad.output


def test_what_citizens_typed_stays_inert_in_every_format(skm: Evaluation) -> None:
    from publiceval._core.results import Suggestion

    typed = ["<script>alert(1)</script> antrian lama", '=HYPERLINK("http://evil.example","x")']
    ev = skm.model_copy(
        update={
            "suggestions": [Suggestion(opd="dinkes", text=t, row=k) for k, t in enumerate(typed)]
        }
    )
    page = publiceval.render(ev, "html", lang="id").decode("utf-8")
    assert (
        "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; antrian lama" in page
    )
    md = publiceval.render(ev, "markdown", lang="id").decode("utf-8")
    assert "\\<script\\>alert(1)\\</script\\> antrian lama" in md
    book = openpyxl.load_workbook(io.BytesIO(publiceval.render(ev, "xlsx", lang="id")))
    cells = [c for row in book["Kritik dan saran"].iter_rows(min_row=2) for c in row]
    formula = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s" and formula.quotePrefix
