"""The instrument: scales, items, OPDs and the survey that ties them together."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .profile import ProfileQuestion, name_key
from .text import Text

__all__ = ["OPD", "Item", "ItemRole", "Scale", "ScaleLabel", "Scope", "Survey", "normalize_label"]

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_SPACES = re.compile(r"\s+")

Scope = Literal["opd", "survey"]
ItemRole = Literal["performance", "importance", "expectation"]

#: Weights are compared with this tolerance, so 1/9 nine times passes and 0.111 nine times does not.
WEIGHT_TOLERANCE = 1e-9


def normalize_label(text: str) -> str:
    """Case- and space-insensitive form of an answer label (``" sangat  PUAS"`` → ``"sangat puas"``)."""
    return _SPACES.sub(" ", text.strip()).casefold()


def _check_slug(value: str, what: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(
            f"{what} id must start with a letter or digit and use only letters, digits, "
            f"'-', '_' or '.'; found {value!r}"
        )
    return value


def _split_bilingual(data: Any, *fields: str) -> Any:
    """``field = { id = "...", en = "..." }`` → ``field`` (the Indonesian text, which matching and
    the 1.0 results use) and ``field_text`` (both languages, for the reports)."""
    if not isinstance(data, dict):
        return data
    out = data
    for f in fields:
        value = data.get(f)
        if isinstance(value, (dict, Text)):
            text = value if isinstance(value, Text) else Text.model_validate(value)
            out = {**out, f: text.id, f"{f}_text": text}
    return out


def _none(value: object) -> bool:
    return value is None


def _duplicates(values: Iterable[str]) -> list[str]:
    return sorted(v for v, c in Counter(values).items() if c > 1)


def _name_clashes(opds: Iterable[OPD]) -> list[str]:
    """Two OPDs that the same text in the data would name (a shared alias, say)."""
    owner: dict[str, str] = {}
    problems: list[str] = []
    for o in opds:
        for text in dict.fromkeys(name_key(t) for t in o.names()):
            other = owner.setdefault(text, o.id)
            if other != o.id:
                problems.append(
                    f"OPDs {other!r} and {o.id!r} are both named {text!r} (by an id, name, "
                    "short name or alias); expected each wording to name one OPD"
                )
    return problems


class ScaleLabel(BaseModel):
    """The meaning of one point of a scale, in both languages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: int
    label: Text


