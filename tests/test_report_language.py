"""One language per report: the Indonesian report has no English words, the English none of the
Indonesian ones, except in texts the study gives in one language only.

The words of each language are taken from what the reports can print: the message catalogue
and every bilingual text the evaluation carries (band and scale labels, item and rule texts,
names the study gives in both languages). A word is "English" when it occurs in an English text
and in no Indonesian one (and the other way round); the study's one-language texts (a name, a
title given as a plain string) are allowed in both reports. The rendered HTML, charts included,
is checked against those words, for every example and both languages.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import publiceval
from publiceval import Evaluation
from publiceval._core.report.messages import MESSAGES
from report_builders import evaluation as builder_evaluation
from skm_builders import serang_evaluation, serang_page, skm_evaluation

pytest.importorskip("jinja2")
pytest.importorskip("jinja2")

ROOT = Path(__file__).resolve().parents[1]
_WORD = re.compile(r"[^\W\d_]{3,}")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
#: Words both languages write alike, which one language's texts happen to use alone.
COGNATES = frozenset({"interval"})


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _texts(value: Any) -> Iterator[tuple[str | None, str]]:
    """(language or None for a one-language text, text) for every text in a JSON value."""
    if isinstance(value, dict):
        if set(value) == {"id", "en"} and all(isinstance(v, str) for v in value.values()):
            if value["id"] == value["en"]:
                yield None, value["id"]
            else:
                yield "id", value["id"]
                yield "en", value["en"]
            return
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)
    elif isinstance(value, str):
        yield None, value


def _vocabulary(ev: Evaluation) -> tuple[set[str], set[str]]:
    """(English-only words, Indonesian-only words) of the catalogue and the evaluation."""
    words: dict[str | None, set[str]] = {"id": set(), "en": set(), None: set()}
    for text in MESSAGES.values():
        words["id"] |= _words(_PLACEHOLDER.sub(" ", text.id))
        words["en"] |= _words(_PLACEHOLDER.sub(" ", text.en))
    for lang, text in _texts(ev.model_dump(mode="json")):
        if lang is not None:
            words[lang] |= _words(text)
    # the study's one-language texts (names, plain titles, what respondents typed) may appear
    # in both reports; the evaluation's other plain strings (English notes) may not
    plain = words[None] | COGNATES
    for text in (ev.title, ev.city, ev.organisation, ev.provenance.data_source):
        plain |= _words(text or "")
    for r in ev.opds:
        plain |= _words(f"{r.name} {r.short_name or ''}")
    for info in ev.items:
        plain |= _words(info.element or "")
    for s in ev.suggestions:
        plain |= _words(s.text)
    for e in ev.data.rejects:
        plain |= _words(f"{e.source or ''} {e.column or ''} {e.value or ''}")
    for lang, text in _texts([ev.texts, [p.model_dump(mode="json") for p in ev.profile]]):
        if lang is None:
            plain |= _words(text)
    return words["en"] - words["id"] - plain, words["id"] - words["en"] - plain


def _visible(page: str) -> str:
    """The words a reader sees: text outside tags, chart labels included, style and the
    machine-readable appendix (options, plugin names, ids in code) left out."""
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<title>.*?</title>", " ", page, flags=re.S)
    page = re.sub(r"<code>.*?</code>", " ", page, flags=re.S)
    page = re.sub(r"<section id=\"appendix\">.*?</section>", " ", page, flags=re.S)
    page = re.sub(r"<metadata>.*?</metadata>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _examples(tmp: str) -> dict[str, Evaluation]:
    return {
        "serang": serang_evaluation(),
        "skm": skm_evaluation(tmp),
        "builders": builder_evaluation(),
        "uncertainty": builder_evaluation("uncertainty"),
        "published": builder_evaluation("published"),
    }


@pytest.mark.parametrize("name", ["serang", "skm", "builders", "uncertainty", "published"])
def test_each_report_speaks_one_language(
    name: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ev = _examples(str(tmp_path_factory.getbasetemp()))[name]
    english, indonesian = _vocabulary(ev)
    for lang, foreign in (("id", english), ("en", indonesian)):
        html_bytes = (
            serang_page(lang) if name == "serang" else publiceval.render(ev, "html", lang=lang)
        )
        page = html_bytes.decode("utf-8")
        found = sorted(_words(_visible(page)) & foreign)
        assert found == [], f"{name} ({lang}) shows words of the other language: {found}"


def test_the_check_would_see_the_other_language() -> None:
    """Each page is full of its own language's words: served as the other, the check fails."""
    english, indonesian = _vocabulary(builder_evaluation())
    assert "respondents" in english and "responden" in indonesian
    for lang, own in (("en", english), ("id", indonesian)):
        page = publiceval.render(builder_evaluation(), "html", lang=lang).decode("utf-8")
        assert len(_words(_visible(page)) & own) > 40


def test_every_warning_code_has_a_label_in_both_languages() -> None:
    """A warning's title is the catalogue's; a code the catalogue lacks would print as a code."""
    source = ROOT / "src" / "publiceval"
    codes = {
        code
        for path in source.rglob("*.py")
        for code in re.findall(r'\bcode="([a-z_]+)"', path.read_text(encoding="utf-8"))
    }
    assert "rank_not_supported" in codes
    missing = sorted(c for c in codes if f"warning.{c}" not in MESSAGES)
    assert missing == []
