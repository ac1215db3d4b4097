"""What the plugin host records: each registration, listings of plugins, and name clashes.

Kept apart from :mod:`publiceval._core.plugins` (the host) so both stay short.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from .components import Component
from .errors import PluginError

__all__ = ["Entry", "PluginClash", "PluginInfo", "registrar"]

Entry = tuple[type[Component], str]
"""A registered class and the name of the plugin that registered it."""


class PluginInfo(BaseModel):
    """An installed plugin: where it came from and which hooks it implements."""

    name: str
    source: str
    """``builtin``, ``entrypoint`` or ``registered``."""
    version: str | None = None
    package: str | None = None
    """The distribution that installed it (``publiceval`` for built-ins)."""
    hooks: list[str]
    provides: dict[str, list[str]]
    clashes: dict[str, list[str]] = {}
    """Names this plugin provides that another plugin registers too, by kind."""


class PluginClash(BaseModel):
    """One name registered by more than one plugin."""

    kind: str
    name: str
    plugins: list[str]
    """The plugins registering it, in registration order."""
    packages: list[str | None]


def registrar(
    found: dict[str, list[Entry]], kind: str, base: type[Component], plugin: str
) -> Callable[[Any], None]:
    """The ``register`` callback handed to one plugin's hook: checks the class, records clashes.

    A second class under a taken name is kept beside the first (a clash, refused only when the
    name is looked up); the same class registered twice is one registration.
    """

    def register(cls: Any) -> None:
        check_class(cls, base, plugin, kind)
        entries = found.setdefault(cls.name, [])
        if not any(known is cls for known, _ in entries):
            entries.append((cls, plugin))

    return register


def check_class(cls: Any, base: type[Component], plugin: str, kind: str) -> None:
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise PluginError(
            f"plugin {plugin!r} registered {cls!r} as one of the {kind}, "
            f"but it is not a subclass of {base.__name__}"
        )
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise PluginError(f"plugin {plugin!r} registered {cls.__name__} without a 'name'")