class Scale(BaseModel):
    """An ordinal answer scale with integer points ``min..max``.

    ``labels`` name the points (``1 = Tidak Baik``); ``aliases`` map further answer texts to
    points ("Sangat Puas" → 4, "SP" → 4). Labels and aliases match case- and space-insensitively.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    min: int
    max: int
    labels: tuple[ScaleLabel, ...] = ()
    aliases: dict[str, int] = Field(default_factory=dict)
    description: Text | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_slug(v, "scale")

    @model_validator(mode="after")
    def _consistent(self) -> Scale:
        if self.min >= self.max:
            raise ValueError(
                f"scale {self.id!r}: min must be below max; found {self.min}..{self.max}"
            )
        if self.min < -100 or self.max > 100:
            raise ValueError(
                f"scale {self.id!r}: points must lie within -100..100 to be stored compactly; "
                f"found {self.min}..{self.max}"
            )
        for lab in self.labels:
            if not self.min <= lab.value <= self.max:
                raise ValueError(
                    f"scale {self.id!r}: label {lab.label.id!r} has value {lab.value}, "
                    f"outside {self.min}..{self.max}"
                )
        dup = _duplicates(str(lab.value) for lab in self.labels)
        if dup:
            raise ValueError(
                f"scale {self.id!r}: more than one label for value(s) {', '.join(dup)}"
            )
        for alias, value in self.aliases.items():
            if not self.min <= value <= self.max:
                raise ValueError(
                    f"scale {self.id!r}: alias {alias!r} maps to {value}, outside {self.min}..{self.max}"
                )
        seen: dict[str, int] = {}
        for text, value in self._alias_pairs():
            key = normalize_label(text)
            if key in seen and seen[key] != value:
                raise ValueError(
                    f"scale {self.id!r}: answer text {text!r} maps to both {seen[key]} and {value}"
                )
            seen[key] = value
        return self

    def _alias_pairs(self) -> Iterable[tuple[str, int]]:
        for lab in self.labels:
            yield lab.label.id, lab.value
            yield lab.label.en, lab.value
        yield from self.aliases.items()

    @cached_property
    def lookup(self) -> dict[str, int]:
        """Normalised answer text → point, from labels in both languages and the aliases."""
        return {normalize_label(text): value for text, value in self._alias_pairs()}

    @property
    def points(self) -> int:
        """How many points the scale has."""
        return self.max - self.min + 1

    def label_for(self, value: int) -> Text | None:
        """The label of a point, if the scale names it."""
        for lab in self.labels:
            if lab.value == value:
                return lab.label
        return None

    def expected_text(self) -> str:
        """A short description of acceptable answers, for error messages."""
        names = [f"{lab.value}={lab.label.id}" for lab in self.labels]
        span = f"an integer {self.min}..{self.max}"
        return f"{span} or one of: {', '.join(names)}" if names else span


class Item(BaseModel):
    """One question.

    ``scope`` says whether it is asked about each OPD (``"opd"``) or once per respondent
    (``"survey"``, e.g. satisfaction with the mayor). ``role`` marks importance and expectation
    items, which ``pairs_with`` ties to the performance item they qualify. ``element`` names the
    SKM *unsur* the item measures, so methods match elements by name, not by column position.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    text: Text
    scale: str
    scope: Scope = "opd"
    dimension: str | None = None
    element: str | None = None
    element_text: Text | None = Field(default=None, exclude_if=_none)
    """The element's name in both languages, when the study gives ``element = { id, en }``."""
    weight: float | None = None
    reverse: bool = False
    role: ItemRole = "performance"
    pairs_with: str | None = None
    required: bool = False

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_slug(v, "item")

    @model_validator(mode="before")
    @classmethod
    def _bilingual(cls, data: Any) -> Any:
        return _split_bilingual(data, "element")

    @field_validator("weight")
    @classmethod
    def _weight(cls, v: float | None) -> float | None:
        if v is not None and not v >= 0:
            raise ValueError(f"item weight must be a non-negative number; found {v}")
        return v


