"""Layout planning: which header columns hold what, decided once from the file's header.

Layouts:

* ``wide``: one row per respondent × OPD, one column per item (a hand-typed sheet).
* ``long``: one row per answer: respondent, OPD, item, value.
* ``opd-columns``: one row per respondent, one column per item per OPD, headed e.g.
  ``"Persyaratan [Dinas Kesehatan]"`` as Google Forms writes grid questions.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from ..errors import DataError
from ..survey import Item, Survey, normalize_label
from ..table import ColumnMap
from ..table.numbers import ColumnLocales, NumberFormat
from ..table.policy import RecordPolicy
from .headers import closest_headers, item_names, layout_hint, resolve_headers
from .raw import column_letter

__all__ = ["LayoutKind", "LayoutSpec", "Plan", "check_separators", "item_names"]

LayoutKind = Literal["wide", "long", "opd-columns"]


class LayoutSpec(BaseModel):
    """How answers are laid out in the file (``[data] layout`` and its options)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: LayoutKind = "wide"
    item_column: str = "item"
    """``long``: the column naming the item (its id, or the text given in ``[data.columns.items]``)."""
    value_column: str = "value"
    """``long``: the column holding the answer."""
    header_pattern: str = "{item} [{opd}]"
    """``opd-columns``: how a header names the item and the OPD."""
    decimal: Literal[".", ","] | None = None
    """The decimal mark of numbers typed as text; ``None``: detected per column."""
    thousands: Literal["", ".", ",", " "] | None = None
    """The thousands separator; ``None``: ``","`` after a decimal point, ``"."`` after a comma."""
    policy: RecordPolicy = RecordPolicy()
    """What an invalid answer and a submission sent twice do (``[data]`` options)."""

    @model_validator(mode="after")
    def _separators_differ(self) -> LayoutSpec:
        check_separators(self.decimal, self.thousands)
        return self

    @property
    def numbers(self) -> NumberFormat:
        """How numbers typed as text are written."""
        return NumberFormat(self.decimal, self.thousands)


def check_separators(decimal: str | None, thousands: str | None) -> None:
    """Raise ``ValueError`` unless ``decimal`` and ``thousands`` can be read together."""
    if thousands is not None and decimal is None:
        raise ValueError('thousands needs decimal too (e.g. decimal = "," and thousands = ".")')
    if decimal is not None and thousands == decimal:
        raise ValueError(f"thousands {thousands!r} must differ from decimal {decimal!r}")


