"""Bilingual text: every user-facing label exists in Indonesian (``id``) and English (``en``)."""

from __future__ import annotations

import re
from functools import cache
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["Lang", "Text", "clean_text", "format_number", "json_safe", "one_line"]

Lang = Literal["id", "en"]


class Text(BaseModel):
    """A label in Indonesian and English.

    A bare string is accepted and used for both languages, so a study file can say
    ``text = "Persyaratan"`` when no translation is at hand.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    en: str

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, data: object) -> object:
        if isinstance(data, str):
            return {"id": data, "en": data}
        if isinstance(data, dict) and ("id" in data) != ("en" in data):
            only = data.get("id", data.get("en"))
            return {**data, "id": data.get("id", only), "en": data.get("en", only)}
        return data

    def get(self, lang: Lang) -> str:
        """The text in ``lang``."""
        return self.id if lang == "id" else self.en

    def __str__(self) -> str:
        return self.id


def format_number(value: float | None, lang: Lang, decimals: int = 2) -> str:
    """A number as the locale writes it: ``3,07`` in Indonesian, ``3.07`` in English."""
    if value is None or value != value:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


#: C0 controls, DEL and C1 controls: a terminal runs some of them (ESC and CSI start escape
#: sequences, BEL rings, CR overwrites the line), so no text output carries them raw.
_CONTROLS = "".join(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)))
_BREAKS = re.compile("\r\n|[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_JSON_RAW = re.compile("[\x7f-\x9f]")


@cache
def _controls(keep: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(c for c in _CONTROLS if c not in keep)) + "]")


def _escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def clean_text(text: str, keep: str = "\t\n") -> str:
    """``text`` with every control character (C0, DEL, C1) except those in ``keep`` written as
    its escape: ESC shows as the four characters ``\\x1b``, CSI (U+009B) as ``\\x9b``.

    Text without control characters is returned unchanged. Every text report (table, Markdown,
    HTML, XLSX cells) and every line the command line prints goes through this, so a name or a
    cell cannot run terminal escape sequences when a report is viewed with ``cat``.
    """
    return _controls(keep).sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` on one line: each line break or tab becomes a space (a run of spaces is kept,
    so aligned text stays aligned), other control characters as :func:`clean_text` writes them."""
    return clean_text(_BREAKS.sub(" ", text), keep="")


def json_safe(text: str) -> str:
    """JSON text with DEL and C1 controls written as ``\\u`` escapes: JSON encoders escape C0
    only. The JSON means the same; only bytes a terminal could run change."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def report_langs(value: str | None) -> tuple[Lang, ...] | None:
    """``--lang id,en`` → ``("id", "en")``; each must be ``id`` or ``en``, none twice."""
    import click

    if value is None:
        return None
    langs = [x.strip() for x in value.split(",") if x.strip()]
    bad = [x for x in langs if x not in ("id", "en")]
    if not langs or bad or len(set(langs)) != len(langs):
        raise click.BadParameter(
            f"give id, en or both separated by a comma (id,en); found {value!r}"
        )
    return cast("tuple[Lang, ...]", tuple(langs))
