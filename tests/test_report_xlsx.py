"""The ``xlsx`` report: the sheets, numbers stored as numbers, both languages, reproducible bytes."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from report_builders import evaluation, rendered

openpyxl = pytest.importorskip("openpyxl")


def _book(lang: str = "id", kind: str = "plain") -> Any:
    return openpyxl.load_workbook(io.BytesIO(rendered("xlsx", lang, kind)))


def _rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_sheets_are_named_in_the_report_language() -> None:
    assert _book("id").sheetnames == [
        "Ringkasan",
        "Skor OPD",
        "Skor unsur",
        "Pertanyaan umum",
        "Rekomendasi",
        "Baris ditolak",
        "Peringatan",
        "Metode",
    ]
    assert _book("en").sheetnames == [
        "Summary",
        "OPD scores",
        "Item scores",
        "Survey-wide",
        "Recommendations",
        "Rejected rows",
        "Warnings",
        "Method",
    ]


def test_opd_scores_are_numbers_with_ranks_and_categories() -> None:
    ev = evaluation()
    rows = _rows(_book("en")["OPD scores"])
    header, body = rows[0], rows[1:]
    assert header[:11] == [
        "Rank",
        "Shared rank",
        "OPD id",
        "OPD",
        "Short name",
        "Score",
        "n",
        "Standard error",
        "Range, low end",
        "Range, high end",
        "Category",
    ]
    assert [r[2] for r in body] == [r.opd for r in ev.opds]
    dinkes = body[0]
    score = ev.opd("dinkes").score
    assert score.ci is not None
    assert dinkes[:4] == [1, "no", "dinkes", "Dinas Kesehatan"]
    assert dinkes[5] == pytest.approx(3.1875) and dinkes[6] == 12
    assert dinkes[8] == pytest.approx(score.ci.low) and dinkes[9] == pytest.approx(score.ci.high)
    assert dinkes[10] == "Good"
    # compared schemes get a column each
    assert "Likert class intervals" in header
    assert any("PermenPANRB" in str(h) for h in header)
    # ranks are numbers; a shared rank is said in its own column
    ranks = {r[2]: (r[0], r[1]) for r in body}
    assert ranks["dishub"] == ranks["satpol"] == (4, "yes") and ranks["pupr"] == (6, "no")
    assert all(isinstance(r[0], int) for r in body)


def test_item_scores_mark_the_weakest_and_count_answers() -> None:
    rows = _rows(_book("en")["Item scores"])
    header = rows[0]
    assert header[-4:] == ["Answers 1", "Answers 2", "Answers 3", "Answers 4"]
    pupr = [r for r in rows[1:] if r[0] == "pupr"]
    assert [r[2] for r in pupr] == ["q1", "q2", "q3", "q4"]
    assert [r[9] for r in pupr] == ["no", "yes", "no", "no"]
    for r in pupr:
        assert sum(r[-4:]) == r[6]  # counts add up to n


def test_survey_wide_recommendations_rejects_and_warnings() -> None:
    book = _book("id")
    wide = _rows(book["Pertanyaan umum"])
    assert [r[0] for r in wide[1:]] == ["mayor", "fair"]
    assert wide[0][-5:] == ["Jawaban 1", "Jawaban 2", "Jawaban 3", "Jawaban 4", "Jawaban 5"]
    recs = _rows(book["Rekomendasi"])
    assert {r[1] for r in recs[1:]} == {"dishub", "satpol", "pupr"}
    assert all("peringkat" in r[6].lower() for r in recs[1:])
    rejects = _rows(book["Baris ditolak"])
    assert [(r[3], r[4]) for r in rejects[1:]] == [
        ("tidak-ada", "unknown_opd"),
        ("9", "out_of_range"),
        ("lumayan", "unknown_label"),
    ]
    warnings = _rows(book["Peringatan"])
    assert "rows_rejected" in [r[0] for r in warnings[1:]]


def test_bytes_are_reproducible() -> None:
    from publiceval.plugin import get_host

    reporter = get_host().reporter("xlsx").create()
    ev = evaluation()
    assert reporter.render(ev, lang="id") == reporter.render(ev, lang="id")
    with zipfile.ZipFile(io.BytesIO(rendered("xlsx"))) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2000-01-01T00:00:00Z" in z.read("docProps/core.xml")


def test_published_aggregates_have_no_ci_and_no_items() -> None:
    book = _book("en", "published")
    rows = _rows(book["OPD scores"])
    assert all(r[8] is None and r[9] is None for r in rows[1:])
    assert len(_rows(book["Item scores"])) == 1
