"""Declarative rules: their errors, placeholders and bilingual text templates."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping

from pydantic import ConfigDict

from ..errors import PublicevalError
from ..text import Lang, Text

_strict = ConfigDict(frozen=True, extra="forbid")
#: The languages every recommendation is written in.
LANGS: tuple[Lang, Lang] = ("id", "en")
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")

#: Placeholders a template about one OPD may use.
OPD_FIELDS = frozenset(
    {"opd", "name", "short_name", "score", "rank", "n_ranked", "n_opds", "category", "n", "city"}
)
#: Placeholders a city-wide template may use (``opds`` lists the OPDs that met the conditions).
CITY_FIELDS = frozenset({"city", "n_opds", "n_ranked", "n_matched", "opds"})
#: Extra placeholders when a rule has an ``items`` condition.
ITEM_FIELDS = frozenset({"items", "item_score"})
#: Extra placeholders when a rule has a ``survey_item`` condition.
SURVEY_ITEM_FIELDS = frozenset({"survey_item", "survey_item_score", "survey_item_category"})


class RuleError(PublicevalError):
    """A rule cannot be applied to this evaluation (e.g. a category its scheme does not have)."""

    exit_code = 5


# --------------------------------------------------------------------------- templates


def template_fields(template: str) -> list[str]:
    """Placeholder names in ``template`` (``"{name} ({score})"`` → ``["name", "score"]``).

    Only bare names are allowed: no ``{0}``/``{}``, no ``{a.b}`` or ``{a[0]}``, no ``!r`` or
    ``:>10``. Numbers are already formatted for the language, so no format is needed.
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(
            f"{exc} in {template!r}; write '{{{{' and '}}}}' for literal braces"
        ) from None
    out = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name.isidentifier():
            raise ValueError(
                f"placeholder {{{name}}} in {template!r} is not a plain fact name such as {{name}}"
            )
        if spec or conversion:
            raise ValueError(
                f"placeholder {{{name}}} in {template!r} may not carry '!' or ':' formatting; "
                "numbers are already written the way each language writes them"
            )
        out.append(name)
    return out


def check_template(template: str, allowed: Iterable[str]) -> str:
    """``template`` unchanged, or a ``ValueError`` naming an unknown placeholder and the allowed ones."""
    allowed = sorted(allowed)
    for name in template_fields(template):
        if name not in allowed:
            known = ", ".join("{" + a + "}" for a in allowed)
            hint = next((h for fields, h in _HINTS if name in fields), "")
            raise ValueError(
                f"unknown placeholder {{{name}}} in {template!r}{hint}; allowed here: {known}"
            )
    return template


_HINTS = (
    (ITEM_FIELDS, " (it needs an items condition)"),
    (SURVEY_ITEM_FIELDS, " (it needs a survey_item condition)"),
    (CITY_FIELDS - OPD_FIELDS, " (it belongs to target = 'city')"),
    (OPD_FIELDS - CITY_FIELDS, " (it belongs to target = 'opd')"),
)


def check_text(text: Text, allowed: Iterable[str]) -> Text:
    """Both languages of a bilingual template checked with :func:`check_template`."""
    allowed = frozenset(allowed)
    for lang, template in (("id", text.id), ("en", text.en)):
        try:
            check_template(template, allowed)
        except ValueError as exc:
            raise ValueError(f"{_LANG_NAMES[lang]}: {exc}") from None
    return text


_LANG_NAMES = {"id": "Indonesian text (id)", "en": "English text (en)"}


def fill(template: str, facts: Mapping[str, str]) -> str:
    """The template with each ``{placeholder}`` replaced by its fact (checked templates only)."""
    out = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            if name not in facts:
                raise RuleError(f"no fact {{{name}}} is available for this recommendation")
            out.append(facts[name])
    return "".join(out)


def fill_text(text: Text, facts: Mapping[Lang, Mapping[str, str]]) -> Text:
    """A bilingual template filled with the facts of each language."""
    return Text(id=fill(text.id, facts["id"]), en=fill(text.en, facts["en"]))