class OPD(BaseModel):
    """A government work unit (*Organisasi Perangkat Daerah*) that citizens rate.

    ``tags`` describe the kind of service (``basic-service``, ``enforcement``…) so that
    recommendation rules can speak to it; ``population`` (service users in the period) feeds
    sample-size checks and the finite population correction.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    name_text: Text | None = Field(default=None, exclude_if=_none)
    """The name in both languages, when the study gives ``name = { id, en }``."""
    short_name: str | None = None
    tags: tuple[str, ...] = ()
    population: int | None = Field(default=None, ge=1)
    aliases: tuple[str, ...] = ()
    """Other wordings of the OPD in the data (a form's dropdown text), matched ignoring case,
    spacing and punctuation like its id, name and short name."""
    meta: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _bilingual(cls, data: Any) -> Any:
        return _split_bilingual(data, "name")

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        return _check_slug(v, "OPD")

    def names(self) -> tuple[str, ...]:
        """Every text the data may name this OPD by: id, name (in either language), short name
        and aliases."""
        english = self.name_text.en if self.name_text is not None else None
        return tuple(t for t in (self.id, self.name, english, self.short_name, *self.aliases) if t)

    @property
    def label(self) -> str:
        """The short name when there is one, else the name."""
        return self.short_name or self.name


class Survey(BaseModel):
    """The whole instrument: who is rated, on which items, on which scales, where and when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str
    city: str | None = None
    organisation: str | None = None
    title_text: Text | None = Field(default=None, exclude_if=_none)
    """Title, city and organisation in both languages, when the study gives ``{ id, en }``."""
    city_text: Text | None = Field(default=None, exclude_if=_none)
    organisation_text: Text | None = Field(default=None, exclude_if=_none)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    scales: tuple[Scale, ...]
    items: tuple[Item, ...]
    opds: tuple[OPD, ...]
    profile: tuple[ProfileQuestion, ...] = ()
    """Respondent-profile questions (gender, age …), described for the reports, not scored."""
    meta: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _bilingual(cls, data: Any) -> Any:
        return _split_bilingual(data, "title", "city", "organisation")

    def bilingual_texts(self) -> dict[str, Text]:
        """The texts the study gives in both languages, for the reports: ``title``, ``city``,
        ``organisation``, ``opd:<id>`` (names) and ``element:<name>`` (element names)."""
        out = {
            key: text
            for key, text in (
                ("title", self.title_text),
                ("city", self.city_text),
                ("organisation", self.organisation_text),
            )
            if text is not None
        }
        out.update({f"opd:{o.id}": o.name_text for o in self.opds if o.name_text is not None})
        for item in self.items:
            if item.element and item.element_text is not None:
                out[f"element:{item.element}"] = item.element_text
        return out

    @model_validator(mode="after")
    def _cross_check(self) -> Survey:
        problems: list[str] = []
        for what, ids in (
            ("scale", [s.id for s in self.scales]),
            ("item", [i.id for i in self.items]),
            ("OPD", [o.id for o in self.opds]),
            ("profile question", [p.id for p in self.profile]),
        ):
            dup = _duplicates(ids)
            if dup:
                problems.append(f"duplicate {what} id(s): {', '.join(dup)}")
        scale_ids = {s.id for s in self.scales}
        item_ids = {i.id for i in self.items}
        for item in self.items:
            if item.scale not in scale_ids:
                known = ", ".join(sorted(scale_ids)) or "none"
                problems.append(
                    f"item {item.id!r} uses unknown scale {item.scale!r} (known: {known})"
                )
            if item.pairs_with is not None and item.pairs_with not in item_ids:
                problems.append(f"item {item.id!r} pairs with unknown item {item.pairs_with!r}")
        if not any(i.scope == "opd" for i in self.items) and self.opds:
            problems.append("the survey rates OPDs but has no item with scope 'opd'")
        for scope in ("opd", "survey"):
            perf = [i for i in self.items if i.scope == scope and i.role == "performance"]
            weighted = [i for i in perf if i.weight is not None]
            if weighted and len(weighted) != len(perf):
                missing = ", ".join(i.id for i in perf if i.weight is None)
                problems.append(f"weights are given for some {scope} items but not for: {missing}")
            elif weighted and scope == "opd":
                total = sum(i.weight or 0.0 for i in weighted)
                if abs(total - 1.0) > WEIGHT_TOLERANCE:
                    problems.append(
                        f"weights of the per-OPD items must sum to 1; they sum to {total:.12g}"
                    )
        problems += _name_clashes(self.opds)
        if self.period_start and self.period_end and self.period_end < self.period_start:
            problems.append(
                f"period ends ({self.period_end}) before it starts ({self.period_start})"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @cached_property
    def scale_map(self) -> dict[str, Scale]:
        """Scales by id."""
        return {s.id: s for s in self.scales}

    @cached_property
    def item_map(self) -> dict[str, Item]:
        """Items by id."""
        return {i.id: i for i in self.items}

    @cached_property
    def opd_index(self) -> dict[str, int]:
        """OPD id → position in ``opds`` (the code stored in response tables)."""
        return {o.id: k for k, o in enumerate(self.opds)}

    @cached_property
    def opd_items(self) -> tuple[Item, ...]:
        """Items asked about each OPD, in declaration order (the answer columns of a table)."""
        return tuple(i for i in self.items if i.scope == "opd")

    @cached_property
    def survey_items(self) -> tuple[Item, ...]:
        """Items asked once per respondent."""
        return tuple(i for i in self.items if i.scope == "survey")

    def scale_of(self, item: str | Item) -> Scale:
        """The scale an item is answered on."""
        it = self.item_map[item] if isinstance(item, str) else item
        return self.scale_map[it.scale]

    def opd(self, opd_id: str) -> OPD:
        """The OPD with this id."""
        return self.opds[self.opd_index[opd_id]]
