"""The ``markdown`` report: content in both languages, locale numbers, and inert user text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publiceval._core.report.context import build_context
from publiceval._core.report.render import markdown_escape, text_bars
from report_builders import evaluation, rendered

pytest.importorskip("jinja2")


def _md(lang: str = "id", kind: str = "plain") -> str:
    return rendered("markdown", lang, kind).decode("utf-8")


def test_sections_follow_the_language() -> None:
    md_id, md_en = _md("id"), _md("en")
    for heading in (
        "## Ringkasan",
        "## Peringkat OPD",
        "## Profil unsur per OPD",
        "## Rekomendasi",
        "## Kualitas data",
        "## Lampiran: metode dan asal-usul",
        "## Perbandingan skema kategori",
    ):
        assert heading in md_id
    for heading in (
        "## Summary",
        "## OPD ranking",
        "## Item profile per OPD",
        "## Recommendations",
        "## Data quality",
        "## Appendix: method and provenance",
        "## Comparison of category schemes",
    ):
        assert heading in md_en
    assert "Ringkasan" not in md_en and "Summary" not in md_id


def test_ranking_rows_use_locale_numbers_and_shared_ranks() -> None:
    ev = evaluation()
    dinkes = ev.opd("dinkes").score
    assert dinkes.value is not None and dinkes.ci is not None
    # 3.1875 prints as 3,19 / 3.19; its CI 2.924..3.451 as 2,92–3,45
    assert "| 1 | Dinas Kesehatan | 3,19 | 2,92–3,45 | 12 | Baik |" in _md("id")
    assert "| 1 | Dinas Kesehatan | 3.19 | 2.92–3.45 | 12 | Good |" in _md("en")
    # Dishub and Satpol PP have identical answers: both are 4=, and the next rank is 6
    assert "| 4= | Dinas Perhubungan | 2,52 |" in _md("id")
    assert "| 4= | Satuan Polisi Pamong Praja | 2,52 |" in _md("id")
    assert "| 6 | Dinas Pekerjaan Umum dan Penataan Ruang | 2,31 |" in _md("id")


def test_weakest_item_is_bold_in_the_profile() -> None:
    # PUPR's item means are 2.33, 1.92, 2.75, 2.25: the weakest is q2 (Waktu penyelesaian)
    line = next(x for x in _md("id").splitlines() if x.startswith("| PUPR |"))
    assert line == "| PUPR | 2,33 | **1,92** | 2,75 | 2,25 | Waktu penyelesaian |"


def test_distributions_are_percent_tables() -> None:
    md = _md("en")
    # q1 pooled over OPDs: counts sum to n; the row shows each point's share
    assert "| Requirements | 61 |" in md
    assert "| Satisfaction with the mayor | 48 |" in md
    assert "Strongly disagree" in md and "Neutral" in md


def test_uncertainty_columns_appear_when_present() -> None:
    bare, unc = _md("en", "bare"), _md("en", "uncertainty")
    assert "Rank range" not in bare
    assert "Rank range" in unc and "Category probability" in unc and "Group" in unc
    assert "| 1 | Dinas Kesehatan | 3.19 | 2.92–3.45 | 12 | Good | 1 to 2 | Good 70% | 1 |" in unc
    # each concept explained in one sentence where it is used
    assert "- Rank range: the ranks the OPD may hold with 95% confidence" in unc
    assert "Rank range: the ranks" not in bare


def test_statistics_from_the_pipeline_are_reported() -> None:
    ev = evaluation()
    ri = ev.opd("pupr").uncertainty.rank_interval
    assert ri is not None
    line = next(x for x in _md("en").splitlines() if "| Dinas Pekerjaan Umum" in x)
    assert f"| {ri.low} to {ri.high} |" in line
    assert "small sample" in _md("en") and "sampel kecil" in _md("id")


def test_published_aggregates_say_they_have_no_ci() -> None:
    md = _md("en", "published")
    assert "Scores are published figures without data per respondent" in md
    assert "| 1 | Dinas Kesehatan | 3.07 | – | – | Good |" in md


def test_text_bars_scale_with_the_scores() -> None:
    ctx = build_context(evaluation(), "id")
    block = str(text_bars(ctx, width=20))
    lines = block.splitlines()
    assert lines[0] == "```text" and lines[-1] == "```"
    bars = {line.split()[1]: line.count("█") for line in lines[1:-2]}
    assert bars["Dinkes"] > bars["Disdukcapil"] > bars["Dishub"] > bars["PUPR"]
    assert bars["Dishub"] == bars["Satpol"]
    # the axis starts at the scale's minimum (1), so bar lengths are in proportion to how far
    # each score is above it: a cut axis would make PUPR's 2,31 look a fraction of Dinkes' 3,19
    assert lines[-2].split()[0] == "1,00" and lines[-2].split()[-1] == "4,00"
    scores = {r.label: r.score for r in ctx.opds if r.score is not None}
    expected = (scores["PUPR"] - 1) / (scores["Dinkes"] - 1)
    assert abs(bars["PUPR"] / bars["Dinkes"] - expected) < 0.1


@given(st.text(max_size=60))
def test_markdown_escape_leaves_no_markup(text: str) -> None:
    out = markdown_escape(text)
    assert "\n" not in out and "\r" not in out
    for k, ch in enumerate(out):
        if ch in "`*_[]<>|#~":
            # every markup character is escaped by an odd run of backslashes
            run = len(out[:k]) - len(out[:k].rstrip("\\"))
            assert run % 2 == 1, (text, out)


def test_an_evaluation_without_item_metadata_still_reports() -> None:
    """Evaluations written before ``items`` existed name items by id and points by number."""
    ev = evaluation()
    old = ev.model_copy(update={"items": []})
    md = rendered_markdown(old, "en")
    assert "1 q1 · 2 q2 · 3 q3 · 4 q4" in md
    assert "| q1 | 61 |" in md


def test_unknown_language_is_refused() -> None:
    from publiceval._core.errors import PublicevalError

    with pytest.raises(PublicevalError, match="'id' or 'en'; found 'fr'"):
        build_context(evaluation(), "fr")  # type: ignore[arg-type]


def rendered_markdown(ev: object, lang: str) -> str:
    from publiceval._core.report.render import render_markdown

    return render_markdown(ev, lang)  # type: ignore[arg-type]
