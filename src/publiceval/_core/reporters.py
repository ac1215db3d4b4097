"""Reporters: an evaluation rendered for people (or programs) to read."""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

from .components import Component
from .results import Evaluation
from .text import Lang

__all__ = ["Reporter"]


class Reporter(Component):
    """Base class of reporter plugins: :meth:`render` returns the file's bytes."""

    suffix: ClassVar[str] = ".txt"
    media_type: ClassVar[str] = "text/plain"

    @abstractmethod
    def render(self, evaluation: Evaluation, *, lang: Lang = "id") -> bytes:
        """The report as bytes (text is UTF-8)."""
