"""Finding a study's columns among a file's headers as a person would: by name, not by letter.

A form export heads its columns with the question as asked ("1. Bagaimana pendapat Saudara
tentang ..."), in either language, with its own capitals and spacing. A column named in
``[data.columns]``, an item's id or its text, a profile question's column, id or text, and the
standard OPD and suggestions questions of ``publiceval form`` are all looked up ignoring case and
spacing, so a study needs no hand mapping for headers that say what they hold.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ..profile import OPD_QUESTION, SUGGESTIONS_QUESTION, name_key
from ..survey import Item, Survey, normalize_label
from ..table import ColumnMap

__all__ = ["closest_headers", "item_names", "layout_hint", "resolve_headers"]

_DESIGN = ("respondent", "opd", "weight", "stratum", "psu", "timestamp", "suggestions")
_GRID = re.compile(r"^.+\[.+\]\s*$")


def item_names(item: Item, mapping: ColumnMap) -> list[str]:
    """Every normalised header that names ``item``: the mapped column, the id, both texts."""
    names = [item.id, item.text.id, item.text.en]
    if item.id in mapping.items:
        names.insert(0, mapping.items[item.id])
    return [normalize_label(n) for n in names]


def _find(header: list[str], names: Iterable[str]) -> str | None:
    """The one header equal to any of ``names`` ignoring case and spacing, else also ignoring
    punctuation (``kritik_dan_saran`` is "Kritik dan saran"); ``None`` when none or two match."""
    names = [n for n in names if n]
    for key in (normalize_label, name_key):
        wanted = {key(n) for n in names}
        hits = [h for h in header if key(h) in wanted]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return None
    return None


def resolve_headers(
    survey: Survey, mapping: ColumnMap, wide: bool, header: list[str]
) -> tuple[ColumnMap, dict[str, str], list[str]]:
    """The mapping with every column it names replaced by the header that holds it.

    Returns the mapping, the note columns (profile question id or ``"suggestions"`` → header)
    and warnings (a declared profile question with no column). ``wide``: items are columns of
    their own (not ``{item} [{opd}]`` grids or long rows), so their columns are looked up too.
    """
    present = set(header)
    update: dict[str, object] = {}
    standard = {
        "opd": [OPD_QUESTION.id, OPD_QUESTION.en],
        "suggestions": [SUGGESTIONS_QUESTION.id, SUGGESTIONS_QUESTION.en, "suggestions"],
    }
    for key in _DESIGN:
        name = getattr(mapping, key)
        if name and name not in present:
            # a form exported in the other language heads the column with the standard wording
            found = _find(header, [name]) or _find(header, standard.get(key, []))
            if found:
                update[key] = found
    if "opd" not in mapping.model_fields_set and mapping.opd not in present and "opd" not in update:
        found = _find(header, [OPD_QUESTION.id, OPD_QUESTION.en])
        if found:
            update["opd"] = found
    if mapping.suggestions is None:
        found = _find(header, [SUGGESTIONS_QUESTION.id, SUGGESTIONS_QUESTION.en, "suggestions"])
        if found:
            update["suggestions"] = found
    if wide:
        items = dict(mapping.items)
        for item in survey.items:
            column = mapping.item_column(item)
            if column in present:
                continue
            found = _find(header, item_names(item, mapping))
            if found:
                items[item.id] = found
        if items != mapping.items:
            update["items"] = items
    if update:
        mapping = mapping.model_copy(update=update)
    notes: dict[str, str] = {}
    warnings: list[str] = []
    for question in survey.profile:
        found = (
            question.data_column
            if question.data_column in present
            else _find(
                header, [question.data_column, question.id, question.text.id, question.text.en]
            )
        )
        if found:
            notes[question.id] = found
        else:
            tip = closest_headers(question.data_column, header)
            warnings.append(
                f"no column {question.data_column!r} for profile question {question.id!r}; its "
                "answers are not kept" + (f" (closest headers: {tip})" if tip else "")
            )
    if mapping.suggestions:
        notes["suggestions"] = mapping.suggestions
    return mapping, notes, warnings


def closest_headers(name: str, header: list[str], n: int = 3, cutoff: float = 0.5) -> str:
    """Up to ``n`` headers most like ``name``, quoted and comma-separated ("" when none is close)."""
    folded: dict[str, str] = {}
    for h in header:
        folded.setdefault(normalize_label(h), h)
    hits = difflib.get_close_matches(normalize_label(name), list(folded), n=n, cutoff=cutoff)
    return ", ".join(repr(folded[h]) for h in hits)


def layout_hint(survey: Survey, mapping: ColumnMap, header: list[str], kind: str) -> str:
    """Which layout the headers suggest, as advice to append to an error ("" when no better)."""
    folded = {normalize_label(h) for h in header}
    grids = [h for h in header if _GRID.match(h)]
    if kind != "opd-columns" and len(grids) >= 2:
        return (
            f"; these headers look like one column per question per OPD ({grids[0]!r}): "
            "set [data] layout = 'opd-columns' (header_pattern '{item} [{opd}]')"
        )
    if kind != "long" and {"item", "value"} <= folded:
        return (
            "; these headers look like one row per answer (item, value): set [data] layout = 'long'"
        )
    opd_col = mapping.opd in header or _find(header, [OPD_QUESTION.id, OPD_QUESTION.en])
    if kind != "wide" and opd_col and not grids:
        return (
            "; these headers look like one OPD column and question columns: "
            "set [data] layout = 'wide'"
        )
    return ""
