"""The Serang example reported in both languages, in every format, through the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from publiceval import Evaluation, load_study
from publiceval._core.cli import cli

pytest.importorskip("jinja2")
pytest.importorskip("jinja2")
openpyxl = pytest.importorskip("openpyxl")

SERANG = Path(__file__).resolve().parents[1] / "examples" / "serang"
STUDIES = {"respondents": SERANG / "study.toml", "published": SERANG / "study-published.toml"}


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    out = tmp_path_factory.mktemp("serang-reports")
    made: dict[tuple[str, str, str], Path] = {}
    runner = CliRunner()
    for kind, study in STUDIES.items():
        for lang in ("id", "en"):
            for fmt, suffix in (
                ("json", "json"),
                ("markdown", "md"),
                ("html", "html"),
                ("xlsx", "xlsx"),
                ("table", "txt"),
            ):
                if fmt == "html" and kind == "published" and lang == "en":
                    continue  # one HTML of the published path is enough; rendering charts is slow
                target = out / f"{kind}-{lang}.{suffix}"
                result = runner.invoke(
                    cli, ["evaluate", str(study), "-f", fmt, "-o", str(target), "--lang", lang]
                )
                assert result.exit_code == 0, result.output
                made[(kind, lang, fmt)] = target
    return made


def test_every_format_names_every_opd(reports: dict[tuple[str, str, str], Path]) -> None:
    opds = load_study(STUDIES["respondents"]).survey.opds
    for (kind, lang, fmt), path in reports.items():
        if fmt == "xlsx":
            book = openpyxl.load_workbook(path)
            cells = {
                str(c.value)
                for ws in book.worksheets
                for row in ws.iter_rows()
                for c in row
                if c.value is not None
            }
            text = "\n".join(cells)
        else:
            text = path.read_text(encoding="utf-8")
        for opd in opds:
            assert opd.short_name in text or opd.name in text, (kind, lang, fmt, opd.id)


def test_numbers_follow_the_language(reports: dict[tuple[str, str, str], Path]) -> None:
    for kind in STUDIES:
        for fmt in ("markdown", "table"):
            assert "3,07" in reports[(kind, "id", fmt)].read_text(encoding="utf-8")
            assert "3.07" in reports[(kind, "en", fmt)].read_text(encoding="utf-8")


def test_labels_follow_the_language(reports: dict[tuple[str, str, str], Path]) -> None:
    id_page = reports[("respondents", "id", "html")].read_text(encoding="utf-8")
    en_page = reports[("respondents", "en", "html")].read_text(encoding="utf-8")
    assert "Rekomendasi" in id_page and "Recommendations" in en_page
    assert "<svg" in id_page and "<svg" in en_page
    assert "http://" not in id_page.replace("http://www.w3.org", "")


def test_json_is_the_same_evaluation_in_both_languages(
    reports: dict[tuple[str, str, str], Path],
) -> None:
    for kind in STUDIES:
        a = reports[(kind, "id", "json")].read_bytes()
        b = reports[(kind, "en", "json")].read_bytes()
        assert a == b
        ev = Evaluation.from_json(a)
        assert len(ev.opds) == 20
        assert json.loads(a)["schema_version"] == ev.schema_version


def test_xlsx_has_the_promised_sheets(reports: dict[tuple[str, str, str], Path]) -> None:
    book = openpyxl.load_workbook(io.BytesIO(reports[("respondents", "en", "xlsx")].read_bytes()))
    names = " ".join(book.sheetnames).lower()
    for needed in ("summary", "score", "item", "recommend", "reject"):
        assert needed in names, book.sheetnames


def test_instrument_reliability_is_reported_when_asked_for(
    reports: dict[tuple[str, str, str], Path],
) -> None:
    alpha = load_study(STUDIES["respondents"]).evaluate().extras["reliability"][0]["alpha"]
    for lang, heading, number in (
        ("en", "Instrument reliability", f"{alpha:.3f}"),
        ("id", "Reliabilitas instrumen", f"{alpha:.3f}".replace(".", ",")),
    ):
        for fmt in ("markdown", "html"):
            page = reports[("respondents", lang, fmt)].read_text(encoding="utf-8")
            assert heading in page and number in page, (lang, fmt)
    assert "Instrument reliability" not in reports[("published", "en", "markdown")].read_text(
        encoding="utf-8"
    )


def test_placeholder_scores_are_marked_as_such(reports: dict[tuple[str, str, str], Path]) -> None:
    md = reports[("published", "en", "markdown")].read_text(encoding="utf-8")
    marked = [line for line in md.splitlines() if line.startswith("|") and "†" in line]
    assert len(marked) == 10  # the ten OPDs the article does not name
    assert "† Placeholder: this score is not in the publication." in md
    assert "Nilai pengganti" in reports[("published", "id", "html")].read_text(encoding="utf-8")
    assert "†" not in reports[("respondents", "en", "markdown")].read_text(encoding="utf-8")
