"""The paper questionnaire: self-contained HTML, both languages, one A4 page in a real Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from publiceval._core.cli import cli
from publiceval._core.form import build_questionnaire, paper_html
from publiceval._core.presets import PRESETS
from publiceval._core.profile import STANDARD_PROFILE, ProfileQuestion
from publiceval._core.scaffold import slugify
from publiceval._core.survey import OPD, Survey
from publiceval._core.table import ColumnMap
from publiceval._core.text import Text

pytest.importorskip("jinja2")

PROFILE = (
    ProfileQuestion(
        id="gender",
        text=STANDARD_PROFILE["gender"],
        choices=(Text(id="Laki-laki", en="Male"), Text(id="Perempuan", en="Female")),
    ),
    ProfileQuestion(id="age", text=STANDARD_PROFILE["age"], kind="number"),
    ProfileQuestion(
        id="education",
        text=STANDARD_PROFILE["education"],
        choices=tuple(
            Text(id=a, en=b)
            for a, b in (
                ("SD", "Primary"),
                ("SMP", "Junior high"),
                ("SMA", "Senior high"),
                ("D1-D4", "Diploma"),
                ("S1", "Bachelor"),
                ("S2 ke atas", "Master or above"),
            )
        ),
    ),
    ProfileQuestion(
        id="occupation",
        text=STANDARD_PROFILE["occupation"],
        choices=tuple(
            Text(id=a, en=b)
            for a, b in (
                ("PNS", "Civil servant"),
                ("TNI/Polri", "Military/police"),
                ("Swasta", "Private"),
                ("Wirausaha", "Self-employed"),
                ("Lainnya", "Other"),
            )
        ),
    ),
)


def city_survey(n_opds: int) -> Survey:
    """A city's SKM: the nine elements, the four profile questions, ``n_opds`` long OPD names."""
    p = PRESETS["skm9"]
    names = [f"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu {k}" for k in range(n_opds)]
    return Survey(
        title="Survei Kepuasan Masyarakat Kota Contoh 2026",
        city="Kota Contoh",
        organisation="Bagian Organisasi <Setda> & Co",
        period_start="2026-01-01",
        period_end="2026-06-30",
        scales=p.scales,
        items=p.items,
        opds=tuple(OPD(id=slugify(n), name=n) for n in names),
        profile=PROFILE,
    )


def form(n_opds: int = 6):
    return build_questionnaire(city_survey(n_opds), ColumnMap(suggestions="Kritik dan saran"))


def test_the_page_is_self_contained():
    page = paper_html(form())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not re.search(r"(?i)\b(src|href)\s*=|url\(|@import|https?://", page)
    assert "<script" not in page
    assert "@page { size: A4" in page
    # text from the study is escaped
    assert "Bagian Organisasi &lt;Setda&gt; &amp; Co" in page


def test_indonesian_by_default_english_on_request():
    idn, eng = html.unescape(paper_html(form())), html.unescape(paper_html(form(), "en"))
    assert '<html lang="id">' in idn and '<html lang="en">' in eng
    for text in ("Unit layanan (OPD) yang dinilai", "Jenis kelamin", "Biaya/Tarif", "Sangat Baik"):
        assert text in idn and text not in eng
    for text in ("Service unit (OPD) being rated", "Gender", "Cost/tariff", "Very good"):
        assert text in eng and text not in idn
    assert "Usia" in idn and "tahun" in idn and "years" in eng


def test_every_question_opd_and_option_is_printed_with_its_column():
    page = html.unescape(paper_html(form()))
    f = form()
    for o in f.lists["opd"].choices:
        assert o.label.id in page
    for q in f.questions:
        assert q.label.id in page
    # codes: the header to type where the printed text is not the column itself
    for code in ("opd", "gender", "age", "education", "occupation", "u1", "u9", "respondent"):
        assert f'<span class="code">{code}</span>' in page
    # the suggestions box prints its column as its title, not twice
    assert page.count("Kritik dan saran") == 1
    # the nine items share one grid with the four options as columns
    assert page.count('<table class="grid">') == 1
    assert page.count('<td class="mark">') == 9 * 4


def test_no_respondent_box_when_each_row_is_a_respondent():
    f = build_questionnaire(city_survey(3), ColumnMap(respondent=None))
    assert "No. responden" not in paper_html(f)
    assert "No. responden" in paper_html(form(3))


def test_the_template_engine_is_imported_only_when_a_paper_form_is_made():
    code = (
        "import sys, publiceval._core.form, publiceval._core.cli; "
        "print(sorted(m for m in ('jinja2', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_command_writes_the_paper_form(tmp_path):
    from test_form_roundtrip import study_text

    study = tmp_path / "study.toml"
    study.write_text(study_text("export.csv", "kobo"), encoding="utf-8")
    out = tmp_path / "cetak" / "kuesioner.html"
    result = CliRunner().invoke(
        cli, ["form", str(study), "-f", "html", "-o", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {out}"
    assert "Service unit (OPD) being rated" in out.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["form", str(study), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "study-form.html").read_text(encoding="utf-8").count("Persyaratan") == 1
    # a folder as --output: the form goes into it under its default name
    result = CliRunner().invoke(cli, ["form", str(study), "-o", str(out.parent)])
    assert result.exit_code == 0, result.output
    assert (out.parent / "study-form.xlsx").is_file()


def test_command_errors_exit_with_the_documented_codes(tmp_path):
    result = CliRunner().invoke(cli, ["form", str(tmp_path / "none.toml")])
    assert result.exit_code == 3 and "study file not found" in result.output
    result = CliRunner().invoke(cli, ["form", str(tmp_path / "none.toml"), "-f", "pdf"])
    assert result.exit_code == 2


# -- in a real browser --------------------------------------------------------------------------


def _browser() -> str:
    named = os.environ.get("PUBLICEVAL_BROWSER")
    for name in (named, "chromium", "chromium-browser", "google-chrome", "chrome"):
        found = name and shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium found (install it: apt-get install -y chromium)")


def _pdf_pages(page: Path, tmp: Path) -> int:
    pdf = tmp / (page.stem + ".pdf")
    subprocess.run(
        [
            _browser(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--proxy-server=127.0.0.1:9",
            f"--user-data-dir={tmp / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=90,
        check=True,
    )
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes())
    return len(pages)


@pytest.mark.parametrize(("n_opds", "lang"), [(6, "id"), (36, "id"), (36, "en")])
def test_one_a4_page_per_respondent(tmp_path, n_opds, lang):
    """The nine SKM questions, four profile questions, the suggestions box and up to 36 OPDs
    with long names print on one A4 page."""
    page = tmp_path / f"form-{n_opds}-{lang}.html"
    page.write_text(paper_html(form(n_opds), lang), encoding="utf-8")
    assert _pdf_pages(page, tmp_path) == 1
