"""Comparisons as XLSX workbooks and PDF documents, for periods, segments and cities.

The workbook: its sheets and headers in the report language, every number stored as a number
equal to the comparison's own value, a suppressed segment cell with its n and no score, text
never run as a formula. The PDF: a PDF with the sections and charts, fonts embedded, nothing
wider than the page. The command: ``-f xlsx -o``, ``-f pdf --lang id,en -o``, and a clear usage
error for a binary format without ``-o``.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from publiceval._core.cli import cli
from publiceval._core.compare import compare_evaluations
from publiceval._core.compare.cities import CityComparison, compare_cities
from publiceval._core.compare.command import run_segments
from publiceval._core.compare.models import Comparison
from publiceval._core.compare.render_pdf import render_pdf
from publiceval._core.compare.render_xlsx import render_xlsx
from publiceval._core.compare.segments import SegmentBreakdown
from publiceval._core.errors import PublicevalError
from publiceval._core.results import Evaluation
from publiceval._core.study import load_study

ROOT = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE = ROOT / "two-semesters"
STUDY = EXAMPLE / "semester-2.toml"
A4_WIDTH = 595.3  # points


@pytest.fixture(scope="module")
def evaluations() -> tuple[Evaluation, Evaluation]:
    return (
        load_study(EXAMPLE / "semester-1.toml").evaluate(),
        load_study(EXAMPLE / "semester-2.toml").evaluate(),
    )


@pytest.fixture(scope="module")
def comparison(evaluations) -> Comparison:
    return compare_evaluations(evaluations, labels=["S1", "S2"], mapping={"diskop": "diskumdag"})


@pytest.fixture(scope="module")
def breakdown() -> SegmentBreakdown:
    return run_segments(STUDY, "education", min_n=40)  # several cells below 40: suppressed


@pytest.fixture(scope="module")
def cities(evaluations) -> CityComparison:
    return compare_cities([load_study(ROOT / "serang" / "study.toml").evaluate(), evaluations[1]])


def _book(data: bytes) -> openpyxl.Workbook:
    assert data.startswith(b"PK")
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(ws) -> tuple[list[str], list[tuple]]:
    rows = list(ws.iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


def _same(value: object) -> object:
    """Equal to the stored number: a workbook keeps 15 significant digits, as Excel does."""
    return pytest.approx(value, rel=1e-13, abs=1e-15)


def _number(cell) -> None:
    assert cell.data_type == "n" and isinstance(cell.value, (int, float)), cell
    assert cell.number_format != "General" or isinstance(cell.value, int), cell


# --- XLSX ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "sheets", "heads"),
    [
        (
            "id",
            [
                "Ringkasan",
                "Perubahan per OPD",
                "Unsur per OPD",
                "Pertanyaan umum",
                "OPD baru, hilang, ganti nama",
            ],
            ["Sebelum", "Sesudah", "Perubahan", "Rentang 95%: bawah", "p (Holm)", "Kesimpulan"],
        ),
        (
            "en",
            [
                "Summary",
                "Change per OPD",
                "Elements per OPD",
                "Survey-wide questions",
                "New, gone, renamed OPDs",
            ],
            ["Before", "After", "Change", "95% interval: low", "p (Holm)", "Verdict"],
        ),
    ],
)
def test_periods_workbook(comparison, lang, sheets, heads):
    wb = _book(render_xlsx(comparison, lang))
    assert wb.sheetnames == sheets
    ws = wb[sheets[1]]
    head, rows = _rows(ws)
    assert all(h in head for h in heads), head
    step = comparison.steps[0]
    assert len(rows) == len(step.opds)
    col = {h: k for k, h in enumerate(head)}
    rank_after = "Peringkat sesudah" if lang == "id" else "Rank after"
    best = rank_after + (": paling baik mungkin" if lang == "id" else ": best plausible")
    for k, (row, o) in enumerate(zip(rows, step.opds, strict=True)):
        c = o.score
        assert row[col[head[1]]] == o.opd
        assert row[col[heads[0]]] == _same(c.before) and row[col[heads[1]]] == _same(c.after)
        assert row[col[heads[2]]] == _same(c.difference)
        assert row[col[heads[3]]] == _same(c.ci.low)
        assert row[col[heads[4]]] == _same(c.p_adjusted)
        assert row[col[rank_after]] == o.rank.after
        assert row[col[best]] == o.rank.after_interval.low
        for name in heads[:5]:
            _number(ws.cell(row=k + 2, column=col[name] + 1))
    dishub = rows[[o.opd for o in step.opds].index("dishub")]
    assert dishub[col[heads[5]]] == ("membaik" if lang == "id" else "better")
    # elements: one row per OPD and item, with the same numbers
    head, rows = _rows(wb[sheets[2]])
    assert len(rows) == sum(len(o.items) for o in step.opds)
    first = step.opds[0].items[0]
    assert rows[0][head.index(heads[2])] == _same(first.change.difference)
    # survey-wide questions and new / gone / renamed OPDs
    _, rows = _rows(wb[sheets[3]])
    assert rows[0][1] == step.survey_wide[0].item
    _, rows = _rows(wb[sheets[4]])
    assert {r[1] for r in rows} == {"mpp", "diskumdag"}
    # the summary has the plain-language sentences
    summary = [r[0] for r in wb[sheets[0]].iter_rows(values_only=True) if r[0]]
    expected = "membaik dari 2,79 menjadi 3,03" if lang == "id" else "improved from 2.79 to 3.03"
    assert any(expected in line for line in summary)


def test_periods_workbook_is_reproducible_and_text_never_a_formula(comparison):
    step = comparison.steps[0]
    opds = [step.opds[0].model_copy(update={"name": "=HYPERLINK(1)"}), *step.opds[1:]]
    evil = comparison.model_copy(update={"steps": [step.model_copy(update={"opds": opds})]})
    data = render_xlsx(evil, "en")
    assert data == render_xlsx(evil, "en")
    cell = _book(data)["Change per OPD"]["C2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize("lang", ["id", "en"])
def test_segments_workbook_keeps_n_beside_every_score(breakdown, lang):
    wb = _book(render_xlsx(breakdown, lang))
    table = "OPD × kelompok" if lang == "id" else "OPD × segment"
    gaps = "Selisih antarkelompok" if lang == "id" else "Gaps between segments"
    assert wb.sheetnames == [("Ringkasan" if lang == "id" else "Summary"), table, gaps]
    ws = wb[table]
    head, rows = _rows(ws)
    score = "Skor" if lang == "id" else "Score"
    by_opd = {r[0]: (k + 2, r) for k, r in enumerate(rows)}
    seen_suppressed = seen_shown = False
    for o in breakdown.opds:
        line, row = by_opd[o.opd]
        for c in o.cells:
            text = breakdown.labels[c.segment].get(lang)
            s_col, n_col = head.index(f"{text}: {score}"), head.index(f"{text}: n")
            assert n_col == s_col + 1  # n right beside the score
            assert row[n_col] == c.n
            _number(ws.cell(row=line, column=n_col + 1))
            if c.suppressed:
                seen_suppressed = True
                assert row[s_col] is None
                word = "disembunyikan" if lang == "id" else "suppressed"
                assert f"{text}: {word} (n = {c.n} < 40)" in row[-1]
            else:
                seen_shown = True
                assert row[s_col] == _same(c.score.value)
                _number(ws.cell(row=line, column=s_col + 1))
    assert seen_suppressed and seen_shown
    pooled = rows[0]
    assert pooled[1] == ("Semua OPD" if lang == "id" else "All OPDs")
    head, rows = _rows(wb[gaps])
    assert len(rows) == len(breakdown.pooled_gaps) + sum(len(o.gaps) for o in breakdown.opds)
    assert rows[0][6] == _same(breakdown.pooled_gaps[0].change.difference)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_cities_workbook(cities, lang):
    wb = _book(render_xlsx(cities, lang))
    if lang == "id":
        assert wb.sheetnames == ["Ringkasan", "Kota", "Selisih antarkota", "Unsur", "Semua OPD"]
    else:
        assert wb.sheetnames == [
            "Summary",
            "Cities",
            "Differences between cities",
            "Elements",
            "All OPDs",
        ]
    head, rows = _rows(wb.worksheets[1])
    assert head[2] == ("Rata-rata OPD" if lang == "id" else "OPD average")
    for row, city in zip(rows, cities.cities, strict=True):
        assert row[0] == city.label and row[2] == _same(city.score.value)
        assert row[3] == _same(city.score.ci.low) and row[4] == _same(city.score.ci.high)
    _, rows = _rows(wb.worksheets[2])
    assert rows[0][4] == _same(cities.pairs[0].change.difference)
    _, rows = _rows(wb.worksheets[3])
    assert len(rows) == len(cities.cities[0].items)
    _, rows = _rows(wb.worksheets[4])
    assert [(r[0], r[2]) for r in rows] == [(o.opd, o.city) for o in cities.opds]
    assert [r[3] for r in rows] == _same([o.score.value for o in cities.opds])


# --- PDF -------------------------------------------------------------------------------------


def _pdf(result, lang: str) -> bytes:
    try:
        pdf = render_pdf(result, lang)
    except PublicevalError as exc:  # no WeasyPrint or no Pango on this machine
        pytest.skip(f"the pdf format cannot run here: {exc}")
    assert pdf.startswith(b"%PDF-")
    return pdf


def _poppler() -> tuple[str, str]:
    pdftotext, pdffonts = shutil.which("pdftotext"), shutil.which("pdffonts")
    if pdftotext is None or pdffonts is None:
        pytest.skip("poppler-utils (pdftotext, pdffonts) is not installed: pages not checked")
    return pdftotext, pdffonts


def _read(pdf: bytes) -> list[str]:
    pdftotext, pdffonts = _poppler()
    fonts = subprocess.run([pdffonts, "-"], input=pdf, capture_output=True, check=True)
    listed = fonts.stdout.decode("utf-8").splitlines()[2:]
    assert listed and all(" yes " in line for line in listed), listed  # every font embedded
    # nothing is cut off at the right edge of the page
    box = subprocess.run(
        [pdftotext, "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    widths = [float(w) for w in re.findall(r'<page width="([\d.]+)"', box)]
    right = [float(x) for x in re.findall(r'xMax="([\d.]+)"', box)]
    assert right and max(right) <= max(widths) - 20, max(right)
    text = subprocess.run(
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return text.split("\f")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "id",
            [
                "Perubahan di luar batas kebetulan",
                "Semua OPD",
                "Unsur yang berubah di luar batas kebetulan",
                "Pertanyaan umum",
                "Pelayanan Dishub membaik dari 2,79 menjadi 3,03",
                "Skor sebelum (○) dan sesudah (●)",
                "Cara membaca",
            ],
        ),
        (
            "en",
            [
                "Changes beyond chance",
                "All OPDs",
                "Elements that changed beyond chance",
                "Survey-wide questions",
                "Dishub's service improved from 2.79 to 3.03",
                "Score before (○) and after (●)",
                "How to read this",
            ],
        ),
    ],
)
def test_periods_pdf(comparison, lang, expected):
    pages = _read(_pdf(comparison, lang))
    text = "\f".join(pages)
    flat = re.sub(r"\s+", " ", text)
    for phrase in expected:
        assert phrase in flat, phrase
    # both charts are drawn: their axes' tick labels are on one line each
    tick = r"2,80\s+2,90\s+3,00" if lang == "id" else r"2\.80\s+2\.90\s+3\.00"
    assert re.search(tick, text)
    zero = r"0,00\s+0,20" if lang == "id" else r"0\.00\s+0\.20"
    assert re.search(zero, text)
    pages = [p for p in pages if p.strip()]
    assert re.search(rf"1\s*/\s*{len(pages)}\s*$", pages[0])  # page numbers in the footer


def test_segments_and_cities_pdf(breakdown, cities):
    text = "\f".join(_read(_pdf(breakdown, "id")))
    assert "Selisih antarkelompok" in text and "(n = " in text
    assert "disembunyikan" in text
    text = "\f".join(_read(_pdf(cities, "en")))
    for phrase in ("Cities compared", "Differences between cities", "All OPDs", "Kota Serang"):
        assert phrase in text, phrase


# --- the command -----------------------------------------------------------------------------


def _periods_args() -> list[str]:
    return [
        "compare",
        str(EXAMPLE / "semester-1.toml"),
        str(EXAMPLE / "semester-2.toml"),
        "--map",
        str(EXAMPLE / "compare.toml"),
    ]


def test_cli_xlsx_for_every_kind(tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, [*_periods_args(), "-f", "xlsx", "-o", str(tmp_path / "c.xlsx")])
    assert res.exit_code == 0, res.output
    assert _book((tmp_path / "c.xlsx").read_bytes()).sheetnames[1] == "Perubahan per OPD"
    res = runner.invoke(
        cli,
        [
            "compare",
            str(STUDY),
            "--by",
            "gender",
            "-f",
            "xlsx",
            "--lang",
            "en",
            "-o",
            str(tmp_path / "s.xlsx"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert _book((tmp_path / "s.xlsx").read_bytes()).sheetnames[1] == "OPD × segment"
    serang = ROOT / "serang" / "study.toml"
    res = runner.invoke(
        cli,
        [
            "compare",
            "--cities",
            str(serang),
            str(STUDY),
            "-f",
            "xlsx",
            "-o",
            str(tmp_path / "k.xlsx"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert _book((tmp_path / "k.xlsx").read_bytes()).sheetnames[1] == "Kota"


def test_cli_pdf_in_both_languages(tmp_path):
    pytest.importorskip("weasyprint", exc_type=ImportError)
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # pragma: no cover - Pango missing
        pytest.skip(f"WeasyPrint cannot load here: {exc}")
    res = CliRunner().invoke(
        cli, [*_periods_args(), "-f", "pdf", "--lang", "id,en", "-o", str(tmp_path / "c.pdf")]
    )
    assert res.exit_code == 0, res.output
    for lang in ("id", "en"):
        assert (tmp_path / f"c.{lang}.pdf").read_bytes().startswith(b"%PDF-")
    assert not (tmp_path / "c.pdf").exists()


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_cli_binary_format_without_output_is_a_usage_error(fmt):
    res = CliRunner().invoke(cli, [*_periods_args(), "-f", fmt])
    assert res.exit_code == 2
    assert f"--format {fmt} writes a file" in res.output and "--output" in res.output
    assert "PK" not in res.stdout and "%PDF" not in res.stdout
