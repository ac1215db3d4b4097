"""The hooks a publiceval plugin can implement.

Each hook receives a ``register`` callback and calls it once per class it contributes; the host
decides how names are checked. Implement a hook with ``@hookimpl`` from the plugin-author kit::

    from publiceval.plugin import ScoringMethod, hookimpl

    class Median(ScoringMethod):
        name = "median"
        ...

    @hookimpl
    def register_methods(register):
        register(Median)
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

from .ingest import Reader
from .methods import ScoringMethod
from .reporters import Reporter
from .rules import RecommendationRule
from .schemes import CategoryScheme

__all__ = ["PROJECT", "hookimpl", "hookspec"]

PROJECT = "publiceval"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_methods(register: Callable[[type[ScoringMethod]], None]) -> None:
    """Register scoring methods.

    :param register: call with each :class:`~publiceval.ScoringMethod` subclass; its ``name``
        is how studies and ``evaluate(method=...)`` refer to it.
    """


@hookspec
def register_schemes(register: Callable[[type[CategoryScheme]], None]) -> None:
    """Register category schemes.

    :param register: call with each :class:`~publiceval.CategoryScheme` subclass.
    """


@hookspec
def register_rules(register: Callable[[type[RecommendationRule]], None]) -> None:
    """Register recommendation rules.

    :param register: call with each :class:`~publiceval.RecommendationRule` subclass.
    """


@hookspec
def register_readers(register: Callable[[type[Reader]], None]) -> None:
    """Register readers of response files.

    :param register: call with each :class:`~publiceval.Reader` subclass; its ``suffixes``
        claim file endings when a study names no format.
    """


@hookspec
def register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    """Register reporters.

    :param register: call with each :class:`~publiceval.Reporter` subclass; its ``name`` is
        the value of ``--format``.
    """
