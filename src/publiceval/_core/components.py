"""The common shape of everything a plugin registers: a name, a title and validated options."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import PluginError
from .text import Text

__all__ = ["Component", "NoOptions"]

C = TypeVar("C", bound="Component")


class NoOptions(BaseModel):
    """Options of a component that takes none."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Component:
    """Base of scoring methods, category schemes, rules, readers and reporters.

    Subclasses set ``name`` (the registered name users type), ``title`` (bilingual) and
    ``Options`` (a pydantic model); :meth:`create` validates options with messages that name the
    component and the offending key.
    """

    name: ClassVar[str]
    title: ClassVar[Text] = Text(id="", en="")
    Options: ClassVar[type[BaseModel]] = NoOptions

    def __init__(self, options: BaseModel | None = None) -> None:
        self.options = options if options is not None else self.Options()

    @classmethod
    def create(cls: type[C], options: Mapping[str, Any] | BaseModel | None = None) -> C:
        """An instance with validated options."""
        if isinstance(options, BaseModel):
            return cls(options)
        try:
            return cls(cls.Options.model_validate(dict(options or {})))
        except ValidationError as exc:
            raise PluginError(_describe(cls, exc)) from None

    def options_dict(self) -> dict[str, Any]:
        """Options as JSON-ready data (for provenance)."""
        return self.options.model_dump(mode="json")


def _describe(cls: type[Component], exc: ValidationError) -> str:
    fields = list(cls.Options.model_fields)
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "options"
        if err["type"] == "extra_forbidden":
            hint = difflib.get_close_matches(str(err["loc"][-1]), fields, n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint else ""
            known = ", ".join(fields) or "none"
            parts.append(f"unknown option {loc!r} (known: {known}){tip}")
        else:
            parts.append(f"option {loc!r}: {err['msg']} (found {err.get('input')!r})")
    return f"{cls.name}: " + "; ".join(parts)