class Plan:
    """Which header columns hold what, decided once from the header."""

    def __init__(
        self,
        survey: Survey,
        mapping: ColumnMap,
        layout: LayoutSpec,
        header: list[str],
        respondent_fallbacks: tuple[str, ...],
        source: str,
    ) -> None:
        self.survey = survey
        self.layout = layout
        self.header = header
        self.source = source
        self.warnings: list[str] = []
        self.letters = {name: column_letter(j) for j, name in reversed(list(enumerate(header)))}
        present = set(header)
        mapping = self._fallback_respondent(mapping, present, respondent_fallbacks)
        mapping, self.notes, more = resolve_headers(survey, mapping, layout.kind == "wide", header)
        self.warnings += [f"{source}: {w}" for w in more]
        self.mapping = mapping
        design = [mapping.respondent, mapping.opd, mapping.weight, mapping.stratum, mapping.psu]
        extra = [mapping.timestamp, *self.notes.values()]
        self.melt: dict[str, list[tuple[Item, str]]] = {}
        self.wide_columns: dict[str, str] = {}
        if layout.kind == "long":
            design += [layout.item_column, layout.value_column]
            if mapping.respondent is None:
                raise DataError(
                    f"{source}: layout 'long' needs a respondent column to group answers; "
                    "set [data.columns] respondent"
                )
            wanted = [c for c in design if c]
        elif layout.kind == "opd-columns":
            if mapping.opd in present and "opd" in mapping.model_fields_set:
                raise DataError(
                    f"{source}: layout 'opd-columns' takes the OPD from the headers; "
                    f"found an OPD column {mapping.opd!r} too (use layout 'wide' instead)"
                )
            design[1] = None
            wanted = [c for c in design if c]
            wanted += self._plan_melt(header, mapping)
        else:
            wanted = [c for c in design if c]
            wanted += [mapping.item_column(i) for i in survey.items]
            self._check_items(header, mapping)
        self._check_present(wanted, [*design, mapping.timestamp, mapping.suggestions], present)
        wanted += [c for c in extra if c]
        self._check_unique(wanted)
        self.keep = [c for c in dict.fromkeys(wanted) if c in present]
        self.numeric: set[str] = set()
        if layout.kind == "wide":
            self.numeric = {mapping.item_column(i) for i in survey.items}
            if mapping.weight:
                self.numeric.add(mapping.weight)
            self.numeric -= {mapping.respondent, mapping.opd, mapping.stratum, mapping.psu}
            self.numeric -= set(self.notes.values()) | {mapping.timestamp}
        #: the weight column is read as numbers in every layout
        self.weight = mapping.weight if mapping.weight in self.keep else None
        self.numbers = layout.numbers
        #: the decimal mark each column was read with, kept for the file's later chunks
        self.locales = ColumnLocales()

    def _fallback_respondent(
        self, mapping: ColumnMap, present: set[str], fallbacks: tuple[str, ...]
    ) -> ColumnMap:
        # TOML has no null: an empty name says "no such column" (e.g. each row is a respondent)
        blank = {
            k: None
            for k in ("respondent", "opd", "weight", "stratum", "psu")
            if getattr(mapping, k) == ""
        }
        if blank:
            mapping = mapping.model_copy(update=blank)
        if "respondent" in mapping.model_fields_set or mapping.respondent in present:
            return mapping
        for name in fallbacks:
            if name in present:
                return mapping.model_copy(update={"respondent": name})
        if self.layout.kind == "opd-columns":
            # one row per respondent: the row itself identifies the respondent
            return mapping.model_copy(update={"respondent": None})
        return mapping

    def _check_present(
        self, wanted: list[str], design: list[str | None], present: set[str]
    ) -> None:
        for name in [c for c in design if c]:
            if name not in present:
                hint = closest_headers(name, self.header)
                tip = f"; closest headers: {hint}" if hint else ""
                found = ", ".join(repr(h) for h in self.header[:30])
                extra = (
                    '; if each row is a different respondent, set respondent = "" in [data.columns]'
                    if name == self.mapping.respondent and not tip
                    else ""
                )
                raise DataError(
                    f"{self.source}: expected a column {name!r} (named in [data.columns] or the "
                    f"layout); found columns {found}{tip}{extra}"
                )

    def _check_unique(self, wanted: list[str]) -> None:
        seen: dict[str, list[str]] = {}
        for j, name in enumerate(self.header):
            seen.setdefault(name, []).append(column_letter(j))
        for name in dict.fromkeys(wanted):
            if len(seen.get(name, [])) > 1:
                raise DataError(
                    f"{self.source}: column {name!r} appears more than once (columns "
                    f"{', '.join(seen[name])}); expected each used column once"
                )

    def _check_items(self, header: list[str], mapping: ColumnMap) -> None:
        present = set(header)
        used = {
            c
            for c in (mapping.respondent, mapping.opd, mapping.weight, mapping.stratum, mapping.psu)
            if c
        }
        missing = [i for i in self.survey.items if mapping.item_column(i) not in present]
        spare = [
            h
            for h in header
            if h not in used and h not in {mapping.item_column(i) for i in self.survey.items}
        ]
        if not missing:
            return
        if len(missing) == len(self.survey.items):
            raise DataError(
                f"{self.source}: expected item columns "
                f"{', '.join(repr(mapping.item_column(i)) for i in missing[:12])}; found none of "
                f"them among {', '.join(repr(h) for h in header[:30])}. Name the columns in "
                "[data.columns.items], or set [data] layout"
                + layout_hint(self.survey, mapping, header, self.layout.kind)
                + "; publiceval init FOLDER --from EXPORT writes a study that maps them for you"
            )
        for item in missing:
            name = mapping.item_column(item)
            hint = closest_headers(name, spare) or closest_headers(item.text.id, spare, cutoff=0.4)
            tip = f"; closest headers: {hint}" if hint else ""
            self.warnings.append(
                f"{self.source}: no column {name!r} for item {item.id!r}; its answers are "
                f"counted as missing{tip}"
            )

    def _plan_melt(self, header: list[str], mapping: ColumnMap) -> list[str]:
        pattern = self.layout.header_pattern
        if "{item}" not in pattern or "{opd}" not in pattern:
            raise DataError(
                f"{self.source}: header_pattern must contain {{item}} and {{opd}}; found {pattern!r}"
            )
        parts = re.split(r"(\{item\}|\{opd\})", pattern)
        regex = "".join(
            "(?P<item>.+?)" if p == "{item}" else "(?P<opd>.+?)" if p == "{opd}" else re.escape(p)
            for p in parts
        )
        matcher = re.compile(r"\s*" + regex + r"\s*", re.S)
        items: dict[str, Item] = {}
        for item in self.survey.opd_items:
            for n in item_names(item, mapping):
                items.setdefault(n, item)
        wide_items: dict[str, Item] = {}
        for item in self.survey.survey_items:
            for n in item_names(item, mapping):
                wide_items.setdefault(n, item)
        wanted: list[str] = []
        cells: dict[tuple[str, str], str] = {}
        unmatched: list[str] = []
        for name in header:
            key = normalize_label(name)
            if key in wide_items:
                self.wide_columns.setdefault(wide_items[key].id, name)
                wanted.append(name)
                continue
            m = matcher.fullmatch(name)
            if not m:
                continue
            found = items.get(normalize_label(m.group("item")))
            if found is None:
                unmatched.append(name)
                continue
            opd = m.group("opd").strip()
            opd_key = normalize_label(opd)
            if (found.id, opd_key) in cells:
                raise DataError(
                    f"{self.source}: columns {cells[(found.id, opd_key)]!r} and {name!r} both hold "
                    f"item {found.id!r} for OPD {opd!r}; expected one column each"
                )
            cells[(found.id, opd_key)] = name
            self.melt.setdefault(opd, []).append((found, name))
            wanted.append(name)
        if not self.melt:
            raise DataError(
                f"{self.source}: layout 'opd-columns' expected headers like "
                f"{pattern.replace('{item}', self.survey.opd_items[0].id).replace('{opd}', 'OPD name')!r}; "
                f"found none among {', '.join(repr(h) for h in header[:20])}"
                + layout_hint(self.survey, mapping, header, "opd-columns")
            )
        if unmatched:
            self.warnings.append(
                f"{self.source}: {len(unmatched)} column(s) look like '{pattern}' but name no item "
                f"of the survey, so they are not used: " + ", ".join(repr(u) for u in unmatched[:5])
            )
        return wanted
