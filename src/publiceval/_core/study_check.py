"""Checking a study file: where (key and line) it goes wrong, and the plugins it names.

:func:`check_components` runs at load time, after the file parsed: every plugin the study names
must exist, once, and accept its options. The helpers find a key's line in the TOML text.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from .errors import PluginClashError, PluginError, StudyError
from .plugins import PluginHost

if TYPE_CHECKING:
    from .study import ComponentEntry, StudyFile

__all__ = ["check_components", "dotted_key", "locate", "model_at", "short_repr"]


def check_components(path: Path, text: str, spec: StudyFile, host: PluginHost) -> None:
    """Refuse unknown plugin names and bad plugin options at load time, naming the line.

    A name two plugins register (a clash) fails once, as a plugin error, only if the study uses it.
    """
    entries: list[tuple[tuple[str | int, ...], str, ComponentEntry]] = [
        (("method",), "methods", spec.method)
    ]
    if spec.scheme is not None:
        entries.append((("scheme",), "schemes", spec.scheme))
    entries += [(("compare", k), "schemes", c) for k, c in enumerate(spec.compare)]
    entries += [(("rules", k), "rules", r) for k, r in enumerate(spec.rules)]
    problems: list[str] = []
    clashes: dict[str, str] = {}  # one line per clashing name, at its first use
    for loc, kind, entry in entries:
        try:
            cls = getattr(host, kind[:-1])(entry.name)
        except PluginError as exc:
            line = locate(text, (*loc, "name"))
            found = f"{path}" + (f", line {line}" if line else "") + f": {exc}"
            if isinstance(exc, PluginClashError):
                clashes.setdefault(str(exc), found)
            else:
                problems.append(found)
            continue
        try:
            cls.Options.model_validate(entry.options)
        except ValidationError as exc:
            for err in exc.errors():
                full = (*loc, "options", *err["loc"])
                line = locate(text, full)
                where = (
                    f"{path}" + (f", line {line}" if line else "") + f", key {dotted_key(full)!r}"
                )
                if err["type"] == "extra_forbidden":
                    parent = model_at(cls.Options, tuple(err["loc"][:-1]), entry.options)
                    fields = list((parent or cls.Options).model_fields)
                    hint = difflib.get_close_matches(str(err["loc"][-1]), fields, n=1, cutoff=0.6)
                    tip = (
                        f"; did you mean {hint[0]!r}?" if hint else f" (known: {', '.join(fields)})"
                    )
                    problems.append(f"{where}: {entry.name}: unknown option{tip}")
                else:
                    msg = err["msg"].removeprefix("Value error, ")
                    problems.append(
                        f"{where}: {entry.name}: {msg} (found {short_repr(err.get('input'))})"
                    )
    if clashes:
        raise PluginClashError("\n".join([*clashes.values(), *problems]))
    if problems:
        raise StudyError("\n".join(problems))


def short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def dotted_key(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def model_at(model: type[BaseModel], loc: tuple[Any, ...], raw: Any) -> type[BaseModel] | None:
    """The pydantic model that validates the table at ``loc`` (for listing its keys)."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = field.annotation
        for _ in range(3):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            if isinstance(current, type) and issubclass(current, BaseModel):
                break
            if not args:
                break
            current = args[-1] if typing.get_origin(current) is dict else args[0]
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def locate(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of the key at ``loc`` (a pydantic error location) in TOML text, if found.

    Understands ``[table]``, ``[[array]]`` and ``key = value`` lines; good enough to point a
    person at the right place, which is all it is for.
    """
    path = [str(p) for p in loc if not isinstance(p, int)]
    indices = [p for p in loc if isinstance(p, int)]
    counts: dict[str, int] = {}
    table: list[str] = []
    table_index: int | None = None
    array: str | None = None
    best: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name = header.group(2).replace('"', "")
            table = name.split(".")
            if header.group(1) == "[[":
                counts[name] = counts.get(name, -1) + 1
                table_index = counts[name]
                array = name
            elif not (array and name.startswith(array + ".")):
                # a sub-table such as [rules.options] belongs to the last [[rules]] entry
                table_index = None
            if table == path[: len(table)] and (
                table_index is None or indices[:1] == [table_index]
            ):
                best = best or number
                if len(table) == len(path):
                    return number
            continue
        key = _KEY.match(line)
        if (
            key
            and table == path[: len(table)]
            and (table_index is None or indices[:1] == [table_index])
        ):
            full = [*table, *key.group(1).replace('"', "").split(".")]
            if full == path[: len(full)]:
                if len(full) == len(path):
                    return number
                best = number
    return best
