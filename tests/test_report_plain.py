"""Plain words: probabilities at their ends, evidence as sentences, names for ids, the date, the
summary infographic."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import publiceval
from publiceval._core.report.messages import Messages
from publiceval._core.report.plain import (
    Names,
    ci_method_text,
    evidence_sentence,
    probability_text,
    with_names,
)
from publiceval._core.report.summary import generated_date
from publiceval._core.results import Evidence
from report_builders import evaluation

pytest.importorskip("jinja2")


@pytest.mark.parametrize(
    ("p", "lang", "text"),
    [
        (1.0, "id", "> 99%"),
        (0.996, "en", "> 99%"),
        (0.994, "id", "99%"),
        (0.5, "id", "50%"),
        (0.004, "en", "< 1%"),
        (0.0, "id", "< 1%"),
    ],
)
def test_probabilities_never_claim_certainty(p: float, lang: str, text: str) -> None:
    assert probability_text(p, lang) == text  # type: ignore[arg-type]


def _names() -> Names:
    return Names(
        opds={"pupr": "Dinas PUPR", "dishub": "Dinas Perhubungan"},
        items={"q2": "Waktu penyelesaian"},
        labels={"Kurang Baik": "Fair", "Tidak Baik": "Poor"},
        short={"pupr": "PUPR", "dishub": "Dishub"},
    )


def test_evidence_reads_as_a_sentence_in_each_language() -> None:
    rank = Evidence(
        metric="rank",
        value=6,
        comparator=">=",
        threshold=5,
        target="pupr",
        note="among the 2 lowest of 6",
    )
    assert evidence_sentence(rank, Messages("en"), _names()) == (
        "Rank of Dinas PUPR is 6 (among the 2 lowest of 6)."
    )
    assert evidence_sentence(rank, Messages("id"), _names()) == (
        "Peringkat Dinas PUPR adalah 6 (termasuk 2 OPD terendah dari 6)."
    )
    item = Evidence(
        metric="item score q2", value=2.125, comparator="<", threshold=2.5, target="pupr"
    )
    assert evidence_sentence(item, Messages("id"), _names()) == (
        "Skor unsur Waktu penyelesaian di Dinas PUPR adalah 2,12, di bawah 2,50."
    )
    category = Evidence(
        metric="category",
        value="Tidak Baik",
        comparator="at or below",
        threshold="Kurang Baik",
        target="dishub",
        note="scheme 'cutoffs': band 'TB' (order 1) vs 'KB' (order 2)",
    )
    sentence = evidence_sentence(category, Messages("en"), _names())
    assert sentence == "Category of Dinas Perhubungan is Poor, the same as or below Fair."
    assert "scheme" not in sentence and "order" not in sentence


def test_messages_name_opds_instead_of_ids() -> None:
    message = "OPD 'bpbd' is ranked first; it cannot be told apart from 'dispusip' (min-n 30 (population unknown))"
    said = with_names(message, {"bpbd": "BPBD", "dispusip": "Dispusip"})
    assert said == "OPD BPBD is ranked first; it cannot be told apart from Dispusip"


def test_method_names_are_words() -> None:
    assert ci_method_text("t (linearised)", Messages("id")) == "distribusi t (linearisasi)"
    assert ci_method_text("normal (design-adjusted)", Messages("en")) == (
        "normal approximation, adjusted for the sampling design"
    )
    assert ci_method_text("something new", Messages("en")) == "something new"


def test_the_date_is_in_the_reports_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")  # 15 June 2025
    assert generated_date(Messages("id")) == "Dibuat pada 15 Juni 2025"
    assert generated_date(Messages("en")) == "Generated on 15 June 2025"
    page = publiceval.render(evaluation(), "html", lang="id").decode("utf-8")
    assert "<footer>Dibuat pada 15 Juni 2025 · " in page


def test_the_infographic_is_one_safe_svg_page() -> None:
    pytest.importorskip("jinja2")
    ev = evaluation("hostile")
    for lang, kind in (("id", "LAPORAN EVALUASI"), ("en", "PUBLIC SERVICE EVALUATION")):
        svg = publiceval.render(ev, "infographic", lang=lang).decode("utf-8")
        root = ET.fromstring(svg)
        assert root.get("width") == "1080" and root.get("height") == "1350"
        text = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert kind in text
        assert "<script" not in svg.lower()  # a hostile name is escaped text
    ev = evaluation()
    svg = publiceval.render(ev, "infographic", lang="en").decode("utf-8")
    assert str(ev.data.respondents) in svg and "Dinkes" in svg


def test_the_summary_says_what_the_data_do_and_do_not_support() -> None:
    from publiceval._core.report.context import build_context
    from skm_builders import serang_evaluation

    ctx = build_context(serang_evaluation(), "id")
    lines = ctx.summary_lines
    assert lines[0].startswith("496 responden menilai 20 OPD pada periode 12 Juni 2025")
    assert "Menurut kategori: 3 OPD Baik, 17 OPD Tidak Baik." in lines
    best, worst = ctx.best[0], ctx.worst[0]
    assert best.rank_low is not None and worst.rank_high is not None
    assert (
        "Data tidak mendukung pernyataan bahwa BPBD adalah yang terbaik: dengan keyakinan 95%, "
        f"peringkatnya bisa berada di mana saja antara {best.rank_low} dan {best.rank_high}."
    ) in lines
    assert any(
        x.startswith("Data tidak mendukung pernyataan bahwa RSUD dan Satpol PP") for x in lines
    )
    assert ctx.generated.startswith("Dibuat pada ")
